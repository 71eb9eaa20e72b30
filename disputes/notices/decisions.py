"""The notices of the acceptance decision (Order 20 Arts. 14-15): 受理通知书 to the complainant
and 投诉告知书 to the business on acceptance; 不予受理告知书 with its Art. 15 ground otherwise.

Called by the staff room where the decision is made, in the transaction of the move, so a
decision issues its notices exactly once (a repeated post fails on the case's version)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from disputes import calendar
from disputes.assessment_words import REGIME_NAMES
from disputes.auth.models import User
from disputes.cases import clocks
from disputes.cases.models import Case
from disputes.formatting import N_
from disputes.notices.models import CaseNotice, NoticeKind
from disputes.notices.services import issue_notice

#: The rule the complaint procedure follows, as notices cite it.
ORDER_20 = "《市场监督管理投诉举报处理暂行办法》"


class NonAcceptanceGround(StrEnum):
    """Order 20 Art. 15: the situations in which a complaint is not accepted."""

    jurisdiction = "jurisdiction"
    handled_elsewhere = "handled_elsewhere"
    not_consumer = "not_consumer"
    time_barred = "time_barred"
    incomplete = "incomplete"
    other_law = "other_law"


#: Ground → (item of Art. 15, its wording: msgid, also printed on the notice).
GROUNDS: dict[NonAcceptanceGround, tuple[str, str]] = {
    NonAcceptanceGround.jurisdiction: ("一", N_("投诉事项不属于本部门职责或者本部门不具有管辖权")),
    NonAcceptanceGround.handled_elsewhere: (
        "二",
        N_(
            "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他"
            "调解组织已经受理或者处理过同一消费者权益争议"
        ),
    ),
    NonAcceptanceGround.not_consumer: (
        "三",
        N_("不是为生活消费需要购买、使用商品，或者不能证明与被投诉人之间存在消费者权益争议"),
    ),
    NonAcceptanceGround.time_barred: (
        "四",
        N_("投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年"),
    ),
    NonAcceptanceGround.incomplete: ("五", N_("未提供本办法第九条第一款和第十条规定的材料")),
    NonAcceptanceGround.other_law: ("六", N_("法律、法规、规章规定不予受理的其他情形")),
}

#: The seller's answer article of each regime (2022 Art. 28; 2013 Art. 26).
ANSWER_ARTICLES = {"2013": "第二十六条", "2022": "第二十八条"}


def ground_article(ground: NonAcceptanceGround) -> str:
    """Return the article a ground rests on ("…第十五条第（一）项")."""
    return f"{ORDER_20}第十五条第（{GROUNDS[ground][0]}）项"


def received_day(case: Case) -> date:
    """Return the day the bureau received the complaint (registered by staff, or filed online)."""
    return case.received_on or calendar.local_day(case.submitted_at)


def _vehicle(case: Case) -> str:
    return f"{case.brand} {case.model}（车辆识别代号 {case.vin or '—'}）".strip()


def answer_due(day: date) -> date:
    """Return the business's answer deadline for a notice given on `day`."""
    return calendar.add_working_days(day, clocks.limits().get("answer", 10))


def issue_acceptance_notices(case: Case, actor: User | None) -> list[CaseNotice]:
    """Issue the 受理通知书 to the complainant and, when the case names a business, the
    投诉告知书 to it with its answer deadline."""
    today = calendar.local_day()
    received = received_day(case).isoformat()
    notices = [
        issue_notice(
            case,
            NoticeKind.acceptance,
            to_consumer=True,
            to_business=False,
            actor=actor,
            title="受理通知书",
            paragraphs=[
                f"你于 {received} 提出的关于{case.business_name or '被投诉人'}（{_vehicle(case)}）"
                "的投诉，经审查，符合受理条件，本局决定予以受理。",
                "本局将在双方自愿的基础上组织调解（第十六条）；需要技术咨询或者检测、鉴定的，"
                "将另行告知。",
            ],
            rows=[("投诉收到日期", received), ("受理日期", today.isoformat())],
            article=f"{ORDER_20}第十四条",
        )
    ]
    if case.organisation_id or (case.business_name or "").strip():
        notices.append(_business_notice(case, actor, today, received))
    return notices


def _business_notice(case: Case, actor: User | None, today: date, received: str) -> CaseNotice:
    regime = str((case.assessment_snapshot or {}).get("regime") or "2022")
    if regime not in ANSWER_ARTICLES:
        regime = "2022"
    answer_article = REGIME_NAMES[regime] + ANSWER_ARTICLES[regime]
    due = answer_due(today).isoformat()
    return issue_notice(
        case,
        NoticeKind.business_notice,
        to_consumer=False,
        to_business=True,
        actor=actor,
        title="投诉告知书",
        paragraphs=[
            f"消费者于 {received} 就其购买的{_vehicle(case)}向本局投诉，本局已于 "
            f"{today.isoformat()} 受理。投诉请求：{case.claim_text or '—'}",
            f"依照{answer_article}，销售者应当自收到消费者更换或者退货要求之日起 10 个工作日内"
            "作出答复，不符合更换或者退货条件的，应当在答复中说明理由。",
            f"请于 {due} 前向本局答复；同意调解的，请一并告知。",
        ],
        rows=[("受理日期", today.isoformat()), ("答复期限", due)],
        article=f"{ORDER_20}第十四条；{answer_article}",
    )


def issue_non_acceptance_notice(
    case: Case, actor: User | None, ground: NonAcceptanceGround, explanation: str
) -> CaseNotice:
    """Issue the 不予受理告知书, naming the ground and the article."""
    item, wording = GROUNDS[ground]
    return issue_notice(
        case,
        NoticeKind.non_acceptance,
        to_consumer=True,
        to_business=False,
        actor=actor,
        title="不予受理告知书",
        paragraphs=[
            f"你于 {received_day(case).isoformat()} 提出的关于{case.business_name or '被投诉人'}"
            f"（{_vehicle(case)}）的投诉，经审查，属于{ORDER_20}第十五条第（{item}）项规定的"
            f"情形：{wording}，本局决定不予受理。",
            f"具体理由：{explanation.strip() or '—'}",
        ],
        rows=[("不予受理的情形", f"第十五条第（{item}）项")],
        article=ground_article(ground),
    )
