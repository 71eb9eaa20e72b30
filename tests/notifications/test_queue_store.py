"""The SQLite queue store commits an enqueue without an fsync of its own (SQLite's
default made every filing wait for a second fsync after the app database's), in WAL mode, where
that cannot corrupt the file; what an enqueue lost to a power cut owed is sent by the sweep
(test_notification_delivery.py, test_the_sweep_enqueues_what_is_due_and_nothing_sent)."""

from __future__ import annotations

from disputes.notifications import queue


def test_the_sqlite_queue_commits_in_wal_mode_without_an_fsync_per_enqueue(app):
    huey = queue.make_huey(app)
    conn = huey.storage.conn

    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL; FULL is 2

    @huey.task()
    def task(n: int) -> None: ...

    task(1)
    assert huey.pending_count() == 1
    huey.storage.close()
