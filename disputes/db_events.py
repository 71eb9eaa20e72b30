"""Every SQLAlchemy event listener the app adds to sessions and models, registered here alone.

They apply to every Session of the process, so a service that says only `flush()` or a view that
says only `commit()` also sets off what is listed below. create_app calls `install()`; importing a
module registers nothing.

At flush (in this order):
- audit.lock_before_first_write (Session before_flush) and audit.lock_before_locking_statement
  (do_orm_execute, for UPDATE, DELETE and FOR UPDATE without a flush): on PostgreSQL a writing
  transaction takes the audit chain's advisory lock before any row lock, so appends cannot
  deadlock against row locks. Registered first: the listeners after it write.
- rollup.mark_dirty_days (Session before_flush): marks the statistics day of every case the flush
  touches, in the same transaction, for the next read page to recount (staff/rollup.py).
- audit.refuse_update, audit.refuse_delete (AuditEvent before_update, before_delete): the audit
  trail is append-only; changing or deleting an entry raises.
- audit_checkpoints.note_due (Session after_flush): notes an appended audit entry that is due a
  signed checkpoint (every AUDIT_CHECKPOINT_EVERY-th).

At commit (Session after_commit):
- uploads.keep_committed_files: keeps the files the transaction wrote and deletes from disk those
  whose rows it deleted (uploads.delete_after_commit: a withdrawn file, a deleted draft, a purged
  case).
- audit_checkpoints.sign_due: appends the signed checkpoint noted at flush.
- queue.enqueue_committed: puts the outbox messages it wrote on the delivery queue.

When a transaction ends without a commit:
- uploads.forget_uncommitted_files (Session after_transaction_end): deletes the files it wrote.
- audit_checkpoints.forget_due, queue.forget_rolled_back (Session after_rollback): drop what was
  waiting for the commit.

Connection set-up (SQLite pragmas, lock timeouts) is db.py's, SQLite's write gate is
write_gate.py's; the functions told of each audit record in its transaction (the notifications)
are audit.subscribe's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from disputes import audit, audit_checkpoints
from disputes.audit import AuditEvent
from disputes.cases import uploads
from disputes.notifications import queue
from disputes.staff import rollup

#: (target, event name, listener), in the order SQLAlchemy calls listeners of one event.
LISTENERS: tuple[tuple[Any, str, Callable[..., Any]], ...] = (
    (Session, "before_flush", audit.lock_before_first_write),
    (Session, "do_orm_execute", audit.lock_before_locking_statement),
    (Session, "before_flush", rollup.mark_dirty_days),
    (AuditEvent, "before_update", audit.refuse_update),
    (AuditEvent, "before_delete", audit.refuse_delete),
    (Session, "after_flush", audit_checkpoints.note_due),
    (Session, "after_commit", uploads.keep_committed_files),
    (Session, "after_commit", audit_checkpoints.sign_due),
    (Session, "after_commit", queue.enqueue_committed),
    (Session, "after_transaction_end", uploads.forget_uncommitted_files),
    (Session, "after_rollback", audit_checkpoints.forget_due),
    (Session, "after_rollback", queue.forget_rolled_back),
)


def install() -> None:
    """Register every listener once per process: SQLAlchemy keeps them globally, and tests build
    many apps, so one already registered is not added again (it would run twice)."""
    for target, name, listener in LISTENERS:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
