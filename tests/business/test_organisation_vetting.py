"""Staff vet organisations (approve, reject, suspend, with a note), link them to cases and invite
their users; approval links the open cases that name the business exactly."""

from __future__ import annotations

import re

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import Role, User
from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
from disputes.cases.models import Case, CaseStatus
from disputes.db import db

NAME = "示例汽车销售服务有限公司"


@pytest.fixture
def make_organisation(app):
    made = iter(["91350100M000100Y43", "91110000600037341L", "91310000717854505W"])

    def make(status=OrganisationStatus.pending, name=NAME) -> int:
        with app.app_context():
            organisation = Organisation(
                name=name,
                credit_code=next(made),
                role=OrganisationRole.seller,
                contact_name="王经理",
                contact_phone="010-87654321",
                status=status,
            )
            db.session.add(organisation)
            db.session.commit()
            return organisation.id

    return make


def _organisation(app, organisation_id: int) -> Organisation:
    with app.app_context():
        organisation = db.session.get_one(Organisation, organisation_id)
        db.session.expunge(organisation)
        return organisation


def _case_org(app, case_id: int) -> int | None:
    with app.app_context():
        return db.session.get_one(Case, case_id).organisation_id


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_list_shows_pending_organisations_first(app, client, login, staff, make_organisation):
    make_organisation(OrganisationStatus.approved, name="甲经销商")
    make_organisation(OrganisationStatus.pending, name="乙经销商")
    login(staff)

    text = client.get("/staff/organisations").get_data(as_text=True)

    assert text.index("乙经销商") < text.index("甲经销商")


def test_approval_links_the_open_unlinked_cases_of_exactly_that_name(
    app, client, login, staff, consumer, make_case, make_user, make_organisation
):
    organisation_id = make_organisation()
    same = make_case(consumer, business_name=NAME, status=CaseStatus.accepted)
    other_name = make_case(consumer, business_name=NAME + "分公司", status=CaseStatus.accepted)
    closed = make_case(consumer, business_name=NAME, status=CaseStatus.closed)
    taken_by = make_user("business").organisation_id
    taken = make_case(
        consumer, business_name=NAME, status=CaseStatus.accepted, organisation_id=taken_by
    )
    login(staff)

    response = client.post(
        f"/staff/organisations/{organisation_id}/decision", data={"decision": "approved"}
    )

    assert response.status_code == 302
    assert _organisation(app, organisation_id).status == OrganisationStatus.approved
    assert _organisation(app, organisation_id).decided_at is not None
    assert _case_org(app, same.id) == organisation_id
    assert _case_org(app, other_name.id) is None
    assert _case_org(app, closed.id) is None
    assert _case_org(app, taken.id) == taken_by
    assert {"organisation.approved", "case.organisation_linked"} <= set(_actions(app))


@pytest.mark.parametrize("decision", ["rejected", "suspended"])
def test_a_refusal_or_suspension_needs_a_note(
    app, client, login, staff, make_organisation, decision
):
    organisation_id = make_organisation(OrganisationStatus.approved)
    login(staff)

    response = client.post(
        f"/staff/organisations/{organisation_id}/decision", data={"decision": decision}
    )

    assert response.status_code == 400
    assert "必须写明理由" in response.get_data(as_text=True)
    assert _organisation(app, organisation_id).status == OrganisationStatus.approved


@pytest.mark.parametrize(
    ("start", "decision", "allowed"),
    [
        pytest.param("pending", "approved", True, id="pending-approved"),
        pytest.param("pending", "rejected", True, id="pending-rejected"),
        pytest.param("pending", "suspended", False, id="pending-not-suspended"),
        pytest.param("approved", "suspended", True, id="approved-suspended"),
        pytest.param("approved", "rejected", False, id="approved-not-rejected"),
        pytest.param("approved", "approved", False, id="approved-not-again"),
        pytest.param("suspended", "approved", True, id="suspended-reinstated"),
        pytest.param("rejected", "approved", True, id="rejected-approved-on-review"),
        pytest.param("rejected", "suspended", False, id="rejected-not-suspended"),
    ],
)
def test_vetting_moves(app, client, login, staff, make_organisation, start, decision, allowed):
    organisation_id = make_organisation(OrganisationStatus(start))
    login(staff)

    response = client.post(
        f"/staff/organisations/{organisation_id}/decision",
        data={"decision": decision, "note": "营业执照已核实"},
    )

    after = _organisation(app, organisation_id)
    if allowed:
        assert response.status_code == 302
        assert after.status == decision
        assert after.decision_note == "营业执照已核实"
        assert f"organisation.{decision}" in _actions(app)
    else:
        assert response.status_code == 400
        assert "不能进行这项操作" in response.get_data(as_text=True)
        assert after.status == start


def test_a_suspended_organisations_users_see_their_status_with_the_note(
    app, client, login, staff, make_user, consumer, make_case
):
    business = make_user("business")
    case = make_case(consumer, status=CaseStatus.accepted, organisation_id=business.organisation_id)
    login(staff)
    client.post(
        f"/staff/organisations/{business.organisation_id}/decision",
        data={"decision": "suspended", "note": "资质过期"},
    )
    login(business)

    landing = client.get("/business/").get_data(as_text=True)

    assert "资质过期" in landing
    assert case.number not in landing
    assert client.get(f"/business/cases/{case.id}").status_code == 403


