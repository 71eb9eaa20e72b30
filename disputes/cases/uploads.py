"""Writes: uploaded evidence on disk — content sniffing, size and count limits, names, removal.

Files live under UPLOAD_FOLDER (outside any static folder) as "<random folder>/<random name>"; the
name the consumer gave is kept in the database only. Nothing here serves a file: see views.
Disk and database move together: a file written in a transaction that does not commit is deleted,
and a file whose row is deleted leaves the disk only once that deletion is committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import parse_form_data
from werkzeug.wrappers import Request

from disputes import audit, backup_lock
from disputes.auth.models import User
from disputes.cases import queries, services
from disputes.cases.models import Attachment, Case, CaseDraft, DraftFile, file_columns
from disputes.cases.vocabulary import AttachmentKind
from disputes.db import db
from disputes.i18n import lazy_gettext as _l

#: Accepted types: content type → (magic prefixes, file name endings that declare it).
SIGNATURES: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
    "application/pdf": ((b"%PDF-",), (".pdf",)),
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
#: Longest original name kept, in UTF-8 bytes: the most a file system allows for a name, so the
#: file keeps its name when the consumer or an expert saves it.
MAX_NAME_BYTES = 255
#: A longer "extension" is part of the name, not a type to keep.
MAX_EXTENSION_BYTES = 16


class UploadError(Exception):
    """A file was refused; `message` says why in words for the consumer."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """A file written to disk: where, what it is, and how big."""

    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str


def upload_root() -> Path:
    """Return the absolute upload folder (relative paths are inside the instance folder)."""
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or "uploads")
    if not folder.is_absolute():
        folder = Path(current_app.instance_path) / folder
    return folder


def max_file_bytes() -> int:
    """Return the largest file one upload may be (UPLOAD_MAX_FILE_BYTES)."""
    return int(current_app.config["UPLOAD_MAX_FILE_BYTES"])


def megabytes(size: int) -> str:
    """Return `size` bytes as the number of MB a limit is stated in ("10", "0.5")."""
    return f"{size / 1024 / 1024:g}"


#: The per-file limit in MB, read each time a hint shows it (forms are built before any app).
FILE_LIMIT_MB = LazyString(lambda: megabytes(max_file_bytes()))


def max_files() -> int:
    """Return how many files a case or a draft may hold (UPLOAD_MAX_FILES)."""
    return int(current_app.config["UPLOAD_MAX_FILES"])


#: Room left in an upload request for its form fields and multipart headers.
FORM_OVERHEAD_BYTES = 1024 * 1024


def max_request_files_bytes() -> int:
    """Return how many bytes of files one upload request may carry."""
    return int(current_app.config["UPLOAD_MAX_REQUEST_BYTES"])


def max_request_bytes() -> int:
    """Return the request size allowed on an upload step: its files plus the form around them."""
    return max_request_files_bytes() + FORM_OVERHEAD_BYTES


class _Discarded(io.BytesIO):
    """A file part's container that keeps nothing (only the form fields are wanted)."""

    def write(self, data) -> int:  # type: ignore[override]
        return len(data)


def fields_of_oversized(request: Request) -> MultiDict:
    """Return the form fields of a request refused as too large, reading past its files.

    Reading the body to its end also lets the browser receive the answer (a server that answers
    before the body is read may reset the connection). Only a multipart body up to the most a
    draft may hold is read, files discarded as they stream past; any other gives no fields (a
    urlencoded body would be parsed whole).
    """
    cap = max_files() * max_file_bytes() + FORM_OVERHEAD_BYTES
    too_big = request.content_length is None or request.content_length > cap
    if too_big or request.mimetype != "multipart/form-data":
        return MultiDict()
    try:
        _stream, form, _files = parse_form_data(
            request.environ,
            stream_factory=lambda *_args, **_kwargs: _Discarded(),
            max_form_memory_size=request.max_form_memory_size,
            max_content_length=cap,
            max_form_parts=request.max_form_parts,
            silent=True,
        )
    except RequestEntityTooLarge:
        return MultiDict()
    return form


def sniff(head: bytes) -> str | None:
    """Return the content type the first bytes show (PDF, JPEG, PNG), or None."""
    for content_type, (magics, _endings) in SIGNATURES.items():
        if any(head.startswith(magic) for magic in magics):
            return content_type
    return None


def declared_type(filename: str) -> str | None:
    """Return the content type the file name's ending claims, or None for other endings."""
    lower = (filename or "").lower()
    for content_type, (_magics, endings) in SIGNATURES.items():
        if lower.endswith(endings):
            return content_type
    return None


