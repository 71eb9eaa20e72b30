"""The account room at /account: every signed-in user's own password and two-factor login, and
the consumer's own data (download, correct, close). The rules behind them stay with auth
(passwords, two_factor) and privacy (export, account)."""

from flask import Blueprint, Flask

bp = Blueprint("account", __name__, url_prefix="/account")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room never pulls in its views (and their imports). The layout's
    navigation offers two-factor login to the roles two_factor.ROLES names."""
    from disputes.account import data_views, two_factor_views, views  # noqa: F401
    from disputes.auth import two_factor

    app.jinja_env.globals["two_factor_roles"] = two_factor.ROLES
    app.register_blueprint(bp)
