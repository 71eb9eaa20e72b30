"""Quotas per consumer: open drafts, files per draft or case (also under parallel uploads) and the
bytes of all their files, on every upload route."""

from __future__ import annotations

import html
import io

import pytest
from flask_login.utils import _create_identifier

from disputes.auth import services as user_services
from disputes.auth.models import Role, User
from disputes.cases import prefill, states
from disputes.cases.models import Case, CaseDraft, CaseStatus, DraftFile
from disputes.db import db
from tests.cases.filing import PDF, step_url, upload
from tests.support.threads import run_together

DRAFTS_ALLOWED = 5


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def pdf_of(size: int) -> bytes:
    """A PDF of exactly `size` bytes."""
    return PDF + b"%" * (size - len(PDF))


def open_drafts(app, owner_id: int) -> int:
    with app.app_context():
        stmt = db.select(db.func.count(CaseDraft.id)).where(
            CaseDraft.owner_id == owner_id, CaseDraft.submitted_case_id.is_(None)
        )
        return db.session.scalar(stmt)


def files_of(app, draft_id: int) -> int:
    with app.app_context():
        stmt = db.select(db.func.count(DraftFile.id)).where(DraftFile.draft_id == draft_id)
        return db.session.scalar(stmt)


# --- open drafts --------------------------------------------------------------------------------


def test_another_draft_past_the_cap_is_refused_with_a_message_on_the_page(
    app, client, login, consumer
):
    login(consumer)
    for _ in range(DRAFTS_ALLOWED):
        assert client.post("/cases/new").status_code == 302

    response = client.post("/cases/new")

    text = page(response)
    assert response.status_code == 409
    assert 'role="alert" id="new-refused"' in text
    assert f"您已有 {DRAFTS_ALLOWED} 份未提交的草稿，不能再开始新的申请" in text
    assert text.count("删除草稿") == DRAFTS_ALLOWED  # each can be deleted from here
    assert open_drafts(app, consumer.id) == DRAFTS_ALLOWED


def test_deleting_a_draft_makes_room_for_a_new_one(app, client, login, consumer):
    login(consumer)
    ids = [
        int(client.post("/cases/new").headers["Location"].split("/drafts/")[1].split("/")[0])
        for _ in range(DRAFTS_ALLOWED)
    ]
    assert client.post("/cases/new").status_code == 409

    client.post(f"/cases/drafts/{ids[0]}/delete")

    assert client.post("/cases/new").status_code == 302
    assert open_drafts(app, consumer.id) == DRAFTS_ALLOWED


def test_the_self_check_handover_past_the_cap_says_why_and_keeps_the_drafts(
    app, client, login, consumer
):
    login(consumer)
    for _ in range(DRAFTS_ALLOWED):
        client.post("/cases/new")
    with client.session_transaction() as session:
        session[prefill.PENDING_KEY] = {"purchase-brand": ["比亚迪"]}

    response = client.get("/cases/from-self-check", follow_redirects=True)

    assert response.request.path == "/cases/new"
    assert "不能再开始新的申请" in page(response)
    assert open_drafts(app, consumer.id) == DRAFTS_ALLOWED


def test_the_cap_counts_each_consumer_alone(app, client, login, consumer, make_user):
    login(consumer)
    for _ in range(DRAFTS_ALLOWED):
        client.post("/cases/new")

    login(make_user("consumer"))

    assert client.post("/cases/new").status_code == 302


# --- bytes over drafts and cases ----------------------------------------------------------------

SIZE = 64 * 1024


@pytest.fixture
def byte_quota(app):
    """Room for 2.5 files of SIZE bytes per consumer."""
    app.config["CONSUMER_MAX_UPLOAD_BYTES"] = int(2.5 * SIZE)


