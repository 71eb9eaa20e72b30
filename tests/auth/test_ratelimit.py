"""Rate limits on login, registration and the assessment API (Flask-Limiter), in memory and in
Redis. The suite runs with limits off (conftest); this module turns them on."""

from __future__ import annotations

import secrets

import pytest
import redis

from disputes import create_app

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
    return client.post(
        "/auth/login",
        data={"identifier": "nobody@example.test", "password": "wrong-password1"},
        environ_base={"REMOTE_ADDR": ip},
    )


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


def test_limits_can_be_switched_off(app, client):
    off = create_app(dict(app.config, RATELIMIT_ENABLED=False), instance_path=app.instance_path)
    off_client = off.test_client()
    codes = {off_client.post("/api/v1/assessments", json={}).status_code for _ in range(5)}
    assert codes == {400}


def test_the_default_limits_are_configured():
    from disputes.config import Defaults

    assert Defaults.RATELIMIT_ENABLED is True
    assert Defaults.RATELIMIT_STORAGE_URI == "memory://"
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
