"""Writes: the append-only audit trail — AuditEvent, record() (called by every service that writes)
and the hash chain that makes an edited, deleted or reordered entry detectable (verify_chain).

Each entry stores the digest of the entry before it (`prev_hash`) and its own (`entry_hash`), a
SHA-256 over the canonical JSON of its fields. Appends are serialised so the chain cannot fork.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from disputes.db import db, utcnow

#: prev_hash of the first entry.
GENESIS = "0" * 64
#: Key of the PostgreSQL advisory lock that serialises appends (any int4 unique to this app);
#: its second half is the schema's, as each schema has its own audit_events and chain.
CHAIN_LOCK_KEY = 0x61756469
_SCHEMA_KEY = sa.func.hashtext(sa.func.current_schema())
#: The fields an entry's digest covers, in the order they are documented.
CHAINED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "before",
    "after",
    "prev_hash",
)


class AuditEvent(db.Model):
    """Who did what to which object, when, with the values before and after. Never updated.

    actor_id and case_id carry no foreign keys on purpose: deleting a user or purging a case must
    not rewrite history (ON DELETE SET NULL would change hashed rows and break the chain).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The user who acted; null for the system (CLI, scheduled jobs) or anonymous visitors.
    actor_id: Mapped[int | None]
    #: Dotted verb, e.g. "case.submitted", "user.login", "assignment.declined".
    action: Mapped[str] = mapped_column(String(64))
    #: Table name of the object acted on ("cases", "users", ...).
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    #: The case the event belongs to, so a case's history is one indexed query.
    case_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: entry_hash of the entry before this one (GENESIS for the first); unique, so no fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 (hex) of the canonical JSON of CHAINED_FIELDS.
    entry_hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.object_type}:{self.object_id}>"


class AuditIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def refuse_update(mapper, connection, target) -> None:  # noqa: ARG001
    """Refuse to flush a change to an audit event (the trail is append-only)."""
    raise AuditIsAppendOnly(f"audit event {target.id} cannot be changed")


def refuse_delete(mapper, connection, target) -> None:  # noqa: ARG001
    """Refuse to flush the deletion of an audit event."""
    raise AuditIsAppendOnly(f"audit event {target.id} cannot be deleted")


def jsonable(value: Any) -> Any:
    """Turn dates, Decimals and enums (also inside dicts and lists) into JSON-safe values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _stored(value: dict[str, Any] | None) -> Any:
    """Return `value` exactly as the JSON column will give it back (so it hashes the same)."""
    if value is None:
        return None
    return json.loads(json.dumps(jsonable(value), allow_nan=False))


def canonical_time(at: datetime | str) -> str:
    """Render a timestamp as naive UTC with microseconds, however the database returned it."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def chain_digest(fields: Mapping[str, Any]) -> str:
    """Return the SHA-256 hex digest of one entry's CHAINED_FIELDS (the stored format: never change
    it without a migration that re-hashes every entry)."""
    payload = {name: fields[name] for name in CHAINED_FIELDS}
    payload["at"] = canonical_time(payload["at"])
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Session.info key: the transaction that holds the PostgreSQL chain lock.
_LOCKED_IN = "audit.chain_locked_in"


def _hold_chain_lock(session: Session) -> None:
    """Take the chain's PostgreSQL advisory lock once per transaction (held until it ends)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if session.info.get(_LOCKED_IN) is not transaction:
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK_KEY, _SCHEMA_KEY)))
        session.info[_LOCKED_IN] = transaction


def lock_before_first_write(session: Session, flush_context, instances) -> None:  # noqa: ARG001
    """On PostgreSQL every writing transaction takes the chain lock before any row lock, so an
    append can never wait for a row lock held by a transaction that waits for the chain (the
    deadlock of "append, then lock a row" against "lock the row, then append")."""
    if session.new or session.dirty or session.deleted:
        _hold_chain_lock(session)


def lock_before_locking_statement(state: ORMExecuteState) -> None:
    """The same for statements that lock rows without a flush (UPDATE, DELETE, FOR UPDATE)."""
    for_update = state.is_select and getattr(state.statement, "_for_update_arg", None) is not None
    if state.is_insert or state.is_update or state.is_delete or for_update:
        _hold_chain_lock(state.session)


def lock_chain() -> None:
    """Hold the chain's write lock until the transaction ends, before the tail is read.

    PostgreSQL: the advisory lock above. SQLite: the database write lock; the driver opens a
    transaction only at the first write, so an idle connection starts one with BEGIN IMMEDIATE,
    and one that already wrote holds the lock.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        _hold_chain_lock(db.session())


