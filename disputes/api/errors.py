"""JSON errors of the API: every failure is {"error": {"field", "message"}} with its HTTP status."""

from __future__ import annotations

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from disputes.api import bp
from disputes.errors import error_body


def error_response(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    """Return the contract's error body with `status`."""
    return jsonify(error_body(message, field)), status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    """Answer HTTP errors raised inside API views as JSON instead of HTML."""
    return error_response(error.code or 500, error.description or error.name)
