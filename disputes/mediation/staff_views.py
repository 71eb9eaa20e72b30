"""The staff's mediation actions (Order 20 Arts. 16-22), each posted from the mediation page
(/mediation/cases/<id>): load → form → service → commit → back, or the page with the errors."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.mediation import agreements, bp, queries, services, terminations
from disputes.mediation.forms import (
    AgreementForm,
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
)
from disputes.mediation.models import (
    AgreementAction,
    CostPayer,
    MediationParty,
    SessionMode,
    TerminationReason,
)
from disputes.mediation.views import _load, _staff_post, load_bare_case

# --- staff actions -------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/consents", methods=["POST"])
@role_required("staff")
def consent_record(case_id: int):
    """Record a party's consent or refusal on its behalf (marked as recorded by staff)."""
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
    form = TerminationForm(prefix="termination")
    return _staff_post(
        case,
        "termination",
        form,
        lambda: terminations.terminate(
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
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
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
    case = load_bare_case(case_id)
    form = PerformedForm(prefix="performed")
    return _staff_post(
        case,
        "performed",
        form,
        lambda: agreements.record_performed(case, _terms(form), form.record.data, current_user),
        _("调解协议已当场履行，调解记录已保存，案件已结案。"),
    )
