"""Complaints staff register (Order 20 Arts. 9-10, 14): the channel and the day received, the
complainant's account found or created by mobile, an agent with the power of attorney, the facts
through the filing wizard's steps, and what the case then shows."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import Role, User
from disputes.calendar import local_day
from disputes.cases.models import Case, CaseClock, CaseDraft, CaseStatus, IntakeChannel
from disputes.cases.states import transition
from disputes.cases.vocabulary import AttachmentKind
from disputes.db import db
from tests import pdf_checks
from tests.cases.filing import PDF, STEP_POSTS

RECEIVED = date(2025, 9, 26)
GOOD = {
    "channel": "phone",
    "received_on": RECEIVED.isoformat(),
    "mobile": "13700001111",
    "name": "李四",
}
AGENT = {
    "agent_name": "王律师",
    "agent_id_number": "11010519491231002X",
    "agent_relation": "律师",
}


def _intake(client, data: dict[str, Any], attorney: bytes | None = None, name="委托书.pdf"):
    body = dict(data)
    if attorney is not None:
        body["power_of_attorney"] = (io.BytesIO(attorney), name)
    return client.post("/staff/intake", data=body, content_type="multipart/form-data")


def _draft_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].split("/intake/")[1].split("/")[0])


def _fill_and_submit(client, draft_id: int, **step5: str):
    for step in range(1, 7):
        data = dict(STEP_POSTS[step]) | (
            {f"details-{k}": v for k, v in step5.items()} if step == 5 else {}
        )  # noqa: E501
        response = client.post(
            f"/staff/intake/{draft_id}/step/{step}",
            data=data | {"action": "next"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:3000])
    return client.post(
        f"/staff/intake/{draft_id}/step/7",
        data=dict(STEP_POSTS[7]) | {"action": "submit"},
        content_type="multipart/form-data",
    )


def _case_of(app, draft_id: int) -> Case:
    with app.app_context():
        draft = db.session.get(CaseDraft, draft_id)
        case = db.session.get(Case, draft.submitted_case_id)
        case.attachments  # noqa: B018 (loaded before detaching)
        case.consumer  # noqa: B018
        db.session.expunge_all()
        return case


def test_a_phone_complaint_creates_the_account_and_files_the_case_with_its_intake(
    app, client, login, staff
):
    login(staff)

    draft_id = _draft_id(_intake(client, GOOD))
    done = _fill_and_submit(client, draft_id, contact_name="李四", contact_phone="13700001111")

    assert done.status_code == 303
    case = _case_of(app, draft_id)
    assert done.headers["Location"].endswith(f"/staff/cases/{case.id}")
    assert (case.intake_channel, case.received_on) == (IntakeChannel.phone, RECEIVED)
    assert case.agent_name is None
    assert (case.consumer.name, case.consumer.mobile, case.consumer.role) == (
        "李四",
        "13700001111",
        Role.consumer,
    )
    with app.app_context():
        registered = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.case_id == case.id, AuditEvent.action == "case.intake_registered"
            )
        ).one()
        assert registered.actor_id == staff.id
        assert registered.after["channel"] == "phone"


def test_an_existing_consumer_is_found_by_mobile_and_no_account_is_made(
    app, client, login, staff, make_user
):
    known = make_user("consumer", name="老用户", mobile="13700002222")
    login(staff)

    draft_id = _draft_id(_intake(client, GOOD | {"mobile": "13700002222", "name": ""}))

    with app.app_context():
        assert db.session.get(CaseDraft, draft_id).owner_id == known.id
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 2


def test_a_complaint_by_an_agent_keeps_the_agent_and_the_power_of_attorney(
    app, client, login, staff
):
    login(staff)

    draft_id = _draft_id(_intake(client, GOOD | AGENT | {"channel": "in_person"}, PDF))
    done = _fill_and_submit(client, draft_id)

    assert done.status_code == 303
    case = _case_of(app, draft_id)
    assert (case.agent_name, case.agent_id_number, case.agent_relation) == (
        "王律师",
        "11010519491231002X",
        "律师",
    )
    assert [a.kind for a in case.attachments] == [AttachmentKind.power_of_attorney]
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "王律师" in page
    assert "当面" in page
    masked = client.get(f"/staff/cases/{case.id}/case-file.pdf")
    text = pdf_checks.text(masked.data)
    assert "委托代理人王**（律师）" in text
    assert f"收到投诉日期{RECEIVED.isoformat()}" in text
    assert "11010519491231002X" not in text


def test_the_acceptance_clock_counts_from_the_day_received(app, client, login, staff):
    login(staff)
    draft_id = _draft_id(_intake(client, GOOD))
    _fill_and_submit(client, draft_id)
    case = _case_of(app, draft_id)

    with app.app_context():
        stored = db.session.get(Case, case.id)
        transition(stored, CaseStatus.screening, db.session.get(User, staff.id))
        clock = db.session.scalars(db.select(CaseClock).where(CaseClock.case_id == case.id)).one()
        assert clock.started_on == RECEIVED
        assert clock.limit_days == 7


def test_a_repeated_submission_files_one_case(app, client, login, staff):
    login(staff)
    draft_id = _draft_id(_intake(client, GOOD))
    first = _fill_and_submit(client, draft_id)

    again = client.post(
        f"/staff/intake/{draft_id}/step/7",
        data=dict(STEP_POSTS[7]) | {"action": "submit"},
    )

    assert first.status_code == 303
    assert again.status_code == 302  # the draft is filed: to its case
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 1


TOMORROW = "tomorrow"


@pytest.mark.parametrize(
    ("changes", "attorney", "field", "message"),
    [
        pytest.param(
            {"channel": ""}, None, "channel", "请选择收到投诉的渠道", id="channel/missing"
        ),
        pytest.param(
            {"channel": "online"}, None, "channel", "请选择收到投诉的渠道", id="channel/online"
        ),  # noqa: E501
        pytest.param(
            {"received_on": ""}, None, "received_on", "请填写收到投诉的日期", id="received/missing"
        ),  # noqa: E501
        pytest.param(
            {"received_on": "2025-02-30"}, None, "received_on", "", id="received/not-a-date"
        ),  # noqa: E501
        pytest.param(
            {"received_on": TOMORROW}, None, "received_on", "不能晚于今天", id="received/future"
        ),  # noqa: E501
        pytest.param({"mobile": ""}, None, "mobile", "请填写投诉人的手机号", id="mobile/missing"),
        pytest.param({"mobile": "1390000"}, None, "mobile", "11 位手机号", id="mobile/short"),
        pytest.param(
            {"name": ""}, None, "name", "请填写投诉人姓名", id="name/new-account-needs-it"
        ),  # noqa: E501
        pytest.param({"name": "名" * 101}, None, "name", "", id="name/too-long"),
        pytest.param(
            AGENT | {"agent_name": ""}, PDF, "agent_name", "请填写代理人姓名", id="agent/name"
        ),  # noqa: E501
        pytest.param(
            AGENT | {"agent_id_number": "1234"}, PDF, "agent_id_number", "18 位", id="agent/id"
        ),  # noqa: E501
        pytest.param(
            AGENT | {"agent_relation": ""},
            PDF,
            "agent_relation",
            "请填写代理人与投诉人的关系",
            id="agent/relation",
        ),  # noqa: E501
        pytest.param(AGENT, None, "power_of_attorney", "须附授权委托书", id="agent/no-attorney"),
        pytest.param(
            AGENT, b"not a pdf", "power_of_attorney", "不是 PDF、JPEG 或 PNG", id="agent/bad-file"
        ),  # noqa: E501
    ],
)
def test_bad_input_comes_back_with_every_value_and_the_error_at_its_field(
    app, client, login, staff, changes, attorney, field, message
):
    if changes.get("received_on") == TOMORROW:
        with app.app_context():
            changes = changes | {"received_on": (local_day() + timedelta(days=1)).isoformat()}
    login(staff)
    posted = GOOD | changes

    response = _intake(client, posted, attorney)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    field_html = (
        page.split(f'id="{field}"')[0].rsplit('class="field', 1)[1]
        + page.split(f'id="{field}"')[1].split("</div>")[0]
    )
    assert "field--invalid" in field_html or f'id="{field}-error"' in page
    assert f'id="{field}-error"' in page
    assert message in page
    for name, value in posted.items():
        if value and name not in ("channel",) and len(value) < 100:
            assert f'value="{value}"' in page, name
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseDraft)) == 0


def test_a_staff_or_expert_mobile_cannot_be_the_complainant(app, client, login, staff, expert):
    login(staff)

    response = _intake(client, GOOD | {"mobile": expert.mobile})

    assert response.status_code == 400
    assert 'id="mobile-error"' in response.get_data(as_text=True)


def test_a_wizard_step_with_bad_input_comes_back_with_its_errors(app, client, login, staff):
    login(staff)
    draft_id = _draft_id(_intake(client, GOOD))

    response = client.post(
        f"/staff/intake/{draft_id}/step/1",
        data=dict(STEP_POSTS[1]) | {"purchase-vin": "TOO-SHORT", "action": "next"},
    )

    assert response.status_code == 200  # shown again, as the filing wizard does
    page = response.get_data(as_text=True)
    assert 'value="TOO-SHORT"' in page
    assert "field__errors" in page
    with app.app_context():
        assert db.session.get(CaseDraft, draft_id).step == 1


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_step_posted_with_an_expired_token_comes_back_with_what_was_typed_and_saves_nothing(
    app, client, login, staff, token
):
    login(staff)
    draft_id = _draft_id(_intake(client, GOOD))
    app.config["WTF_CSRF_ENABLED"] = True

    response = client.post(
        f"/staff/intake/{draft_id}/step/1",
        data=dict(STEP_POSTS[1])
        | {"purchase-brand": "电话里记下的品牌", "action": "next"}
        | ({"csrf_token": token} if token else {}),
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "页面已过期，您填写的内容还在" in page
    assert 'value="电话里记下的品牌"' in page
    with app.app_context():
        draft = db.session.get(CaseDraft, draft_id)
        assert ("1" in draft.data, draft.step) == (False, 1)


def test_a_submission_the_database_keeps_refusing_is_retried_then_shown_again_filing_nothing(
    app, client, login, staff, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from disputes import audit

    login(staff)
    draft_id = _draft_id(_intake(client, GOOD))
    real, tries = audit.record, []

    def locked(actor, action, obj, **kwargs):
        if action == "case.intake_registered":
            tries.append(action)
            raise OperationalError("UPDATE cases", {}, Exception("database is locked"))
        return real(actor, action, obj, **kwargs)

    monkeypatch.setattr(audit, "record", locked)
    response = _fill_and_submit(client, draft_id)

    assert response.status_code == 503
    assert "提交没有成功" in response.get_data(as_text=True)
    assert len(tries) == 3
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
        assert db.session.get(CaseDraft, draft_id).submitted_case_id is None


def test_a_consumers_own_draft_is_not_an_intake_draft(app, client, login, staff, consumer):
    from disputes.cases import services

    with app.app_context():
        own = services.create_draft(db.session.get(User, consumer.id))
        db.session.commit()
        own_id = own.id
    login(staff)

    assert client.get(f"/staff/intake/{own_id}/step/1").status_code == 404


def test_the_complainant_neither_sees_nor_opens_a_complaint_staff_are_still_registering(
    app, client, login, staff, make_user
):
    from disputes.cases import services

    complainant = make_user("consumer", name="老用户", mobile="13700003333")
    with app.app_context():
        own = services.create_draft(db.session.get(User, complainant.id))
        db.session.commit()
        own_id = own.id
    login(staff)
    draft_id = _draft_id(_intake(client, GOOD | {"mobile": "13700003333", "name": ""}))
    client.post(f"/staff/intake/{draft_id}/step/1", data=dict(STEP_POSTS[1]) | {"action": "next"})
    login(complainant)

    for path in ("/cases/", "/cases/new"):
        listed = client.get(path).get_data(as_text=True)
        assert f"/cases/drafts/{own_id}/step/" in listed
        assert f"/cases/drafts/{draft_id}/" not in listed
    assert client.get(f"/cases/drafts/{draft_id}/step/1").status_code == 404
    submit = dict(STEP_POSTS[7]) | {"action": "submit"}
    assert client.post(f"/cases/drafts/{draft_id}/step/7", data=submit).status_code == 404
    assert client.post(f"/cases/drafts/{draft_id}/delete").status_code == 404
    with app.app_context():
        draft = db.session.get(CaseDraft, draft_id)
        assert (draft.step, draft.submitted_case_id) == (2, None)

    login(staff)
    assert _fill_and_submit(client, draft_id).status_code == 303
    case = _case_of(app, draft_id)
    login(complainant)

    listed = client.get("/cases/").get_data(as_text=True)
    assert case.number in listed
    assert f"/cases/{case.id}" in listed
    assert f"/cases/drafts/{draft_id}/" not in listed
    assert client.get(f"/cases/{case.id}").status_code == 200


@pytest.mark.parametrize("app_config", [{"MAX_OPEN_DRAFTS": 1}])
def test_a_complaint_staff_are_registering_does_not_use_up_the_complainants_drafts(
    app, client, login, staff, make_user
):
    complainant = make_user("consumer", name="老用户", mobile="13700004444")
    login(staff)
    _draft_id(_intake(client, GOOD | {"mobile": "13700004444", "name": ""}))
    login(complainant)

    started = client.post("/cases/new")

    assert started.status_code == 302
    assert "/cases/drafts/" in started.headers["Location"]
