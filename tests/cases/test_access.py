"""A consumer never sees, changes or downloads another consumer's case, draft or file — by id,
by case number, by guessing — and gets 404 (existence is not revealed)."""

from __future__ import annotations

import pytest

from disputes.cases import uploads
from disputes.cases.models import Case, CaseDraft, CaseStatus
from disputes.db import db
from tests.cases.filing import post_step, start_draft, step_url


@pytest.fixture
def victim_case(make_user, make_case, attach):
    case = make_case(make_user("consumer"))
    return case.id, case.number, attach(case.id)


@pytest.fixture
def victim_draft(app, client, login, make_user):
    owner = make_user("consumer")
    login(owner)
    draft_id = start_draft(client)
    post_step(client, draft_id, 1)
    return draft_id


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("get", "/cases/{case}", id="detail"),
        pytest.param("get", "/cases/{case}/receipt", id="receipt"),
        pytest.param("post", "/cases/{case}/withdraw", id="withdraw"),
        pytest.param("post", "/cases/{case}/respond", id="respond"),
        pytest.param("get", "/cases/{case}/attachments/{file}", id="download"),
        pytest.param("get", "/cases/{number}", id="by-number"),
        pytest.param("get", "/cases/{case}/attachments/{file}/../../{case}", id="dot-dot"),
    ],
)
def test_consumer_cannot_reach_another_consumers_case(
    app, client, login, consumer, victim_case, method, path
):
    case_id, number, file_id = victim_case
    login(consumer)
    url = path.format(case=case_id, file=file_id, number=number)

    response = getattr(client, method)(
        url, data={"reason": "x", "confirm": "y", "text": "x"}, follow_redirects=False
    )

    assert response.status_code == 404
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.submitted
        assert len(case.attachments) == 1


def test_consumer_cannot_open_or_change_another_consumers_draft(
    app, client, login, consumer, victim_draft
):
    login(consumer)

    for step in (1, 3, 7):
        assert client.get(step_url(victim_draft, step)).status_code == 404
    assert post_step(client, victim_draft, 1, purchase__brand="改掉").status_code == 404
    assert post_step(client, victim_draft, 7, action="submit").status_code == 404
    assert client.post(f"/cases/drafts/{victim_draft}/delete").status_code == 404

    with app.app_context():
        draft = db.session.get(CaseDraft, victim_draft)
        assert draft.data["1"]["purchase-brand"] == ["示例品牌"]
        assert db.session.scalars(db.select(Case)).all() == []


def test_my_cases_lists_only_my_own(client, login, consumer, make_case, victim_case):
    mine = make_case(consumer)
    login(consumer)

    text = client.get("/cases/").get_data(as_text=True)

    assert mine.number in text
    assert victim_case[1] not in text


def test_my_drafts_list_only_my_own(client, login, consumer, victim_draft):
    login(consumer)

    text = client.get("/cases/").get_data(as_text=True)

    assert step_url(victim_draft, 2) not in text
    assert "我的草稿" not in text


@pytest.mark.parametrize("role", ["expert", "staff", "admin"])
def test_other_roles_cannot_use_the_consumer_wizard(client, login, make_user, victim_draft, role):
    login(make_user(role))

    assert client.get(step_url(victim_draft, 1)).status_code == 403


def test_unassigned_expert_cannot_download(client, login, make_user, victim_case):
    case_id, _number, file_id = victim_case
    login(make_user("expert"))

    assert client.get(f"/cases/{case_id}/attachments/{file_id}").status_code == 404


def test_stored_names_cannot_leave_the_upload_folder(app):
    with app.app_context(), pytest.raises(ValueError, match="escapes"):
        uploads.path_of("../../etc/passwd")
