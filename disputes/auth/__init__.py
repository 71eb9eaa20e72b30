"""The auth room: login and registration at /auth, one's own password at /account (user
administration is the admin room's)."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
account_bp = Blueprint("auth_account", __name__, url_prefix="/account")

from disputes.auth import account_views, views  # noqa: E402,F401
from disputes.auth.sessions import check_session  # noqa: E402

bp.before_app_request(check_session)
