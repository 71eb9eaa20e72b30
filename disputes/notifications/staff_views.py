"""The staff's view of the outbox: messages given up on after every attempt, with the error and a
button that sends them again (audited). Addresses are masked: staff need to see that a message
failed and why, not whom to write to."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.db import db
from disputes.notifications import bp, queries, services
from disputes.notifications.forms import ResendForm
from disputes.notifications.models import Channel, OutboxMessage, OutboxStatus
from disputes.params import int_arg
from disputes.privacy.masking import mask_email, mask_phone

PER_PAGE = 50


def masked_address(message: OutboxMessage) -> str:
    """The address as staff see it: 139****0001, u***@example.com."""
    if message.channel == Channel.sms:
        return mask_phone(message.address)
    return mask_email(message.address)


@bp.get("/failed")
@role_required("staff")
def failed() -> Any:
    """List the failed e-mails and SMS, newest first."""
    page = queries.page_failed_outbox(max(int_arg("page", 1) or 1, 1), PER_PAGE)
    rows = [(message, masked_address(message)) for message in page.items]
    return render_template("notifications/failed.html", page=page, rows=rows, form=ResendForm())


@bp.post("/failed/<int:outbox_id>/resend")
@role_required("staff")
def resend(outbox_id: int) -> Any:
    """Send a failed message again (it gets its attempts afresh)."""
    message = queries.get_outbox_message(outbox_id)
    if message is None:
        abort(404)
    if not ResendForm().validate_on_submit():
        abort(400)
    if message.status != OutboxStatus.failed:
        flash(_("该消息不是发送失败的消息，无需重发。"), "info")
        return redirect(url_for("notifications.failed"))
    services.resend(message, current_user._get_current_object())
    db.session.commit()
    flash(_("已重新发送，请稍后查看结果。"), "success")
    return redirect(url_for("notifications.failed"))
