"""The audit log's hash chain: links, digests that survive the database round trip, `audit verify`
finding edited, deleted and reordered entries, concurrent appends, and the back-filling migration.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from disputes import audit
from disputes.audit import (
    CHAIN_LOCK_KEY,
    GENESIS,
    AuditEvent,
    canonical_time,
    chain_digest,
    verify_chain,
)
from disputes.auth.models import User
from disputes.db import db
from tests.support.threads import run_together

THREADS = 6
APPENDS = 8


def _entries() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def _raw(sql: str, **params) -> None:
    """Tamper with the table behind the ORM's back, as someone with database access could."""
    with db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


@pytest.fixture
def three_entries(app_ctx, consumer) -> list[int]:
    ids = [
        audit.record(consumer, "test.first", consumer, after={"名字": "张三", "n": 1}).id,
        audit.record(None, "test.second", None, before={"at": datetime(2025, 1, 2, 3, 4, 5, 6)}).id,
        audit.record(consumer, "test.third", consumer, after={"yuan": Decimal("12.50")}).id,
    ]
    db.session.commit()
    return ids


def test_each_entry_links_to_the_one_before(three_entries):
    entries = _entries()
    assert [e.id for e in entries][-3:] == three_entries
    assert entries[0].prev_hash == GENESIS
    for before, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == before.entry_hash
    assert len({e.entry_hash for e in entries}) == len(entries)


def test_the_digest_read_back_equals_the_digest_written(app_ctx, consumer):
    written = audit.record(
        consumer,
        "test.values",
        consumer,
        before={"day": date(2024, 2, 29), "nested": {"b": [1, 2.5, None], "a": '引号"<>'}},
        after={"yuan": Decimal("168800.00"), "flag": True, "ctl": "\x01\n"},
    )
    db.session.commit()
    digest = written.entry_hash
    db.session.remove()
    row = db.session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.id.desc())).first()
    assert chain_digest(row._mapping) == digest == row.entry_hash
    assert row.at.microsecond == written.at.microsecond


def test_an_entry_after_a_rollback_names_actor_and_object_without_reading_them_again(
    app_ctx, consumer, staff
):
    """A refused request's access.denied is written after its work is rolled back, which expires
    every row it read: the ids come from the rows' identities, not from loading them again."""
    actor, target = db.session.get_one(User, staff.id), db.session.get_one(User, consumer.id)
    db.session.rollback()
    statements: list[str] = []

    def on_execute(conn, cursor, statement, *args) -> None:  # noqa: ARG001
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        entry = audit.record(actor, "test.refused", target)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_execute)

    assert (entry.actor_id, entry.object_type, entry.object_id) == (staff.id, "users", consumer.id)
    assert [s for s in statements if "FROM users" in s] == []


def test_an_inactive_actor_is_named_and_an_anonymous_one_is_not(app_ctx, staff):
    actor = db.session.get_one(User, staff.id)
    actor.is_active = False  # e.g. an administrator who has just closed their own account

    assert audit.record(actor, "test.inactive").actor_id == staff.id
    assert audit.record(AnonymousUserMixin(), "test.anonymous").actor_id is None


def test_canonical_time_reads_naive_aware_and_text_timestamps_alike():
    naive = datetime(2026, 11, 25, 11, 0, 0, 120)
    shanghai = naive.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=8)))
    assert canonical_time(naive) == "2026-11-25T11:00:00.000120"
    assert canonical_time(shanghai) == canonical_time(naive)
    assert canonical_time("2026-11-25 11:00:00.000120") == canonical_time(naive)
    assert canonical_time(naive.replace(microsecond=0)) == "2026-11-25T11:00:00.000000"


