"""/account/data: a consumer downloads everything held about them, and nothing of anyone else."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from disputes.audit import AuditEvent
from disputes.cases import uploads
from disputes.cases.models import Case, CaseDraft
from disputes.db import db, utcnow
from disputes.experts.models import Assignment, Opinion, OpinionStatus
from tests.privacy.case_data import PERSONAL, attach
from tests.support.data import FAKE_PDF, VIN

URL = "/account/data"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def download(client) -> zipfile.ZipFile:
    response = client.post(URL, data={"confirm": "y"})
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(BytesIO(response.data))


def data_of(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("data.json"))


def exported(app) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).where(AuditEvent.action == "personal_data.exported")
        return list(db.session.scalars(stmt))


def number_of(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).number


@pytest.fixture
def opinions(app, personal_case) -> None:
    """A released opinion and a draft one on the consumer's case."""
    with app.app_context():
        assignment = db.session.scalars(
            select(Assignment).where(Assignment.case_id == personal_case)
        ).one()
        for version, status, text in [
            (1, OpinionStatus.released, "阀体存在质量问题，建议更换。"),
            (2, OpinionStatus.draft, "草稿：尚未公布的意见"),
        ]:
            db.session.add(
                Opinion(
                    case_id=personal_case,
                    expert_id=assignment.expert_id,
                    assignment_id=assignment.id,
                    version=version,
                    status=status,
                    conclusion=text,
                    released_at=utcnow() if status == OpinionStatus.released else None,
                )
            )
        db.session.commit()


def test_page_explains_what_is_included_and_nav_links_it(app, client, login, consumer):
    login(consumer)

    text = client.get(URL).get_data(as_text=True)

    assert "data.json" in text
    assert "我的数据" in text
    assert 'href="/account/data"' in client.get("/cases/").get_data(as_text=True)


def test_staff_nav_has_no_data_link(app, client, login, staff):
    login(staff)

    assert 'href="/account/data"' not in client.get("/staff/").get_data(as_text=True)


def test_unticked_confirmation_is_refused_next_to_the_field(app, client, login, consumer):
    login(consumer)

    response = client.post(URL, data={})

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="confirm-error"' in text
    assert "请勾选确认后再下载" in text
    assert exported(app) == []


def test_post_without_csrf_token_is_refused(app, client, login, consumer):
    app.config["WTF_CSRF_ENABLED"] = True
    login(consumer)

    response = client.post(URL, data={"confirm": "y"})

    assert response.status_code == 400
    assert response.mimetype != "application/zip"
    assert exported(app) == []


def test_zip_holds_account_cases_and_files(app, client, login, consumer, personal_case, opinions):
    login(consumer)

    archive = download(client)
    data = data_of(archive)

    assert data["account"]["name"] == consumer.name
    assert data["account"]["mobile"] == consumer.mobile
    assert "password_hash" not in json.dumps(data)
    [case] = data["cases"]
    assert case["contact"] == {
        "name": PERSONAL["contact_name"],
        "phone": PERSONAL["contact_phone"],
        "id_number": PERSONAL["contact_id_number"],
        "address": PERSONAL["contact_address"],
    }
    assert case["facts"]["vehicle"]["vin"] == VIN
    assert [p["label"] for p in case["problems"]] == ["P1"]
    assert case["repair_events"][0]["odometer_km"] == 4200
    assert case["repair_events"][0]["replaced_parts"][0]["part"] == "阀体"
    assert case["assessment_now"]["regime"]
    assert [o["conclusion"] for o in case["opinions"]] == ["阀体存在质量问题，建议更换。"]
    assert "草稿：尚未公布的意见" not in json.dumps(data, ensure_ascii=False)
    assert case["timeline"][0]["title"] == "您提交了申请"
    [file] = case["files"]
    assert file["name"] == "invoice.pdf"
    assert archive.read(file["path"]) == FAKE_PDF
    assert sorted(archive.namelist()) == sorted(["data.json", file["path"]])


def test_another_consumers_case_and_files_are_never_included(
    app, client, login, consumer, personal_case, make_user, make_case
):
    other = make_user("consumer")
    other_case = make_case(other, contact_name="李别人", contact_phone="13600000000")
    with app.app_context():
        attach(other_case.id, "other.pdf", b"%PDF-1.4 other")
    login(consumer)

    archive = download(client)
    body = archive.read("data.json").decode()

    assert [c["number"] for c in data_of(archive)["cases"]] == [number_of(app, personal_case)]
    assert other_case.number not in body
    assert "李别人" not in body
    assert "13600000000" not in body
    assert not any("other.pdf" in name for name in archive.namelist())


def test_unsubmitted_drafts_and_their_files_are_included(app, client, login, consumer):
    with app.app_context():
        draft = CaseDraft(
            owner_id=consumer.id, token="t" * 32, data={"5": {"details-x": ["草稿值"]}}
        )
        db.session.add(draft)
        db.session.flush()
        uploads.store_draft_upload(draft, FileStorage(BytesIO(PNG), filename="photo.png"), "photo")
        db.session.commit()
    login(consumer)

    archive = download(client)
    [draft_data] = data_of(archive)["drafts"]

    assert draft_data["data"] == {"5": {"details-x": ["草稿值"]}}
    assert archive.read(draft_data["files"][0]["path"]) == PNG


def test_download_is_audited_as_personal_data_exported(app, client, login, consumer, personal_case):
    login(consumer)

    download(client)

    [event] = exported(app)
    assert event.actor_id == consumer.id
    assert (event.object_type, event.object_id) == ("users", consumer.id)
    assert event.after == {"export": "own_data", "cases": 1, "files": 1}


def test_a_consumer_without_cases_gets_an_empty_list(app, client, login, consumer):
    login(consumer)

    data = data_of(download(client))

    assert data["cases"] == []
    assert data["drafts"] == []


@pytest.mark.parametrize("role", ["expert", "staff", "admin"])
def test_other_roles_cannot_download_anyones_data(app, client, login, role, request, personal_case):
    login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"confirm": "y"}).status_code == 403
    assert exported(app) == []


def test_anonymous_visitor_is_sent_to_login(app, client, personal_case):
    response = client.post(URL, data={"confirm": "y"})

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_missing_file_on_disk_is_marked_not_fatal(app, client, login, consumer, personal_case):
    with app.app_context():
        case = db.session.get(Case, personal_case)
        uploads.attachment_path(case.attachments[0]).unlink()
    login(consumer)

    archive = download(client)

    [file] = data_of(archive)["cases"][0]["files"]
    assert file["missing"] is True
    assert archive.namelist() == ["data.json"]
