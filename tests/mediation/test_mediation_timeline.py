"""The consumer's case page tells the mediation as it went (Order 20 Arts. 16-22): consents, the
session and its notice, a withdrawal and its decision, an inspection pausing the clock, the
agreement confirmed by each party and its 调解书; internal records stay off the page."""

from __future__ import annotations

import html
from datetime import date, datetime
from decimal import Decimal

from disputes.cases.models import Case
from disputes.db import db
from disputes.mediation import agreements, services, terminations
from disputes.mediation.models import (
    AgreementAction,
    CostPayer,
    MediationParty,
    SessionMode,
    TerminationReason,
)
from disputes.notices.models import NoticeKind
from disputes.notices.services import issue_notice

C, B = MediationParty.consumer, MediationParty.business


def _actor(user):
    return db.session.get_one(type(user), user.id)


def _timeline(client, case_id: int, query: str = "") -> list[str]:
    """The titles of the consumer's timeline entries, in the page's order."""
    text = html.unescape(client.get(f"/cases/{case_id}{query}").get_data(as_text=True))
    section = text[text.index('id="timeline-title"') : text.index("</ol>")]
    return [part.split("</strong>")[0] for part in section.split("<strong>")[1:]]


def test_a_mediated_case_shows_each_step_in_order_and_nothing_internal(
    app, client, login, walk, staff, consumer, business
):
    case_id = walk()
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        session = services.schedule_session(
            case,
            services.SessionData(
                SessionMode.on_site, "调解室一", datetime(2026, 12, 10, 9, 30), "调解员甲"
            ),
            _actor(staff),
        )
        services.record_session(
            session, "双方", "内部笔录：经营者态度消极", True, False, _actor(staff)
        )
        withdrawal = services.apply_withdrawal(
            case, C, "调解员甲", "与经营者相识", _actor(consumer)
        )
        services.decide_withdrawal(withdrawal, True, "调解员乙", "", _actor(staff))
        inspection = services.start_inspection(
            case,
            services.InspectionData(
                "某检测中心", "变速器阀体", Decimal("500"), CostPayer.business, date(2026, 12, 7)
            ),
            _actor(staff),
        )
        services.finish_inspection(
            inspection, date(2026, 12, 9), "阀体存在缺陷", None, _actor(staff)
        )
        issue_notice(
            case,
            NoticeKind.other,
            to_consumer=False,
            to_business=True,
            actor=_actor(staff),
            title="内部告知经营者",
            paragraphs=["只发给经营者。"],
        )
        terms = agreements.TermsData(AgreementAction.repair, None, None, "免费更换阀体")
        agreement = agreements.draft_agreement(case, terms, _actor(staff))
        agreements.confirm_agreement(agreement, C, _actor(consumer))
        agreements.confirm_agreement(agreement, B, _actor(staff), on_paper=True)
        agreements.close_with_agreement(case, _actor(staff))
        db.session.commit()
    login(consumer)

    titles = _timeline(client, case_id)

    mediation = titles[titles.index("您同意调解") :]
    assert mediation == [
        "您同意调解",
        "经营者同意调解",
        "进入调解",
        "发出调解通知书",
        "已安排调解：现场调解",
        "已进行调解",
        "您申请调解人员回避，调解暂停",
        "准予回避，调解恢复",
        "开始检测鉴定，调解期限暂停计算",
        "检测鉴定结束，调解期限恢复计算",
        "调解协议已拟定，请在调解页面查看并确认",
        "您确认了调解协议",
        "经营者确认了调解协议",
        "发出调解书",
        "处理结果：修理",
        "案件已办结",
    ]
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    timeline = page[page.index('id="timeline-title"') : page.index("</ol>")]
    assert "2026-12-10 09:30 · 调解室一 · 调解人员：调解员甲" in timeline
    assert "决定回避，改由 调解员乙 调解" in timeline
    assert "结论：阀体存在缺陷" in timeline
    assert "书面签字" in timeline
    assert "内部笔录" not in timeline
    assert "内部告知经营者" not in timeline


def test_a_terminated_mediation_says_why_in_the_consumers_words(
    app, client, login, walk, staff, consumer
):
    case_id = walk()
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        terminations.terminate(case, TerminationReason.time_limit, "双方差距较大", _actor(staff))
        db.session.commit()
    login(consumer)

    titles = _timeline(client, case_id)

    assert titles[titles.index("进入调解") + 1 :] == [
        "发出终止调解告知书",
        "处理结果：调解未成，建议申请仲裁或向法院起诉",
        "调解终止",
        "案件已办结",
    ]
    assert "Mediation terminated" in _timeline(client, case_id, "?lang=en")
