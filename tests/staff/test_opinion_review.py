"""Staff and the expert's opinion: no opinion is "received" before one is released, superseded
versions leave the review queue, staff stay on the case page, each action keeps its own reason."""

from __future__ import annotations

import re

import pytest

from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import Opinion

S = CaseStatus


@pytest.fixture
def signed(app, make_user, make_expert, make_assignment):
    """signed(case_id): an expert assigned to the routed case signs version 1; returns its id."""

    def sign(case_id: int) -> int:
        user = make_user("expert", name="专家丙")
        with app.app_context():
            case = db.session.get(Case, case_id)
            assignment = make_assignment(case, make_expert(user=user))
            opinion = opinions.save_draft(assignment, {}, "第一版意见", user)
            opinions.sign(opinion, user)
            db.session.commit()
            return opinion.id

    return sign


def _version(app, case_id: int) -> int:
    with app.app_context():
        return db.session.get(Case, case_id).version


def _status(app, case_id: int) -> CaseStatus:
    with app.app_context():
        return db.session.get(Case, case_id).status


def test_opinion_cannot_be_confirmed_before_one_is_released(
    app, client, login, staff, case_in, signed
):
    case_id = case_in(S.routed)
    login(staff)

    page = client.get(f"/staff/cases/{case_id}").text
    refused = client.post(
        f"/staff/cases/{case_id}/transition",
        data={"to": "opinion_received", "version": _version(app, case_id)},
        follow_redirects=True,
    )

    assert 'data-to="opinion_received"' not in page
    assert "专家意见尚未签署并经审核发布" in refused.text
    assert _status(app, case_id) == S.routed

    signed(case_id)  # signed but not yet released: still nothing the consumer could read
    assert 'data-to="opinion_received"' not in client.get(f"/staff/cases/{case_id}").text


def test_a_superseded_version_leaves_the_review_queue(app, client, login, staff, case_in, signed):
    case_id = case_in(S.routed)
    v1 = signed(case_id)
    login(staff)
    number = re.escape(client.get(f"/staff/cases/{case_id}").text.split("案件 ", 1)[1][:15])

    assert re.search(number, _review_queue(client))
    revised = client.post(f"/experts/opinions/{v1}/revision", data={"reason": "请补充检验意见"})
    assert revised.headers["Location"].endswith(f"/staff/cases/{case_id}")
    assert not re.search(number, _review_queue(client))

    with app.app_context():
        v2 = db.session.scalars(db.select(Opinion).where(Opinion.version == 2)).one()
        opinions.save_draft(v2.assignment, {}, "第二版意见", v2.expert)
        opinions.sign(v2, v2.expert)
        db.session.commit()
        v2_id = v2.id
    queue = _review_queue(client)
    assert re.search(number, queue)
    assert re.findall(r'data-label="版本">(\d+)<', queue) == ["2"]

    released = client.post(f"/experts/opinions/{v2_id}/release")
    assert released.headers["Location"].endswith(f"/staff/cases/{case_id}")
    assert not re.search(number, _review_queue(client))
    assert _status(app, case_id) == S.opinion_received


def _review_queue(client) -> str:
    text = client.get("/staff/").text
    return text.split('id="review-title"', 1)[1].split("</section>", 1)[0]


def test_no_reassignment_is_offered_on_a_closed_case(app, client, login, staff, case_in):
    open_id = case_in(S.routed)
    closed_id = case_in(S.screening)
    login(staff)
    client.post(
        f"/staff/cases/{closed_id}/transition",
        data={"to": "withdrawn", "version": _version(app, closed_id)},
    )

    assert "改派理由" in client.get(f"/experts/routing/cases/{open_id}").text
    closed = client.get(f"/experts/routing/cases/{closed_id}").text
    assert "改派理由" not in closed
    assert 'id="no-override"' in closed