def _next_link() -> tuple[int, str]:
    """Return the id and prev_hash for the next entry (call with the chain lock held)."""
    table = AuditEvent.__table__
    last = sa.select(table.c.id, table.c.entry_hash).order_by(table.c.id.desc()).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        # Ids come from the sequence (never reused), drawn under the lock so id order = chain order.
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        tail = last.with_only_columns(table.c.entry_hash).scalar_subquery()
        next_id, prev = db.session.execute(sa.select(sa.func.nextval(sequence), tail)).one()
        return next_id, prev or GENESIS
    row = db.session.execute(last).first()
    return (1, GENESIS) if row is None else (row.id + 1, row.entry_hash)


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    case: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event for `actor` doing `action` to `obj` (flushes; the caller commits).

    The chain lock is held until the caller's transaction ends.
    """
    actor_id = _key(actor)  # None for an anonymous visitor, who has no id
    if case is None and obj is not None:
        case_id = _key(obj) if getattr(obj, "__tablename__", None) == "cases" else None
        case_id = case_id if case_id is not None else getattr(obj, "case_id", None)
    else:
        case_id = _key(case)
    entry = AuditEvent(
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        object_type=getattr(obj, "__tablename__", None if obj is None else type(obj).__name__),
        object_id=_key(obj),
        case_id=case_id,
        before=_stored(before),
        after=_stored(after),
    )
    lock_chain()
    entry.id, entry.prev_hash = _next_link()
    entry.entry_hash = chain_digest({name: getattr(entry, name) for name in CHAINED_FIELDS})
    db.session.add(entry)
    db.session.flush()
    for listener in current_app.extensions.get(LISTENERS, ()):
        listener(entry)
    return entry


def _key(obj: Any) -> Any:
    """Return `obj`'s id (None for None), from its identity when it is a loaded row keyed by
    `id`: after a commit or a rollback (a refused request's access.denied) its attributes are
    expired, and reading `obj.id` would load the whole row again."""
    state = sa.inspect(obj, raiseerr=False)
    if state is not None and state.identity is not None and state.mapper.primary_key[0].key == "id":
        return state.identity[0]
    return getattr(obj, "id", None)


#: app.extensions key: the functions told of every recorded event (see subscribe).
LISTENERS = "audit.listeners"


def subscribe(app: Flask, listener: Callable[[AuditEvent], None]) -> None:
    """Call `listener(entry)` after each event `app` records, in the same transaction, so what
    it writes commits or rolls back with the change (create_app subscribes the notifications)."""
    listeners = app.extensions.setdefault(LISTENERS, [])
    if listener not in listeners:
        listeners.append(listener)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of walking the chain: how many entries held, and the first one that did not."""

    verified: int
    head: str
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


@contextmanager
def _rows(connection: sa.Connection | None) -> Iterator[Iterator[Mapping[str, Any]]]:
    """Stream the entries in id order (a server-side cursor on PostgreSQL, closed on exit)."""
    table = AuditEvent.__table__
    columns = [table.c[name] for name in CHAINED_FIELDS] + [table.c.entry_hash]
    query = sa.select(*columns).order_by(table.c.id).execution_options(yield_per=2000)
    with closing((connection or db.session).execute(query)) as result:
        yield (row._mapping for row in result)


RowTap = Callable[[Iterator[Mapping[str, Any]]], Iterator[Mapping[str, Any]]]


def verify_chain(connection: sa.Connection | None = None, tap: RowTap | None = None) -> ChainReport:
    """Walk the audit log in id order and report the first entry that breaks the chain.

    Reads through the session, or through `connection` (a backup's snapshot) when given; `tap`
    sees every row as it is walked (the signed checkpoints are compared with them so).
    """
    with _rows(connection) as rows:
        return _walk(tap(rows) if tap else rows)


def _walk(rows: Iterator[Mapping[str, Any]]) -> ChainReport:
    prev_hash, prev_id, verified = GENESIS, None, 0
    for row in rows:
        if row["prev_hash"] != prev_hash:
            after = f"entry #{prev_id}" if prev_id is not None else "the start of the log"
            problem = (
                f"entry #{row['id']} ({row['action']}) does not follow {after}: an entry was "
                "deleted, inserted or moved there"
            )
            return ChainReport(verified, prev_hash, row["id"], problem)
        if chain_digest(row) != row["entry_hash"]:
            problem = (
                f"entry #{row['id']} ({row['action']}) does not match its hash: its content "
                "was changed"
            )
            return ChainReport(verified, prev_hash, row["id"], problem)
        prev_hash, prev_id, verified = row["entry_hash"], row["id"], verified + 1
    return ChainReport(verified, prev_hash)
