"""The business's answer online: POST /business/cases/<id>/answer (the form is the partial
templates/business/_answer.html on the business's case page)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import BuildError

from disputes.business import answers, bp
from disputes.business.access import business_required, load_organisation_case
from disputes.business.answer_forms import AnswerForm
from disputes.cases.models import Case
from disputes.db import db


def answer_context(case: Case, form: AnswerForm | None = None) -> dict[str, Any]:
    """What the answer partial needs: the deadline, the current answer and the form."""
    return {
        "answer": answers.answer_status(case),
        "answer_form": form or AnswerForm(formdata=None),
        "answerable": str(case.status) in answers.ANSWERABLE,
    }


def case_page_url(case: Case) -> str:
    """The business's page of the case, at its answer (its case list if the room has none)."""
    try:
        return url_for("business.detail", case_id=case.id, _anchor="answer")
    except BuildError:
        return url_for("business.index")


@bp.post("/cases/<int:case_id>/answer")
@business_required
def case_answer(case_id: int):
    """Answer the complaint: accept, offer or reject with reasons; bad input comes back in the
    form, next to its field, with what was typed."""
    case = load_organisation_case(case_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return render_template("business/answer.html", case=case, **answer_context(case, form)), 400
    try:
        answers.answer_online(case, form.answer_data(), current_user)
        db.session.commit()
    except answers.AnswerError as error:
        db.session.rollback()
        flash(_(error.message), "error")
        return redirect(case_page_url(case), code=303)
    except StaleDataError:
        db.session.rollback()
        flash(_("该案件刚刚有了变化，请刷新后重试。"), "error")
        return redirect(case_page_url(case), code=303)
    flash(_("答复已提交。"), "success")
    return redirect(case_page_url(case), code=303)
