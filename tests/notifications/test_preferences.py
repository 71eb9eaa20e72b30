"""Each user chooses e-mail and SMS besides the inbox; notices the law requires (a refusal, a
request for material) and reset links go out on every channel whatever the choice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from disputes.auth.models import User
from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from disputes.notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    OutboxMessage,
)

S = CaseStatus


@pytest.fixture
def owner(make_user):
    return make_user("consumer", email="owner@example.test", mobile="13700000001")


def channels_of(app, kind: str) -> set[Channel]:
    """The outbox channels of the newest `kind` message."""
    with app.app_context():
        notification = db.session.scalars(
            sa.select(Notification)
            .where(Notification.kind == kind)
            .order_by(Notification.id.desc())
        ).first()
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.notification_id == notification.id)
        )
        return {row.channel for row in rows}


def move(app, case_id: int, staff_id: int, *steps: tuple[CaseStatus, str | None]) -> None:
    with app.app_context():
        case, staff = db.session.get(Case, case_id), db.session.get(User, staff_id)
        for status, reason in steps:
            transition(case, status, staff, reason=reason)
        db.session.commit()


def test_the_settings_page_shows_every_channel_chosen_by_default(client, login, owner):
    login(owner)

    page = client.get("/notifications/settings").get_data(as_text=True)

    assert 'name="by_email"' in page
    assert page.count("checked") == 2
    assert "owner@example.test" in page
    assert "站内消息：始终接收。" in page


def test_a_consumer_who_turns_sms_off_gets_ordinary_news_by_email_only(
    app, client, login, owner, staff, make_case
):
    login(owner)
    response = client.post("/notifications/settings", data={"by_email": "y"})
    assert response.status_code == 302
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert page.count("checked") == 1
    case = make_case(owner)

    assert channels_of(app, "case_received") == {Channel.email}
    move(app, case.id, staff.id, (S.screening, None), (S.accepted, None))
    assert channels_of(app, "case_accepted") == {Channel.email}


def test_legally_required_notices_go_out_on_every_channel_regardless(
    app, client, login, owner, staff, make_case
):
    login(owner)
    client.post("/notifications/settings", data={})
    case = make_case(owner)
    assert channels_of(app, "case_received") == set()

    move(app, case.id, staff.id, (S.screening, None), (S.info_requested, "请提供发票。"))
    assert channels_of(app, "info_requested") == {Channel.email, Channel.sms}
    move(app, case.id, staff.id, (S.screening, None), (S.not_accepted, "不属于三包范围。"))
    assert channels_of(app, "case_not_accepted") == {Channel.email, Channel.sms}
    with app.app_context():
        assert db.session.get(NotificationPreference, owner.id).channels() == ()


def test_a_reset_link_is_mailed_whatever_the_choice(app, client, login, owner):
    login(owner)
    client.post("/notifications/settings", data={})
    client.post("/auth/logout")

    client.post("/auth/forgot", data={"identifier": "owner@example.test"})

    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(OutboxMessage.address).where(OutboxMessage.channel == Channel.email)
            )
            == "owner@example.test"
        )


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_the_token_is_refused_and_nothing_saved(self, app, client, login, owner):
        login(owner)

        response = client.post("/notifications/settings", data={"by_email": "y"})

        assert response.status_code == 400
        with app.app_context():
            assert db.session.get(NotificationPreference, owner.id) is None
