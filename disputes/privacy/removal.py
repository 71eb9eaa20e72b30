"""Writes: removing a case for good — its rows, its drafts and, once committed, its files.

Files are deleted only after a successful commit (uploads.delete_after_commit), so a removal that
fails or is rolled back leaves every file where it was: nothing is lost, and the worst case of a
crash between commit and deletion is an orphan file, never a row pointing at a missing file.
"""

from __future__ import annotations

from typing import Any

from disputes import audit
from disputes.cases import uploads
from disputes.cases.models import Case
from disputes.db import db
from disputes.notifications.models import Notification, OutboxMessage
from disputes.privacy import queries


def remove_case(case: Case, actor: Any) -> list[str]:
    """Delete `case` and everything hanging off it; audit case.purged with the number only.

    Rows that reference the case are removed by their ON DELETE CASCADE foreign keys (problems,
    repair events, files, assignments, opinions, notes, clocks ...). Audit events are append-only
    and hash-chained, so they stay as they are (audit_events.case_id has no foreign key). The draft
    the case was filed from only has SET NULL, so it is deleted here: it holds the same personal
    data. Returns the stored names that are deleted from disk on commit.
    """
    drafts = queries.list_filed_drafts([case.id])
    names = [a.stored_name for a in case.attachments]
    names += [f.stored_name for draft in drafts for f in draft.files]
    number = case.number
    # Sent and waiting messages carry the consumer's address and the case in their text; their
    # inbox rows go with the case (ON DELETE CASCADE), the outbox would only lose the link.
    db.session.execute(
        db.delete(OutboxMessage).where(
            OutboxMessage.notification_id.in_(
                db.select(Notification.id).where(Notification.case_id == case.id)
            )
        )
    )
    for draft in drafts:
        db.session.delete(draft)
    db.session.delete(case)
    db.session.flush()
    audit.record(actor, "case.purged", None, after={"number": number})
    for name in names:
        uploads.delete_after_commit(name)
    return names