def test_staff_invite_a_user_who_sets_a_password_and_sees_the_organisations_cases(
    app, client, login, staff, make_user, consumer, make_case
):
    first = make_user("business")
    case = make_case(consumer, status=CaseStatus.accepted, organisation_id=first.organisation_id)
    login(staff)

    page = client.post(
        f"/staff/organisations/{first.organisation_id}/invitations",
        data={"name": "李四", "mobile": "13855556666"},
    )

    assert page.status_code == 200
    link = re.search(r'id="invitation-link">[^<]*(/auth/invitations/[^<]+)<', page.text).group(1)
    with app.app_context():
        invited = db.session.scalars(db.select(User).where(User.mobile == "13855556666")).one()
        assert (invited.role, invited.organisation_id) == (Role.business, first.organisation_id)
    assert "organisation.user_invited" in _actions(app)
    client.post("/auth/logout")
    client.post(link, data={"password": "Invited2024pass", "confirm": "Invited2024pass"})
    assert client.get(f"/business/cases/{case.id}").status_code == 200


def test_an_invitation_with_a_taken_login_is_a_field_error(
    app, client, login, staff, make_user, consumer
):
    business = make_user("business")
    login(staff)

    page = client.post(
        f"/staff/organisations/{business.organisation_id}/invitations",
        data={"name": "李四", "mobile": consumer.mobile},
    )

    assert page.status_code == 400
    assert "该手机号已注册" in page.get_data(as_text=True)


def test_staff_link_and_unlink_a_case(
    app, client, login, staff, consumer, make_case, make_organisation
):
    organisation_id = make_organisation(OrganisationStatus.approved)
    case = make_case(consumer)
    login(staff)

    linked = client.post(
        f"/staff/cases/{case.id}/organisation/link", data={"organisation_id": organisation_id}
    )
    after_link = _case_org(app, case.id)
    unlinked = client.post(f"/staff/cases/{case.id}/organisation/unlink")

    assert (linked.status_code, unlinked.status_code) == (302, 302)
    assert after_link == organisation_id
    assert _case_org(app, case.id) is None
    assert [a for a in _actions(app) if a.startswith("case.organisation")] == [
        "case.organisation_linked",
        "case.organisation_unlinked",
    ]


def test_linking_to_a_missing_organisation_is_refused(
    app, client, login, staff, consumer, make_case
):
    case = make_case(consumer)
    login(staff)

    response = client.post(
        f"/staff/cases/{case.id}/organisation/link", data={"organisation_id": "987654"}
    )

    assert response.status_code == 400
    assert _case_org(app, case.id) is None


@pytest.mark.parametrize("q", ["示例汽车", "91350100"])
def test_the_case_organisation_page_searches_by_name_or_credit_code(
    app, client, login, staff, consumer, make_case, make_organisation, q
):
    make_organisation(OrganisationStatus.approved)
    case = make_case(consumer, business_name="别的名字")
    login(staff)

    text = client.get(f"/staff/cases/{case.id}/organisation?q={q}").get_data(as_text=True)

    assert NAME in text
    assert f"/staff/cases/{case.id}/organisation/link" in text


def test_the_staff_case_page_points_to_the_organisation_section(
    app, client, login, staff, consumer, make_case
):
    case = make_case(consumer)
    login(staff)

    text = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)

    assert f"/staff/cases/{case.id}/organisation" in text


def test_staff_create_an_approved_organisation_for_a_case_and_invite_its_user(
    app, client, login, staff, consumer, make_case
):
    case = make_case(consumer, business_name=NAME)
    login(staff)

    page = client.post(
        f"/staff/cases/{case.id}/organisation/new",
        data={
            "organisation_name": NAME,
            "credit_code": "91350100M000100Y43",
            "organisation_role": "seller",
            "contact_name": "王经理",
            "contact_phone": "010-87654321",
            "name": "王小二",
            "email": "wang@dealer.example",
        },
    )

    assert page.status_code == 200
    assert "/auth/invitations/" in page.get_data(as_text=True)
    with app.app_context():
        organisation = db.session.scalars(db.select(Organisation)).one()
        user = db.session.scalars(db.select(User).where(User.role == Role.business)).one()
        assert organisation.status == OrganisationStatus.approved
        assert user.organisation_id == organisation.id
        assert user.email == "wang@dealer.example"
    assert _case_org(app, case.id) == organisation.id


def test_creating_an_organisation_with_a_bad_code_keeps_what_was_typed(
    app, client, login, staff, consumer, make_case
):
    case = make_case(consumer, business_name=NAME)
    login(staff)

    page = client.post(
        f"/staff/cases/{case.id}/organisation/new",
        data={"organisation_name": "丙修理厂", "credit_code": "91350100M000100Y44",
              "organisation_role": "repairer", "contact_name": "赵", "contact_phone": "",
              "name": "赵六", "mobile": "13800001111"},
    )  # fmt: skip

    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "统一社会信用代码不正确" in text
    assert "请填写联系电话" in text
    assert "丙修理厂" in text
    assert "13800001111" in text
    with app.app_context():
        assert db.session.scalars(db.select(Organisation)).all() == []
