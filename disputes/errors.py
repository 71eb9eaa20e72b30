"""Error pages: HTML from templates/errors/<code>.html, or {"error": {...}} JSON under /api/."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from disputes.db import db
from disputes.formatting import N_

MESSAGES = {
    400: N_("请求无效。"),
    403: N_("您没有权限访问此页面。"),
    404: N_("页面不存在。"),
    405: N_("不允许的请求方法。"),
    413: N_("上传的文件太大。"),
    500: N_("服务器内部错误。"),
    503: N_("系统繁忙，请稍后再点一次。"),
}


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
    message = gettext(MESSAGES.get(code, "请求无效。"))
    if request_ctx.url_adapter is None:  # a host outside TRUSTED_HOSTS: no URL can be built
        return message, code, {"Content-Type": "text/plain; charset=utf-8"}
    if isinstance(error, RefusedInput):
        if wants_json():
            return error_body(error.message, error.field), code
        return render_template("errors/400.html", error=error, detail=error.message), code
    if wants_json():
        description = getattr(error, "description", None)
        detail = description if code == 400 and isinstance(description, str) else message
        return error_body(detail), code
    return render_template(f"errors/{code}.html", error=error, message=message), code


def handle_database_busy(error: OperationalError) -> Any:
    """A lock held elsewhere past DATABASE_LOCK_TIMEOUT_MS (or the database gone): nothing of the
    request was kept, so say "busy, try again" (503) instead of an error."""
    from flask import current_app

    db.session.rollback()
    current_app.logger.warning("database busy on %s %s: %s", request.method, request.path, error)
    message = gettext(MESSAGES[503])
    if wants_json():
        return error_body(message), 503
    return render_template("errors/503.html", message=message), 503


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
    message = gettext(MESSAGES[500])
    if wants_json():
        return error_body(message, request_id=request_id), 500
    return render_template("errors/500.html", message=message, request_id=request_id), 500


def init_app(app: Flask) -> None:
    """Register the handlers."""
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(OperationalError, handle_database_busy)
