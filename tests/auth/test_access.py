"""Role gates, the @public marker, the user loader and the open-redirect check."""

from __future__ import annotations

import pytest

from disputes.access import public, role_required, safe_next

#: The gate views are added to the app, so each test needs an app of its own.
pytestmark = pytest.mark.fresh_app

GATES = {
    "consumer": ("consumer",),
    "expert": ("expert",),
    "staff": ("staff",),
    "admin": ("admin",),
    "staff-or-expert": ("staff", "expert"),
}


@pytest.fixture
def gated_app(app):
    """The app with one test view behind each gate (added before the first request)."""
    for name, roles in GATES.items():
        app.add_url_rule(f"/_gate/{name}", f"gate_{name}", role_required(*roles)(lambda: "inside"))
    return app


@pytest.mark.parametrize("gate", list(GATES))
def test_anonymous_visitor_is_sent_to_login_with_next(gated_app, client, gate):
    response = client.get(f"/_gate/{gate}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/auth/login")
    assert f"next=%2F_gate%2F{gate}" in location


@pytest.mark.parametrize(
    ("role", "gate", "status"),
    [
        ("consumer", "consumer", 200),
        ("consumer", "staff", 403),
        ("expert", "expert", 200),
        ("expert", "consumer", 403),
        ("expert", "staff-or-expert", 200),
        ("staff", "staff", 200),
        ("staff", "admin", 403),
        ("staff", "expert", 403),
        pytest.param("admin", "staff", 200, id="admin-passes-staff-gates"),
        pytest.param("admin", "staff-or-expert", 200, id="admin-passes-mixed-staff-gates"),
        pytest.param("admin", "admin", 200, id="admin-passes-admin-gates"),
        pytest.param("admin", "consumer", 403, id="admin-is-not-a-consumer"),
        pytest.param("admin", "expert", 403, id="admin-is-not-an-expert"),
    ],
)
def test_role_gates(gated_app, client, make_user, login, role, gate, status):
    login(make_user(role))
    assert client.get(f"/_gate/{gate}").status_code == status


def test_deactivated_user_loses_their_session(app, gated_app, client, make_user, login):
    from disputes.auth.models import User
    from disputes.db import db

    user = login(make_user("staff"))
    with app.app_context():
        db.session.get(User, user.id).is_active = False
        db.session.commit()
    assert client.get("/_gate/staff").status_code == 302


def test_session_from_another_browser_is_refused(gated_app, client, make_user, login):
    login(make_user("staff"))
    client.environ_base["HTTP_USER_AGENT"] = "another browser"
    assert client.get("/_gate/staff").status_code == 302


def test_public_marks_the_view():
    @public
    def view():
        return "open"

    assert view.is_public is True


def test_role_required_records_the_roles():
    view = role_required("staff", "expert")(lambda: "x")
    assert view.required_roles == {"staff", "expert"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/cases/", "/cases/"),
        ("/staff/?page=2#top", "/staff/?page=2#top"),
        (None, None),
        ("", None),
        ("cases", None),
        ("https://evil.example/", None),
        ("//evil.example/x", None),
        ("/\\evil.example", None),
        ("/\r\nLocation: x", None),
        ("javascript:alert(1)", None),
    ],
)
def test_safe_next_accepts_only_local_paths(url, expected):
    assert safe_next(url) == expected
