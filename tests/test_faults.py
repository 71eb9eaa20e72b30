"""Faults during filing: a database error mid-submission, a write that dies half-way, two
browsers submitting one draft, and two filings taking a case number at the same moment.

Each test checks the end state on both databases: no case, file or audit entry is left of a
failed submission, no half file is visible, and one draft or one number is used exactly once.
"""

from __future__ import annotations

import copy
import errno
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import FileStorage

from disputes import audit
from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases import services, uploads
from disputes.cases.models import Attachment, Case, CaseDraft, CaseStatus, DraftFile
from disputes.db import db
from tests.cases.filing import PDF, post_step, start_draft, step_url, upload
from tests.support.data import CASE_FACTS
from tests.support.threads import run_together

THREADS = 6


# --- helpers ------------------------------------------------------------------------------------


def files_on_disk(app: Flask) -> set[str]:
    """Return every stored name under the upload folder (temporary files included)."""
    root = Path(app.config["UPLOAD_FOLDER"])
    if not root.exists():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def files_in_db() -> set[str]:
    draft_files = db.session.scalars(db.select(DraftFile.stored_name))
    attachments = db.session.scalars(db.select(Attachment.stored_name))
    return set(draft_files) | set(attachments)


def count(model: Any) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def fill_draft(client: FlaskClient) -> int:
    """Post steps 1-5 of a valid filing and upload an invoice; return the draft id."""
    draft_id = start_draft(client)
    for step in range(1, 6):
        assert post_step(client, draft_id, step).status_code == 302, step
    assert upload(client, draft_id, PDF, "发票.pdf").status_code == 200
    return draft_id


def submit(client: FlaskClient, draft_id: int, **changes: Any):
    return post_step(client, draft_id, 7, action="submit", **changes)


def fail_on(monkeypatch: pytest.MonkeyPatch, action: str, error: BaseException) -> None:
    """Make audit.record raise `error` for `action` (after the rows before it were flushed)."""
    real = audit.record

    def failing(actor, what, obj, **kwargs):
        if what == action:
            raise error
        return real(actor, what, obj, **kwargs)

    monkeypatch.setattr(audit, "record", failing)


DB_DOWN = OperationalError("INSERT INTO audit_events", {}, Exception("disk I/O error"))


# --- (a) the database fails in the middle of a submission -----------------------------------------


