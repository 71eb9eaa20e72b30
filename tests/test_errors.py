"""Error pages: HTML for people, {"error": {...}} JSON under /api/, never a stack trace."""

from __future__ import annotations

import logging

import pytest
from flask import abort
from sqlalchemy.exc import OperationalError


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


#: code → (title, message) as each error page shows them, in Chinese and in English.
ERROR_PAGES = {
    "zh": {
        400: ("请求无效", "提交的内容无法处理，可能是页面已过期。请返回上一页刷新后重试。"),
        403: ("无权访问", "您的账户没有访问此页面的权限。"),
        404: ("页面不存在", "您要找的页面不存在或已被移除，请检查地址或返回首页。"),
        405: ("不允许的请求方法", "此地址不支持这种请求方式。"),
        413: ("文件太大", "上传的文件超过了允许的大小，请压缩或拆分后再上传。"),
        429: ("请求过于频繁", "您在短时间内提交的次数过多，请稍后再试。"),
        500: (
            "服务器内部错误",
            "系统出现了意外错误，我们已记录此问题。请稍后重试；如问题持续，请联系工作人员并提供下面的编号。",
        ),
        503: ("系统繁忙", "系统繁忙，请稍后再点一次。"),
    },
    "en": {
        400: (
            "Bad request",
            "What you submitted could not be processed; the page may have expired. "
            "Please go back, reload the page and try again.",
        ),
        403: ("Access denied", "Your account may not open this page."),
        404: (
            "Page not found",
            "The page you are looking for does not exist or has been removed. Please "
            "check the address or go back to the home page.",
        ),
        405: ("Method not allowed", "This address does not accept this kind of request."),
        413: (
            "File too large",
            "The uploaded file is larger than allowed; please compress or split it and"
            " upload again.",
        ),
        429: (
            "Too many requests",
            "You have submitted too many times in a short period. Please try again later.",
        ),
        500: (
            "Internal server error",
            "Something went wrong and we have logged the problem. Please try again "
            "later; if it persists, contact staff and give them the reference below.",
        ),
        503: ("System busy", "The system is busy. Please try again in a moment."),
    },
}
#: What a page shows besides its title and message.
EXTRAS = {
    "zh": {403: "如需帮助，请联系工作人员。</a>", 500: "错误编号：<code>"},
    "en": {403: "For help, please contact the staff.</a>", 500: "Reference: <code>"},
}


@pytest.fixture
def failing_with_any_code(app):
    def fail(code: int):
        if code == 500:
            raise RuntimeError("secret internals")
        if code == 503:
            raise OperationalError("SELECT 1", {}, Exception("lock timeout"))
        abort(code)

    app.add_url_rule("/_fail/<int:code>", "fail", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.fresh_app  # failing_with_any_code adds a URL rule
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500, 503])
def test_each_error_page_shows_its_title_and_message(failing_with_any_code, client, lang, code):
    title, message = ERROR_PAGES[lang][code]
    client.get(f"/?lang={lang}")

    response = client.get(f"/_fail/{code}")

    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert f'<p class="error-page__code">{code}</p>' in page
    assert f"<title>{title} · " in page
    assert f"<h1>{title}</h1>" in page
    assert f"<p>{message}" in page
    assert EXTRAS[lang].get(code, "") in page
    for other, (_, other_message) in ERROR_PAGES[lang].items():
        if other != code:
            assert other_message not in page
