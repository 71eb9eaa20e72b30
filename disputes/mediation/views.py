"""The mediation room's pages: staff run the mediation of a case (/mediation/cases/<id>), the
parties answer on theirs (/mediation/cases/<id>/party: the case's consumer, or a user acting for
its business). Each view: load → check → form → service → commit → redirect, or the page again
with the form's errors (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from disputes.access import deny, role_required
from disputes.cases import queries as case_queries
from disputes.cases.models import Case
from disputes.cases.states import IllegalTransition
from disputes.cases.uploads import UploadError
from disputes.db import db
from disputes.mediation import agreements, bp, queries, services, terminations
from disputes.mediation.forms import (
    AgreementForm,
    ConsentForm,
    EmptyForm,
    InspectionForm,
    InspectionResultForm,
    PaperSignatureForm,
    PerformedForm,
    SessionForm,
    SessionRecordForm,
    StaffConsentForm,
    StaffWithdrawalForm,
    TerminationForm,
    WithdrawalDecisionForm,
    WithdrawalForm,
)
from disputes.mediation.models import (
    ACTION_LABELS,
    MODE_LABELS,
    PARTY_LABELS,
    PAYER_LABELS,
    TERMINATION_REASONS,
    MediationParty,
    TerminationReason,
)

STAFF_FORMS: dict[str, Callable[..., Any]] = {
    "consent": StaffConsentForm,
    "session": SessionForm,
    "withdrawal": StaffWithdrawalForm,
    "inspection": InspectionForm,
    "termination": TerminationForm,
    "agreement": AgreementForm,
    "signature": PaperSignatureForm,
    "performed": PerformedForm,
    "close": EmptyForm,
}
PARTY_FORMS: dict[str, Callable[..., Any]] = {
    "consent": ConsentForm,
    "withdrawal": WithdrawalForm,
    "confirm": EmptyForm,
}
ERRORS = (services.MediationError, IllegalTransition, UploadError)
LABELS = {
    "parties": PARTY_LABELS,
    "modes": MODE_LABELS,
    "payers": PAYER_LABELS,
    "actions": ACTION_LABELS,
    "reasons": TERMINATION_REASONS,
}


@bp.app_context_processor
def _mediation_helpers() -> dict[str, Any]:
    """Let the case pages of the other rooms include their mediation section."""
    return {"mediation_of": queries.get_mediation, "mediation_labels": LABELS}


# --- loaders -------------------------------------------------------------------------------------


def load_bare_case(case_id: int) -> Case:
    """Return the case with nothing loaded beside it, or 404 (staff see every case)."""
    case = case_queries.get_case(case_id)
    if case is None:
        abort(404)
    return case


def load_party_case(case_id: int) -> tuple[Case, MediationParty]:
    """Return the case and the party the user is on it; 404 for a case the user is no party to."""
    case = case_queries.get_case(case_id)
    if case is None:
        abort(404)
    party = services.party_of(current_user, case)
    if party is None:
        deny(case)
    return case, party


def _load(getter: Callable[[int], Any], object_id: int) -> tuple[Any, Case]:
    obj = getter(object_id)
    if obj is None:
        abort(404)
    return obj, case_queries.get_case(obj.case_id)


# --- pages ---------------------------------------------------------------------------------------


def _manage_page(case: Case, bound: dict[str, Any] | None = None, status: int = 200):
    """The staff's mediation page; `bound` holds a posted form shown again with its errors."""
    bound = bound or {}
    m = queries.get_mediation(case)
    forms = {key: bound.get(key) or make(prefix=key) for key, make in STAFF_FORMS.items()}
    for s in m.sessions:
        key = f"record-{s.id}"
        forms[key] = bound.get(key) or SessionRecordForm(prefix=key)
    for w in m.withdrawals:
        key = f"decision-{w.id}"
        forms[key] = bound.get(key) or WithdrawalDecisionForm(prefix=key)
    for i in m.inspections:
        key = f"result-{i.id}"
        forms[key] = bound.get(key) or InspectionResultForm(prefix=key)
    if m.agreement and not bound.get("agreement"):
        a = m.agreement
        forms["agreement"] = AgreementForm(
            prefix="agreement",
            data={
                "action": a.action.value,
                "compensation_yuan": a.compensation_yuan,
                "perform_by_date": a.perform_by_date,
                "terms": a.terms,
            },
        )
    business = m.consents.get(MediationParty.business)
    if business is not None and not business.agrees and "termination" not in bound:
        # Art. 21(3): the business clearly refusing mediation is a reason to terminate.
        forms["termination"].reason.data = TerminationReason.absent_or_refused.value
    notice_due = m.termination and terminations.notice_due_on(m.termination)
    page = render_template(
        "mediation/manage.html", m=m, forms=forms, labels=LABELS, notice_due=notice_due
    )
    return page, status


