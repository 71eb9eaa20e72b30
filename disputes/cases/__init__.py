"""The cases room: blueprint at /cases."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from disputes.cases import views  # noqa: E402,F401
