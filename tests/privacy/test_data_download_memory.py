"""/account/data with 180 MB of files: the ZIP is streamed, so the worker's memory stays flat."""

from __future__ import annotations

import json
import os
import secrets
import tracemalloc
import zipfile

from disputes.cases import uploads
from disputes.cases.models import CaseDraft, DraftFile
from disputes.cases.vocabulary import AttachmentKind
from disputes.db import db

FILE_BYTES = 10 * 1024 * 1024
DRAFTS, FILES_PER_DRAFT = 3, 6  # 18 files, 180 MB


def random_files_on_drafts(owner_id: int) -> int:
    """Put 18 files of 10 MB of random bytes (one file, hard-linked) on 3 drafts; return the
    total."""
    root = uploads.upload_root()
    root.mkdir(parents=True, exist_ok=True)
    source = root / "random.pdf"
    with source.open("wb") as out:
        out.write(b"%PDF-1.4\n" + os.urandom(FILE_BYTES - 9))
    for d in range(DRAFTS):
        draft = CaseDraft(owner_id=owner_id, token=secrets.token_hex(16), data={})
        db.session.add(draft)
        db.session.flush()
        for i in range(FILES_PER_DRAFT):
            stored_name = f"{secrets.token_hex(8)}/{secrets.token_hex(16)}"
            (root / stored_name).parent.mkdir()
            os.link(source, root / stored_name)
            db.session.add(
                DraftFile(
                    draft_id=draft.id,
                    kind=AttachmentKind.repair_order,
                    original_name=f"维修单-{d}-{i}.pdf",
                    stored_name=stored_name,
                    content_type="application/pdf",
                    size_bytes=FILE_BYTES,
                    sha256="0" * 64,
                )
            )
    db.session.commit()
    return DRAFTS * FILES_PER_DRAFT * FILE_BYTES


def test_a_180_mb_download_is_streamed_in_little_memory(app, client, login, consumer, tmp_path):
    with app.app_context():
        total = random_files_on_drafts(consumer.id)
    login(consumer)
    saved = tmp_path / "my-data.zip"

    tracemalloc.start()
    try:
        response = client.post("/account/data", data={"confirm": "y"})
        with saved.open("wb") as out:
            for chunk in response.iter_encoded():
                out.write(chunk)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert peak < total / 10, f"peak {peak / 1e6:.0f} MB for {total / 1e6:.0f} MB of files"
    with zipfile.ZipFile(saved) as archive:
        assert archive.testzip() is None
        data = json.loads(archive.read("data.json"))
        members = {i.filename: i.file_size for i in archive.infolist()}
    paths = [f["path"] for d in data["drafts"] for f in d["files"]]
    assert len(paths) == DRAFTS * FILES_PER_DRAFT
    assert all(members[p] == FILE_BYTES for p in paths)
    assert not any(f["missing"] for d in data["drafts"] for f in d["files"])
