"""Staff see the e-mails and SMS given up on (address masked, error, attempts) and send one again:
it is pending with fresh attempts, enqueued, and audited; CSRF is required."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from disputes.audit import AuditEvent
from disputes.db import db
from disputes.notifications.models import Channel, OutboxMessage, OutboxStatus


@pytest.fixture
def failed(app, make_user, make_case):
    """A filed case whose receipt e-mail and SMS both failed: (email id, sms id)."""
    consumer = make_user("consumer", email="buyer@example.test", mobile="13700000002")
    make_case(consumer)
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        for row in rows:
            row.status = OutboxStatus.failed
            row.attempts = 8
            row.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
        db.session.commit()
        by_channel = {row.channel: row.id for row in rows}
        return by_channel[Channel.email], by_channel[Channel.sms]


def test_staff_see_failed_messages_with_masked_addresses_and_the_error(
    client, login, staff, failed
):
    login(staff)

    page = client.get("/notifications/failed").get_data(as_text=True)

    assert "b***@example.test" in page
    assert "137****0002" in page
    assert "buyer@example.test" not in page
    assert "13700000002" not in page
    assert "Connection refused" in page
    assert '<td data-label="尝试次数" class="num">8</td>' in page


def test_a_resend_makes_the_message_pending_again_enqueued_and_audited(
    app, client, login, staff, failed
):
    email_id, sms_id = failed
    login(staff)
    huey = app.extensions["huey"]
    huey.flush()

    response = client.post(f"/notifications/failed/{email_id}/resend")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/notifications/failed")
    with app.app_context():
        email = db.session.get(OutboxMessage, email_id)
        assert (email.status, email.attempts) == (OutboxStatus.pending, 0)
        assert db.session.get(OutboxMessage, sms_id).status == OutboxStatus.failed
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "outbox.resent")
        ).one()
        assert (event.actor_id, event.object_id) == (staff.id, email_id)
    assert huey.pending_count() == 1
    page = client.get("/notifications/failed").get_data(as_text=True)
    assert "b***@example.test" not in page
    assert "137****0002" in page


def test_a_message_not_failed_is_not_resent(app, client, login, staff, failed):
    email_id, _sms_id = failed
    login(staff)
    client.post(f"/notifications/failed/{email_id}/resend")

    again = client.post(f"/notifications/failed/{email_id}/resend", follow_redirects=True)

    assert "无需重发" in again.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action == "outbox.resent")
        ).all()
        assert len(actions) == 1


def test_consumers_and_experts_are_refused(client, login, consumer, expert, failed):
    email_id, _sms_id = failed
    for user in (consumer, expert):
        login(user)
        assert client.get("/notifications/failed").status_code == 403
        assert client.post(f"/notifications/failed/{email_id}/resend").status_code == 403


def test_the_staff_inbox_links_to_the_failed_messages(client, login, staff):
    login(staff)

    assert 'href="/notifications/failed"' in client.get("/notifications").get_data(as_text=True)


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_resend_without_the_token_is_refused(self, app, client, login, staff, failed):
        email_id, _sms_id = failed
        login(staff)

        assert client.post(f"/notifications/failed/{email_id}/resend").status_code == 400
        with app.app_context():
            assert db.session.get(OutboxMessage, email_id).status == OutboxStatus.failed
