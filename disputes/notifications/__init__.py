"""Notifications: everyone's inbox, the outbox of e-mails and SMS, and the queue that sends them.

init_app() is called by create_app: it subscribes the messages to the audit records
(dispatch.py), builds the task queue (queue.py) and gives templates the unread count.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g
from flask_login import current_user

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def unread_count() -> int:
    """Count the signed-in user's unread messages (0 for visitors): the user loader reads the
    count with the user (access.load_user); a user signed in otherwise is counted here, once."""
    from disputes.notifications import queries

    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = queries.count_unread(current_user.id)
    return g.unread_notifications


def init_app(app: Flask) -> None:
    """Wire the notifications into `app`."""
    from disputes.notifications import dispatch, queue

    dispatch.init_app(app)
    queue.init_app(app)
    app.jinja_env.globals["unread_notifications"] = unread_count


from disputes.notifications import staff_views, views  # noqa: E402, F401