def test_refusing_a_case_needs_a_reason_and_a_confirmation_next_to_its_fields(
    app, client, login, staff, case_in
):
    case_id = case_in(S.screening)
    login(staff)
    version = _version(app, case_id)

    no_reason = client.post(
        f"/staff/cases/{case_id}/transition",
        data={"to": "not_accepted", "reason": "  ", "confirm": "y", "version": version},
    )
    no_confirm = client.post(
        f"/staff/cases/{case_id}/transition",
        data={"to": "not_accepted", "reason": "车辆为营运用途", "version": version},
    )

    assert no_reason.status_code == no_confirm.status_code == 400
    refusal = _action(no_reason.text, "not_accepted")
    assert 'id="reason-not_accepted-error"' in refusal
    assert "请写明理由" in refusal
    assert "请写明理由" not in _action(no_reason.text, "info_requested")
    confirm = _action(no_confirm.text, "not_accepted")
    assert 'id="confirm-not_accepted-error"' in confirm
    assert "车辆为营运用途</textarea>" in confirm  # what was typed is kept
    assert _status(app, case_id) == S.screening

    done = client.post(
        f"/staff/cases/{case_id}/transition",
        data={
            "to": "not_accepted",
            "reason": "车辆为营运用途",
            "ground": "not_consumer",  # Order 20 Art. 15(3)
            "confirm": "y",
            "version": version,
        },
    )
    assert done.status_code == 303
    assert _status(app, case_id) == S.not_accepted


def test_each_reason_box_is_labelled_with_its_own_action(app, client, login, staff, case_in):
    case_id = case_in(S.routed)
    login(staff)

    text = client.get(f"/staff/cases/{case_id}").text

    reroute = _action(text, "accepted")
    assert "<legend" in reroute
    assert "退回重新分派的理由" in reroute
    assert 'name="reason"' not in _action(text, "withdrawn")


def _action(html: str, to: str) -> str:
    return html.split(f'id="action-{to}"', 1)[1].split("</form>", 1)[0]


def test_assignment_and_opinion_states_are_words(app, client, login, staff, case_in):
    case_id = case_in(S.opinion_received)
    login(staff)

    pages = [
        client.get(f"/staff/cases/{case_id}").text,
        client.get(f"/experts/routing/cases/{case_id}").text,
    ]

    for text in pages:
        assert " · 已完成 · " in text
        assert " · 已发布" in text
        for code in ("completed", "released", "active"):
            assert f" · {code}" not in text


def test_a_revision_request_needs_a_reason_next_to_its_field(
    app, client, login, staff, case_in, signed
):
    case_id = case_in(S.routed)
    v1 = signed(case_id)
    login(staff)
    url = f"/staff/cases/{case_id}/opinions/{v1}/revision"

    blank = client.post(url, data={"reason": "   "})
    too_long = client.post(url, data={"reason": "请补充" + "检" * 2000})

    assert blank.status_code == too_long.status_code == 400
    form = _revision_form(blank.text, v1)
    assert f'id="revision-{v1}-error"' in form
    assert "请写明要求修改的理由" in form
    assert "请写明要求修改的理由" not in _action(blank.text, "accepted")
    assert "请补充检检" in _revision_form(too_long.text, v1)  # what was typed is kept
    with app.app_context():
        assert db.session.scalars(db.select(Opinion).where(Opinion.version == 2)).all() == []

    done = client.post(url, data={"reason": "请补充检验意见"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/staff/cases/{case_id}")
    with app.app_context():
        assert db.session.get(Opinion, v1).revision_reason == "请补充检验意见"


def test_an_opinion_is_asked_for_again_only_under_its_own_case(
    client, login, staff, case_in, signed
):
    case_id, other_id = case_in(S.routed), case_in(S.routed)
    v1 = signed(case_id)
    login(staff)

    response = client.post(
        f"/staff/cases/{other_id}/opinions/{v1}/revision", data={"reason": "请补充"}
    )

    assert response.status_code == 404


def _revision_form(html: str, opinion_id: int) -> str:
    return html.split(f'id="revision-form-{opinion_id}"', 1)[1].split("</form>", 1)[0]
