"""Rate limits on login, registration and the assessment API (Flask-Limiter), in memory and in
Redis. The suite runs with limits off (conftest); this module turns them on."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from disputes import create_app
from disputes.auth import services
from disputes.db import db
from tests.support.login import post_login

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "3 per minute",
        "RATELIMIT_REGISTER": "2 per minute",
        "RATELIMIT_ASSESSMENTS": "2 per minute",
    }


def _bad_login(client, ip="10.0.0.1"):
    return post_login(client, "nobody@example.test", "wrong-password1", ip=ip)


def test_login_posts_beyond_the_limit_get_a_chinese_429_page(client):
    assert [_bad_login(client).status_code for _ in range(3)] == [200, 200, 200]
    response = _bad_login(client)
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "请求过于频繁" in page
    assert "请稍后再试" in page
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_login_limit_counts_per_client_address(client):
    for _ in range(3):
        _bad_login(client, ip="10.0.0.1")
    assert _bad_login(client, ip="10.0.0.1").status_code == 429
    assert _bad_login(client, ip="10.0.0.2").status_code == 200


def test_viewing_the_login_page_is_not_limited(client):
    for _ in range(3):
        _bad_login(client)
    assert client.get("/auth/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


def test_registration_is_limited(client):
    data = {"name": "张三", "mobile": "12", "password": "x", "confirm": "y"}
    codes = [client.post("/auth/register", data=data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_api_answers_429_in_json(client):
    codes = [client.post("/api/v1/assessments", json={}).status_code for _ in range(2)]
    assert codes == [400, 400]
    response = client.post("/api/v1/assessments", json={})
    assert response.status_code == 429
    assert response.is_json
    assert response.get_json()["error"]["message"] == "请求过于频繁，请稍后再试。"


def test_the_api_answers_carry_the_rate_limit_headers(client):
    # The Limiter's after-request hook is marked every_request: the cookieless API keeps it.
    response = client.post("/api/v1/assessments", json={})
    assert response.headers["X-RateLimit-Limit"] == "2"
    assert response.headers["X-RateLimit-Remaining"] == "1"


def test_limits_can_be_switched_off(app, client):
    off = create_app(dict(app.config, RATELIMIT_ENABLED=False), instance_path=app.instance_path)
    off_client = off.test_client()
    codes = {off_client.post("/api/v1/assessments", json={}).status_code for _ in range(5)}
    assert codes == {400}


def test_the_default_limits_are_configured():
    from disputes.config import Defaults

    assert Defaults.RATELIMIT_ENABLED is True
    assert Defaults.RATELIMIT_STORAGE_URI is None
    assert Defaults.RATELIMIT_LOGIN == "10 per minute"
    assert Defaults.RATELIMIT_REGISTER == "5 per minute"


def test_the_storage_uri_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS_URL)
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path))
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the shared Redis; its keys are deleted afterwards."""
    prefix = f"test-disputes-{secrets.token_hex(6)}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(f"*{prefix}*"))
    if keys:
        connection.delete(*keys)
    connection.close()


def test_redis_storage_shares_counters_between_app_instances(app, redis_prefix):
    """Two workers (two apps) on one Redis share a counter; the keys land in Redis."""
    config = dict(app.config, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix)
    first = create_app(config, instance_path=app.instance_path).test_client()
    second = create_app(config, instance_path=app.instance_path).test_client()
    assert first.post("/api/v1/assessments", json={}).status_code == 400
    assert second.post("/api/v1/assessments", json={}).status_code == 400
    for client in (first, second):
        response = client.post("/api/v1/assessments", json={})
        assert response.status_code == 429
        assert response.get_json()["error"]["message"] == "请求过于频繁，请稍后再试。"
    connection = redis.Redis.from_url(REDIS_URL)
    assert list(connection.scan_iter(f"*{redis_prefix}*"))
    connection.close()


def test_without_redis_the_counters_are_in_memory(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_redis_url_alone_shares_counters_between_app_instances(app, redis_prefix):
    config = dict(app.config, RATELIMIT_STORAGE_URI=None, REDIS_URL=REDIS_URL)
    config["RATELIMIT_KEY_PREFIX"] = redis_prefix
    first = create_app(config, instance_path=app.instance_path).test_client()
    second = create_app(config, instance_path=app.instance_path).test_client()
    assert first.post("/api/v1/assessments", json={}).status_code == 400
    assert second.post("/api/v1/assessments", json={}).status_code == 400
    assert first.post("/api/v1/assessments", json={}).status_code == 429
    assert second.post("/api/v1/assessments", json={}).status_code == 429


def test_the_redis_url_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path))
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_redis_down_login_still_works_per_process_and_a_warning_is_logged(app, caplog):
    config = dict(app.config, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    config["RATELIMIT_STORAGE_URI"] = None
    redis_down = create_app(config, instance_path=app.instance_path)
    with redis_down.app_context():
        db.create_all()  # the fixture's in-memory SQLite database is the fixture app's own
        data = services.UserData(name="甲", password="secret123", email="down@example.test")
        services.create_user(data, enforce_policy=False)
        db.session.commit()
    client = redis_down.test_client()
    with caplog.at_level(logging.WARNING):
        response = client.post(
            "/auth/login", data={"identifier": "down@example.test", "password": "secret123"}
        )
    assert response.status_code == 302
    assert any("in-memory" in r.getMessage() for r in caplog.records if r.levelno >= 30)
    assert [_bad_login(client).status_code for _ in range(4)] == [200, 200, 200, 429]


ROOT = Path(__file__).resolve().parents[2]


def _gunicorn(workers: int, **env: str) -> subprocess.CompletedProcess:
    """Start gunicorn in the checkout (which reads gunicorn.conf.py) and wait for it to stop."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        f"--workers={workers}",
        f"--bind=127.0.0.1:{_closed_port()}",
        "disputes:create_app()",
    ]
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "REDIS"))}
    return subprocess.run(
        command, cwd=ROOT, env=environment | env, capture_output=True, text=True, timeout=60
    )


def test_gunicorn_refuses_several_workers_counting_in_memory(tmp_path):
    result = _gunicorn(2, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite", SECRET_KEY="x")
    assert result.returncode != 0
    assert "rate limits are counted in memory" in result.stderr
