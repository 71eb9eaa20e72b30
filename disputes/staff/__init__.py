"""The staff room: blueprint at /staff."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from disputes.staff import views  # noqa: E402,F401
