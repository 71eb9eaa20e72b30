"""Reads: backup and restore of the deployment — the database and uploaded files in one archive.

An archive (disputes-backup-<UTC time>.tar.gz, mode 0600) holds `database.sqlite` (SQLite's
online backup API) or `database.dump` (pg_dump --format=custom of the app's schema), `uploads/...`,
`manifest.json` (schema revision, rows per table, the audit chain's head and the SHA-256 of every
member) and `manifest.sig`, the manifest's HMAC under the audit checkpoint key (which the archive
does not hold). Restoring checks the signature, then every member against the manifest, before it
touches anything.

The files archived are exactly those the snapshot's rows name, read from the upload folder or, when
deleted since the snapshot, from the trash where deletions park them while a backup runs
(backup_lock). The archive is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from disputes import audit_checkpoints, backup_lock
from disputes.audit import verify_chain
from disputes.audit_checkpoints import CheckpointError
from disputes.cases.uploads import referenced_names, upload_root
from disputes.db import db

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
UPLOADS = "uploads"
#: 2: signed manifest; only the files the rows name.
FORMAT = 2


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore brought back, for the command's report."""

    manifest: dict[str, Any]
    files: int
    audit_entries: int


# --- reading the live deployment ------------------------------------------------------------


def backend() -> str:
    """Return "sqlite" or "postgresql" for the configured database."""
    return db.engine.dialect.name


def table_counts(conn: sa.Connection) -> dict[str, int]:
    """Count the rows of every table `conn` sees (the default schema)."""
    names = sorted(sa.inspect(conn).get_table_names())
    count = sa.select(sa.func.count())
    return {n: conn.execute(count.select_from(sa.table(n))).scalar_one() for n in names}


def schema_revision(conn: sa.Connection) -> str | None:
    """Return the Alembic revision of the database (None for a create_all database)."""
    if "alembic_version" not in sa.inspect(conn).get_table_names():
        return None
    version = sa.table("alembic_version", sa.column("version_num"))
    return conn.execute(sa.select(version.c.version_num)).scalar()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _upload_files(root: Path) -> Iterator[Path]:
    """Every stored file (not the .part files of uploads still being written)."""
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                yield path


# --- PostgreSQL through pg_dump / pg_restore --------------------------------------------------


def _pg_env(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq URL without driver or password, and the environment carrying the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _current_schema() -> str:
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.current_schema())).scalar_one()


def _run(args: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{args[0]} not found: install the PostgreSQL client tools") from error
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")
    return done.stdout


@contextmanager
def _pg_snapshot(target: Path) -> Iterator[sa.Connection]:
    """pg_dump the app's schema into `target`; yield a connection that sees exactly the dump
    (the dump runs in this connection's exported snapshot, so counts and chain head match it)."""
    dsn, env = _pg_env(db.engine.url)
    schema = _current_schema()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.execute(sa.select(sa.func.pg_export_snapshot())).scalar_one()
        args = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--schema={schema}"]
        _run([*args, f"--file={target}", dsn], env)
        yield conn


def _pg_restore(dump: Path) -> None:
    """Restore the dump's objects over the configured schema in one transaction.

    The schema itself is left in place (its entry is taken out of the restore list), so the
    restore works on a schema that other objects or privileges depend on.
    """
    dsn, env = _pg_env(db.engine.url)
    entries = _run(["pg_restore", "--list", str(dump)], env).splitlines()
    keep = [line for line in entries if " SCHEMA - " not in line]
    listing = dump.with_suffix(".list")
    listing.write_text("\n".join(keep) + "\n")
    db.session.remove()
    db.engine.dispose()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--use-list={listing}",
            f"--dbname={dsn}",
            str(dump),
        ],
        env,
    )


# --- SQLite through the online backup API -----------------------------------------------------


@contextmanager
def _raw_sqlite() -> Iterator[sqlite3.Connection]:
    """The app's own SQLite connection (also right for an in-memory database), outside any
    transaction."""
    db.session.remove()
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if raw.in_transaction:
            raw.rollback()
        yield raw


