"""JSON API under /api/v1: the rules contract over HTTP."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from disputes.api import views  # noqa: E402,F401
