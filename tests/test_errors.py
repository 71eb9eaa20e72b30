"""Error pages: HTML for people, {"error": {...}} JSON under /api/, never a stack trace."""

from __future__ import annotations

import logging

import pytest


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "页面不存在" in page
    assert "<html" in page


def test_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["field"] is None
    assert response.get_json()["error"]["message"]


def test_wrong_method_is_405(client):
    assert client.get("/auth/logout").status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/cases/99999999999999999999999",
        "/cases/drafts/99999999999999999999999/step/1",
        "/staff/cases/99999999999999999999999",
        "/staff/cases/2147483648",
    ],
)
def test_an_id_no_row_can_have_is_a_404(client, login, make_user, url):
    login(make_user("staff" if url.startswith("/staff") else "consumer"))

    assert client.get(url).status_code == 404


def test_a_nul_in_a_path_segment_is_a_400(client, login, make_user):
    login(make_user("staff"))

    assert client.get("/cases/number/SJZ%00").status_code == 400


def test_an_overflowing_query_number_is_a_400_naming_it(client, login, make_user):
    login(make_user("staff"))

    response = client.get("/experts/routing?after=99999999999999999999999")

    assert response.status_code == 400
    assert "查询参数“after”的值超出了可以处理的范围" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(app):
    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/_explode", "explode", explode)
    app.add_url_rule("/api/_explode", "api_explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.fresh_app  # failing_app adds URL rules
def test_server_error_shows_a_request_id_and_no_traceback(failing_app, client, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get("/_explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "错误编号" in page
    assert "secret internals" not in page
    assert "Traceback" not in page
    assert "secret internals" in caplog.text


@pytest.mark.fresh_app  # failing_app adds URL rules
def test_server_error_under_api_is_json(failing_app, client):
    response = client.get("/api/_explode")
    assert response.status_code == 500
    body = response.get_json()
    assert body["error"]["request_id"]
    assert "secret" not in response.get_data(as_text=True)
