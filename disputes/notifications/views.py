"""The inbox: every signed-in user's messages, newest first; opening one marks it read. And the
channels each user wants messages on besides the inbox."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.db import db
from disputes.notifications import bp, messages, queries, services
from disputes.notifications.forms import MarkReadForm, PreferenceForm
from disputes.notifications.models import Notification
from disputes.params import int_arg

PER_PAGE = 30
EVERYONE = ("consumer", "expert", "staff", "admin", "business")


def load_notification(notification_id: int) -> Notification:
    """Return the signed-in user's own message, or 404 (another's is not shown to exist)."""
    notification = queries.get_notification(notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification


@bp.get("")
@role_required(*EVERYONE)
def index() -> Any:
    """List the user's messages in their language, unread ones marked."""
    page = queries.page_notifications(current_user.id, max(int_arg("page", 1) or 1, 1), PER_PAGE)
    rows = [(n, messages.render(n.kind, n.params)) for n in page.items]
    return render_template(
        "notifications/index.html",
        page=page,
        rows=rows,
        case_page=messages.CASE_PAGES.get(str(current_user.role)),
    )


@bp.post("/<int:notification_id>/read")
@role_required(*EVERYONE)
def read(notification_id: int) -> Any:
    """Mark one message read and open the case it is about (or go back to the inbox)."""
    notification = load_notification(notification_id)
    if not MarkReadForm().validate_on_submit():
        abort(400)
    services.mark_read(notification)
    db.session.commit()
    endpoint = messages.CASE_PAGES.get(str(current_user.role))
    if notification.case_id is not None and endpoint is not None:
        return redirect(url_for(endpoint, case_id=notification.case_id))
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
@role_required(*EVERYONE)
def read_all() -> Any:
    """Mark every message of the user read."""
    if not MarkReadForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user.id)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required(*EVERYONE)
def settings() -> Any:
    """Choose e-mail and SMS besides the inbox; notices the law requires come regardless."""
    user = current_user._get_current_object()
    preference = queries.get_preference(user.id)
    if request.method == "POST":
        form = PreferenceForm()  # no defaults: a box left unticked is not sent at all
    else:
        form = PreferenceForm(
            by_email=preference.by_email if preference else True,
            by_sms=preference.by_sms if preference else True,
        )
    if form.validate_on_submit():
        services.set_preference(user, by_email=form.by_email.data, by_sms=form.by_sms.data)
        db.session.commit()
        flash(_("通知设置已保存。"), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, user=user)
