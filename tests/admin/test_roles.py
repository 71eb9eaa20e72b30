"""An admin moves bureau accounts between staff, admin and expert at /admin/users/<id>/role:
confirmed, audited, never a consumer's account nor the admin's own; an expert account leaving
the role leaves its panel profile without a usable account."""

from __future__ import annotations

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.db import db
from disputes.experts.models import Expert


def _role(app, user_id: int) -> str:
    with app.app_context():
        return str(db.session.get(User, user_id).role)


def _role_events(app) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "user.role_changed")
        ).all()
        db.session.expunge_all()
        return list(events)


@pytest.mark.parametrize(
    ("before", "after"),
    [("staff", "admin"), ("admin", "staff"), ("staff", "expert"), ("admin", "expert")],
)
def test_admin_changes_a_bureau_accounts_role_after_confirming(
    app, client, make_user, login, admin, before, after
):
    login(admin)
    user = make_user(before, name="调岗人员")

    response = client.post(f"/admin/users/{user.id}/role", data={"role": after, "confirm": "y"})

    assert response.status_code == 302
    assert _role(app, user.id) == after
    assert "调岗人员" in client.get(response.headers["Location"]).text
    [event] = _role_events(app)
    assert (event.before, event.after) == ({"role": before}, {"role": after})


def test_the_user_list_offers_a_role_change_for_bureau_accounts_only(
    client, make_user, login, admin
):
    login(admin)
    staff = make_user("staff")
    consumer = make_user("consumer")

    page = client.get("/admin/users").text

    assert f"/admin/users/{staff.id}/role" in page
    assert f"/admin/users/{consumer.id}/role" not in page
    assert f"/admin/users/{admin.id}/role" not in page


def test_without_confirmation_the_form_comes_back_with_the_choice_kept(
    app, client, make_user, login, admin
):
    login(admin)
    user = make_user("staff")

    response = client.post(f"/admin/users/{user.id}/role", data={"role": "expert"})

    assert response.status_code == 200
    assert "请勾选确认后再操作" in response.text
    assert '<option selected value="expert">' in response.text
    assert _role(app, user.id) == "staff"
    assert _role_events(app) == []


@pytest.mark.parametrize("role", ["consumer", "superuser", ""])
def test_a_role_outside_the_bureau_roles_is_refused_next_to_the_field(
    app, client, make_user, login, admin, role
):
    login(admin)
    user = make_user("staff")

    response = client.post(f"/admin/users/{user.id}/role", data={"role": role, "confirm": "y"})

    assert response.status_code == 200
    assert 'id="role-error"' in response.text
    assert _role(app, user.id) == "staff"


def test_a_consumer_account_keeps_its_role(app, client, make_user, login, admin):
    login(admin)
    consumer = make_user("consumer")

    response = client.post(
        f"/admin/users/{consumer.id}/role",
        data={"role": "staff", "confirm": "y"},
        follow_redirects=True,
    )

    assert "消费者账户名下有案件，不能与其他角色互换" in response.text
    assert _role(app, consumer.id) == "consumer"
    assert _role_events(app) == []


def test_an_admin_cannot_demote_themself(app, client, login, admin):
    login(admin)

    response = client.post(f"/admin/users/{admin.id}/role", data={"role": "staff", "confirm": "y"})

    assert response.status_code == 200
    assert "不能更改您自己的角色" in response.text
    assert _role(app, admin.id) == "admin"


def test_an_expert_account_moved_to_staff_leaves_its_profile_flagged_on_the_panel(
    app, client, make_user, make_expert, login, admin
):
    user = make_user("expert", name="转岗专家")
    profile_id = make_expert("E90", user=user).id
    login(admin)

    client.post(f"/admin/users/{user.id}/role", data={"role": "staff", "confirm": "y"})

    with app.app_context():
        assert db.session.get(Expert, profile_id).user_id is None
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"expert.account_unlinked", "user.role_changed"} <= actions
    panel = client.get("/experts/panel").text
    row = panel[panel.index("E90") :].split("</tr>")[0]
    assert "无可用账号" in row
