"""Both parties are told of the mediation steps that ask something of them: a session without a
调解通知书 (by video or phone) with its time, and a drafted agreement to read and confirm."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from disputes.cases.models import Case
from disputes.db import db
from disputes.mediation import agreements, services
from disputes.mediation.models import AgreementAction, SessionMode
from disputes.notifications.models import Notification


def _kinds(user_id: int) -> list[str]:
    stmt = db.select(Notification).where(Notification.user_id == user_id)
    return [n.kind for n in db.session.scalars(stmt.order_by(Notification.id))]


@pytest.mark.parametrize(
    ("mode", "place", "told"),
    [
        pytest.param(SessionMode.video, "", "mediation_session_set", id="video"),
        pytest.param(SessionMode.phone, "", "mediation_session_set", id="phone"),
        pytest.param(SessionMode.on_site, "区局三楼调解室", "notice_issued", id="on-site"),
    ],
)
def test_both_parties_hear_of_a_scheduled_session_once(
    app, walk, consumer, business, staff, mode, place, told
):
    case_id = walk()
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        actor = db.session.get_one(type(staff), staff.id)
        before = {u.id: len(_kinds(u.id)) for u in (consumer, business)}
        data = services.SessionData(mode, place, datetime(2026, 12, 10, 9, 30), "张调解员")
        services.schedule_session(case, data, actor)
        db.session.commit()
        for user in (consumer, business):
            assert _kinds(user.id)[before[user.id] :] == [told]
        message = db.session.scalars(
            db.select(Notification)
            .where(Notification.user_id == business.id)
            .order_by(Notification.id.desc())
        ).first()
        if told == "mediation_session_set":
            assert message.params["starts_at"] == "2026-12-10 09:30"
            assert message.params["number"] == case.number


def test_both_parties_are_asked_to_confirm_a_drafted_agreement(
    app, walk, consumer, business, staff
):
    case_id = walk()
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        actor = db.session.get_one(type(staff), staff.id)
        terms = agreements.TermsData(AgreementAction.repair, None, date(2026, 12, 31), "")
        agreements.draft_agreement(case, terms, actor)
        db.session.commit()
        assert _kinds(consumer.id)[-1] == "mediation_agreement_drafted"
        assert _kinds(business.id)[-1] == "mediation_agreement_drafted"
        assert "mediation_agreement_drafted" not in _kinds(staff.id)