def clean_name(filename: str) -> str:
    """Return the file's own name without folders and without control or direction-changing
    characters (NUL cannot be stored; U+202E makes "gnp.exe" read as "exe.png"), shortened to
    MAX_NAME_BYTES."""
    name = Path(filename.replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return shorten_name(name.strip()) or "file"


def shorten_name(name: str) -> str:
    """Cut a name's stem so the name fits MAX_NAME_BYTES in UTF-8, keeping its extension (the
    file's type is checked against it) and never splitting a character."""
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    ending = dot + extension
    if not stem or len(ending.encode()) > MAX_EXTENSION_BYTES:
        stem, ending = name, ""
    room = MAX_NAME_BYTES - len(ending.encode())
    return stem.encode()[:room].decode(errors="ignore").rstrip() + ending


def check_file(file_storage: FileStorage) -> tuple[bytes, str, str]:
    """Read and check one upload; return (content, content type, original name) or raise."""
    name = clean_name(file_storage.filename or "")
    limit = max_file_bytes()
    content = file_storage.stream.read(limit + 1)
    if not content:
        raise UploadError(_l("文件“%(name)s”是空的。", name=name))
    if len(content) > limit:
        raise UploadError(
            _l(
                "文件“%(name)s”太大了：每个文件不能超过 %(mb)s MB。",
                name=name,
                mb=megabytes(limit),
            )
        )
    actual, declared = sniff(content[:16]), declared_type(name)
    if actual is None:
        raise UploadError(_l("文件“%(name)s”不是 PDF、JPEG 或 PNG 文件，不能上传。", name=name))
    if declared != actual:
        raise UploadError(
            _l(
                "文件“%(name)s”的扩展名和内容不一致：内容是 %(actual)s，请把扩展名改对后再上传。",
                name=name,
                actual=TYPE_NAMES[actual],
            )
        )
    return content, actual, name


#: Bytes written per call, so a failing disk stops the copy part-way (and the test can too).
CHUNK_BYTES = 64 * 1024


def copy_into(out: BinaryIO, content: bytes) -> None:
    """Write `content` to `out` in chunks."""
    for start in range(0, len(content), CHUNK_BYTES):
        out.write(content[start : start + CHUNK_BYTES])


def write_file(file_storage: FileStorage) -> WrittenFile:
    """Check `file_storage` and write it (see write_checked); return what was stored."""
    return write_checked(*check_file(file_storage))


def write_checked(content: bytes, content_type: str, name: str) -> WrittenFile:
    """Write a file check_file passed under a new random folder; return what was stored.

    The bytes go to a temporary name in the same folder and are renamed into place (atomic) only
    when complete and synced, so a killed worker never leaves a half file under a stored name;
    a failed write removes the temporary file (a disk error becomes an UploadError). The file is
    deleted again unless the transaction that records it commits (`forget_uncommitted_files`).
    """
    stored_name = f"{secrets.token_hex(8)}/{secrets.token_hex(16)}"
    path = upload_root() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("xb") as out:
            copy_into(out, content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        shutil.rmtree(path.parent, ignore_errors=True)
        if isinstance(error, OSError):  # a full or failing disk: the consumer may try again
            current_app.logger.exception("upload of %r not written", name)
            raise UploadError(_l("文件“%(name)s”没有保存成功，请重新上传。", name=name)) from error
        raise
    db.session.info.setdefault(WRITTEN_KEY, []).append((path, upload_root().resolve()))
    return WrittenFile(
        stored_name=stored_name,
        original_name=name,
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def path_of(stored_name: str) -> Path:
    """Return the file's path, refusing any name that would leave the upload folder."""
    root = upload_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise ValueError(f"stored name escapes the upload folder: {stored_name!r}")
    return path


def referenced_names(connection: sa.Connection | None = None) -> set[str]:
    """Return the stored name of every file a row names (through `connection`, e.g. a backup's
    snapshot, or the session)."""
    # The notices room's PDFs live here too; named by table, as cases sits below notices.
    notices = sa.table("case_notices", sa.column("stored_name"))
    query = sa.union(
        sa.select(Attachment.stored_name),
        sa.select(DraftFile.stored_name),
        sa.select(notices.c.stored_name),
    )
    return set((connection or db.session).execute(query).scalars())


def attachment_path(attachment: Attachment) -> Path:
    """Return where `attachment`'s file lives on disk."""
    return path_of(attachment.stored_name)


def delete_stored(stored_name: str) -> None:
    """Delete a stored file and its random folder (missing files are ignored)."""
    _delete_path(path_of(stored_name), upload_root().resolve())


def _delete_path(path: Path, root: Path) -> None:
    backup_lock.discard(path, root)


def sweep_orphans(grace: timedelta, *, dry_run: bool = False) -> list[str]:
    """Remove the files under the upload folder that no row names and that were last written more
    than `grace` ago (younger ones may belong to an upload whose transaction is still open), and
    the trash unless a backup runs; return their stored names.

    Orphans come from a worker killed between writing a file and committing its row, or between
    committing a deletion and unlinking the file.
    """
    root = upload_root().resolve()
    written_before = time.time() - grace.total_seconds()
    old = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < written_before:
                    old.append(path)
    named = referenced_names()
    orphans = sorted(p.relative_to(root).as_posix() for p in old)
    orphans = [name for name in orphans if name not in named]
    if not dry_run:
        for name in orphans:
            _delete_path(root / name, root)
        backup_lock.empty_trash(root)
    return orphans


def delete_after_commit(stored_name: str) -> None:
    """Delete a stored file once the transaction that deleted its row commits (kept on rollback)."""
    entry = (path_of(stored_name), upload_root().resolve())
    db.session.info.setdefault(REMOVED_KEY, []).append(entry)


# --- keeping the disk in step with the transaction -----------------------------------------------

#: session.info keys: files written / rows deleted in the session's current transaction.
WRITTEN_KEY = "uploads.written"
REMOVED_KEY = "uploads.removed"


def keep_committed_files(session: Session) -> None:
    """The rows are committed: keep the files written, delete the files whose rows went."""
    if session.in_nested_transaction():
        return
    session.info.pop(WRITTEN_KEY, None)
    for path, root in session.info.pop(REMOVED_KEY, []):
        _delete_path(path, root)


def forget_uncommitted_files(session: Session, transaction: SessionTransaction) -> None:
    """The transaction ended without a commit (rollback, error, close): delete what it wrote."""
    if transaction.parent is not None:
        return
    session.info.pop(REMOVED_KEY, None)
    for path, root in session.info.pop(WRITTEN_KEY, []):
        _delete_path(path, root)


def kind_of(kind: AttachmentKind | str) -> AttachmentKind:
    """Return the kind of evidence posted, refusing a value the form never offers."""
    try:
        return AttachmentKind(kind)
    except ValueError:
        raise UploadError(_l("请选择这是什么材料。")) from None


def consumer_max_bytes() -> int:
    """Return how many bytes of files one consumer may keep (CONSUMER_MAX_UPLOAD_BYTES)."""
    return int(current_app.config["CONSUMER_MAX_UPLOAD_BYTES"])


def check_room(owner: User, content: bytes, name: str) -> None:
    """Refuse a file that would take the consumer past CONSUMER_MAX_UPLOAD_BYTES, counted over
    their drafts and cases (call under services.lock_uploads_of)."""
    used = queries.uploaded_bytes(owner.id)
    if used + len(content) > consumer_max_bytes():
        raise UploadError(
            _l(
                "文件“%(name)s”没有保存：您上传的文件合计不能超过 %(mb)s MB，已用 %(used)s MB。"
                "请删除不再需要的草稿或文件后再上传。",
                name=name,
                mb=megabytes(consumer_max_bytes()),
                used=f"{used / 1024 / 1024:.1f}",
            )
        )


def store_upload(
    case: Case, file_storage: FileStorage, kind: AttachmentKind | str, actor: User
) -> Attachment:
    """Check, store and attach one file to `case`; audit attachment.added (raises UploadError).

    The case's file count, and for its consumer their byte quota, are read under their lock, so
    parallel uploads cannot pass them together.
    """
    services.lock_uploads_of(case.consumer)
    if queries.count_case_files(case.id) >= max_files():
        raise UploadError(_l("每个案件最多上传 %(n)s 个文件。", n=max_files()))
    kind = kind_of(kind)
    content, content_type, name = check_file(file_storage)
    if actor.id == case.consumer_id:
        check_room(actor, content, name)
    stored = write_checked(content, content_type, name)
    attachment = Attachment(case=case, uploaded_by=actor, kind=kind, **file_columns(stored))
    db.session.add(attachment)
    db.session.flush()
    audit.record(
        actor,
        "attachment.added",
        attachment,
        case=case,
        after={"kind": attachment.kind, "name": attachment.original_name},
    )
    return attachment


def store_draft_upload(
    draft: CaseDraft, file_storage: FileStorage, kind: AttachmentKind | str
) -> DraftFile:
    """Check, store and link one file to `draft` (raises UploadError); the count and the byte
    quota are read under the owner's lock, as for store_upload."""
    services.lock_uploads_of(draft.owner)
    if queries.count_draft_files(draft.id) >= max_files():
        raise UploadError(_l("最多上传 %(n)s 个文件。", n=max_files()))
    kind = kind_of(kind)
    content, content_type, name = check_file(file_storage)
    check_room(draft.owner, content, name)
    stored = write_checked(content, content_type, name)
    draft_file = DraftFile(draft=draft, kind=kind, **file_columns(stored))
    db.session.add(draft_file)
    db.session.flush()
    return draft_file


def remove_draft_file(draft_file: DraftFile) -> None:
    """Remove a draft's file from the database, and from disk once that is committed."""
    stored_name = draft_file.stored_name
    db.session.delete(draft_file)
    db.session.flush()
    delete_after_commit(stored_name)


def remove_attachment(attachment: Attachment, actor: User) -> None:
    """Remove an attachment (its file goes once that is committed); audit attachment.removed."""
    stored_name, case = attachment.stored_name, attachment.case
    audit.record(
        actor,
        "attachment.removed",
        attachment,
        case=case,
        before={"kind": attachment.kind, "name": attachment.original_name},
    )
    db.session.delete(attachment)
    db.session.flush()
    delete_after_commit(stored_name)
