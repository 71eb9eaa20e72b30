"""The consumer's case page: status, timeline from the audit trail, assessments, files,
released opinions, answering a request for information, and withdrawing."""

from __future__ import annotations

import html
import io
import re

import pytest

import rules
from disputes import audit
from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases import states
from disputes.cases.models import Attachment, Case, CaseStatus
from disputes.db import db
from disputes.experts.models import (
    Assignment,
    AssignmentStatus,
    Opinion,
    OpinionStatus,
)
from tests.cases.filing import PDF, PNG


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def move(case_id: int, staff_id: int, *path: tuple[CaseStatus, str | None]) -> None:
    """Move a case along `path` as staff (each step (status, reason))."""
    actor = db.session.get(User, staff_id)
    case = db.session.get(Case, case_id)
    for status, reason in path:
        states.transition(case, status, actor, reason=reason)
    db.session.commit()


@pytest.fixture
def case(make_case, consumer):
    return make_case(consumer, business_name="某某 4S 店")


def test_case_page_shows_status_facts_and_both_assessments(client, login, consumer, case):
    login(consumer)

    text = page(client.get(f"/cases/{case.id}"))

    assert case.number in text
    assert "已提交" in text
    assert "您提交了申请" in text
    assert "变速器低速顿挫、换挡冲击" in text
    assert "按现在的案件事实重新评估" in text


def test_timeline_tells_the_story_without_naming_the_expert(
    app, client, login, consumer, staff, case, make_expert, make_assignment
):
    with app.app_context():
        move(
            case.id,
            staff.id,
            (CaseStatus.screening, None),
            (CaseStatus.info_requested, "请上传第二次维修的结算单"),
        )
    login(consumer)
    text = page(client.get(f"/cases/{case.id}"))
    assert "工作人员请您补充材料" in text
    assert "请上传第二次维修的结算单" in text
    assert "补充材料" in text

    client.post(f"/cases/{case.id}/respond", data={"text": "结算单已上传"})
    with app.app_context():
        move(case.id, staff.id, (CaseStatus.accepted, None))
        expert = make_expert("E77", user=False, name="李专家", title="高级工程师")
        assignment = make_assignment(case, expert)
        audit.record(
            db.session.get(User, staff.id),
            "assignment.created",
            assignment,
            after={"expert_code": "E77", "reasons": "专业对口"},
        )
        move(case.id, staff.id, (CaseStatus.routed, None))
        expert_id, assignment_id = expert.id, assignment.id
    text = page(client.get(f"/cases/{case.id}"))
    assert "您补充了材料" in text
    assert "结算单已上传" in text
    assert "申请已受理" in text
    assert "已安排技术专家" in text
    assert "已指派一名技术专家" not in text  # the same event, told once
    timeline, consent_section = text.split('id="expert-consent"')
    assert "李专家" not in timeline
    assert "E77" not in timeline
    assert "李专家（E77）" in consent_section  # to consent or object

    with app.app_context():
        opinion = Opinion(
            case_id=case.id,
            expert_id=expert_id,
            assignment_id=assignment_id,
            status=OpinionStatus.released,
            conclusion="阀体缺陷属于产品质量问题。",
        )
        db.session.add(opinion)
        db.session.flush()
        audit.record(db.session.get(User, staff.id), "opinion.released", opinion)
        db.session.commit()
    text = page(client.get(f"/cases/{case.id}"))
    assert "专家意见已公布" in text
    assert "阀体缺陷属于产品质量问题。" in text
    assert "李专家" in text


def test_not_accepted_shows_the_reason(app, client, login, consumer, staff, case):
    with app.app_context():
        move(
            case.id,
            staff.id,
            (CaseStatus.screening, None),
            (CaseStatus.not_accepted, "已超过三包有效期且已向法院起诉"),
        )
    login(consumer)

    text = page(client.get(f"/cases/{case.id}"))

    assert "申请不予受理" in text
    assert "已超过三包有效期且已向法院起诉" in text
    assert "撤回申请" not in text


