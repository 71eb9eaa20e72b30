"""The cookieless blueprints (the JSON API) pass by the browser's request hooks (cookieless.py):
no session check, no user loaded, no cookie; the hooks marked every_request still run."""

from __future__ import annotations

from flask import Blueprint, Flask

from disputes import cookieless
from disputes.auth.models import User
from disputes.db import db
from tests.api.assessment_facts import FACTS, URL
from tests.support.statements import counting


def _must_change_password(app: Flask, user) -> None:
    with app.app_context():
        db.session.get(User, user.id).must_change_password = True
        db.session.commit()


def test_a_signed_in_caller_is_answered_without_loading_the_account(app, client, login, consumer):
    login(consumer)
    _must_change_password(app, consumer)
    assert client.get("/cases/").status_code == 302  # a page sends them to change it first
    with counting(app) as statements:
        response = client.post(URL, json=FACTS)
    assert response.status_code == 200
    assert response.get_json()["contract"] == 2
    assert statements == []
    assert "Set-Cookie" not in response.headers
    assert client.get("/cases/").headers["Location"].endswith("/account/password")


def test_the_hooks_every_request_needs_still_run_for_the_api(client):
    refused = client.post(URL + "?lang=%00", json=FACTS)
    assert refused.status_code == 400
    assert "NUL" in refused.get_json()["error"]["message"]
    answered = client.post(URL, json=FACTS)
    assert answered.headers["X-Frame-Options"] == "DENY"
    assert answered.headers["Cache-Control"] == "no-store"


def test_a_failing_api_call_is_the_json_500_with_its_request_id(app, client, monkeypatch):
    # The error handlers must not need what the skipped hooks set (g.user, the session checks).
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("disputes.api.views.rules.assess", explode)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.post(URL, json=FACTS)
    assert response.status_code == 500
    assert response.get_json()["error"]["request_id"]
    assert "secret" not in response.get_data(as_text=True)


def _app_with_hooks(seen: list[str], answer: str | None = None) -> Flask:
    """An app whose hooks note themselves in `seen`; its browser hook answers `answer`."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test"

    def view() -> str:
        seen.append("view")
        return "ok"

    for name in ("api", "pages"):
        bp = Blueprint(name, __name__, url_prefix=f"/{name}")
        bp.add_url_rule("/", "index", view)
        app.register_blueprint(bp)

    def marked_before() -> None:
        seen.append("marked before")

    def browser_before() -> str | None:
        seen.append("browser before")
        return answer

    def browser_after(response):
        seen.append("browser after")
        return response

    def marked_after(response):
        seen.append("marked after")
        return response

    app.before_request(browser_before)
    app.before_request(marked_before)
    app.after_request(browser_after)
    app.after_request(marked_after)
    cookieless.every_request(app, marked_before, marked_after)
    cookieless.init_app(app)
    return app


def test_only_the_marked_hooks_run_for_a_cookieless_blueprint():
    seen: list[str] = []
    client = _app_with_hooks(seen).test_client()
    client.get("/api/")
    assert seen == ["marked before", "view", "marked after"]
    seen.clear()
    client.get("/pages/")
    assert seen == ["marked before", "browser before", "view", "marked after", "browser after"]


def test_a_browser_hook_that_answers_keeps_the_view_from_running():
    seen: list[str] = []
    client = _app_with_hooks(seen, answer="refused").test_client()
    assert client.get("/pages/").get_data() == b"refused"
    assert "view" not in seen
    seen.clear()
    assert client.get("/api/").get_data() == b"ok"
