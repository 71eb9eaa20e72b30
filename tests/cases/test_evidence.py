"""Evidence the consumer adds on their own after submitting, and typed files in an answer to a
staff question: checked like every upload, audited, and seen by staff and the expert."""

from __future__ import annotations

import html
import io

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases import states
from disputes.cases.models import Case, CaseStatus
from disputes.cases.vocabulary import AttachmentKind
from disputes.db import db
from tests.cases.filing import PDF, PNG


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def move(case_id: int, staff_id: int, *path: tuple[CaseStatus, str | None]) -> None:
    actor = db.session.get(User, staff_id)
    case = db.session.get(Case, case_id)
    for status, reason in path:
        states.transition(case, status, actor, reason=reason)
    db.session.commit()


@pytest.fixture
def case(make_case, consumer):
    return make_case(consumer)


def post_evidence(client, case_id: int, *files, kind="warranty_card", note="三包凭证原件照片"):
    return client.post(
        f"/cases/{case_id}/evidence",
        data={"kind": kind, "note": note, "files": [(io.BytesIO(c), n) for c, n in files]},
        content_type="multipart/form-data",
    )


def test_consumer_adds_typed_evidence_with_a_note_while_the_case_is_handled(
    app, client, login, consumer, case
):
    login(consumer)
    assert "补充证据" in page(client.get(f"/cases/{case.id}"))

    response = post_evidence(client, case.id, (PNG, "凭证.png"), (PDF, "凭证背面.pdf"))

    assert response.status_code == 302
    with app.app_context():
        reloaded = db.session.get(Case, case.id)
        assert reloaded.status == CaseStatus.submitted
        assert [(a.kind, a.original_name) for a in reloaded.attachments] == [
            (AttachmentKind.warranty_card, "凭证.png"),
            (AttachmentKind.warranty_card, "凭证背面.pdf"),
        ]
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.evidence_added")
        ).one()
        assert event.actor_id == consumer.id
        assert event.after == {
            "note": "三包凭证原件照片",
            "attachment_ids": [a.id for a in reloaded.attachments],
        }
    text = page(client.get(f"/cases/{case.id}"))
    assert "三包凭证：凭证.png" in text
    assert "您补充了 2 份证据" in text
    assert "三包凭证原件照片" in text


def test_staff_and_the_expert_see_the_added_files_in_words(
    app,
    client,
    login,
    consumer,
    staff,
    case,
    release_opinion,
    make_user,
    make_expert,
    make_assignment,
):
    login(consumer)
    post_evidence(client, case.id, (PDF, "维修单3.pdf"), kind="repair_order")
    with app.app_context():
        move(case.id, staff.id, (CaseStatus.screening, None), (CaseStatus.accepted, None),
             (CaseStatus.routed, "测试"))  # fmt: skip
        user = make_user("expert")
        make_assignment(case, make_expert("E88", user=user, name=user.name), reason="测试")
        expert_user = db.session.get(User, user.id)
        db.session.expunge(expert_user)

    login(staff)
    assert "维修单3.pdf" in page(client.get(f"/staff/cases/{case.id}"))
    login(expert_user)
    expert_page = page(client.get(f"/experts/cases/{case.id}"))
    assert "维修单3.pdf" not in expert_page  # the consumer's file name: a neutral one instead
    assert "证据 1 · 维修单.pdf" in expert_page
    assert "repair_order" not in expert_page


def test_no_file_keeps_the_note_and_says_what_is_missing(app, client, login, consumer, case):
    login(consumer)

    response = post_evidence(client, case.id, kind="photo", note="车门异响的视频截图")

    text = page(response)
    assert response.status_code == 400
    assert "请选择要上传的文件" in text
    assert 'id="files-error"' in text
    assert "车门异响的视频截图</textarea>" in text
    assert '<option selected value="photo">' in text or 'value="photo" selected' in text
    with app.app_context():
        assert db.session.get(Case, case.id).attachments == []


def test_a_disguised_file_is_refused_next_to_the_field(app, client, login, consumer, case):
    login(consumer)

    response = post_evidence(client, case.id, (b"just text", "fake.pdf"))

    assert response.status_code == 400
    assert 'id="files-error"' in page(response)
    with app.app_context():
        assert db.session.get(Case, case.id).attachments == []
        assert (
            db.session.scalar(
                db.select(db.func.count(AuditEvent.id)).where(
                    AuditEvent.action == "case.evidence_added"
                )
            )
            == 0
        )


def test_an_unknown_kind_is_refused(client, login, consumer, case):
    login(consumer)

    response = post_evidence(client, case.id, (PDF, "a.pdf"), kind="video_of_cat")

    assert response.status_code == 400
    assert 'id="kind-error"' in page(response)


def test_a_finished_case_takes_no_more_evidence(app, client, login, consumer, staff, case):
    with app.app_context():
        move(case.id, staff.id, (CaseStatus.withdrawn, "已和解"))
    login(consumer)

    assert "补充证据" not in page(client.get(f"/cases/{case.id}"))
    response = post_evidence(client, case.id, (PDF, "a.pdf"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Case, case.id).attachments == []


def test_answering_a_question_types_the_files(app, client, login, consumer, staff, case):
    with app.app_context():
        move(case.id, staff.id, (CaseStatus.screening, None),
             (CaseStatus.info_requested, "请上传发票"))  # fmt: skip
    login(consumer)
    assert 'name="kind"' in page(client.get(f"/cases/{case.id}"))

    client.post(
        f"/cases/{case.id}/respond",
        data={"text": "发票见附件", "kind": "invoice", "files": (io.BytesIO(PDF), "invoice.pdf")},
        content_type="multipart/form-data",
    )

    with app.app_context():
        [attachment] = db.session.get(Case, case.id).attachments
        assert attachment.kind == AttachmentKind.invoice
    assert "购车发票：invoice.pdf" in page(client.get(f"/cases/{case.id}"))