def test_verify_reports_how_many_entries_hold(three_entries, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    total = len(_entries())
    assert result.output.startswith(f"{total} entries verified")


def test_verify_of_an_empty_log_passes(app_ctx, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert result.output.startswith("0 entries verified")


def test_verify_finds_an_entry_edited_with_raw_sql(three_entries, runner):
    _raw("UPDATE audit_events SET action = 'test.innocent' WHERE id = :id", id=three_entries[1])

    result = runner.invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert f"entry #{three_entries[1]}" in result.output
    assert "content was changed" in result.output


def test_verify_finds_edited_json_values(three_entries):
    _raw('UPDATE audit_events SET after = \'{"yuan": "1.00"}\' WHERE id = :id', id=three_entries[2])
    report = verify_chain()
    assert (report.ok, report.broken_id) == (False, three_entries[2])


def test_verify_finds_an_entry_deleted_with_raw_sql(three_entries, runner):
    _raw("DELETE FROM audit_events WHERE id = :id", id=three_entries[1])

    result = runner.invoke(args=["audit", "verify"])

    assert result.exit_code == 1
    assert f"entry #{three_entries[2]} (test.third) does not follow entry #{three_entries[0]}" in (
        result.output
    )


def test_verify_finds_the_first_entry_deleted(three_entries):
    first = _entries()[0].id
    _raw("DELETE FROM audit_events WHERE id = :id", id=first)
    report = verify_chain()
    assert not report.ok
    assert "does not follow the start of the log" in report.problem


def test_verify_finds_two_entries_swapped(three_entries):
    first, second, _third = three_entries
    _raw("UPDATE audit_events SET id = -1 WHERE id = :id", id=first)
    _raw("UPDATE audit_events SET id = :new WHERE id = :id", new=first, id=second)
    _raw("UPDATE audit_events SET id = :new WHERE id = -1", new=second)

    report = verify_chain()

    assert (report.ok, report.broken_id) == (False, first)


def test_the_chain_refuses_a_second_entry_after_the_same_one(three_entries):
    """The unique prev_hash is the database's own guard against a fork."""
    last = _entries()[-1]
    fork = AuditEvent(
        id=last.id + 100,
        at=last.at,
        action="test.fork",
        prev_hash=last.prev_hash,
        entry_hash="f" * 64,
    )
    db.session.add(fork)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_deleting_a_user_leaves_their_entries_verifiable(app_ctx, make_user):
    user_id = make_user("consumer").id
    audit.record(db.session.get(User, user_id), "test.acted", None)
    db.session.commit()
    _raw("DELETE FROM users WHERE id = :id", id=user_id)
    assert verify_chain().ok
    assert user_id in {e.actor_id for e in _entries()}


# --- concurrency ------------------------------------------------------------------------------


def test_appends_from_many_connections_at_once_keep_one_chain(threaded_app):
    def append(n: int) -> None:
        for i in range(APPENDS):
            # Two entries per transaction, read between them: the lock spans the transaction.
            audit.record(None, "test.concurrent", None, after={"thread": n, "i": i})
            db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
            audit.record(None, "test.concurrent", None, after={"thread": n, "i": i, "2nd": True})
            db.session.commit()

    _, errors = run_together(append, THREADS, threaded_app)

    assert errors == []
    with threaded_app.app_context():
        report = verify_chain()
        assert report.ok, report.problem
        assert report.verified == THREADS * APPENDS * 2


def test_a_second_append_waits_for_the_first_transaction(threaded_app):
    """While one transaction holds an unsaved entry, another append waits and then follows it."""
    app = threaded_app
    done = threading.Event()
    second: dict[str, str] = {}

    def append_second() -> None:
        with app.app_context():
            entry = audit.record(None, "test.second", None)
            second["prev"] = entry.prev_hash
            db.session.commit()
            done.set()

    with app.app_context():
        first = audit.record(None, "test.first", None)
        thread = threading.Thread(target=append_second)
        thread.start()
        if app.config["TEST_BACKEND"] == "postgresql":
            _wait_for_advisory_lock_waiter()
        assert not done.wait(0.3), "the second append did not wait for the first transaction"
        db.session.commit()
        first_hash = first.entry_hash
    thread.join(timeout=30)
    assert second["prev"] == first_hash
    with app.app_context():
        assert verify_chain().ok


def _wait_for_advisory_lock_waiter() -> None:
    """Block until another connection waits on the chain's advisory lock (PostgreSQL)."""
    waiting = sa.text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND classid = :key AND objid = (hashtext(current_schema())::bigint & 4294967295)::oid"
    ).bindparams(key=CHAIN_LOCK_KEY)
    with db.engine.connect() as conn:
        for _ in range(500):
            if conn.execute(waiting).scalar_one():
                return
            threading.Event().wait(0.01)
    pytest.fail("the second append never waited for the chain lock")


# --- the migration --------------------------------------------------------------------------


def test_the_migration_chains_existing_entries_so_that_verify_passes(empty_app):
    old = sa.table(
        "audit_events",
        sa.column("at", sa.DateTime()),
        sa.column("action", sa.String()),
        sa.column("after", sa.JSON()),
    )
    with empty_app.app_context():
        upgrade(revision="a8c0ffee0008")
        with db.engine.begin() as conn:
            conn.execute(
                old.insert(),
                [
                    {
                        "at": datetime(2025, 1, 1, 8, 0, 0, 123456),
                        "action": "old.one",
                        "after": {"名": "王", "x": [1, 2.5]},
                    },
                    {"at": datetime(2025, 1, 2), "action": "old.two", "after": None},
                    {"at": datetime(2025, 1, 3), "action": "old.three", "after": {"n": 3}},
                ],
            )
        upgrade(revision="a9c0ffee0009")

        report = verify_chain()
        assert (report.ok, report.verified) == (True, 3), report.problem
        audit.record(None, "new.after_migration", None)
        db.session.commit()
        assert verify_chain().verified == 4
        db.session.remove()

        downgrade(revision="a8c0ffee0008")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("audit_events")}
        assert {"prev_hash", "entry_hash"}.isdisjoint(columns)
        keys = sa.inspect(db.engine).get_foreign_keys("audit_events")
        assert {k["referred_table"] for k in keys} == {"users", "cases"}


@pytest.mark.postgresql_only
def test_an_append_and_a_row_lock_taken_in_opposite_orders_do_not_deadlock(threaded_app):
    """Staff A accepts case 1 (an audit entry, then routing locks the panel) while staff B routes
    case 2 (panel locked first, then its audit entry): both must succeed (PostgreSQL; SQLite has
    one write lock)."""
    from disputes.cases import states
    from disputes.cases.models import Case, CaseStatus
    from disputes.experts import services
    from tests.experts.crowded_panel import file_case, seed

    app = threaded_app
    with app.app_context():
        staff_id, (first, second, *_rest) = seed(app, file_case)
        staff = db.session.get(User, staff_id)
        states.transition(db.session.get(Case, second), CaseStatus.accepted, staff)
        db.session.commit()
    errors: list[BaseException] = []

    def route_second() -> None:
        try:
            with app.app_context():
                services.route_case(db.session.get(Case, second), db.session.get(User, staff_id))
                db.session.commit()
        except BaseException as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)

    with app.app_context():
        staff = db.session.get(User, staff_id)
        case = db.session.get(Case, first)
        states.transition(case, CaseStatus.accepted, staff)  # A appends: holds the chain lock
        thread = threading.Thread(target=route_second)
        thread.start()
        _wait_for_advisory_lock_waiter()  # B waits for the chain lock
        try:
            services.route_case(case, staff)  # A locks the panel
            db.session.commit()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
            db.session.rollback()
    thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        assert verify_chain().ok
