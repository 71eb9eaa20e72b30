"""Session cookie flags: HttpOnly and SameSite=Lax always, Secure behind HTTPS; ProxyFix."""

from __future__ import annotations

import pytest

from disputes import create_app


def _set_cookie_header(client, user) -> str:
    response = client.post(
        "/auth/login",
        data={"identifier": user.email, "password": "secret123"},
    )
    assert response.status_code == 302
    return "\n".join(response.headers.getlist("Set-Cookie"))


def test_session_cookie_is_httponly_and_lax_but_not_secure_over_http(client, make_user):
    header = _set_cookie_header(client, make_user())
    assert "session=" in header
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "; Secure" not in header


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


class TestBehindHttps:
    @pytest.fixture
    def app_config(self):
        return {"PREFER_HTTPS": True}

    def test_cookies_are_secure_and_hsts_is_sent(self, app, client, make_user):
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        header = _set_cookie_header(client, make_user())
        assert "; Secure" in header
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
        assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("key", ["PREFER_HTTPS", "BEHIND_HTTPS"])
def test_either_setting_turns_secure_on(tmp_path, key):
    app = create_app({"SECRET_KEY": "x", key: True}, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_environment_can_turn_https_on(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_PREFER_HTTPS", "true")
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def _echo_app(tmp_path, **config):
    app = create_app({"SECRET_KEY": "x", **config}, instance_path=str(tmp_path))

    @app.get("/_echo")
    def _echo():
        from flask import request

        return {"scheme": request.scheme, "remote": request.remote_addr}

    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def test_proxy_fix_trusts_one_proxy_when_set(tmp_path):
    client = _echo_app(tmp_path, PROXY_FIX=1).test_client()
    assert client.get("/_echo", headers=FORWARDED).json == {
        "scheme": "https",
        "remote": "203.0.113.9",
    }


def test_forwarded_headers_are_ignored_without_proxy_fix(tmp_path):
    client = _echo_app(tmp_path).test_client()
    assert client.get("/_echo", headers=FORWARDED).json == {
        "scheme": "http",
        "remote": "127.0.0.1",
    }
