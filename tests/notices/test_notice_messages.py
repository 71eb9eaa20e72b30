"""Notifications of the written notices: each party a notice is addressed to is told it
is ready (inbox, e-mail, SMS, whatever its channel choices: the notice is required by law); the
business hears through every active user of its approved organisation, and nobody else does."""

from __future__ import annotations

from disputes.auth.models import User
from disputes.auth.organisations import Organisation, OrganisationStatus
from disputes.db import db
from disputes.notices.models import CaseNotice, NoticeKind
from disputes.notifications.messages import render_in
from tests.notifications.messages import inbox


def _accept(client, case) -> None:
    response = client.post(
        f"/staff/cases/{case.id}/transition", data={"to": "accepted", "version": case.version}
    )
    assert response.status_code == 303


def _numbers(app, case_id: int) -> dict[NoticeKind, str]:
    with app.app_context():
        rows = db.session.scalars(db.select(CaseNotice).where(CaseNotice.case_id == case_id))
        return {n.kind: n.number for n in rows}


def test_acceptance_tells_the_consumer_and_each_user_of_the_business_of_their_notice(
    app, client, login, staff, consumer, linked_case, business_of, make_organisation
):
    clerk, manager = (
        business_of(linked_case.organisation_id),
        business_of(linked_case.organisation_id),
    )
    stranger = business_of(make_organisation())
    login(staff)

    _accept(client, linked_case)

    numbers = _numbers(app, linked_case.id)
    with app.app_context():
        (told,) = [n for n in inbox(consumer.id) if n.kind == "notice_issued"]
        assert told.params["notice"] == numbers[NoticeKind.acceptance]
        for user in (clerk, manager):
            (told,) = [n for n in inbox(user.id) if n.kind == "notice_issued"]
            assert told.params["notice"] == numbers[NoticeKind.business_notice]
            assert told.case_id == linked_case.id
        assert [n for n in inbox(stranger.id) if n.kind == "notice_issued"] == []
        with app.test_request_context():
            zh = render_in("notice_issued", told.params, "zh")
            en = render_in("notice_issued", told.params, "en")
        assert zh.subject == f"投诉告知书：{linked_case.number}"
        assert numbers[NoticeKind.business_notice] in zh.body
        assert en.subject == f"Notice of complaint to the business: {linked_case.number}"


def test_a_suspended_organisation_and_an_inactive_user_are_not_told(
    app, client, login, staff, linked_case, business_of
):
    gone, active = (
        business_of(linked_case.organisation_id),
        business_of(linked_case.organisation_id),
    )
    with app.app_context():
        db.session.get(User, gone.id).is_active = False
        db.session.get(
            Organisation, linked_case.organisation_id
        ).status = OrganisationStatus.suspended
        db.session.commit()
    login(staff)

    _accept(client, linked_case)

    with app.app_context():
        assert [n for n in inbox(gone.id) if n.kind == "notice_issued"] == []
        assert [n for n in inbox(active.id) if n.kind == "notice_issued"] == []
