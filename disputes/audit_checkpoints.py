"""Reads: signed checkpoints of the audit chain's head, kept outside the database they protect.

The hash chain alone shows an edit or a deletion in the middle, but not entries cut off the end,
nor a chain re-hashed from an edited entry onwards: anyone who can write the table can recompute
every digest. A checkpoint is one line of AUDIT_CHECKPOINTS_FILE (JSON lines, append-only) naming
the last entry's id and hash and the number of entries up to it, signed with HMAC-SHA256 under a
key the database does not hold (AUDIT_CHECKPOINT_KEY, or the file AUDIT_CHECKPOINT_KEY_FILE that is
generated 0600 on first use). Verification then needs every signed entry still there, unchanged.

Checkpoints are written by `flask audit checkpoint` (cron), by every backup, after the commit of
every AUDIT_CHECKPOINT_EVERY-th entry, and by a restore, which starts a new series: the entries of
the restored archive replace the later ones on purpose, so only the checkpoints from the last
restore on are compared with the table (all lines' signatures are still checked).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from disputes.audit import AuditEvent, ChainReport, verify_chain

#: Session.info key: the (id, hash, count) to sign once the transaction commits.
_DUE = "audit.checkpoint_due"


class CheckpointError(Exception):
    """The checkpoint key or file cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One signed line: at `at`, entry `entry_id` (None: empty log) had `entry_hash` and was the
    `count`-th entry."""

    at: str
    entry_id: int | None
    entry_hash: str
    count: int
    #: "command" (flask audit checkpoint), "backup", "entries" (every AUDIT_CHECKPOINT_EVERY) or
    #: "restore" (starts a new series).
    reason: str
    signature: str = ""

    def payload(self) -> bytes:
        fields = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def describe(self) -> str:
        where = f"entry #{self.entry_id}" if self.entry_id is not None else "the empty log"
        return f"checkpoint of {self.at} ({self.reason}) at {where}, {self.count} entries"


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The chain walk plus the checkpoints compared with it."""

    chain: ChainReport
    head_id: int | None
    checkpoints: int
    last_good: Checkpoint | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.problem is None


# --- key and file ------------------------------------------------------------------------------


def _instance_file(key: str) -> Path:
    path = Path(current_app.config[key])
    return path if path.is_absolute() else Path(current_app.instance_path) / path


def checkpoints_path() -> Path:
    """Return the checkpoint file (AUDIT_CHECKPOINTS_FILE, under the instance folder)."""
    return _instance_file("AUDIT_CHECKPOINTS_FILE")


