"""No-login pages: the home page and the public self-check."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from disputes.public import self_check, views  # noqa: E402,F401