def test_respond_with_a_file_moves_the_case_back_to_screening(
    app, client, login, consumer, staff, case
):
    with app.app_context():
        move(
            case.id,
            staff.id,
            (CaseStatus.screening, None),
            (CaseStatus.info_requested, "请上传发票"),
        )
    login(consumer)

    response = client.post(
        f"/cases/{case.id}/respond",
        data={"text": "发票见附件", "files": (io.BytesIO(PDF), "发票.pdf")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    with app.app_context():
        reloaded = db.session.get(Case, case.id)
        assert reloaded.status == CaseStatus.screening
        [attachment] = reloaded.attachments
        assert attachment.original_name == "发票.pdf"
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.info_added")
        ).one()
        assert event.after == {"text": "发票见附件", "attachment_ids": [attachment.id]}


def test_respond_refuses_a_disguised_file_and_changes_nothing(
    app, client, login, consumer, staff, case
):
    with app.app_context():
        move(case.id, staff.id, (CaseStatus.screening, None), (CaseStatus.info_requested, "?"))
    login(consumer)

    response = client.post(
        f"/cases/{case.id}/respond",
        data={"text": "见附件", "files": (io.BytesIO(PNG), "发票.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    assert "扩展名和内容不一致" in page(response)
    with app.app_context():
        assert db.session.get(Case, case.id).status == CaseStatus.info_requested
        assert db.session.scalars(db.select(Attachment)).all() == []


def test_respond_is_refused_when_nobody_asked(app, client, login, consumer, case):
    login(consumer)

    client.post(f"/cases/{case.id}/respond", data={"text": "多说一句"})

    with app.app_context():
        assert db.session.get(Case, case.id).status == CaseStatus.submitted


def test_withdraw_needs_confirmation_and_a_reason(app, client, login, consumer, case):
    login(consumer)

    client.post(f"/cases/{case.id}/withdraw", data={"reason": "已和解"})
    with app.app_context():
        assert db.session.get(Case, case.id).status == CaseStatus.submitted

    client.post(f"/cases/{case.id}/withdraw", data={"reason": "已和解", "confirm": "y"})
    with app.app_context():
        assert db.session.get(Case, case.id).status == CaseStatus.withdrawn
    text = page(client.get(f"/cases/{case.id}"))
    assert "您撤回了申请" in text
    assert "已和解" in text
    assert f'action="/cases/{case.id}/withdraw"' not in text


def test_a_closed_case_cannot_be_withdrawn(app, client, login, consumer, make_case):
    closed = make_case(consumer, status=CaseStatus.closed)
    login(consumer)

    client.post(f"/cases/{closed.id}/withdraw", data={"reason": "x", "confirm": "y"})

    with app.app_context():
        assert db.session.get(Case, closed.id).status == CaseStatus.closed


# --- downloads ----------------------------------------------------------------------------------


@pytest.fixture
def attachment(case, attach):
    return attach(case.id)


def test_owner_downloads_a_file_as_an_attachment(client, login, consumer, case, attachment):
    login(consumer)

    response = client.get(f"/cases/{case.id}/attachments/{attachment}")

    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    response.close()


def test_assigned_expert_downloads_only_while_assigned(
    app, client, login, make_user, make_expert, make_assignment, case, attachment
):
    user = make_user("expert")
    assignment_id = make_assignment(case, make_expert("E88", user=user, name=user.name)).id
    login(user)
    url = f"/cases/{case.id}/attachments/{attachment}"
    response = client.get(url)
    assert response.status_code == 200
    response.close()

    with app.app_context():
        db.session.get(Assignment, assignment_id).status = AssignmentStatus.recused
        db.session.commit()
    assert client.get(url).status_code == 404


def test_staff_downloads_any_file(client, login, staff, case, attachment):
    login(staff)

    response = client.get(f"/cases/{case.id}/attachments/{attachment}")

    assert response.status_code == 200
    response.close()


def test_attachment_of_another_case_is_404(client, login, consumer, make_case, attachment):
    other_own_case = make_case(consumer)
    login(consumer)

    assert client.get(f"/cases/{other_own_case.id}/attachments/{attachment}").status_code == 404


def test_closed_case_opens_with_its_result_and_shows_the_business_answer(
    app, client, login, consumer, staff, case, release_opinion, monkeypatch
):
    from datetime import date, datetime
    from decimal import Decimal

    from disputes.staff import services as staff_services

    with app.app_context():
        move(
            case.id,
            staff.id,
            (CaseStatus.screening, None),
            (CaseStatus.accepted, None),
            (CaseStatus.routed, "测试"),
        )
        actor = db.session.get(User, staff.id)
        filed = db.session.get(Case, case.id)
        release_opinion(filed, actor)
        staff_services.record_business_response(
            filed, date(2025, 3, 10), "书面", "同意更换阀体，不同意退车", actor, filed.version
        )
        data = staff_services.OutcomeData(
            outcome="returned", remedy_text="退车并退还车款", compensation_yuan=Decimal("1234.5")
        )
        # Closed at 17:05 UTC, which is already 01:05 the next day in the bureau's time zone.
        monkeypatch.setattr(audit, "utcnow", lambda: datetime(2099, 4, 1, 17, 5))
        staff_services.close_case(filed, data, actor, filed.version)
        db.session.commit()
    login(consumer)

    text = page(client.get(f"/cases/{case.id}"))

    result = text.index('id="result-title"')
    assert result < text.index('id="timeline-title"')
    summary = text[result : text.index("</section>", result)]
    assert "处理结果：退车" in summary
    assert "2099-04-02 01:05" in summary
    assert "退车并退还车款" in summary
    assert "¥1,234.50 元" in summary
    assert "同意更换阀体，不同意退车" in text
    assert "2025-03-10" in text
    timeline = text[text.index('id="timeline-title"') :]
    assert timeline.index("专家意见已提交") < timeline.index("专家意见已公布")
    assert timeline.index("专家意见已公布") < timeline.index("2099-04-02 01:05")


def test_an_open_case_has_no_result_summary(client, login, consumer, case):
    login(consumer)

    assert 'id="result-title"' not in page(client.get(f"/cases/{case.id}"))


def test_the_two_assessments_each_have_their_own_heading_id(client, login, consumer, make_case):
    filed = make_case(consumer)
    snapshot = rules.assess(rules.parse_facts(filed.facts_snapshot)).to_dict()
    case = make_case(consumer, assessment_snapshot=snapshot)
    login(consumer)

    text = client.get(f"/cases/{case.id}").get_data(as_text=True)

    for title in ("assessment-filed-title", "assessment-now-title"):
        assert text.count(f'id="{title}"') == 1
        assert f'aria-labelledby="{title}"' in text
    assert 'id="assessment-title"' not in text


def test_business_answers_show_their_kind_who_gave_them_and_which_is_current(
    app, client, login, consumer, staff, make_user, make_case
):
    from datetime import date
    from decimal import Decimal

    from disputes.business import answers
    from disputes.calendar import local_day
    from disputes.staff import services as staff_services

    business = make_user("business", name="经销商用户")
    filed = make_case(consumer, organisation_id=business.organisation_id)
    with app.app_context():
        move(filed.id, staff.id, (CaseStatus.screening, None), (CaseStatus.accepted, None))
        actor = db.session.get(User, staff.id)
        case = db.session.get(Case, filed.id)
        # Recorded before answers had kinds: no kind, no by_staff.
        audit.record(
            actor,
            "case.business_response_recorded",
            case,
            after={"responded_on": "2025-03-01", "channel": "书面", "summary": "旧的答复"},
        )
        staff_services.record_business_response(
            case, date(2025, 3, 10), "电话", "不同意退车", actor, case.version,
            kind=answers.AnswerKind.reject,
        )  # fmt: skip
        data = answers.AnswerData(
            answers.AnswerKind.offer, "愿意免费更换阀体", answers.OfferRemedy.repair, None
        )
        answers.answer_online(case, data, db.session.get(User, business.id))
        accepted = answers.AnswerData(answers.AnswerKind.accept, "同意", None, None)
        answers.answer_online(case, accepted, db.session.get(User, business.id))
        offer = answers.AnswerData(
            answers.AnswerKind.offer, "赔偿", answers.OfferRemedy.compensation, Decimal("800")
        )
        answers.answer_online(case, offer, db.session.get(User, business.id))
        db.session.commit()
    login(consumer)

    text = page(client.get(f"/cases/{filed.id}"))

    start = text.index('id="business-answers"')
    section = text[start : text.index("</section>", start)]
    assert "工作人员登记的被投诉商家的答复" not in section
    articles = [re.sub(r"<[^>]+>|\s+", "", a) for a in section.split("<article")[1:]]
    current, accepted_row, offered, rejected, old = articles
    today = local_day().isoformat()
    assert current.endswith(f"当前答复·提出处理方案：赔偿·800.00元{today}·商家在线答复赔偿")
    assert accepted_row.endswith(f"已被后来的答复取代·同意消费者的请求{today}·商家在线答复同意")
    assert offered.endswith(
        f"已被后来的答复取代·提出处理方案：修理{today}·商家在线答复愿意免费更换阀体"
    )
    assert "business-answer--superseded" in accepted_row
    assert "business-answer--superseded" not in current
    assert rejected.endswith("已被后来的答复取代·拒绝2025-03-10·工作人员代为登记（电话）不同意退车")
    assert old.endswith("已被后来的答复取代2025-03-01·工作人员代为登记（书面）旧的答复")


def test_the_upload_hint_names_the_configured_file_limit(app, client, login, consumer, staff, case):
    with app.app_context():
        move(case.id, staff.id, (CaseStatus.screening, None), (CaseStatus.info_requested, "?"))
    login(consumer)
    app.config["UPLOAD_MAX_FILE_BYTES"] = 5 * 1024 * 1024

    text = page(client.get(f"/cases/{case.id}"))

    assert "每个文件不超过 5 MB" in text
    assert "10 MB" not in text
