"""Signed checkpoints of the audit chain's head: `audit verify` finds entries cut off the end of the
log and a log re-hashed from an edited entry on (which the chain alone accepts), refuses an altered
checkpoint file, and names the last checkpoint that still holds (both databases)."""

from __future__ import annotations

import json
import stat

import pytest
import sqlalchemy as sa

from disputes import audit, audit_checkpoints
from disputes.audit import CHAINED_FIELDS, GENESIS, AuditEvent, chain_digest, verify_chain
from disputes.db import db


def _record(n: int) -> list[int]:
    ids = [audit.record(None, f"test.entry{i}", None, after={"i": i}).id for i in range(n)]
    db.session.commit()
    return ids


def _checkpoint(runner) -> None:
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert "Signed the checkpoint" in result.output


def _verify(runner):
    db.session.remove()
    return runner.invoke(args=["audit", "verify"])


def _raw(sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def _rehash_from(first_id: int) -> None:
    """Recompute prev_hash and entry_hash of every entry from `first_id` on, as someone with write
    access to the table and the app's code could."""
    table = AuditEvent.__table__
    with db.engine.begin() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(table.c.id))]
        prev = GENESIS
        for row in rows:
            if row["id"] >= first_id:
                row["prev_hash"] = prev
                row["entry_hash"] = chain_digest({k: row[k] for k in CHAINED_FIELDS})
                # prev_hash is unique: park the new value first, then set the final ones.
                conn.execute(
                    table.update()
                    .where(table.c.id == row["id"])
                    .values(prev_hash=f"x{row['id']}", entry_hash=row["entry_hash"])
                )
            prev = row["entry_hash"]
        for row in rows:
            if row["id"] >= first_id:
                conn.execute(
                    table.update().where(table.c.id == row["id"]).values(prev_hash=row["prev_hash"])
                )


@pytest.fixture
def signed(app_ctx, runner) -> list[int]:
    """Eight entries with a signed checkpoint after the fifth and after the eighth."""
    ids = _record(5)
    _checkpoint(runner)
    ids += _record(3)
    _checkpoint(runner)
    return ids


def test_a_clean_log_with_checkpoints_verifies(signed, runner):
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "8 entries verified" in result.output
    assert "2 checkpoint(s) hold" in result.output
    assert f"entry #{signed[-1]}" in result.output


def test_entries_deleted_at_the_end_are_found(signed, runner):
    _raw("DELETE FROM audit_events WHERE id > :id", id=signed[5])
    assert verify_chain().ok  # the chain alone cannot see it

    result = _verify(runner)

    assert result.exit_code == 1
    assert f"entry #{signed[-1]}" in result.output
    assert "deleted" in result.output
    assert "last good: checkpoint of" in result.output
    assert f"at entry #{signed[4]}, 5 entries" in result.output


def test_a_log_rehashed_from_an_edited_entry_on_is_found(signed, runner):
    _raw("UPDATE audit_events SET action = 'test.innocent' WHERE id = :id", id=signed[6])
    _rehash_from(signed[6])
    assert verify_chain().ok  # the chain alone accepts the rewrite

    result = _verify(runner)

    assert result.exit_code == 1
    assert f"entry #{signed[-1]} is no longer the one" in result.output
    assert "last good: checkpoint of" in result.output
    assert f"at entry #{signed[4]}" in result.output


def test_a_rewrite_before_the_first_checkpoint_has_no_good_checkpoint(signed, runner):
    _raw("UPDATE audit_events SET action = 'test.innocent' WHERE id = :id", id=signed[0])
    _rehash_from(signed[0])

    result = _verify(runner)

    assert result.exit_code == 1
    assert "last good: none" in result.output


def test_an_altered_checkpoint_file_is_refused(signed, runner):
    path = audit_checkpoints.checkpoints_path()
    lines = path.read_text().splitlines()
    forged = json.loads(lines[-1])
    forged["count"] = 99
    path.write_text("\n".join([lines[0], json.dumps(forged)]) + "\n")

    result = _verify(runner)

    assert result.exit_code == 1
    assert "line 2" in result.output
    assert "not a correctly signed checkpoint" in result.output
    assert f"at entry #{signed[4]}" in result.output


def test_the_key_is_generated_once_readable_by_the_owner_only(signed, app):
    key = audit_checkpoints._instance_file("AUDIT_CHECKPOINT_KEY_FILE")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text()) == 64
    assert audit_checkpoints.checkpoints_path().parent == key.parent


def test_checkpoint_refuses_to_sign_a_broken_log(signed, runner):
    _raw("DELETE FROM audit_events WHERE id > :id", id=signed[5])
    before = audit_checkpoints.checkpoints_path().read_text()

    result = runner.invoke(args=["audit", "checkpoint"])

    assert result.exit_code == 1
    assert "deleted" in result.output
    assert audit_checkpoints.checkpoints_path().read_text() == before


def test_a_missing_key_fails_verification(signed, runner):
    audit_checkpoints._instance_file("AUDIT_CHECKPOINT_KEY_FILE").unlink()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "checkpoint key" in result.output
    assert "is missing" in result.output


EVERY_FOURTH = pytest.mark.parametrize("app_config", [{"AUDIT_CHECKPOINT_EVERY": 4}])


@EVERY_FOURTH
def test_every_fourth_entry_is_signed_after_its_commit(app_ctx, runner):
    ids = [_record(1)[0] for _ in range(12)]
    multiples = [i for i in ids if i % 4 == 0]
    lines = [json.loads(x) for x in audit_checkpoints.checkpoints_path().read_text().splitlines()]
    assert [line["entry_id"] for line in lines] == multiples
    assert {line["reason"] for line in lines} == {"entries"}
    assert _verify(runner).exit_code == 0

    _raw("DELETE FROM audit_events WHERE id >= :id", id=multiples[-1])
    assert _verify(runner).exit_code == 1


@EVERY_FOURTH
def test_a_rolled_back_entry_is_not_signed(app_ctx):
    _record(1)
    path = audit_checkpoints.checkpoints_path()
    before = path.read_text() if path.exists() else ""
    for _ in range(4):
        audit.record(None, "test.never", None)
    db.session.rollback()
    assert (path.read_text() if path.exists() else "") == before
    assert audit_checkpoints.verify().ok


def test_a_line_with_a_signature_of_another_type_is_refused(signed, runner):
    path = audit_checkpoints.checkpoints_path()
    forged = json.loads(path.read_text().splitlines()[-1])
    for signature in (12, "签名", None):
        path.write_text(json.dumps({**forged, "signature": signature}) + "\n")
        result = _verify(runner)
        assert result.exit_code == 1
        assert "line 1" in result.output
    path.write_text("[1, 2]\n")
    assert "line 1" in _verify(runner).output