def _party_page(case: Case, party: MediationParty, bound: dict[str, Any] | None = None, status=200):
    bound = bound or {}
    forms = {key: bound.get(key) or make(prefix=key) for key, make in PARTY_FORMS.items()}
    m = queries.get_mediation(case)
    return render_template(
        "mediation/party.html", m=m, party=party, forms=forms, labels=LABELS
    ), status


def _write(case: Case, write: Callable[[], Any], done: str, back: str) -> Response:
    """Run the service, commit, and go back with its message (or the refusal's)."""
    try:
        write()
        db.session.commit()
    except ERRORS as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back, code=303)
    flash(done, "success")
    return redirect(back, code=303)


def _staff_post(case: Case, key: str, form: Any, write: Callable[[], Any], done: str):
    if not form.validate_on_submit():
        return _manage_page(case, {key: form}, 400)
    return _write(case, write, done, url_for("mediation.manage", case_id=case.id))


def _party_post(case: Case, party: MediationParty, key: str, form: Any, write, done: str):
    if not form.validate_on_submit():
        return _party_page(case, party, {key: form}, 400)
    return _write(case, write, done, url_for("mediation.party", case_id=case.id))


@bp.route("/cases/<int:case_id>")
@role_required("staff")
def manage(case_id: int):
    """The mediation of one case: consents, sessions, withdrawals, inspections, the end."""
    return _manage_page(load_bare_case(case_id))


@bp.route("/cases/<int:case_id>/party")
@role_required("consumer", "business")
def party(case_id: int):
    """A party's view of the mediation, with its consent, withdrawal and confirmation."""
    return _party_page(*load_party_case(case_id))


# --- the parties' actions ------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/party/consent", methods=["POST"])
@role_required("consumer", "business")
def party_consent(case_id: int):
    """The party agrees or refuses to mediate."""
    case, party = load_party_case(case_id)
    form = ConsentForm(prefix="consent")
    return _party_post(
        case,
        party,
        "consent",
        form,
        lambda: services.record_consent(
            case, party, form.agrees, form.reason.data or "", current_user
        ),
        _("您的意见已记录。"),
    )


@bp.route("/cases/<int:case_id>/party/withdrawal", methods=["POST"])
@role_required("consumer", "business")
def party_withdrawal(case_id: int):
    """The party applies for a mediator's withdrawal (mediation is suspended until decided)."""
    case, party = load_party_case(case_id)
    form = WithdrawalForm(prefix="withdrawal")
    return _party_post(
        case,
        party,
        "withdrawal",
        form,
        lambda: services.apply_withdrawal(
            case, party, form.mediator.data, form.reason.data, current_user
        ),
        _("回避申请已提交，调解中止，等待市场监管部门决定。"),
    )


@bp.route("/cases/<int:case_id>/party/confirm", methods=["POST"])
@role_required("consumer", "business")
def party_confirm(case_id: int):
    """The party confirms the 调解书's terms."""
    case, party = load_party_case(case_id)
    form = EmptyForm(prefix="confirm")
    return _party_post(
        case,
        party,
        "confirm",
        form,
        lambda: agreements.confirm_case_agreement(case, party, current_user),
        _("您已确认调解书。"),
    )
