"""The admin room: user administration at /admin. It sits above the experts room, since opening
an expert's account links it to their panel profile."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from disputes.admin import views  # noqa: E402,F401
