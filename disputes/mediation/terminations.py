"""Terminating mediation (Order 20 Art. 21): one of the seven reasons, the 终止调解告知书 to
both parties at once (within the article's 7 working days of the decision), the case closed."""

from __future__ import annotations

from datetime import date

from disputes import audit, calendar
from disputes.auth.models import User
from disputes.cases import clocks, outcomes, states
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.db import db
from disputes.mediation import queries
from disputes.mediation.models import (
    TERMINATION_REASONS,
    MediationTermination,
    TerminationReason,
)
from disputes.mediation.services import MediationError
from disputes.notices.models import NoticeKind
from disputes.notices.services import issue_notice

S = CaseStatus
#: Working days the bureau has to tell both parties of a termination (Order 20 Art. 21).
TERMINATION_NOTICE_WORKING_DAYS = 7


# --- termination (Art. 21) -----------------------------------------------------------------------


def terminate(
    case: Case, reason: TerminationReason, details: str, actor: User
) -> MediationTermination:
    """Terminate mediation for one of Art. 21's reasons: tell both parties at once with a
    终止调解告知书 (within the 7 working days), then close the case (outcome referred)."""
    if queries.get_termination(case.id) is not None:
        raise MediationError("该案件的调解已经终止，告知书已发出。")
    if case.status not in queries.TERMINABLE_STATES:
        raise MediationError("案件当前状态不能终止调解。")
    if outcomes.recorded(case.id):
        raise MediationError("该案件已登记处理结果，不能再终止调解。")
    item, wording = TERMINATION_REASONS[reason]
    today = calendar.local_day()
    termination = MediationTermination(
        case_id=case.id,
        reason=reason,
        details=details.strip(),
        decided_on=today,
        decided_by_id=actor.id,
    )
    db.session.add(termination)
    db.session.flush()
    notice = issue_notice(
        case,
        NoticeKind.termination,
        to_consumer=True,
        to_business=True,
        actor=actor,
        title="终止调解告知书",
        paragraphs=[
            f"经审查，该投诉存在下列情形：{wording}。本局决定终止调解。",
            *([f"具体情况：{termination.details}"] if termination.details else []),
            "当事人可依法通过仲裁、诉讼等途径解决争议。",
        ],
        rows=[("终止决定日期", today.isoformat()), ("依据", f"第二十一条第（{item[3]}）项")],
        article=f"《市场监督管理投诉举报处理暂行办法》第二十一条第（{item[3]}）项",
    )
    termination.notice_id = notice.id
    termination.notified_on = calendar.local_day(notice.issued_at)
    for open_pause in queries.list_open_pauses(case.id):
        clocks.end_pause(open_pause)
    outcomes.record(case, CaseOutcome.referred, actor, remedy_text=f"终止调解：{wording}")
    audit.record(
        actor,
        "mediation.terminated",
        termination,
        case=case,
        after={
            "reason": reason,
            "article": f"Order 20 Art. {item}",
            "details": termination.details,
            "decided_on": today,
            "notice_due_on": notice_due_on(termination),
            "notice_id": notice.id,
        },
    )
    states.transition(case, S.closed, actor, reason=f"终止调解：{wording}")
    return termination


def notice_due_on(termination: MediationTermination) -> date:
    """The last day to tell both parties of the termination (Art. 21: 7 working days)."""
    return calendar.add_working_days(termination.decided_on, TERMINATION_NOTICE_WORKING_DAYS)
