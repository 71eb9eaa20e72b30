"""The inbox page: each user sees their own messages in their language, the navigation counts the
unread ones, and marking read is a CSRF-protected POST on one's own messages only."""

from __future__ import annotations

import re

import pytest

from disputes.db import db
from disputes.notifications.models import Notification


@pytest.fixture
def filed(app, make_user, make_case):
    """A consumer with a filed case (one unread receipt)."""
    consumer = make_user("consumer")
    case = make_case(consumer)
    with app.app_context():
        receipt = db.session.scalars(
            db.select(Notification).where(Notification.user_id == consumer.id)
        ).one()
        return consumer, case, receipt.id


def unread_badge(html: str) -> str | None:
    match = re.search(r'class="nav-count">(\d+)', html)
    return match.group(1) if match else None


def test_the_inbox_shows_the_receipt_in_chinese_and_english(client, login, filed):
    consumer, case, _receipt = filed
    login(consumer)
    page = client.get("/notifications").get_data(as_text=True)
    assert f"案件已收到：{case.number}" in page
    assert unread_badge(page) == "1"
    page = client.get("/notifications?lang=en").get_data(as_text=True)
    assert f"Case received: {case.number}" in page


def test_opening_a_message_marks_it_read_and_goes_to_the_case(client, login, filed):
    consumer, case, receipt = filed
    login(consumer)
    response = client.post(f"/notifications/{receipt}/read")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    assert unread_badge(client.get("/notifications").get_data(as_text=True)) is None


def test_mark_all_read_clears_the_count(client, login, filed):
    consumer, _case, _receipt = filed
    login(consumer)
    assert client.post("/notifications/read-all").status_code == 302
    assert unread_badge(client.get("/notifications").get_data(as_text=True)) is None


def test_another_users_message_is_not_found(client, login, filed, make_user):
    _consumer, _case, receipt = filed
    login(make_user("consumer"))
    assert client.post(f"/notifications/{receipt}/read").status_code == 404


def test_staff_see_the_new_case_in_their_inbox(client, login, staff, make_user, make_case):
    case = make_case(make_user("consumer"))
    login(staff)
    page = client.get("/notifications").get_data(as_text=True)
    assert f"新案件待审查：{case.number}" in page


def test_marking_read_without_the_csrf_token_is_refused(app, client, login, filed):
    consumer, _case, receipt = filed
    app.config["WTF_CSRF_ENABLED"] = True
    login(consumer)
    assert client.post(f"/notifications/{receipt}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert unread_badge(client.get("/notifications").get_data(as_text=True)) == "1"
