"""The mediation agreement (Order 20 Art. 22): staff draft the terms of the 调解书, each party
confirms, the 调解书 is issued to both once both have; or the agreement was performed at once and
a mediation record is kept instead. Writes flush and audit; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from disputes import audit
from disputes.assessment_words import REGIME_NAMES, REMEDY_NAMES
from disputes.auth.models import User
from disputes.calendar import local_day
from disputes.cases import outcomes, states
from disputes.cases.assessment_page import current_assessment_for_page
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.db import db, utcnow
from disputes.experts.models import Opinion
from disputes.mediation import queries
from disputes.mediation.models import (
    ACTION_LABELS,
    AgreementAction,
    MediationAgreement,
    MediationParty,
)
from disputes.mediation.services import MediationError
from disputes.notices.models import NoticeKind
from disputes.notices.services import issue_notice

S = CaseStatus

#: The case's outcome when an agreement of this kind closes it.
OUTCOME_OF_ACTION = {
    AgreementAction.repair: CaseOutcome.repaired,
    AgreementAction.replace: CaseOutcome.replaced,
    AgreementAction.return_: CaseOutcome.returned,
    AgreementAction.compensation: CaseOutcome.compensated,
}
ARTICLE_22 = "《市场监督管理投诉举报处理暂行办法》第二十二条"


@dataclass(frozen=True, slots=True)
class TermsData:
    action: AgreementAction
    compensation_yuan: Decimal | None
    perform_by_date: date | None
    terms: str


def remedies_of(case: Case) -> list[dict[str, Any]]:
    """The remedies of the case's assessment with the article each rests on: the one stored
    when it was filed, or (a case staff registered) its facts assessed now."""
    snapshot = case.assessment_snapshot or current_assessment_for_page(case)[0] or {}
    regime = str(snapshot.get("regime", ""))
    return [
        {
            "remedy": r.get("remedy", ""),
            "label": REMEDY_NAMES.get(r.get("remedy", ""), r.get("remedy", "")),
            "basis": r.get("basis", ""),
            "article": r.get("article", ""),
            "regulation": REGIME_NAMES.get(regime, ""),
        }
        for r in snapshot.get("remedies") or []
    ]


def draft_agreement(case: Case, data: TermsData, actor: User) -> MediationAgreement:
    """Write (or rewrite, before anyone confirmed) the terms of the 调解书."""
    if case.status != S.mediation:
        raise MediationError("案件不在调解阶段。")
    agreement = queries.get_agreement(case.id)
    if agreement is not None and (
        agreement.consumer_confirmed_at or agreement.business_confirmed_at
    ):
        raise MediationError("已有当事人确认调解书，不能再修改。")
    if agreement is None:
        agreement = MediationAgreement(case_id=case.id, action=data.action)
        db.session.add(agreement)
    opinion = queries.get_released_opinion(case.id)
    agreement.action = data.action
    agreement.compensation_yuan = data.compensation_yuan
    agreement.perform_by_date = data.perform_by_date
    agreement.terms = data.terms.strip()
    agreement.remedies = remedies_of(case)
    agreement.opinion_id = opinion.id if opinion else None
    agreement.drafted_by_id = actor.id
    agreement.drafted_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "mediation.agreement_drafted",
        agreement,
        case=case,
        after={
            "action": data.action,
            "compensation_yuan": data.compensation_yuan,
            "perform_by_date": data.perform_by_date,
            "terms": agreement.terms,
            "remedies": [r["remedy"] for r in agreement.remedies],
            "opinion_id": agreement.opinion_id,
        },
    )
    return agreement


def confirm_agreement(
    agreement: MediationAgreement, party: MediationParty, actor: User, *, on_paper: bool = False
) -> MediationAgreement:
    """Record `party`'s confirmation (online, or signed on paper and recorded by staff); once
    both have confirmed, issue the 调解书 to both."""
    case = db.session.get_one(Case, agreement.case_id)
    if case.status != S.mediation or agreement.is_performed_at_once:
        raise MediationError("该调解书不能再确认。")
    if party == MediationParty.consumer:
        if agreement.consumer_confirmed_at:
            raise MediationError("投诉人已经确认。")
        agreement.consumer_confirmed_at, agreement.consumer_on_paper = utcnow(), on_paper
    else:
        if agreement.business_confirmed_at:
            raise MediationError("经营者已经确认。")
        agreement.business_confirmed_at, agreement.business_on_paper = utcnow(), on_paper
    db.session.flush()
    audit.record(
        actor,
        "mediation.agreement_confirmed",
        agreement,
        case=case,
        after={"party": party, "on_paper": on_paper},
    )
    if agreement.consumer_confirmed_at and agreement.business_confirmed_at:
        _issue_document(case, agreement, actor)
    return agreement


def confirm_case_agreement(
    case: Case, party: MediationParty, actor: User, *, on_paper: bool = False
) -> MediationAgreement:
    """Confirm the agreement drafted on `case` (refused when none is)."""
    agreement = queries.get_agreement(case.id)
    if agreement is None:
        raise MediationError("尚无待确认的调解书。")
    return confirm_agreement(agreement, party, actor, on_paper=on_paper)


def _opinion_reference(case: Case, opinion: Opinion | None) -> str:
    if opinion is None:
        return "无"
    day = local_day(opinion.released_at).isoformat() if opinion.released_at else ""
    return f"专家技术咨询意见 {case.number}-E{opinion.id}（第 {opinion.version} 版，{day} 公布）"


def _undertaking(agreement: MediationAgreement) -> str:
    text = f"经营者同意{ACTION_LABELS[agreement.action]}"
    if agreement.compensation_yuan is not None:
        text += f"，支付人民币 {agreement.compensation_yuan:.2f} 元"
    if agreement.perform_by_date:
        text += f"，于 {agreement.perform_by_date.isoformat()} 前履行完毕"
    return text + "。"


def _issue_document(case: Case, agreement: MediationAgreement, actor: User) -> None:
    if agreement.notice_id is not None:
        return
    opinion = db.session.get(Opinion, agreement.opinion_id) if agreement.opinion_id else None
    remedies = [
        (
            f"依法可主张：{r['label']}",
            f"{r['regulation']}{r['article']}（{r['basis']}）",
        )
        for r in agreement.remedies
    ]
    notice = issue_notice(
        case,
        NoticeKind.mediation_agreement,
        to_consumer=True,
        to_business=True,
        actor=actor,
        title="调解书",
        paragraphs=[
            "经本局组织调解，投诉人与被投诉人自愿达成如下协议：",
            _undertaking(agreement),
            *([agreement.terms] if agreement.terms else []),
            "本调解书经双方当事人确认，由本局盖章，投诉人、被投诉人、本局各执一份。",
        ],
        rows=[
            *remedies,
            ("所依据的专家意见", _opinion_reference(case, opinion)),
            ("投诉人确认", _confirmation(agreement.consumer_on_paper)),
            ("经营者确认", _confirmation(agreement.business_on_paper)),
        ],
        article=ARTICLE_22,
    )
    agreement.notice_id = notice.id
    db.session.flush()


def _confirmation(on_paper: bool) -> str:
    return "书面签字（工作人员登记）" if on_paper else "网上确认"


def close_with_agreement(case: Case, actor: User) -> None:
    """Close the case with the outcome the agreement's terms give (after the 调解书 is issued,
    or at once for an agreement performed on the spot)."""
    agreement = queries.get_agreement(case.id)
    if agreement is None or not (agreement.notice_id or agreement.is_performed_at_once):
        raise MediationError("双方确认调解书后才能按调解结果结案。")
    if case.status != S.mediation:
        raise MediationError("案件不在调解阶段。")
    if outcomes.recorded(case.id):
        raise MediationError("该案件已登记处理结果。")
    outcomes.record(
        case,
        OUTCOME_OF_ACTION[agreement.action],
        actor,
        remedy_text=_undertaking(agreement),
        compensation_yuan=agreement.compensation_yuan,
    )
    audit.record(
        actor,
        "mediation.closed_by_agreement",
        agreement,
        case=case,
        after={"outcome": case.outcome, "compensation_yuan": agreement.compensation_yuan},
    )
    states.transition(case, S.closed, actor, reason=_undertaking(agreement))


def record_performed(case: Case, data: TermsData, record: str, actor: User) -> MediationAgreement:
    """Record an agreement performed at once (no 调解书, Art. 22) with its mediation record,
    and close the case."""
    if case.status != S.mediation:
        raise MediationError("案件不在调解阶段。")
    agreement = queries.get_agreement(case.id)
    if agreement is not None and agreement.notice_id is not None:
        raise MediationError("调解书已经出具。")
    if agreement is None:
        agreement = MediationAgreement(case_id=case.id, action=data.action)
        db.session.add(agreement)
    agreement.action = data.action
    agreement.compensation_yuan = data.compensation_yuan
    agreement.perform_by_date = data.perform_by_date
    agreement.terms = data.terms.strip()
    agreement.remedies = remedies_of(case)
    opinion = queries.get_released_opinion(case.id)
    agreement.opinion_id = opinion.id if opinion else None
    agreement.is_performed_at_once = True
    agreement.record = record.strip()
    agreement.drafted_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "mediation.performed_at_once",
        agreement,
        case=case,
        after={"action": data.action, "record": agreement.record},
    )
    close_with_agreement(case, actor)
    return agreement
