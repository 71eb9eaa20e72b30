"""The public self-check page: anyone enters the facts of their case and sees what the rules say.

Nothing is stored unless the visitor asks to file these facts ("据此在线申请": cases/prefill.py
makes a draft, after a login if need be).
The form pieces are the filing wizard's (cases/forms.py) and the facts come from
the one fact builder (cases/facts.py), so the page and a filed case can never disagree.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from disputes.access import public
from disputes.auth.models import Role
from disputes.calendar import bureau_holidays
from disputes.cases import prefill
from disputes.cases.assessment_page import assessment_for_page
from disputes.cases.facts import (
    FactsError,
    facts_dict_from_form,
    form_data_from_facts,
    form_field_for,
)
from disputes.cases.forms import SelfCheckForm, apply_list_action
from disputes.cases.wizard_state import raw_from_form
from disputes.db import db
from disputes.forms import error_items
from disputes.public import bp

#: A made-up case that shows most of the page at work ("载入示例"); not one of the shared cases.
EXAMPLE_FACTS: dict[str, Any] = {
    "purchase": {"invoice_date": "2024-03-15", "delivery_date": "2024-03-16", "price_yuan": 129900},
    "vehicle": {"category": "passenger", "use": "household", "powertrain": "phev",
                "brand": "示例品牌", "model": "示例插混 SUV"},
    "warranty_card": {"compensation_rate": 0.004,
                      "wear_parts": [{"name": "刹车片", "months": 12, "km": 20000}]},
    "problems": {
        "P1": {"system": "engine", "description": "发动机怠速抖动，故障灯亮"},
        "P2": {"system": "electrical", "description": "中控屏偶尔黑屏"},
    },
    "events": [
        {"problem": "P1", "start": "2024-06-03T09:00", "end": "2024-06-04T17:00",
         "odometer_km": 6100, "resolved": False},
        {"problem": "P1", "start": "2024-08-12T08:30", "end": "2024-08-20T16:00",
         "odometer_km": 9800, "resolved": False,
         "replaced": [{"assembly": "engine", "part": "点火线圈", "main_part": False,
                       "whole_assembly": False}]},
        {"problem": "P2", "start": "2024-09-02T14:00", "end": "2024-09-02T18:00",
         "odometer_km": 11200},
        {"problem": "P1", "start": "2024-10-21T09:00", "end": "2024-10-23T11:00",
         "odometer_km": 13900, "resolved": False},
    ],
    "as_of": {"date": "2024-11-18", "odometer_km": 16000},
    "written_request_date": "2024-11-18",
    "claim": "replace",
}  # fmt: skip

_EVENT_PATH = re.compile(r"events\[(\d+)\]")


@bp.route("/self-check", methods=["GET", "POST"])
@public
def self_check():
    """Show the facts form; on "开始评估" (or with the example) show the assessment below it."""
    example = request.method == "GET" and bool(request.args.get("example"))
    if request.method == "GET" and not example:
        return render_template(
            "public/self_check.html", blank_fields=_blank_fields(), errors=[], assessment=None
        )
    form = SelfCheckForm(data=form_data_from_facts(EXAMPLE_FACTS)) if example else SelfCheckForm()
    form.prepare()
    assessment = facts = None
    action = request.form.get("action", "assess")
    if request.method == "POST" and action == "file":
        if form.validate_on_submit():
            return _file(form)
    elif request.method == "POST" and action != "assess":
        apply_list_action(form, action)
    elif example or form.validate_on_submit():
        facts = facts_dict_from_form(form)
        assessment = _assess(form, facts)
    return render_template(
        "public/self_check.html",
        form=form,
        errors=error_items(form),
        assessment=assessment,
        facts_json=json.dumps(facts, ensure_ascii=False, indent=2) if assessment else None,
    )


#: app.extensions key: the fact fields of the empty form, rendered, by (locale, script root).
BLANK_FIELDS = "public.self_check_blank_fields"


def _blank_fields() -> Markup:
    """The fact fields of the empty form: the same for every visitor in a language (no values,
    no errors, no token: the CSRF field is outside them), so rendered once per language and
    kept for the life of the process."""
    key = (str(get_locale()), request.script_root)
    kept = current_app.extensions.setdefault(BLANK_FIELDS, {})
    if key not in kept:
        form = SelfCheckForm(formdata=None)
        form.prepare()
        here = url_for("public.self_check")
        html = render_template("public/_self_check_fields.html", form=form, here=here)
        kept[key] = Markup(html)
    return kept[key]


def _file(form: SelfCheckForm):
    """Turn the checked facts into a filing draft, after a login if the visitor has none."""
    if not current_user.is_authenticated:
        if not prefill.keep_for_login(form):
            message = _("填写的内容太多，无法在登录前保留。请先登录，再回到本页点“据此在线申请”。")
            flash(message, "error")
            return redirect(url_for("auth.login", next=url_for("public.self_check")))
        flash(_("请先登录；还没有账户请注册。您填写的内容已保留，登录后会自动填进申请表。"), "info")
        return redirect(url_for("auth.login", next=url_for("cases.from_self_check")))
    if current_user.role != Role.consumer:
        flash(_("只有消费者账户可以在线申请。"), "error")
        return redirect(url_for("public.self_check"))
    draft = prefill.create_draft_from_self_check(
        current_user._get_current_object(), raw_from_form(form)
    )
    db.session.commit()
    flash(_("已把自助评估填写的内容带入申请表，请逐步核对并补全。"), "success")
    return redirect(url_for("cases.wizard_step", draft_id=draft.id, step=1))


def _assess(form: SelfCheckForm, facts: dict[str, Any]) -> dict[str, Any] | None:
    """Return the assessment, or None after putting the rules' objection next to its field."""
    lang = "en" if str(get_locale() or "zh").startswith("en") else "zh"
    try:
        return assessment_for_page(facts, holidays=bureau_holidays())
    except FactsError as error:
        _show_facts_error(form, error, lang)
        return None


def _show_facts_error(form: SelfCheckForm, error: FactsError, lang: str) -> None:
    """Attach a FactsError to the field it names, or to the top of the form."""
    message = getattr(error, "message_zh", error.message) if lang == "zh" else error.message
    message = _EVENT_PATH.sub(lambda m: _("第 %(n)s 次维修", n=int(m[1]) + 1), message)
    field = form_field_for(form, error.field)
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(_("这些信息放在一起不成立：%(message)s", message=message))
