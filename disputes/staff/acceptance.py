"""The acceptance decision (Order 20 Arts. 14-15) on the staff transition path: what accepting
and not accepting need, and the notices each issues (disputes/notices/decisions.py)."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext as _

from disputes.auth.models import User
from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import IllegalTransition
from disputes.formatting import N_
from disputes.notices.decisions import (
    NonAcceptanceGround,
    issue_acceptance_notices,
    issue_non_acceptance_notice,
)
from disputes.staff.earlier_complaints import has_open_duplicate

#: Why a decision is refused (msgids).
GROUND_MISSING = N_("不予受理必须选择《市场监督管理投诉举报处理暂行办法》第十五条规定的情形。")
DUPLICATE_UNCONFIRMED = N_(
    "同一车辆、同一经营者、同一系统的投诉已受理且正在处理中：请勾选确认后再受理。"
)


def _in_words(message: str) -> str:
    """The message in the reader's language (the Chinese msgid outside a request)."""
    return _(message) if has_request_context() else message


def ground_of(value: str | None) -> NonAcceptanceGround | None:
    """Return the Art. 15 ground posted, or None for a missing or unknown one."""
    try:
        return NonAcceptanceGround(value or "")
    except ValueError:
        return None


def check_decision(
    case: Case, to: CaseStatus, ground: str | None, duplicate_confirmed: bool
) -> None:
    """Refuse a non-acceptance without its Art. 15 ground, and an acceptance beside an open
    complaint about the same vehicle, business and system unless staff confirmed it."""
    if case.status != CaseStatus.screening:
        return
    if to == CaseStatus.not_accepted and ground_of(ground) is None:
        raise IllegalTransition(_in_words(GROUND_MISSING))
    if to == CaseStatus.accepted and not duplicate_confirmed and has_open_duplicate(case):
        raise IllegalTransition(_in_words(DUPLICATE_UNCONFIRMED))


def issue_decision_notices(
    case: Case, before: CaseStatus, to: CaseStatus, actor: User, ground: str | None, reason: str
) -> None:
    """Issue the notices of the decision just made (none for other moves)."""
    if before != CaseStatus.screening:
        return
    if to == CaseStatus.accepted:
        issue_acceptance_notices(case, actor)
    elif to == CaseStatus.not_accepted:
        issue_non_acceptance_notice(case, actor, ground_of(ground), reason)
