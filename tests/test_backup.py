"""`flask backup` and `flask restore`: one archive with the database, the uploads and a manifest;
a restore brings rows and file bytes back and the audit chain still verifies (both databases)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from disputes import audit_checkpoints, backup, backup_lock, create_app
from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases import services, uploads
from disputes.cases.models import Attachment, Case, CaseDraft, DraftFile
from disputes.db import db
from tests.support.databases import base_config

PDF = b"%PDF-1.4\n% evidence \xe4\xb8\xad\n" + bytes(range(256)) * 40


@pytest.fixture
def filed(app, app_ctx, consumer, make_case) -> dict:
    """A case with one uploaded file, committed."""
    case = make_case(consumer, contact_name="赵六")
    upload = FileStorage(io.BytesIO(PDF), filename="发票.pdf", content_type="application/pdf")
    attachment = uploads.store_upload(case, upload, "invoice", case.consumer)
    db.session.commit()
    return {"case_id": case.id, "path": uploads.attachment_path(attachment), "user": consumer.id}


def _backup(runner, folder: Path) -> Path:
    result = runner.invoke(args=["backup", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    [archive] = folder.glob("disputes-backup-*.tar.gz")
    assert str(archive) in result.output
    return archive


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_backup_writes_one_archive_with_database_uploads_and_manifest(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
        stored = filed["path"].relative_to(uploads.upload_root()).as_posix()
        assert tar.extractfile(f"uploads/{stored}").read() == PDF
    database = "database.dump" if app.config["TEST_BACKEND"] == "postgresql" else "database.sqlite"
    assert names == {"manifest.json", "manifest.sig", database, f"uploads/{stored}"}
    assert set(manifest["members"]) == names - {"manifest.json", "manifest.sig"}
    assert manifest["backend"] == app.config["TEST_BACKEND"]
    assert manifest["tables"]["cases"] == 1
    assert manifest["tables"]["attachments"] == 1
    assert manifest["audit"]["intact"] is True
    if database == "database.sqlite":
        copy = tmp_path / "copy.sqlite"
        with tarfile.open(archive) as tar:
            copy.write_bytes(tar.extractfile(database).read())
        with closing(sqlite3.connect(copy)) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert conn.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    [created] = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "backup.created")
    ).all()
    assert created.after["archive"] == archive.name
    assert created.after["audit_head"] == manifest["audit"]["head"]


def test_restore_brings_back_rows_and_file_bytes_and_the_chain_verifies(
    app, runner, filed, tmp_path
):
    archive = _backup(runner, tmp_path / "backups")
    db.session.remove()
    # Damage after the backup: a renamed user, a deleted case, a lost and an extra file.
    db.session.get(User, filed["user"]).name = "改过的名字"
    db.session.execute(sa.delete(Attachment))
    db.session.execute(sa.delete(Case))
    db.session.commit()
    filed["path"].unlink()
    stray = uploads.upload_root() / "stray" / "file"
    stray.parent.mkdir()
    stray.write_bytes(b"not in the backup")

    result = runner.invoke(args=["restore", str(archive), "--yes"])

    assert result.exit_code == 0, result.output
    assert "audit entries verified" in result.output
    db.session.remove()
    assert db.session.get(User, filed["user"]).name == "消费者甲"
    assert db.session.get(Case, filed["case_id"]).contact_name == "赵六"
    assert _count(Attachment) == 1
    assert filed["path"].read_bytes() == PDF
    assert not stray.exists()
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "backup.created" not in actions
    assert actions[-1] == "backup.restored"
    db.session.remove()
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_the_restored_database_keeps_taking_audit_entries(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")
    assert runner.invoke(args=["restore", str(archive), "--yes"]).exit_code == 0
    db.session.remove()
    assert (
        runner.invoke(
            args=[
                "users",
                "create",
                "--name",
                "新员工",
                "--email",
                "n@example.test",
                "--password",
                "Zq7-long-enough-pass",
            ]
        ).exit_code
        == 0
    )
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_restore_refuses_an_archive_whose_file_was_changed(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(forged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data.replace(b"evidence", b"forgery!")
            target.addfile(member, io.BytesIO(data))
    db.session.remove()
    db.session.get(User, filed["user"]).name = "恢复前"
    db.session.commit()

    result = runner.invoke(args=["restore", str(forged), "--yes"])

    assert result.exit_code == 1
    assert "does not match its SHA-256" in result.output
    db.session.remove()
    assert db.session.get(User, filed["user"]).name == "恢复前"


def test_restore_asks_before_replacing_anything(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")
    db.session.remove()
    db.session.get(User, filed["user"]).name = "恢复前"
    db.session.commit()

    result = runner.invoke(args=["restore", str(archive)], input="n\n")

    assert result.exit_code == 1
    assert "Aborted" in result.output
    db.session.remove()
    assert db.session.get(User, filed["user"]).name == "恢复前"


def test_restore_refuses_something_that_is_not_a_backup(app, runner, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"hello")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "not a readable backup" in result.output


def test_a_sqlite_file_database_is_restored_for_every_new_connection(tmp_path):
    """Production SQLite is a file in WAL mode: a fresh process must see the restored rows."""
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_app(base_config(url, {}, tmp_path), instance_path=str(tmp_path / "instance"))
    runner = app.test_cli_runner()
    with app.app_context():
        db.create_all()
        assert (
            runner.invoke(
                args=[
                    "users",
                    "create",
                    "--name",
                    "甲",
                    "--email",
                    "a@example.test",
                    "--password",
                    "Zq7-long-enough-pass",
                ]
            ).exit_code
            == 0
        )
        archive = _backup(runner, tmp_path / "backups")
        assert (
            runner.invoke(
                args=[
                    "users",
                    "create",
                    "--name",
                    "乙",
                    "--email",
                    "b@example.test",
                    "--password",
                    "Zq7-long-enough-pass",
                ]
            ).exit_code
            == 0
        )
        assert runner.invoke(args=["restore", str(archive), "--yes"]).exit_code == 0
        db.engine.dispose()
    fresh = sa.create_engine(url)
    with fresh.connect() as conn:
        names = conn.execute(sa.select(User.__table__.c.name)).scalars().all()
    fresh.dispose()
    assert names == ["甲"]


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy `archive` to `target`, passing each member's (name, bytes) through `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def test_the_archive_is_readable_by_its_owner_only(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_restore_refuses_a_forged_archive_with_a_consistent_manifest(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")
    stored = "uploads/" + filed["path"].relative_to(uploads.upload_root()).as_posix()
    forgery = b"%PDF-1.4 forged evidence"

    def forge(name: str, data: bytes) -> bytes:
        if name == stored:
            return forgery
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"][stored] = hashlib.sha256(forgery).hexdigest()
            return json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        return data

    forged = tmp_path / "forged.tar.gz"
    _rewrite(archive, forged, forge)
    unsigned = tmp_path / "unsigned.tar.gz"
    _rewrite(archive, unsigned, lambda name, data: None if name == "manifest.sig" else data)

    result = runner.invoke(args=["restore", str(forged), "--yes"])
    assert result.exit_code == 1
    assert "manifest signature does not match" in result.output
    result = runner.invoke(args=["restore", str(unsigned), "--yes"])
    assert result.exit_code == 1
    assert "is not signed" in result.output
    assert filed["path"].read_bytes() == PDF


def test_a_truncated_archive_is_refused_with_a_reason(app, runner, filed, tmp_path):
    archive = _backup(runner, tmp_path / "backups")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    result = runner.invoke(args=["restore", str(truncated), "--yes"])

    assert result.exit_code == 1
    assert "truncated or damaged" in result.output
    assert "Aborted" not in result.output
    assert filed["path"].read_bytes() == PDF


def test_a_backup_signs_a_checkpoint_and_a_restore_starts_a_new_series(
    app, runner, filed, tmp_path
):
    archive = _backup(runner, tmp_path / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    lines = audit_checkpoints.checkpoints_path().read_text().splitlines()
    assert json.loads(lines[-1]) == manifest["audit"]["checkpoint"]
    assert manifest["audit"]["checkpoint"]["entry_hash"] == manifest["audit"]["head"]
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0

    assert runner.invoke(args=["restore", str(archive), "--yes"]).exit_code == 0
    db.session.remove()

    restart = json.loads(audit_checkpoints.checkpoints_path().read_text().splitlines()[-1])
    assert restart["reason"] == "restore"
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def _drafts_with_files(owner_id: int, drafts: int, files: int) -> list[int]:
    owner = db.session.get(User, owner_id)
    ids = []
    for _ in range(drafts):
        draft = services.create_draft(owner)
        for n in range(files):
            upload = FileStorage(io.BytesIO(PDF), filename=f"{n}.pdf")
            uploads.store_draft_upload(draft, upload, "invoice")
        ids.append(draft.id)
    db.session.commit()
    return ids


def test_a_backup_taken_while_files_are_deleted_restores_every_rows_file(
    app, runner, filed, tmp_path, monkeypatch
):
    draft_ids = _drafts_with_files(filed["user"], drafts=4, files=3)
    real_revision = backup.schema_revision

    def delete_drafts_meanwhile(conn):
        """Between the snapshot and the archiving of the files, drafts are deleted elsewhere."""
        for draft_id in draft_ids:
            services.delete_draft(db.session.get(CaseDraft, draft_id))
            db.session.commit()
        return real_revision(conn)

    monkeypatch.setattr(backup, "schema_revision", delete_drafts_meanwhile)
    archive = _backup(runner, tmp_path / "backups")
    monkeypatch.undo()
    assert _count(DraftFile) == 0
    assert not backup_lock.trash_of(uploads.upload_root().resolve()).exists()

    result = runner.invoke(args=["restore", str(archive), "--yes"])

    assert result.exit_code == 0, result.output
    db.session.remove()
    names = uploads.referenced_names()
    assert len(names) == 13
    assert all(uploads.path_of(name).read_bytes() == PDF for name in names)


def test_a_backup_archives_only_the_files_rows_name(app, runner, filed, tmp_path):
    orphan = uploads.upload_root() / "0123456789abcdef" / ("f" * 32)
    orphan.parent.mkdir()
    orphan.write_bytes(PDF)

    archive = _backup(runner, tmp_path / "backups")

    with tarfile.open(archive) as tar:
        files = [n for n in tar.getnames() if n.startswith("uploads/")]
    assert files == ["uploads/" + filed["path"].relative_to(uploads.upload_root()).as_posix()]


def test_a_backup_killed_half_way_leaves_no_archive_and_the_last_one_restores(tmp_path):
    """kill -9 of `flask backup` while it writes: nothing that looks like an archive is left, and
    the archive before it still restores."""
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    instance = tmp_path / "instance"
    app = create_app(base_config(url, {}, tmp_path), instance_path=str(instance))
    out = tmp_path / "backups"
    with app.app_context():
        db.create_all()
        owner = User(name="甲", mobile="13900000009", role="consumer", password_hash="x")
        db.session.add(owner)
        db.session.commit()
        big = [b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024) for _ in range(3)]
        draft = services.create_draft(owner)
        for n in range(20):
            upload = FileStorage(io.BytesIO(big[n % 3]), filename=f"{n}.pdf")
            uploads.store_draft_upload(draft, upload, "invoice")
        db.session.commit()
        previous = _backup(app.test_cli_runner(), out)

        env = {
            **os.environ,
            "DATABASE_URL": url,
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
            "SECRET_KEY": "test",
        }
        target = f"disputes:create_app(instance_path={str(instance)!r})"
        command = [sys.executable, "-m", "flask", "--app", target, "backup", "--output", str(out)]
        errors = tmp_path / "stderr"
        with errors.open("wb") as stderr:
            child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and child.poll() is None:
                if any(p.stat().st_size > 0 for p in out.glob(".incomplete-*/*.part")):
                    break
                time.sleep(0.005)
            assert child.poll() is None, f"the backup ended first: {errors.read_text()}"
            child.send_signal(signal.SIGKILL)
            child.wait()

        assert list(out.glob("*.tar.gz")) == [previous]
        assert list(out.glob(".incomplete-*/*.part"))
        result = app.test_cli_runner().invoke(args=["restore", str(previous), "--yes"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        names = uploads.referenced_names()
        assert len(names) == 20
        assert all(uploads.path_of(name).stat().st_size > 2 * 1024 * 1024 for name in names)
        db.engine.dispose()


def test_a_stored_file_is_opened_in_the_trash_once_a_deletion_moved_it(tmp_path):
    root = tmp_path / "uploads"
    parked = backup_lock.trash_of(root) / "aa" / "bb"
    parked.parent.mkdir(parents=True)
    parked.write_bytes(PDF)

    with backup_lock.open_stored("aa/bb", root) as file:
        assert file.read() == PDF
    assert backup_lock.open_stored("aa/cc", root) is None
