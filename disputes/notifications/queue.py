"""The task queue (Huey) that delivers the outbox: SqliteHuey inside the instance folder unless
HUEY_URL (or REDIS_URL) names a Redis server, then RedisHuey; the same tasks either way.

Outbox messages written in a transaction are enqueued once it commits (a rollback enqueues
nothing). The sweep (every minute, and whenever a worker starts) enqueues every message that is
due, so nothing is lost to a queue that was down, a worker that was killed, or a retry. Every 15
minutes the reminders task tells of clocks coming due or overdue (reminders.py).
Run a worker with `huey_consumer disputes.notifications.worker.huey`.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage
from sqlalchemy.orm import Session

from disputes.calendar import local_day
from disputes.db import db
from disputes.notifications import delivery, reminders
from disputes.notifications.services import PENDING_OUTBOX

log = logging.getLogger(__name__)

#: app.extensions keys.
HUEY = "huey"
DELIVER = "notifications.deliver"
SWEEP = "notifications.sweep"
REMINDERS = "notifications.reminders"


class OutboxQueueStorage(SqliteStorage):
    """SqliteHuey's store in WAL mode with synchronous=NORMAL: an enqueue commits without an
    fsync of its own (SQLite's default, FULL, made every filing wait for a second fsync after the
    app database's, 5 ms on the bench machine). The queue is not the record of what is owed: the
    outbox rows are, committed with the change; an enqueue lost to a power cut is enqueued again
    by the sweep. WAL with NORMAL cannot corrupt the file."""

    def _create_connection(self) -> sqlite3.Connection:
        conn = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


class OutboxQueue(SqliteHuey):
    """SqliteHuey on OutboxQueueStorage."""

    storage_class = OutboxQueueStorage


def make_huey(app: Flask) -> Huey:
    """Build the app's queue from its configuration."""
    config = app.config
    url = config.get("HUEY_URL") or config.get("REDIS_URL")
    name = config["HUEY_NAME"]
    if url and not url.startswith("sqlite:///"):
        return RedisHuey(name, url=url, results=False, utc=True)
    filename = url.removeprefix("sqlite:///") if url else config["HUEY_SQLITE_FILE"]
    return OutboxQueue(name, filename=str(Path(app.instance_path) / filename), results=False)


def init_app(app: Flask) -> None:
    """Create the queue and register the delivery tasks on it (db_events.py enqueues outboxes
    on commit)."""
    huey = make_huey(app)

    @huey.task(name="deliver")
    def deliver(outbox_id: int) -> None:
        """Attempt one outbox message; on failure schedule the retry after its backoff."""
        with app.app_context():
            delay = delivery.deliver(outbox_id)
        if delay is not None:
            deliver.schedule((outbox_id,), delay=delay)

    @huey.task(name="sweep")
    def sweep() -> None:
        """Enqueue every outbox message that is due."""
        with app.app_context():
            ids = delivery.due_ids()
        for outbox_id in ids:
            deliver(outbox_id)

    @huey.periodic_task(crontab(minute="*"), name="sweep_every_minute")
    def sweep_every_minute() -> None:
        sweep()

    @huey.periodic_task(crontab(minute="*/15"), name="reminders")
    def send_reminders() -> None:
        """Send the due-soon and overdue reminders not sent yet."""
        with app.app_context():
            reminders.send_due_reminders(local_day())
            db.session.commit()

    @huey.on_startup()
    def sweep_on_startup() -> None:
        sweep()

    app.extensions[HUEY] = huey
    app.extensions[DELIVER] = deliver
    app.extensions[SWEEP] = sweep
    app.extensions[REMINDERS] = send_reminders


def enqueue_committed(session: Session) -> None:
    """Enqueue the outbox messages the committed transaction wrote."""
    ids = session.info.pop(PENDING_OUTBOX, None)
    if not ids or not has_app_context() or DELIVER not in current_app.extensions:
        return
    deliver = current_app.extensions[DELIVER]
    try:
        for outbox_id in ids:
            deliver(outbox_id)
    except Exception:  # the change is committed; the sweep sends these later
        log.exception("could not enqueue outbox messages %s", ids)


def forget_rolled_back(session: Session) -> None:
    """Enqueue nothing: the messages were rolled back."""
    session.info.pop(PENDING_OUTBOX, None)