@contextmanager
def _sqlite_snapshot(target: Path) -> Iterator[sa.Connection]:
    """Copy the live database into `target` with the backup API; yield a connection to the copy.

    The copy is left in rollback-journal mode, so the archived file stands alone (no -wal file).
    """
    with _raw_sqlite() as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
    engine = sa.create_engine(f"sqlite:///{target}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
    with closing(sqlite3.connect(target)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(source: Path) -> None:
    """Copy the archived database over the live one, page by page, under SQLite's write lock
    (a reader sees the old database or the new one, never a mix)."""
    with closing(sqlite3.connect(source)) as copy, _raw_sqlite() as live:
        copy.backup(live)


# --- the archive ----------------------------------------------------------------------------


def create_backup(output: Path) -> tuple[Path, dict[str, Any]]:
    """Write one archive of the database and the files its rows name into `output`; sign a
    checkpoint of the snapshot's audit head; return the archive and its manifest."""
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = output / f"disputes-backup-{stamp}.tar.gz"
    root = upload_root().resolve()
    with (
        tempfile.TemporaryDirectory(prefix=".incomplete-", dir=output) as work,
        backup_lock.backup_running(root),
    ):
        if backend() == "postgresql":
            database, snapshot = Path(work) / "database.dump", _pg_snapshot
        else:
            database, snapshot = Path(work) / "database.sqlite", _sqlite_snapshot
        with snapshot(database) as conn:
            report = audit_checkpoints.verify(conn)
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "backend": backend(),
                "schema_revision": schema_revision(conn),
                "tables": table_counts(conn),
                "audit": {
                    "entries": report.chain.verified,
                    "head": report.chain.head,
                    "intact": report.ok,
                },
            }
            stored = sorted(referenced_names(conn))
        if report.ok:
            checkpoint = audit_checkpoints.append(
                report.head_id, report.chain.head, report.chain.verified, "backup"
            )
            manifest["audit"]["checkpoint"] = asdict(checkpoint)
        partial = Path(work) / (archive.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            members, missing = {database.name: _sha256(database)}, []
            tar.add(database, arcname=database.name)
            for name in stored:
                member = f"{UPLOADS}/{name}"
                file = backup_lock.open_stored(name, root)
                if file is None:
                    missing.append(name)
                    continue
                with file:
                    members[member] = _add_file(tar, member, file)
            manifest["missing_files"] = missing
            manifest["members"] = members
            manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            _add_bytes(tar, MANIFEST, manifest_bytes)
            _add_bytes(tar, SIGNATURE, audit_checkpoints.sign(manifest_bytes).encode())
        if archive.exists():
            raise BackupError(f"{archive} already exists")
        os.replace(partial, archive)
    return archive, manifest


def _add_file(tar: tarfile.TarFile, name: str, file: BinaryIO) -> str:
    """Add an open file to `tar` as `name`; return its SHA-256."""
    digest = hashlib.sha256()
    for block in iter(lambda: file.read(1 << 20), b""):
        digest.update(block)
    file.seek(0)
    tar.addfile(tar.gettarinfo(arcname=name, fileobj=file), file)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract `archive` (regular files only, no path escapes), check the manifest's signature,
    then every member against the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is truncated or damaged: {error}") from error
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is not a readable backup: {error}") from error
    manifest = _signed_manifest(archive, into)
    _check_members(into, manifest["members"])
    return manifest


def _signed_manifest(archive: Path, into: Path) -> dict[str, Any]:
    """Return the unpacked manifest once its signature holds and its format is known."""
    manifest_path, signature_path = into / MANIFEST, into / SIGNATURE
    if not manifest_path.is_file():
        raise BackupError(f"{archive} is not a readable backup: it has no {MANIFEST}")
    manifest_bytes = manifest_path.read_bytes()
    if not signature_path.is_file():
        raise BackupError(f"{archive} is not signed (no {SIGNATURE}): it cannot be trusted")
    try:
        signature = signature_path.read_text(errors="replace").strip()
        signed = audit_checkpoints.signature_holds(manifest_bytes, signature)
    except CheckpointError as error:
        raise BackupError(f"cannot check the archive's signature: {error}") from error
    if not signed:
        raise BackupError(
            f"{archive}'s manifest signature does not match: the archive was changed, or was "
            "made with another checkpoint key"
        )
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"{archive} is not a readable backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _check_members(into: Path, listed: dict[str, str]) -> None:
    """Refuse unpacked files the manifest does not list (or lacks), or whose digest differs."""
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()}
    present -= {MANIFEST, SIGNATURE}
    if present != set(listed):
        raise BackupError(
            f"archive members differ from the manifest: {sorted(present ^ set(listed))}"
        )
    for name, digest in listed.items():
        if _sha256(into / name) != digest:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest")


def _replace_uploads(unpacked: Path) -> int:
    """Swap the upload folder for the archived one (old folder kept until the new one is in)."""
    root = upload_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".restore-", dir=root.parent))
    source = unpacked / UPLOADS
    if source.is_dir():
        shutil.copytree(source, incoming, dirs_exist_ok=True)
    old = root.with_name(root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(incoming, root)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for _ in _upload_files(root))


def restore_backup(archive: Path) -> Restored:
    """Replace the database and the upload folder with the archive's, then check what came back."""
    with tempfile.TemporaryDirectory() as work:
        unpacked = Path(work)
        manifest = _unpack(archive, unpacked)
        if manifest["backend"] != backend():
            raise BackupError(
                f"the archive holds a {manifest['backend']} database; "
                f"the configured database is {backend()}"
            )
        if backend() == "postgresql":
            _pg_restore(unpacked / "database.dump")
        else:
            _sqlite_restore(unpacked / "database.sqlite")
        files = _replace_uploads(unpacked)
    with db.engine.connect() as conn:
        counts = table_counts(conn)
    if counts != manifest["tables"]:
        wrong = sorted(
            n
            for n in counts.keys() | manifest["tables"].keys()
            if counts.get(n) != manifest["tables"].get(n)
        )
        raise BackupError(f"restored row counts differ from the manifest in: {', '.join(wrong)}")
    chain = verify_chain()
    if not chain.ok and manifest["audit"]["intact"]:
        raise BackupError(f"restored audit chain is broken: {chain.problem}")
    if chain.head != manifest["audit"]["head"]:
        raise BackupError("restored audit chain does not end where the backup's did")
    return Restored(manifest, files, chain.verified)
