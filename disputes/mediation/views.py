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
from disputes.cases.models import Case
from disputes.cases.states import IllegalTransition
from disputes.cases.uploads import UploadError
from disputes.db import db
from disputes.mediation import agreements, bp, queries, services
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
    AgreementAction,
    CostPayer,
    MediationParty,
    SessionMode,
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


def load_case(case_id: int) -> Case:
    """Return the case (staff), or 404."""
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    return case


def load_party_case(case_id: int) -> tuple[Case, MediationParty]:
    """Return the case and the party the user is on it; 404 for a case the user is no party to."""
    case = db.session.get(Case, case_id)
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
    return obj, db.session.get_one(Case, obj.case_id)


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
    notice_due = m.termination and services.notice_due_on(m.termination)
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
    return _manage_page(load_case(case_id))


@bp.route("/cases/<int:case_id>/party")
@role_required("consumer", "business")
def party(case_id: int):
    """A party's view of the mediation, with its consent, withdrawal and confirmation."""
    return _party_page(*load_party_case(case_id))


# --- staff actions -------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/consents", methods=["POST"])
@role_required("staff")
def consent_record(case_id: int):
    """Record a party's consent or refusal on its behalf (marked as recorded by staff)."""
    case = load_case(case_id)
    form = StaffConsentForm(prefix="consent")
    return _staff_post(
        case,
        "consent",
        form,
        lambda: services.record_consent(
            case,
            MediationParty(form.party.data),
            form.agrees,
            form.reason.data or "",
            current_user,
            by_staff=True,
        ),
        _("已代为登记当事人的意见。"),
    )


@bp.route("/cases/<int:case_id>/sessions", methods=["POST"])
@role_required("staff")
def session_new(case_id: int):
    """Schedule a session (an on-site one sends both parties a 调解通知书)."""
    case = load_case(case_id)
    form = SessionForm(prefix="session")
    return _staff_post(
        case,
        "session",
        form,
        lambda: services.schedule_session(
            case,
            services.SessionData(
                SessionMode(form.mode.data),
                form.place.data or "",
                form.starts_at.data,
                form.mediators.data,
            ),
            current_user,
        ),
        _("调解已安排。"),
    )


@bp.route("/sessions/<int:session_id>/record", methods=["POST"])
@role_required("staff")
def session_record(session_id: int):
    """Record a session's attendees, attendance and minutes."""
    session, case = _load(queries.get_session, session_id)
    key = f"record-{session.id}"
    form = SessionRecordForm(prefix=key)
    return _staff_post(
        case,
        key,
        form,
        lambda: services.record_session(
            session,
            form.attendees.data,
            form.minutes.data,
            form.consumer_attended.data == "yes",
            form.business_attended.data == "yes",
            current_user,
        ),
        _("调解记录已保存。"),
    )


@bp.route("/cases/<int:case_id>/withdrawals", methods=["POST"])
@role_required("staff")
def withdrawal_record(case_id: int):
    """Record a party's application for a mediator's withdrawal on its behalf."""
    case = load_case(case_id)
    form = StaffWithdrawalForm(prefix="withdrawal")
    return _staff_post(
        case,
        "withdrawal",
        form,
        lambda: services.apply_withdrawal(
            case,
            MediationParty(form.party.data),
            form.mediator.data,
            form.reason.data,
            current_user,
            by_staff=True,
        ),
        _("回避申请已登记，调解中止。"),
    )


@bp.route("/withdrawals/<int:withdrawal_id>/decision", methods=["POST"])
@role_required("staff")
def withdrawal_decide(withdrawal_id: int):
    """Decide a withdrawal application; mediation resumes."""
    withdrawal, case = _load(queries.get_withdrawal, withdrawal_id)
    key = f"decision-{withdrawal.id}"
    form = WithdrawalDecisionForm(prefix=key)
    return _staff_post(
        case,
        key,
        form,
        lambda: services.decide_withdrawal(
            withdrawal,
            form.decision.data == "granted",
            form.new_mediator.data or "",
            form.reason.data or "",
            current_user,
        ),
        _("回避申请已决定，调解恢复。"),
    )


