"""The experts room: blueprint at /experts (and the `flask experts ...` CLI group)."""

from flask import Blueprint

bp = Blueprint("experts", __name__, url_prefix="/experts", cli_group="experts")

from disputes.experts import cli, views  # noqa: E402,F401
