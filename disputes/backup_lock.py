"""Evidence deleted while a backup runs is parked, not unlinked, so the backup still finds it.

A backup holds a shared lock (a file next to the upload folder) from before its database snapshot
until its archive is written. Deleting a stored file takes the same lock exclusively without
waiting: when it gets it, no backup is running and the file is unlinked; when it does not, the file
is moved into the trash folder next to the upload folder, where the backup reads it. The trash is
emptied by whoever next holds the lock exclusively (a deletion, the end of the last backup, or
`flask uploads sweep`), so a killed backup leaves nothing behind for long.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


def _lock_file(root: Path) -> Path:
    return root.with_name(root.name + ".backup-lock")


def trash_of(root: Path) -> Path:
    """Return the folder where files deleted during a backup wait."""
    return root.with_name(root.name + ".trash")


@contextmanager
def _locked(root: Path, mode: int) -> Iterator[bool]:
    """Yield whether the lock was taken in `mode` (fcntl.LOCK_SH / LOCK_EX, maybe | LOCK_NB)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_file(root), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


@contextmanager
def backup_running(root: Path) -> Iterator[None]:
    """Hold the shared lock for a backup (waiting for a deletion in progress); empty the trash
    afterwards if no other backup still needs it."""
    with _locked(root, fcntl.LOCK_SH):
        yield
    empty_trash(root)


def empty_trash(root: Path) -> bool:
    """Remove the trash unless a backup is running; return whether it is gone."""
    with _locked(root, fcntl.LOCK_EX | fcntl.LOCK_NB) as alone:
        if alone:
            shutil.rmtree(trash_of(root), ignore_errors=True)
        return alone


def discard(path: Path, root: Path) -> None:
    """Delete a stored file and its random folder, or park it in the trash while a backup runs
    (missing files are ignored)."""
    with _locked(root, fcntl.LOCK_EX | fcntl.LOCK_NB) as alone:
        if alone:
            path.unlink(missing_ok=True)
            shutil.rmtree(trash_of(root), ignore_errors=True)
        elif path.exists():
            parked = trash_of(root) / path.relative_to(root)
            parked.parent.mkdir(parents=True, exist_ok=True)
            with suppress(FileNotFoundError):
                os.replace(path, parked)
    if path.parent != root:
        shutil.rmtree(path.parent, ignore_errors=True)


def open_stored(stored_name: str, root: Path) -> BinaryIO | None:
    """Open a stored file where it is now, in the upload folder or in the trash (a deletion may
    move it there in between: the move is atomic); None when it is in neither."""
    for folder in (root, trash_of(root)):
        with suppress(FileNotFoundError):
            return (folder / stored_name).open("rb")
    return None