def _key(create: bool) -> bytes:
    """Return the signing key: AUDIT_CHECKPOINT_KEY, or the key file (made 0600 when `create`)."""
    configured = current_app.config.get("AUDIT_CHECKPOINT_KEY")
    if configured:
        return str(configured).encode()
    path = _instance_file("AUDIT_CHECKPOINT_KEY_FILE")
    if not path.exists():
        if not create:
            raise CheckpointError(f"the checkpoint key {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            with contextlib.suppress(FileExistsError):  # a worker that lost the race reads the
                os.link(fresh, path)  # winner's key (link is atomic)
        finally:
            fresh.unlink()
    return path.read_text().strip().encode()


def sign(data: bytes, *, create: bool = True) -> str:
    """Return the HMAC-SHA256 (hex) of `data` under the checkpoint key."""
    return hmac.new(_key(create), data, hashlib.sha256).hexdigest()


def signature_holds(data: bytes, signature: object) -> bool:
    """Tell whether `signature` (as read from a file: any value) is `data`'s."""
    if not isinstance(signature, str):
        return False
    return hmac.compare_digest(sign(data, create=False).encode(), signature.encode())


def append(entry_id: int | None, entry_hash: str, count: int, reason: str) -> Checkpoint:
    """Sign and append one checkpoint line (locked, synced)."""
    unsigned = Checkpoint(
        datetime.now(UTC).isoformat(timespec="microseconds"), entry_id, entry_hash, count, reason
    )
    line = Checkpoint(**{**asdict(unsigned), "signature": sign(unsigned.payload())})
    path = checkpoints_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        fcntl.flock(out, fcntl.LOCK_EX)
        out.write(json.dumps(asdict(line), sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return line


def _read() -> Iterator[tuple[int, Checkpoint | None]]:
    """Yield (line number, checkpoint) per line; None for a line that is not a checkpoint."""
    path = checkpoints_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            try:
                yield number, Checkpoint(**json.loads(text))
            except (TypeError, ValueError):
                yield number, None


# --- verifying -----------------------------------------------------------------------------------


def _signed_series() -> tuple[list[Checkpoint], str | None]:
    """Return the checkpoints since the last restore, and the first altered line, if any."""
    series: list[Checkpoint] = []
    for number, checkpoint in _read():
        if checkpoint is None or not signature_holds(checkpoint.payload(), checkpoint.signature):
            last = f"; the last good one is the {series[-1].describe()}" if series else ""
            return series, (
                f"line {number} of {checkpoints_path()} is not a correctly signed checkpoint: "
                f"the checkpoint file was altered{last}"
            )
        series = [checkpoint] if checkpoint.reason == "restore" else [*series, checkpoint]
    return series, None


def verify(connection: sa.Connection | None = None) -> AuditReport:
    """Walk the chain (through the session, or `connection`) and compare it with every checkpoint
    of the current series; name the last checkpoint that still holds when something does not."""
    try:
        series, altered = _signed_series()
    except CheckpointError as error:
        series, altered = [], str(error)
    wanted = {c.entry_id for c in series}
    seen: dict[int, tuple[str, int]] = {}
    head_id: list[int] = []

    def watch(rows: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        for position, row in enumerate(rows, start=1):
            if row["id"] in wanted:
                seen[row["id"]] = (row["entry_hash"], position)
            head_id[:] = [row["id"]]
            yield row

    chain = verify_chain(connection, watch)
    good: Checkpoint | None = None
    for checkpoint in sorted(series, key=lambda c: (c.entry_id or 0, c.at)):
        if chain.broken_id is not None and (checkpoint.entry_id or 0) >= chain.broken_id:
            break
        problem = _mismatch(checkpoint, seen)
        if problem is not None:
            last = good.describe() if good else "none (no earlier checkpoint in this series)"
            return AuditReport(chain, None, len(series), good, f"{problem}; last good: {last}")
        good = checkpoint
    return AuditReport(chain, head_id[0] if head_id else None, len(series), good, altered)


def _mismatch(checkpoint: Checkpoint, seen: Mapping[int, tuple[str, int]]) -> str | None:
    if checkpoint.entry_id is None:
        return None
    found = seen.get(checkpoint.entry_id)
    if found is None:
        return (
            f"entry #{checkpoint.entry_id}, signed by the {checkpoint.describe()}, is missing: "
            "entries were deleted from the log"
        )
    if found != (checkpoint.entry_hash, checkpoint.count):
        return (
            f"entry #{checkpoint.entry_id} is no longer the one the {checkpoint.describe()} "
            "signed: the log was rewritten up to it"
        )
    return None


def checkpoint_head(reason: str, connection: sa.Connection | None = None) -> Checkpoint:
    """Verify the log and its checkpoints, then sign its head (CheckpointError when they fail)."""
    report = verify(connection)
    if not report.ok:
        raise CheckpointError(describe_failure(report))
    return append(report.head_id, report.chain.head, report.chain.verified, reason)


def start_series_after_restore() -> Checkpoint:
    """Sign the head of a log just restored from an archive, starting a new series: the earlier
    checkpoints named entries the restore replaced on purpose (the chain itself must hold)."""
    last: list[int] = []

    def watch(rows: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        for row in rows:
            last[:] = [row["id"]]
            yield row

    chain = verify_chain(None, watch)
    if not chain.ok:
        raise CheckpointError(f"the restored audit chain is broken: {chain.problem}")
    return append(last[0] if last else None, chain.head, chain.verified, "restore")


def describe_failure(report: AuditReport) -> str:
    """Return one line saying what failed: where the chain broke, else the checkpoints."""
    if not report.chain.ok:
        last = report.last_good.describe() if report.last_good else "none"
        return (
            f"audit chain broken at entry #{report.chain.broken_id}: {report.chain.problem} "
            f"({report.chain.verified} entries before it verified); last good checkpoint: {last}"
        )
    return f"audit checkpoints do not hold: {report.problem}"


# --- every N entries ---------------------------------------------------------------------------


def note_due(session: Session, flush_context) -> None:  # noqa: ARG001
    """Remember the newest entry whose id is a multiple of AUDIT_CHECKPOINT_EVERY (with its
    position, counted under the chain lock the append holds) to sign after the commit."""
    appended = [e for e in session.new if isinstance(e, AuditEvent)]
    if not appended:
        return
    every = int(current_app.config.get("AUDIT_CHECKPOINT_EVERY") or 0)
    due = [e for e in appended if every and e.id % every == 0]
    if not due:
        return
    entry = max(due, key=lambda e: e.id)
    table = AuditEvent.__table__
    count = session.connection().execute(
        sa.select(sa.func.count()).select_from(table).where(table.c.id <= entry.id)
    )
    session.info[_DUE] = (entry.id, entry.entry_hash, count.scalar_one())


def sign_due(session: Session) -> None:
    """Append the checkpoint noted at flush, now that its entry is committed."""
    due = session.info.pop(_DUE, None)
    if due is not None:
        try:
            append(*due, "entries")
        except (OSError, CheckpointError):
            current_app.logger.exception("audit checkpoint at entry #%s not written", due[0])


def forget_due(session: Session) -> None:
    """Drop the noted checkpoint: its entry was rolled back."""
    session.info.pop(_DUE, None)
