"""Error pages: HTML from templates/errors/error.html, or {"error": {...}} JSON under /api/."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import LazyString
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from disputes.db import db
from disputes.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class ErrorText:
    """What an error says: the page's title and message, the one line the API's JSON and the
    plain-text answer give (`brief`), and the words of a link to the contact page, if any."""

    title: LazyString
    message: LazyString
    brief: LazyString
    contact: LazyString | None = None


#: HTTP status → its text; the page and the JSON read it from here only.
ERRORS: dict[int, ErrorText] = {
    400: ErrorText(
        _l("请求无效"),
        _l("提交的内容无法处理，可能是页面已过期。请返回上一页刷新后重试。"),
        _l("请求无效。"),
    ),
    403: ErrorText(
        _l("无权访问"),
        _l("您的账户没有访问此页面的权限。"),
        _l("您没有权限访问此页面。"),
        contact=_l("如需帮助，请联系工作人员。"),
    ),
    404: ErrorText(
        _l("页面不存在"),
        _l("您要找的页面不存在或已被移除，请检查地址或返回首页。"),
        _l("页面不存在。"),
    ),
    405: ErrorText(
        _l("不允许的请求方法"), _l("此地址不支持这种请求方式。"), _l("不允许的请求方法。")
    ),
    413: ErrorText(
        _l("文件太大"),
        _l("上传的文件超过了允许的大小，请压缩或拆分后再上传。"),
        _l("上传的文件太大。"),
    ),
    429: ErrorText(
        _l("请求过于频繁"),
        _l("您在短时间内提交的次数过多，请稍后再试。"),
        _l("请求过于频繁，请稍后再试。"),
    ),
    500: ErrorText(
        _l("服务器内部错误"),
        _l(
            "系统出现了意外错误，我们已记录此问题。请稍后重试；如问题持续，请联系工作人员并提供下面的编号。"
        ),
        _l("服务器内部错误。"),
    ),
    503: ErrorText(
        _l("系统繁忙"), _l("系统繁忙，请稍后再点一次。"), _l("系统繁忙，请稍后再点一次。")
    ),
}


def error_page(code: int, message: str | None = None, **context: Any) -> str:
    """Render the error page of `code`, with `message` (a refusal's own words) in place of the
    standard one."""
    text = ERRORS[code]
    return render_template(
        "errors/error.html",
        code=code,
        title=str(text.title),
        message=message or str(text.message),
        contact=text.contact and str(text.contact),
        **context,
    )


class RefusedInput(BadRequest):
    """A 400 that tells the visitor what was wrong (`field`: which input, for the API)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(description=message)
        self.message = message
        self.field = field


def wants_json() -> bool:
    """Tell whether the request is the API's, which answers errors in JSON."""
    return request.path.startswith("/api/")


def error_body(message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """The one JSON error shape, the API contract's: {"error": {"field", "message", ...}}."""
    return {"error": {"field": field, "message": message, **extra}}


def handle_http_error(error: HTTPException) -> Any:
    """Render a 4xx error as a page or as the API's error JSON."""
    code = error.code or 500
    message = str(ERRORS[code].brief)
    if request_ctx.url_adapter is None:  # a host outside TRUSTED_HOSTS: no URL can be built
        return message, code, {"Content-Type": "text/plain; charset=utf-8"}
    if isinstance(error, RefusedInput):
        if wants_json():
            return error_body(error.message, error.field), code
        return error_page(code, error.message), code
    if wants_json():
        description = getattr(error, "description", None)
        detail = description if code == 400 and isinstance(description, str) else message
        return error_body(detail), code
    return error_page(code), code


def handle_database_busy(error: OperationalError) -> Any:
    """A lock held elsewhere past DATABASE_LOCK_TIMEOUT_MS (or the database gone): nothing of the
    request was kept, so say "busy, try again" (503) instead of an error."""
    from flask import current_app

    db.session.rollback()
    current_app.logger.warning("database busy on %s %s: %s", request.method, request.path, error)
    if wants_json():
        return error_body(str(ERRORS[503].brief)), 503
    return error_page(503), 503


def handle_server_error(error: InternalServerError) -> Any:
    """Log the exception with a request id and show only the id to the visitor."""
    from flask import current_app

    db.session.rollback()  # the page reads the signed-in user: not from a failed transaction
    request_id = uuid.uuid4().hex[:12]
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error(
        "unhandled error %s on %s %s",
        request_id,
        request.method,
        request.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    if wants_json():
        return error_body(str(ERRORS[500].brief), request_id=request_id), 500
    return error_page(500, request_id=request_id), 500


def init_app(app: Flask) -> None:
    """Register the handlers."""
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(OperationalError, handle_database_busy)
