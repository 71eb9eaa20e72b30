"""The demo business login, the navigation of the business role, and business users in the admin
user list."""

from __future__ import annotations

from disputes import demo
from disputes.auth import services as user_services
from disputes.auth.models import User
from disputes.auth.organisations import Organisation, OrganisationStatus
from disputes.cases.models import Case, CaseStatus
from disputes.db import db

BUSINESS_LOGIN = "business@demo.sanbao.local"


def test_demo_business_acts_for_the_seller_the_demo_cases_name(app, app_ctx):
    demo.load()

    user = user_services.authenticate(BUSINESS_LOGIN, demo.DEMO_PASSWORD)
    organisation = db.session.get_one(Organisation, user.organisation_id)
    cases = db.session.scalars(db.select(Case).where(Case.business_name == organisation.name)).all()

    assert organisation.status == OrganisationStatus.approved
    assert (organisation.name, organisation.credit_code) == demo.DEMO_ORGANISATION
    assert cases
    assert {c.organisation_id for c in cases} == {organisation.id}


def test_demo_business_sees_the_accepted_demo_cases(app, client, login):
    with app.app_context():
        demo.load()
        db.session.commit()
        user = db.session.scalars(db.select(User).where(User.email == BUSINESS_LOGIN)).one()
        accepted = db.session.scalars(
            db.select(Case).where(
                Case.organisation_id == user.organisation_id,
                Case.status.in_([CaseStatus.accepted, CaseStatus.routed, CaseStatus.closed,
                                 CaseStatus.opinion_received, CaseStatus.mediation]),
            )
        ).all()  # fmt: skip
        numbers = [c.number for c in accepted]
        db.session.expunge(user)
    login(user)

    page = client.get("/business/").get_data(as_text=True)

    assert numbers
    for number in numbers:
        assert number in page


def test_demo_load_links_nothing_more_the_second_time(app, app_ctx):
    demo.load()
    db.session.commit()
    linked = db.session.scalar(
        db.select(db.func.count(Case.id)).where(Case.organisation_id.is_not(None))
    )

    created = demo.load()

    assert created == {}
    assert (
        db.session.scalar(
            db.select(db.func.count(Case.id)).where(Case.organisation_id.is_not(None))
        )
        == linked
    )


def test_business_navigation_leads_to_its_cases(client, login, make_user):
    login(make_user("business"))

    page = client.get("/business/").get_data(as_text=True)

    assert 'href="/business/" aria-current="page"' in page
    assert "本单位案件" in page
    assert "/staff/" not in page


def test_staff_navigation_leads_to_the_organisations(client, login, staff):
    login(staff)

    assert 'href="/staff/organisations"' in client.get("/staff/").get_data(as_text=True)


def test_the_admin_user_list_shows_a_business_users_organisation(
    app, client, login, admin, make_user
):
    business = make_user("business")
    with app.app_context():
        name = db.session.get_one(Organisation, business.organisation_id).name
    login(admin)

    page = client.get("/admin/users").get_data(as_text=True)

    assert f'<small class="user-organisation">{name}</small>' in page
    assert "经营者" in page
