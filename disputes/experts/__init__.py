"""The experts room: blueprint at /experts."""

from flask import Blueprint

bp = Blueprint("experts", __name__, url_prefix="/experts")

from disputes.experts import views  # noqa: E402,F401
