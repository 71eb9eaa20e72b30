"""The production path: `huey_consumer` worker processes over the SQLite queue and the real Redis.
A worker killed in the middle of a send loses nothing: after a restart every pending message is
delivered, once per address."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from disputes import create_app
from disputes.auth import services as auth_services
from disputes.auth.models import Role
from disputes.cases import services as case_services
from disputes.db import db, utcnow
from disputes.notifications.models import OutboxStatus
from tests.notifications.messages import outbox
from tests.support.data import CASE_FACTS

REDIS = "redis://127.0.0.1:6379/0"
CONSUMER = Path(sys.executable).with_name("huey_consumer")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def wait_for(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    """Poll `check` until it holds (a worker is another process: there is nothing to join)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(params=["sqlite", "redis"])
def world(request, tmp_path) -> Iterator[dict]:
    """A file database both processes share, a queue of either kind, and the worker's settings."""
    if request.param == "redis" and not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis on 127.0.0.1:6379 for the production queue test")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = REDIS if request.param == "redis" else f"sqlite:///{tmp_path / 'huey.sqlite'}"
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SECRET_KEY": "test",
        "HUEY_URL": queue,
        "HUEY_NAME": f"test-{secrets.token_hex(6)}",
        "SMS_BACKEND": "file",
        "SMS_FILE": str(tmp_path / "sms.jsonl"),
        "OUTBOX_LEASE_SECONDS": 1,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_TIMEOUT": 60,
        "AUDIT_CHECKPOINT_EVERY": 0,
    }
    app = create_app(
        settings | {"TESTING": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        db.create_all()
    yield {"app": app, "settings": settings, "tmp": tmp_path}
    app.extensions["huey"].flush()
    with app.app_context():
        db.engine.dispose()


def start_worker(world: dict, mail_port: int) -> subprocess.Popen:
    """Start `huey_consumer disputes.notifications.worker.huey` with the test's settings."""
    settings = world["settings"] | {"MAIL_PORT": mail_port}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "HUEY_"))}
    env |= {
        "DATABASE_URL": settings["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": settings["SECRET_KEY"],
        "HUEY_URL": settings["HUEY_URL"],
        "REDIS_URL": "",
    }
    for key in ("HUEY_NAME", "SMS_BACKEND", "SMS_FILE", "MAIL_SERVER"):
        env[f"FLASK_{key}"] = str(settings[key])
    for key in ("OUTBOX_LEASE_SECONDS", "MAIL_TIMEOUT", "MAIL_PORT", "AUDIT_CHECKPOINT_EVERY"):
        env[f"FLASK_{key}"] = json.dumps(settings[key])
    command = [str(CONSUMER), "disputes.notifications.worker.huey", "-w", "1", "-n", "-d", "0.05"]
    with open(world["tmp"] / "worker.log", "ab") as log:
        return subprocess.Popen(
            command, env=env, cwd=world["tmp"], stdout=subprocess.DEVNULL, stderr=log
        )


def file_cases(app, n: int) -> None:
    """File `n` cases of `n` consumers (each: one receipt by e-mail and one by SMS)."""
    with app.app_context():
        for i in range(n):
            data = auth_services.UserData(
                role=Role.consumer,
                name=f"车主{i}",
                password="secret123",
                mobile=f"1360000000{i}",
                email=f"owner{i}@example.test",
            )
            owner = auth_services.create_user(data, enforce_policy=False)
            case_services.create_case(owner, dict(CASE_FACTS, case={}))
            db.session.commit()


def statuses(app) -> list[tuple[OutboxStatus, int]]:
    with app.app_context():
        return [(m.status, m.attempts) for m in outbox()]


@pytest.mark.slow
def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(world, smtp_server):
    app = world["app"]
    mailbox, port = smtp_server
    file_cases(app, 2)
    assert [s for s, _ in statuses(app)] == [OutboxStatus.pending] * 4
    with socket.socket() as silent:  # accepts connections and never answers: a hung server
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        worker = start_worker(world, silent.getsockname()[1])
        try:
            wait_for(lambda: any(a == 1 for _, a in statuses(app)), "the first attempt")
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
    assert mailbox.received == []
    with app.app_context():
        lease_end = max(m.next_attempt_at for m in outbox())
    wait_for(lambda: utcnow() > lease_end, "the killed attempt's lease to end")

    worker = start_worker(world, port)
    try:
        wait_for(lambda: {s for s, _ in statuses(app)} == {OutboxStatus.sent}, "every send")
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(20)
    for i in range(2):
        assert len(mailbox.to(f"owner{i}@example.test")) == 1
    lines = (world["tmp"] / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["to"] for line in lines) == ["13600000000", "13600000001"]
    assert sorted(a for _, a in statuses(app)) == [1, 1, 1, 2]