@pytest.mark.parametrize("action", ["case.submitted", "attachment.added"])
@pytest.mark.parametrize(
    ("error", "status", "shown"),
    [
        pytest.param(DB_DOWN, 503, "提交没有成功", id="database-error"),
        pytest.param(RuntimeError("boom"), 500, "错误编号", id="unexpected-error"),
    ],
)
def test_a_failure_mid_submission_keeps_nothing_and_the_draft_can_be_resubmitted(
    app, client, login, consumer, monkeypatch, action, error, status, shown
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(consumer)
    draft_id = fill_draft(client)
    with app.app_context():
        draft_before = db.session.get(CaseDraft, draft_id).data
        events_before = count(AuditEvent)
        stored = files_in_db()
    fail_on(monkeypatch, action, error)

    response = submit(client, draft_id)

    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert shown in body
    assert "Traceback" not in body
    assert "boom" not in body
    assert "disk I/O" not in body
    with app.app_context():
        assert count(Case) == 0
        assert count(Attachment) == 0
        assert count(AuditEvent) == events_before
        draft = db.session.get(CaseDraft, draft_id)
        assert draft.submitted_case_id is None
        assert draft.data == draft_before
        assert [f.original_name for f in draft.files] == ["发票.pdf"]
        assert files_in_db() == stored == files_on_disk(app)

    monkeypatch.undo()
    again = submit(client, draft_id)

    assert again.status_code == 302
    assert "/receipt" in again.headers["Location"]
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert [a.original_name for a in case.attachments] == ["发票.pdf"]
        assert files_in_db() == stored == files_on_disk(app)


@pytest.mark.parametrize("key", ["0" * 32, "长", "é" * 32], ids=["ascii", "cjk", "latin"])
def test_a_submission_key_of_another_draft_is_refused_and_files_nothing(
    client, login, consumer, key
):
    login(consumer)
    draft_id = fill_draft(client)

    response = submit(client, draft_id, submission_key=key)

    assert response.status_code == 400
    assert "这个页面已经过期" in response.get_data(as_text=True)
    assert submit(client, draft_id).status_code == 302


def test_the_review_page_carries_the_drafts_submission_key(app, client, login, consumer):
    login(consumer)
    draft_id = fill_draft(client)

    page = client.get(step_url(draft_id, 7)).get_data(as_text=True)

    with app.app_context():
        token = db.session.get(CaseDraft, draft_id).token
    assert f'name="submission_key" value="{token}"' in page


# --- (b) uploads: no half file, nothing left of a rolled-back transaction ------------------------


def failing_disk(written: list[int]) -> Callable[..., None]:
    """A copy loop that writes half of the file, then fails as a full disk does."""

    def copy_half(out, content: bytes) -> None:
        out.write(content[: len(content) // 2])
        written.append(len(content) // 2)
        raise OSError(errno.ENOSPC, "No space left on device")

    return copy_half


def test_a_write_failing_half_way_leaves_no_file_and_no_temporary(app, monkeypatch):
    written: list[int] = []
    monkeypatch.setattr(uploads, "copy_into", failing_disk(written))

    with app.test_request_context(), pytest.raises(uploads.UploadError):
        uploads.write_file(FileStorage(io.BytesIO(PDF), filename="发票.pdf"))

    assert written == [len(PDF) // 2]
    root = Path(app.config["UPLOAD_FOLDER"])
    assert [p for p in root.rglob("*")] == []


def test_an_upload_failing_half_way_shows_a_message_and_keeps_nothing(
    app, client, login, consumer, monkeypatch
):
    login(consumer)
    draft_id = start_draft(client)
    monkeypatch.setattr(uploads, "copy_into", failing_disk([]))

    response = upload(client, draft_id, PDF, "发票.pdf")

    assert response.status_code == 200
    assert "没有保存成功" in response.get_data(as_text=True)
    with app.app_context():
        assert count(DraftFile) == 0
    assert files_on_disk(app) == set()


def test_a_complete_write_is_visible_only_under_its_final_name(app):
    with app.app_context():
        stored = uploads.write_file(FileStorage(io.BytesIO(PDF), filename="发票.pdf"))
        db.session.commit()

    assert files_on_disk(app) == {stored.stored_name}
    assert (Path(app.config["UPLOAD_FOLDER"]) / stored.stored_name).read_bytes() == PDF


def test_files_of_a_rolled_back_transaction_are_removed(app, consumer):
    with app.app_context():
        draft = services.create_draft(db.session.get(User, consumer.id))
        db.session.commit()
        kept = uploads.store_draft_upload(draft, FileStorage(io.BytesIO(PDF), "a.pdf"), "invoice")
        db.session.commit()
        uploads.store_draft_upload(draft, FileStorage(io.BytesIO(PDF), "b.pdf"), "invoice")
        db.session.rollback()

        assert files_in_db() == {kept.stored_name}
    assert files_on_disk(app) == {kept.stored_name}


def test_files_of_a_request_that_fails_are_removed(app, consumer):
    with app.app_context():
        draft_id = services.create_draft(db.session.get(User, consumer.id)).id
        db.session.commit()
    with app.test_request_context():
        draft = db.session.get(CaseDraft, draft_id)
        uploads.store_draft_upload(draft, FileStorage(io.BytesIO(PDF), "a.pdf"), "invoice")
        assert len(files_on_disk(app)) == 1
        # the view fails before its commit: the context ends, the session closes

    assert files_on_disk(app) == set()


def test_a_removed_file_leaves_the_disk_only_when_the_removal_commits(app, consumer):
    with app.app_context():
        draft = services.create_draft(db.session.get(User, consumer.id))
        draft_file = uploads.store_draft_upload(
            draft, FileStorage(io.BytesIO(PDF), "a.pdf"), "invoice"
        )
        db.session.commit()
        name = draft_file.stored_name

        uploads.remove_draft_file(draft_file)
        db.session.rollback()
        assert files_on_disk(app) == {name}

        uploads.remove_draft_file(db.session.get(DraftFile, draft_file.id))
        db.session.commit()
    assert files_on_disk(app) == set()


def test_an_answer_with_one_bad_file_keeps_none_of_its_files(
    app, client, login, consumer, make_case
):
    case = make_case(consumer, status=CaseStatus.info_requested)
    login(consumer)
    files = [(io.BytesIO(PDF), "维修单.pdf"), (io.BytesIO(b"MZ\x90\x00"), "virus.pdf")]

    response = client.post(
        f"/cases/{case.id}/respond",
        data={"text": "补充", "files": files},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    with client.session_transaction() as session:
        assert [c for c, _m in session["_flashes"]] == ["error"]
    with app.app_context():
        assert count(Attachment) == 0
        assert db.session.get(Case, case.id).status == CaseStatus.info_requested
    assert files_on_disk(app) == set()


# --- (c) and (d): concurrency, on a database that several connections share ----------------------


def make_consumer(app: Flask, n: int) -> User:
    from disputes.auth import services as user_services
    from disputes.auth.models import Role

    with app.app_context():
        user = user_services.create_user(
            user_services.UserData(
                f"消费者{n}", "Zq7-long-Passw0rd!", Role.consumer, None, f"c{n}@x.test"
            )
        )
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


def logged_in_client(app: Flask, user: User) -> FlaskClient:
    from flask_login.utils import _create_identifier

    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session.update({"_user_id": str(user.id), "_fresh": True, "_id": identifier})
    return client


def test_two_browsers_submitting_one_draft_file_one_case(threaded_app):
    app = threaded_app
    owner = make_consumer(app, 1)
    draft_id = fill_draft(logged_in_client(app, owner))
    browsers = [logged_in_client(app, owner) for _ in range(THREADS)]

    results, errors = run_together(lambda i: submit(browsers[i], draft_id), THREADS)

    assert errors == []
    assert {r.status_code for r in results} == {302}
    assert len({r.headers["Location"] for r in results}) == 1
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert results[0].headers["Location"].endswith(f"/cases/{case.id}/receipt")
        assert count(Attachment) == 1
        submitted = db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.action == "case.submitted"
        )
        assert db.session.scalar(submitted) == 1
        assert files_in_db() == files_on_disk(app)


def test_filings_at_the_same_moment_get_distinct_consecutive_numbers(threaded_app):
    app = threaded_app
    owners = [make_consumer(app, n) for n in range(THREADS)]

    def file_case(i: int) -> str:
        with app.app_context():
            try:
                owner = db.session.get(User, owners[i].id)
                case = services.create_case(owner, copy.deepcopy(CASE_FACTS))
                db.session.commit()
                return case.number
            finally:
                db.session.remove()

    numbers, errors = run_together(file_case, THREADS)

    assert errors == []
    sequences = sorted(int(re.fullmatch(r"SJZ-\d{4}-(\d{6})", n).group(1)) for n in numbers)
    assert sequences == list(range(1, THREADS + 1))


def test_submissions_of_different_drafts_at_once_all_succeed(threaded_app):
    app = threaded_app
    browsers = [logged_in_client(app, make_consumer(app, n)) for n in range(THREADS)]
    draft_ids = [fill_draft(b) for b in browsers]

    results, errors = run_together(lambda i: submit(browsers[i], draft_ids[i]), THREADS)

    assert errors == []
    assert [r.status_code for r in results] == [302] * THREADS
    with app.app_context():
        numbers = db.session.scalars(db.select(Case.number)).all()
        assert len(set(numbers)) == THREADS
        assert count(Attachment) == THREADS


# --- (e) a lock held elsewhere longer than the app waits ---------------------------------------


@contextmanager
def write_lock_held(app: Flask, draft_id: int) -> Iterator[None]:
    """Hold a write lock from another connection: SQLite's database lock, PostgreSQL's row lock
    on the draft (as a long `stats rebuild` or `privacy purge` would)."""
    with app.app_context():
        raw = db.engine.raw_connection()
        cursor = raw.cursor()
        if db.engine.dialect.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        else:
            cursor.execute("SELECT id FROM case_drafts WHERE id = %s FOR UPDATE", (draft_id,))
        try:
            yield
        finally:
            raw.rollback()
            raw.close()


def test_a_step_posted_while_another_writer_holds_the_lock_comes_back_with_its_input(
    threaded_app,
):
    app = threaded_app
    app.config.update(DATABASE_LOCK_TIMEOUT_MS=300, PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        db.engine.dispose()  # new connections take the shorter timeout
    client = logged_in_client(app, make_consumer(app, 1))
    draft_id = start_draft(client)

    with write_lock_held(app, draft_id):
        response = post_step(client, draft_id, 1, purchase__brand="锁住时输入的品牌")

    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "系统繁忙" in text
    assert 'value="锁住时输入的品牌"' in text
    assert "第 1 步，共 7 步" in text
    assert post_step(client, draft_id, 1, purchase__brand="锁住时输入的品牌").status_code == 302
    with app.app_context():
        saved = db.session.get(CaseDraft, draft_id).data["1"]
        assert saved["purchase-brand"] == ["锁住时输入的品牌"]


def test_any_other_write_blocked_too_long_is_a_busy_page_not_a_500(threaded_app):
    app = threaded_app
    app.config.update(DATABASE_LOCK_TIMEOUT_MS=300, PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        db.engine.dispose()
    client = logged_in_client(app, make_consumer(app, 1))
    draft_id = start_draft(client)

    with write_lock_held(app, draft_id):
        response = client.post(f"/cases/drafts/{draft_id}/delete")

    assert response.status_code == 503
    assert "系统繁忙，请稍后再点一次" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CaseDraft, draft_id) is not None
