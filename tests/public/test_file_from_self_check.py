"""The self-check's "据此在线申请": its facts become a filing draft, across a login if need be."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from disputes.cases.facts import facts_dict_from_form
from disputes.cases.forms import SelfCheckForm
from disputes.cases.models import CaseDraft
from disputes.cases.wizard_state import SavedSteps, facts_of
from disputes.db import db

URL = "/self-check"


@pytest.fixture
def example_post(client, read_form):
    """The example self-check as a browser posts it with "据此在线申请"."""
    return read_form(client.get(f"{URL}?example=1")) | {"action": "file"}


def self_check_facts(app, post: dict[str, str]) -> dict:
    """The facts the self-check page assesses for this post."""
    with app.test_request_context():
        form = SelfCheckForm(formdata=MultiDict(post), meta={"csrf": False})
        form.prepare()
        return facts_dict_from_form(form)


def only_draft(app) -> CaseDraft:
    with app.app_context():
        (draft,) = db.session.scalars(db.select(CaseDraft)).all()
        db.session.expunge(draft)
        return draft


def draft_facts(app, draft: CaseDraft) -> dict:
    with app.test_request_context():
        return facts_of(SavedSteps(draft))


def test_page_offers_filing_and_hides_the_engine_data_behind_a_developer_note(client):
    html = client.get(f"{URL}?example=1").get_data(as_text=True)
    assert "据此在线申请" in html
    assert 'form="self-check-form"' in html
    assert "规则引擎" not in html
    assert "供开发者" in html


def test_logged_in_consumer_gets_a_draft_holding_the_self_check_facts(
    app, client, login, consumer, example_post
):
    login(consumer)
    response = client.post(URL, data=example_post)
    draft = only_draft(app)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/drafts/{draft.id}/step/1")
    assert draft.owner_id == consumer.id
    assert draft_facts(app, draft) == self_check_facts(app, example_post)
    step4 = draft.data["4"]
    assert step4["answers-0-label"] == ["P1"]
    assert {step4[f"answers-0-{q}"][0] for q in ("disclosed", "modified", "accident")} == {"no"}
    assert draft.data["5"]["details-contact_name"] == [consumer.name]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="示例品牌"' in page
    assert "已把自助评估填写的内容带入申请表" in page


def test_an_exclusion_answer_becomes_the_matching_declaration(
    app, client, login, consumer, example_post
):
    login(consumer)
    post = example_post | {"problems-1-exclusion": "modification"}
    post.pop("problems-0-quality_problem")
    client.post(URL, data=post)
    step4 = only_draft(app).data["4"]
    assert step4["answers-0-accident"] == ["yes"]
    assert step4["answers-1-modified"] == ["yes"]
    assert step4["answers-1-misuse"] == ["no"]


def test_anonymous_visitor_registers_logs_in_and_then_finds_the_draft_filled(
    app, client, example_post
):
    response = client.post(URL, data=example_post)
    assert response.status_code == 302
    login_url = urlsplit(response.headers["Location"])
    assert login_url.path == "/auth/login"
    next_url = parse_qs(login_url.query)["next"][0]
    assert next_url == "/cases/from-self-check"
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/auth/register?next=/cases/from-self-check" in login_page
    registered = client.post(
        "/auth/register",
        data={
            "name": "王小明",
            "mobile": "13912345678",
            "password": "sanbao2026x",
            "confirm": "sanbao2026x",
            "consent": "y",
            "next": next_url,
        },
    )
    assert urlsplit(registered.headers["Location"]).path == "/auth/login"
    logged_in = client.post(
        "/auth/login",
        data={"identifier": "13912345678", "password": "sanbao2026x", "next": next_url},
    )
    assert logged_in.headers["Location"] == next_url
    created = client.get(next_url)
    draft = only_draft(app)
    assert created.headers["Location"].endswith(f"/cases/drafts/{draft.id}/step/1")
    assert draft_facts(app, draft) == self_check_facts(app, example_post)
    assert draft.data["5"]["details-contact_phone"] == ["13912345678"]
    # The facts are used once: coming back makes no second draft.
    assert client.get(next_url).headers["Location"].endswith("/cases/new")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CaseDraft.id))) == 1


def test_invalid_facts_stay_on_the_page_with_errors_and_make_no_draft(
    app, client, login, consumer, example_post
):
    login(consumer)
    post = example_post | {"purchase-invoice_date": "2024-13-40"}
    response = client.post(URL, data=post)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="purchase-invoice_date-error"' in html
    assert 'value="示例品牌"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CaseDraft.id))) == 0


def test_staff_cannot_file_from_the_self_check(app, client, login, staff, example_post):
    login(staff)
    response = client.post(URL, data=example_post, follow_redirects=True)
    assert "只有消费者账户可以在线申请" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CaseDraft.id))) == 0


def test_consumer_without_kept_facts_is_sent_to_a_new_filing(client, login, consumer):
    login(consumer)
    assert client.get("/cases/from-self-check").headers["Location"].endswith("/cases/new")
