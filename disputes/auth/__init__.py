"""The auth room: blueprint at /auth."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from disputes.auth import views  # noqa: E402,F401
