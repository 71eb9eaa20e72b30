"""Audit hash chain: prev_hash and entry_hash on audit_events, back-filled in id order.

Revision ID: a9c0ffee0009
Revises: a8c0ffee0008
Create Date: 2026-11-25 19:00:00

Hand-written. Each entry gets the digest of the entry before it (prev_hash, GENESIS for the
first; unique, so the chain cannot fork) and its own (entry_hash: SHA-256 of the canonical JSON
of id, at, actor_id, action, object_type, object_id, case_id, before, after, prev_hash). The
digest is spelled out here, never imported from the app; tests check that `audit verify` accepts
the back-filled chain. The foreign keys from actor_id and case_id are dropped: their ON DELETE
SET NULL would rewrite hashed rows when a user or case is deleted.
"""

import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "a9c0ffee0009"
down_revision = "a8c0ffee0008"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
FIELDS = (
    "id", "at", "actor_id", "action", "object_type", "object_id", "case_id", "before", "after",
    "prev_hash",
)
BATCH = 1000

events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime()),
    sa.column("actor_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("entry_hash", sa.String()),
)

FOREIGN_KEYS = (
    ("fk_audit_events_actor_id_users", "users", "actor_id"),
    ("fk_audit_events_case_id_cases", "cases", "case_id"),
)


def _digest(row):
    payload = {name: row[name] for name in FIELDS}
    at = payload["at"]
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    payload["at"] = at.isoformat(timespec="microseconds")
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _backfill():
    """Chain the existing entries in id order, a batch at a time."""
    bind = op.get_bind()
    update = (
        events.update()
        .where(events.c.id == sa.bindparam("_id"))
        .values(prev_hash=sa.bindparam("_prev"), entry_hash=sa.bindparam("_hash"))
    )
    columns = [events.c[name] for name in FIELDS if name != "prev_hash"]
    prev, last_id = GENESIS, 0
    while True:
        rows = bind.execute(
            sa.select(*columns).where(events.c.id > last_id).order_by(events.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        params = []
        for row in rows:
            digest = _digest(dict(row._mapping, prev_hash=prev))
            params.append({"_id": row.id, "_prev": prev, "_hash": digest})
            prev, last_id = digest, row.id
        bind.execute(update, params)


def upgrade():
    with op.batch_alter_table("audit_events") as batch:
        for name, _table, _column in FOREIGN_KEYS:
            batch.drop_constraint(name, type_="foreignkey")
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("audit_events") as batch:
        for column in ("prev_hash", "entry_hash"):
            batch.alter_column(column, existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_audit_events_prev_hash", ["prev_hash"])


def downgrade():
    # References to deleted users and cases become NULL, as ON DELETE SET NULL would have made them.
    for _name, table, column in FOREIGN_KEYS:
        parents = sa.table(table, sa.column("id", sa.Integer()))
        op.execute(
            events.update()
            .where(events.c[column].not_in(sa.select(parents.c.id)))
            .values({column: None})
        )
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("uq_audit_events_prev_hash", type_="unique")
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
        for name, table, column in FOREIGN_KEYS:
            batch.create_foreign_key(name, table, [column], ["id"], ondelete="SET NULL")
