"""Notifications through the real queue: audit events → outbox messages → delivered, per second.

    python -m bench.notification_delivery                  # SqliteHuey, the `make run` default
    python -m bench.notification_delivery --queue redis    # RedisHuey on 127.0.0.1:6379

A throw-away app over a file SQLite database with the demo accounts records `--events` filed
receipts (`case.submitted`: the consumer and every staff member are told), one transaction each,
so each commit enqueues its messages as in production, while a Huey consumer with `--workers`
threads delivers them to the file mail and SMS backends. The figure is messages delivered per
second from the first event to the last message marked sent; the check is that every message was
sent exactly once (no idempotency key twice in the mail and SMS files).
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REDIS = "redis://127.0.0.1:6379/0"


def run(events: int = 200, workers: int = 2, queue: str = "sqlite", seconds: float = 120) -> dict:
    """Record `events` filed receipts, deliver their messages; return the counts and the rate."""
    from huey.consumer import Consumer
    from sqlalchemy import func, select

    from disputes import audit, create_app, demo
    from disputes.auth.models import Role, User
    from disputes.cases.models import Case
    from disputes.db import db
    from disputes.notifications.models import OutboxMessage as Outbox
    from disputes.notifications.models import OutboxStatus

    folder = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    settings: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}",
        "SECRET_KEY": "bench-not-secret",
        "HUEY_URL": REDIS if queue == "redis" else f"sqlite:///{folder / 'huey.sqlite'}",
        "HUEY_NAME": f"bench-{secrets.token_hex(6)}",
        "MAIL_BACKEND": "file",
        "MAIL_FILE": str(folder / "mail.jsonl"),
        "SMS_BACKEND": "file",
        "SMS_FILE": str(folder / "sms.jsonl"),
        "AUDIT_CHECKPOINT_EVERY": 0,
        # Only the demo accounts' setup hashes passwords here, unmeasured: no need for scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    app = create_app(settings, instance_path=str(folder / "instance"))
    huey = app.extensions["huey"]
    try:
        with app.app_context():
            db.create_all()
            demo.load()
            db.session.commit()
            staff = db.session.scalars(select(User).where(User.role == Role.staff)).first()
            case = db.session.scalars(select(Case).order_by(Case.id)).first()
            if staff is None or case is None:
                raise RuntimeError("the demo data has no staff member or no case")
            before = db.session.scalar(select(func.count()).select_from(Outbox))
        consumer = Consumer(huey, workers=workers, worker_type="thread", periodic=False)
        consumer.start()
        try:
            with app.app_context():
                started = time.perf_counter()
                for _ in range(events):
                    audit.record(staff, "case.submitted", case)
                    db.session.commit()
                written = time.perf_counter() - started
                total = db.session.scalar(select(func.count()).select_from(Outbox))
                db.session.rollback()
            deadline = time.monotonic() + seconds
            sent = 0
            while time.monotonic() < deadline:
                with app.app_context():
                    sent = db.session.scalar(
                        select(func.count())
                        .select_from(Outbox)
                        .where(Outbox.status == OutboxStatus.sent)
                    )
                    db.session.rollback()
                if sent >= total:
                    break
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
        finally:
            consumer.stop(graceful=True)
        keys = Counter(_keys(folder / "mail.jsonl") + _keys(folder / "sms.jsonl"))
        return {
            "queue": queue,
            "workers": workers,
            "events": events,
            "messages": total - before,
            "delivered": sent - before,
            "sent_twice": sum(1 for n in keys.values() if n > 1),
            "seconds": round(elapsed, 3),
            "events_seconds": round(written, 3),
            "per_second": round((sent - before) / elapsed, 1) if elapsed else 0.0,
        }
    finally:
        huey.flush()
        with app.app_context():
            db.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _keys(path: Path) -> list[str]:
    """The idempotency keys of the messages a file backend received."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["reference"] for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", choices=("sqlite", "redis"), default="sqlite")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.events, args.workers, args.queue)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
