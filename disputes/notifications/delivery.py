"""One delivery attempt of an outbox message, as the queue worker runs it: claim, send, record.

Each step commits on its own: the claim before sending (so another worker leaves the message
alone), the result after. A crash in between leaves the claim's lease, after which the message
is due again: delivery is at-least-once, and the idempotency key travels with every attempt.
"""

from __future__ import annotations

import logging

from disputes.db import db, utcnow
from disputes.notifications import queries, services
from disputes.notifications.channels import SENDERS

log = logging.getLogger(__name__)


def deliver(outbox_id: int) -> float | None:
    """Attempt one outbox message; return the seconds until a retry is due, or None."""
    message = services.claim_outbox(outbox_id, utcnow())
    db.session.commit()
    if message is None:
        return None
    try:
        SENDERS[message.channel](message)
    except Exception as error:  # any failure of the channel is retried
        log.warning("outbox %s: attempt %s failed: %s", outbox_id, message.attempts, error)
        delay = services.record_failure(message, f"{type(error).__name__}: {error}", utcnow())
        db.session.commit()
        return delay
    services.mark_sent(message, utcnow())
    db.session.commit()
    return None


def due_ids() -> list[int]:
    """List the outbox messages due for an attempt now."""
    ids = queries.list_due_outbox_ids(utcnow())
    db.session.rollback()
    return ids
