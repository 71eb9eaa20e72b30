"""The consumer's timeline is built from audit events and hides what a consumer should not read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from disputes.audit import AuditEvent
from disputes.cases.timeline import build_timeline, business_answers, result_of

AT = datetime(2025, 3, 3, 9, 0)


@pytest.fixture
def request_ctx(app):
    """Titles are lazy translations: reading them needs a request (for the locale)."""
    with app.test_request_context():
        yield


def event(action: str, before=None, **after) -> AuditEvent:
    return AuditEvent(at=AT, action=action, before=before, after=after or None)


@pytest.mark.parametrize(
    ("audit_event", "kind", "title", "text"),
    [
        pytest.param(
            event("case.submitted", number="SJZ-2025-000001"),
            "submitted",
            "您提交了申请",
            "SJZ-2025-000001",
            id="submitted",
        ),
        pytest.param(
            event("case.submitted", number="SJZ-2025-000002"), "submitted", "您提交了申请",
            "SJZ-2025-000002", id="filed-by-demo-or-cli",
        ),
        pytest.param(
            event("case.status_changed", {"status": "submitted"}, status="screening"),
            "screening", "工作人员开始审查您的申请", "", id="screening",
        ),
        pytest.param(
            event("case.status_changed", status="info_requested", reason="请上传发票"),
            "info_requested", "工作人员请您补充材料", "请上传发票", id="info-requested",
        ),
        pytest.param(
            event("case.status_changed", status="not_accepted", reason="已起诉"),
            "not_accepted", "申请不予受理", "已起诉", id="not-accepted-with-reason",
        ),
        pytest.param(
            event("case.status_changed", status="routed", reason="E07 变速器专业"),
            "routed", "已安排技术专家", "专家的姓名和单位在专家意见公布后显示。",
            id="routing-reason-hidden",
        ),
        pytest.param(
            event("case.status_changed", {"status": "info_requested"}, status="screening"),
            "screening", "案件回到审查", "", id="back-to-screening",
        ),
        pytest.param(
            event("case.info_added", text="发票见附件"), "info_added", "您补充了材料",
            "发票见附件", id="info-added",
        ),
        pytest.param(
            event("case.outcome_recorded", outcome="returned", remedy="退车并退还车款"),
            "outcome", "处理结果：退车", "退车并退还车款", id="outcome",
        ),
        pytest.param(
            event("case.status_changed", status="withdrawn", reason="已和解"),
            "withdrawn", "您撤回了申请", "已和解", id="withdrawn",
        ),
    ],
)  # fmt: skip
def test_each_event_reads_as_the_consumer_should_see_it(
    request_ctx, audit_event, kind, title, text
):
    [entry] = build_timeline([audit_event])

    assert entry.kind == kind
    assert str(entry.title) == title
    assert entry.text == text


def test_expert_assignment_never_names_the_expert(request_ctx):
    [entry] = build_timeline(
        [event("assignment.created", expert_code="E07", reasons="张工 变速器专业")]
    )

    assert str(entry.title) == "已指派一名技术专家"
    assert "E07" not in entry.text
    assert "张工" not in entry.text


def test_opinion_release_links_to_the_opinions_section(request_ctx):
    [entry] = build_timeline([event("opinion.released", version=1)])

    assert entry.anchor == "opinions"


@pytest.mark.parametrize(
    "action",
    ["case.note_added", "opinion.saved", "opinion.signed", "personal_data.viewed", "user.login"],
)
def test_internal_events_are_left_out(request_ctx, action):
    assert build_timeline([event(action, text="内部")]) == []


def at(action: str, seconds: float, before=None, **after) -> AuditEvent:
    return AuditEvent(
        at=AT + timedelta(seconds=seconds), action=action, before=before, after=after or None
    )


def test_routing_and_its_assignment_are_one_entry(request_ctx):
    entries = build_timeline(
        [
            at("assignment.created", 0, expert_code="E07"),
            at("case.status_changed", 0.01, {"status": "accepted"}, status="routed"),
        ]
    )

    assert [str(e.title) for e in entries] == ["已安排技术专家"]
    assert entries[0].text == "专家的姓名和单位在专家意见公布后显示。"


def test_a_later_reassignment_still_shows(request_ctx):
    entries = build_timeline(
        [
            at("assignment.created", 0, expert_code="E07"),
            at("case.status_changed", 0.01, status="routed"),
            at("assignment.created", 86400, expert_code="E09"),
        ]
    )

    assert [e.kind for e in entries] == ["routed", "expert_assigned"]


def test_opinion_is_received_before_it_is_released(request_ctx):
    entries = build_timeline(
        [
            at("opinion.released", 0, version=1),
            at("case.status_changed", 0.01, {"status": "routed"}, status="opinion_received"),
            at("case.status_changed", 60, status="mediation"),
        ]
    )

    assert [str(e.title) for e in entries] == ["专家意见已提交", "专家意见已公布", "进入调解"]


def test_result_of_a_closed_case_reads_outcome_remedy_and_compensation():
    events = [
        at("case.outcome_recorded", 0, outcome="returned", remedy="退车并退还车款",
           compensation_yuan="1234.5"),
        at("case.status_changed", 0.01, status="closed", reason="退车并退还车款"),
    ]  # fmt: skip

    result = result_of(events)

    assert result.closed_at == AT + timedelta(seconds=0.01)
    assert result.remedy == "退车并退还车款"
    assert result.compensation_yuan == Decimal("1234.5")
    assert result_of(events[:1]) is None


def test_an_answer_recorded_before_the_kinds_existed_is_read_without_a_kind():
    [answer] = business_answers(
        [at("case.business_response_recorded", 0, responded_on="2025-03-10", channel="书面",
            summary="同意更换阀体")]
    )  # fmt: skip

    assert answer.responded_on == date(2025, 3, 10)
    assert answer.summary == "同意更换阀体"
    assert answer.kind_label == ""
    assert answer.by_staff is True
    assert answer.superseded is False


@pytest.mark.parametrize(
    ("kind", "label"),
    [("accept", "同意消费者的请求"), ("offer", "提出处理方案"), ("reject", "拒绝")],
)
def test_each_answer_kind_reads_as_its_label(kind, label):
    [answer] = business_answers(
        [at("case.business_response_recorded", 0, responded_on="2025-03-10", channel="在线",
            summary="理由", kind=kind, by_staff=False)]
    )  # fmt: skip

    assert answer.kind_label == label
    assert answer.by_staff is False


def test_the_current_answer_comes_first_and_the_ones_it_replaced_are_marked():
    answers = business_answers(
        [
            at("case.business_response_recorded", 0, responded_on="2025-03-10", channel="电话",
               summary="先拒绝", kind="reject", by_staff=True),
            at("opinion.released", 1, version=1),
            at("case.business_response_recorded", 2, responded_on="2025-03-12", channel="在线",
               summary="愿意赔偿", kind="offer", offer_remedy="compensation",
               offer_yuan="3000.00", by_staff=False),
        ]
    )  # fmt: skip

    assert [(a.summary, a.superseded, a.by_staff) for a in answers] == [
        ("愿意赔偿", False, False),
        ("先拒绝", True, True),
    ]
    assert (answers[0].remedy_label, answers[0].offer_yuan) == ("赔偿", Decimal("3000.00"))


@pytest.mark.parametrize(
    ("audit_event", "kind", "title", "text"),
    [
        pytest.param(
            event("mediation.consent_recorded", party="consumer", agrees=False, reason="不想调"),
            "mediation_consent", "您不同意调解", "不想调", id="consumer-refuses-mediation",
        ),
        pytest.param(
            event("mediation.consent_recorded", party="business", agrees=False, reason="内部理由"),
            "mediation_consent", "经营者不同意调解", "", id="business-refuses-mediation",
        ),
        pytest.param(
            event("expert.consent_given", party="consumer", expert_code="E07", reason=""),
            "expert_consent", "您同意分派的技术专家参与", "", id="consumer-consents-to-expert",
        ),
        pytest.param(
            event("expert.consent_objected", party="consumer", expert_code="E07", reason="认识"),
            "expert_consent", "您对分派的技术专家提出异议", "认识", id="consumer-objects",
        ),
        pytest.param(
            event("expert.consent_objected", party="business", expert_code="E07", reason="张工"),
            "expert_consent", "经营者对分派的技术专家提出异议，工作人员将重新分派", "",
            id="business-objects-without-its-reason",
        ),
        pytest.param(
            event("mediation.withdrawal_decided", decision="refused", new_mediator="",
                  reason="理由不成立"),
            "mediation_resumed", "不予回避，调解恢复", "理由不成立", id="withdrawal-refused",
        ),
        pytest.param(
            event("mediation.performed_at_once", record="当场更换阀体"),
            "performed_at_once", "双方达成调解协议并当场履行", "当场更换阀体",
            id="performed-at-once",
        ),
        pytest.param(
            event("mediation.terminated", reason="absent_or_refused", details="经营者未到场"),
            "mediation_terminated", "调解终止",
            "投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解。经营者未到场",
            id="terminated",
        ),
        pytest.param(
            event("case.notice_issued", kind="acceptance", number="2025-受-0001",
                  title="受理通知书", to_consumer=True),
            "notice", "发出受理通知书", "2025-受-0001", id="acceptance-notice",
        ),
    ],
)  # fmt: skip
def test_each_mediation_and_consent_event_reads_as_the_consumer_should_see_it(
    request_ctx, audit_event, kind, title, text
):
    [entry] = build_timeline([audit_event])

    assert (entry.kind, str(entry.title), entry.text) == (kind, title, text)


@pytest.mark.parametrize(
    "audit_event",
    [
        pytest.param(event("mediation.closed_by_agreement", outcome="repaired"), id="closed"),
        pytest.param(
            event("case.notice_issued", kind="business_notice", title="投诉告知书",
                  to_consumer=False, to_business=True),
            id="notice-to-the-business-only",
        ),
    ],
)  # fmt: skip
def test_mediation_events_the_consumer_is_told_otherwise_are_left_out(request_ctx, audit_event):
    assert build_timeline([audit_event]) == []


def test_a_case_moved_within_seconds_keeps_its_story_in_order(request_ctx):
    entries = build_timeline(
        [
            at("case.submitted", 0, number="SJZ-2026-000002"),
            at("case.status_changed", 0.1, status="screening"),
            at("case.status_changed", 0.2, status="accepted"),
            at("assignment.created", 0.3, expert_code="E01"),
            at("case.status_changed", 0.4, status="routed"),
            at("opinion.released", 0.5, version=1),
            at("case.status_changed", 0.6, status="opinion_received"),
            at("case.status_changed", 0.7, status="mediation"),
        ]
    )

    assert [e.kind for e in entries] == [
        "submitted", "screening", "accepted", "routed", "opinion_received", "opinion_released",
        "mediation",
    ]  # fmt: skip
