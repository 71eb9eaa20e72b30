"""The notices room: a case's written notices and documents (受理通知书, 终止调解告知书,
调解书 ...), one PDF template set, stored with the case and shown to the parties addressed."""

from flask import Blueprint, Flask

bp = Blueprint("notices", __name__, url_prefix="/notices")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint (views load here, not with the package)."""
    from disputes.notices import views  # noqa: F401

    app.register_blueprint(bp)
