"""`flask uploads sweep`: evidence files that no row names (a worker killed mid-upload or
mid-deletion) are removed once older than the grace period; named and young files stay."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from disputes import backup_lock
from disputes.cases import services, uploads
from disputes.db import db
from tests.support.data import FAKE_PDF

HOURS_AGO = 2 * 3600


def _age(path: Path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _stray(name: str, seconds_old: int) -> Path:
    path = uploads.upload_root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FAKE_PDF)
    _age(path, seconds_old)
    return path


@pytest.fixture
def disk(app_ctx, consumer) -> dict[str, Path]:
    """An old file a draft names, an old orphan, an old half-written .part, and a young orphan."""
    draft = services.create_draft(consumer)
    kept = uploads.store_draft_upload(
        draft, FileStorage(io.BytesIO(FAKE_PDF), filename="a.pdf"), "invoice"
    )
    db.session.commit()
    named = uploads.path_of(kept.stored_name)
    _age(named, HOURS_AGO)
    return {
        "named": named,
        "orphan": _stray("00000000000000aa/" + "a" * 32, HOURS_AGO),
        "part": _stray("00000000000000bb/" + "b" * 32 + ".part", HOURS_AGO),
        "young": _stray("00000000000000cc/" + "c" * 32, 60),
    }


def test_sweep_removes_old_files_no_row_names(disk, runner):
    trash = backup_lock.trash_of(uploads.upload_root().resolve()) / "x" / "y"
    trash.parent.mkdir(parents=True)
    trash.write_bytes(FAKE_PDF)

    result = runner.invoke(args=["uploads", "sweep"])

    assert result.exit_code == 0, result.output
    assert "Removed 2 file(s)" in result.output
    assert not disk["orphan"].exists()
    assert not disk["orphan"].parent.exists()
    assert not disk["part"].exists()
    assert disk["named"].read_bytes() == FAKE_PDF
    assert disk["young"].exists()
    assert not trash.exists()


def test_sweep_dry_run_lists_and_keeps(disk, runner):
    result = runner.invoke(args=["uploads", "sweep", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"Would remove {disk['orphan'].relative_to(uploads.upload_root())}" in result.output
    assert "Would remove 2 file(s)" in result.output
    assert all(path.exists() for path in disk.values())


def test_sweep_grace_is_configurable(disk, runner):
    result = runner.invoke(args=["uploads", "sweep", "--grace-minutes", "180"])
    assert "Removed 0 file(s)" in result.output
    result = runner.invoke(args=["uploads", "sweep", "--grace-minutes", "1"])
    assert "Removed 3 file(s)" in result.output
    assert not disk["young"].exists()
    assert disk["named"].exists()
    assert runner.invoke(args=["uploads", "sweep", "--grace-minutes", "0"]).exit_code == 2


def test_sweep_of_a_missing_upload_folder_removes_nothing(app_ctx, runner):
    result = runner.invoke(args=["uploads", "sweep"])
    assert result.exit_code == 0, result.output
    assert "Removed 0 file(s)" in result.output