@bp.route("/cases/<int:case_id>/inspections", methods=["POST"])
@role_required("staff")
def inspection_new(case_id: int):
    """Start an inspection both parties agreed on (the mediation clock stops)."""
    case = load_case(case_id)
    form = InspectionForm(prefix="inspection")
    return _staff_post(
        case,
        "inspection",
        form,
        lambda: services.start_inspection(
            case,
            services.InspectionData(
                form.institution.data,
                form.subject.data,
                form.cost_yuan.data,
                CostPayer(form.payer.data),
                form.started_on.data,
            ),
            current_user,
        ),
        _("检测鉴定已登记，调解期限暂停计算。"),
    )


@bp.route("/inspections/<int:inspection_id>/result", methods=["POST"])
@role_required("staff")
def inspection_finish(inspection_id: int):
    """Record an inspection's result and report (the mediation clock runs again)."""
    inspection, case = _load(queries.get_inspection, inspection_id)
    key = f"result-{inspection.id}"
    form = InspectionResultForm(prefix=key)
    return _staff_post(
        case,
        key,
        form,
        lambda: services.finish_inspection(
            inspection,
            form.finished_on.data,
            form.result.data,
            form.report.data if hasattr(form.report.data, "filename") else None,
            current_user,
        ),
        _("检测鉴定结果已登记。"),
    )


@bp.route("/cases/<int:case_id>/termination", methods=["POST"])
@role_required("staff")
def terminate(case_id: int):
    """Terminate mediation (Art. 21): the notice goes to both parties and the case closes."""
    case = load_case(case_id)
    form = TerminationForm(prefix="termination")
    return _staff_post(
        case,
        "termination",
        form,
        lambda: services.terminate(
            case, TerminationReason(form.reason.data), form.details.data or "", current_user
        ),
        _("调解已终止，终止调解告知书已发给双方。"),
    )


def _terms(form: AgreementForm) -> agreements.TermsData:
    return agreements.TermsData(
        AgreementAction(form.action.data),
        form.compensation_yuan.data,
        form.perform_by_date.data,
        form.terms.data or "",
    )


@bp.route("/cases/<int:case_id>/agreement", methods=["POST"])
@role_required("staff")
def agreement_draft(case_id: int):
    """Write the terms of the 调解书 (until a party has confirmed them)."""
    case = load_case(case_id)
    form = AgreementForm(prefix="agreement")
    return _staff_post(
        case,
        "agreement",
        form,
        lambda: agreements.draft_agreement(case, _terms(form), current_user),
        _("调解书内容已保存，等待双方确认。"),
    )


@bp.route("/cases/<int:case_id>/agreement/signature", methods=["POST"])
@role_required("staff")
def agreement_sign(case_id: int):
    """Record a party's signature of the 调解书 on paper."""
    case = load_case(case_id)
    form = PaperSignatureForm(prefix="signature")
    return _staff_post(
        case,
        "signature",
        form,
        lambda: agreements.confirm_case_agreement(
            case, MediationParty(form.party.data), current_user, on_paper=True
        ),
        _("已登记当事人的书面签字。"),
    )


@bp.route("/cases/<int:case_id>/agreement/close", methods=["POST"])
@role_required("staff")
def agreement_close(case_id: int):
    """Close the case with the outcome of the confirmed agreement."""
    case = load_case(case_id)
    form = EmptyForm(prefix="close")
    return _staff_post(
        case,
        "close",
        form,
        lambda: agreements.close_with_agreement(case, current_user),
        _("已按调解结果结案。"),
    )


@bp.route("/cases/<int:case_id>/performed", methods=["POST"])
@role_required("staff")
def performed(case_id: int):
    """Record an agreement performed at once (mediation record, no 调解书) and close."""
    case = load_case(case_id)
    form = PerformedForm(prefix="performed")
    return _staff_post(
        case,
        "performed",
        form,
        lambda: agreements.record_performed(case, _terms(form), form.record.data, current_user),
        _("调解协议已当场履行，调解记录已保存，案件已结案。"),
    )


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