def test_an_upload_past_the_byte_quota_is_refused_next_to_the_file_field(
    app, client, login, consumer, byte_quota
):
    login(consumer)
    first = int(client.post("/cases/new").headers["Location"].split("/drafts/")[1].split("/")[0])
    second = int(client.post("/cases/new").headers["Location"].split("/drafts/")[1].split("/")[0])
    assert upload(client, first, pdf_of(SIZE), "1.pdf").status_code == 200
    assert upload(client, second, pdf_of(SIZE), "2.pdf").status_code == 200

    response = upload(client, second, pdf_of(SIZE), "3.pdf")

    text = page(response)
    assert 'id="files-error"' in text
    assert "文件“3.pdf”没有保存：您上传的文件合计不能超过 0.15625 MB，已用 0.1 MB" in text
    assert (files_of(app, first), files_of(app, second)) == (1, 1)
    assert upload(client, second, pdf_of(SIZE // 4), "small.pdf").status_code == 200
    assert files_of(app, second) == 2


def test_files_on_filed_cases_count_towards_the_quota(
    app, client, login, consumer, make_case, byte_quota
):
    case = make_case(consumer)
    login(consumer)
    evidence = {"kind": "photo", "note": "照片", "files": [(io.BytesIO(pdf_of(SIZE)), "a.pdf")]}
    assert client.post(f"/cases/{case.id}/evidence", data=evidence).status_code == 302
    evidence["files"] = [(io.BytesIO(pdf_of(SIZE)), "b.pdf")]
    assert client.post(f"/cases/{case.id}/evidence", data=evidence).status_code == 302
    draft = int(client.post("/cases/new").headers["Location"].split("/drafts/")[1].split("/")[0])

    response = upload(client, draft, pdf_of(SIZE), "c.pdf")

    assert "文件“c.pdf”没有保存" in page(response)
    assert files_of(app, draft) == 0


def test_added_evidence_past_the_quota_is_refused_next_to_the_field_with_the_note_kept(
    app, client, login, consumer, make_case, byte_quota
):
    case = make_case(consumer)
    login(consumer)
    draft = int(client.post("/cases/new").headers["Location"].split("/drafts/")[1].split("/")[0])
    upload(client, draft, pdf_of(SIZE), "1.pdf")
    upload(client, draft, pdf_of(SIZE), "2.pdf")

    response = client.post(
        f"/cases/{case.id}/evidence",
        data={"kind": "photo", "note": "车门照片", "files": [(io.BytesIO(pdf_of(SIZE)), "3.pdf")]},
    )

    text = page(response)
    assert response.status_code == 400
    assert 'id="files-error"' in text
    assert "文件“3.pdf”没有保存" in text
    assert "车门照片</textarea>" in text
    with app.app_context():
        assert db.session.get(Case, case.id).attachments == []


def test_an_answer_to_a_question_past_the_quota_is_refused(
    app, client, login, consumer, staff, make_case, byte_quota
):
    case = make_case(consumer)
    with app.app_context():
        actor, filed = db.session.get(User, staff.id), db.session.get(Case, case.id)
        states.transition(filed, CaseStatus.screening, actor)
        states.transition(filed, CaseStatus.info_requested, actor, reason="请上传发票")
        db.session.commit()
    login(consumer)
    draft = int(client.post("/cases/new").headers["Location"].split("/drafts/")[1].split("/")[0])
    upload(client, draft, pdf_of(SIZE), "1.pdf")
    upload(client, draft, pdf_of(SIZE), "2.pdf")

    response = client.post(
        f"/cases/{case.id}/respond",
        data={"text": "发票见附件", "files": (io.BytesIO(pdf_of(SIZE)), "3.pdf")},
        follow_redirects=True,
    )

    assert "文件“3.pdf”没有保存" in page(response)
    with app.app_context():
        filed = db.session.get(Case, case.id)
        assert (filed.attachments, filed.status) == ([], CaseStatus.info_requested)


# --- parallel uploads, on a database several connections share ---------------------------------


def logged_in_clients(app, n: int) -> tuple[int, list]:
    """Make a consumer; return their id and `n` clients with a session of theirs each."""
    with app.app_context():
        data = user_services.UserData(
            role=Role.consumer, name="并发消费者", password="secret123", mobile="13800000099"
        )
        user_id = user_services.create_user(data, enforce_policy=False).id
        db.session.commit()
    clients = []
    for _ in range(n):
        client = app.test_client()
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as session:
            session.update(_user_id=str(user_id), _fresh=True, _id=identifier)
        clients.append(client)
    return user_id, clients


def post_files(client, draft_id: int, count: int) -> None:
    files = [(io.BytesIO(PDF), f"{n}.pdf") for n in range(count)]
    data = {"kind": "invoice", "action": "upload", "files": files}
    response = client.post(step_url(draft_id, 6), data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.status_code


def test_parallel_uploads_never_pass_the_files_cap_of_a_draft(threaded_app):
    _user_id, clients = logged_in_clients(threaded_app, 4)
    location = clients[0].post("/cases/new").headers["Location"]
    draft_id = int(location.split("/drafts/")[1].split("/")[0])

    _, errors = run_together(lambda i: post_files(clients[i], draft_id, 10), len(clients))

    assert errors == []
    assert files_of(threaded_app, draft_id) == 20


def test_parallel_uploads_never_pass_the_byte_quota(threaded_app):
    threaded_app.config["CONSUMER_MAX_UPLOAD_BYTES"] = 5 * len(PDF)
    _user_id, clients = logged_in_clients(threaded_app, 4)
    location = clients[0].post("/cases/new").headers["Location"]
    draft_id = int(location.split("/drafts/")[1].split("/")[0])

    _, errors = run_together(lambda i: post_files(clients[i], draft_id, 3), len(clients))

    assert errors == []
    assert files_of(threaded_app, draft_id) == 5


def test_parallel_new_drafts_never_pass_the_cap(threaded_app):
    user_id, clients = logged_in_clients(threaded_app, 8)

    statuses, errors = run_together(
        lambda i: clients[i].post("/cases/new").status_code, len(clients)
    )

    assert errors == []
    assert sorted(statuses) == [302] * DRAFTS_ALLOWED + [409] * 3
    assert open_drafts(threaded_app, user_id) == DRAFTS_ALLOWED
