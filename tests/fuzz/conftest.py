"""Fixtures of the fuzz tests: the objects every form needs; the terminal summary reports how many
examples ran (the budget is tests/support/fuzzing.py's).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.datastructures import FileStorage

from disputes.auth import invitations
from disputes.auth.models import Role, User
from disputes.business.records_services import submit_records
from disputes.cases import services as case_services
from disputes.cases import uploads
from disputes.cases.models import Case, CaseStatus
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts import consent, opinions
from disputes.experts.models import Assignment, Expert, ExpertSpecialty
from disputes.notifications import services as notify
from disputes.notifications.models import Channel, OutboxMessage, OutboxStatus
from tests.cases.filing import PDF, STEP_POSTS
from tests.fuzz.world import World, mail_reset_link
from tests.support.fuzzing import EXAMPLES, TALLY
from tests.support.snapshots import built_once


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY:
        terminalreporter.write_line(
            f"fuzz: {sum(TALLY.values())} examples run in {len(TALLY)} tests "
            f"(FUZZ_EXAMPLES={EXAMPLES} per endpoint)"
        )


def _mediation(case_id: int) -> dict[str, int]:
    """A session, a withdrawal application and an inspection of the case in mediation (rows
    written directly, as the case itself was put in mediation)."""
    from datetime import date as day
    from datetime import datetime as moment

    from disputes.mediation.models import (
        AgreementAction,
        CostPayer,
        Inspection,
        MediationAgreement,
        MediationParty,
        MediationSession,
        MediatorWithdrawal,
        SessionMode,
    )

    rows = {
        "mediation_session": MediationSession(
            case_id=case_id, mode=SessionMode.phone, starts_at=moment(2026, 12, 9), mediators="张"
        ),
        "mediation_withdrawal": MediatorWithdrawal(
            case_id=case_id, party=MediationParty.consumer, mediator="张", reason="亲戚"
        ),
        "mediation_inspection": Inspection(
            case_id=case_id,
            institution="中心",
            subject="阀体",
            cost_yuan=0,
            payer=CostPayer.shared,
            started_on=day(2026, 12, 7),
        ),
    }
    # A drafted agreement, so the page shows the signature and closing forms.
    agreement = MediationAgreement(
        case_id=case_id, action=AgreementAction.repair, perform_by_date=day(2026, 12, 31)
    )
    db.session.add_all([*rows.values(), agreement])
    db.session.flush()
    return {name: row.id for name, row in rows.items()}


def _assigned(case_id: int, expert_id: int) -> Assignment:
    assignment = Assignment(case_id=case_id, expert_id=expert_id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


@pytest.fixture
def world(app: Flask, make_user, make_case, request: pytest.FixtureRequest) -> World:
    """The world (built once per session and database); the rate limiter off (fuzzing is not a
    brute-force attempt)."""
    limiter = app.extensions.get("disputes.limiter")
    if limiter is not None:
        limiter.enabled = False
    return built_once(request, app, "fuzz", lambda: build_world(app, make_user, make_case))


def build_world(app: Flask, make_user, make_case) -> World:
    """One user per role and an object in the right state for every form."""
    users = {role: make_user(role) for role in ("consumer", "expert", "staff", "admin")}
    users["business"] = make_user("business")
    users["records_business"] = make_user("business")
    me = users["consumer"]
    cases = {
        name: make_case(me, status=status).id
        for name, status in [
            ("info_case", CaseStatus.info_requested),
            ("open_case", CaseStatus.submitted),
            ("expert_case", CaseStatus.routed),
            ("opinion_case", CaseStatus.routed),
            ("screening_case", CaseStatus.screening),
            ("outcome_case", CaseStatus.mediation),
            ("accepted_case", CaseStatus.accepted),
            ("objected_case", CaseStatus.routed),
            ("records_case", CaseStatus.accepted),
        ]
    }
    with app.app_context():
        expert = Expert(user_id=users["expert"].id, code="E01", name="专家甲", capacity=5)
        expert.specialties.append(ExpertSpecialty(system=VehicleSystem.transmission))
        db.session.add(expert)
        db.session.flush()
        expert_assignment = _assigned(cases["expert_case"], expert.id)
        # The business user's organisation is the other party of these cases (answer, consent);
        # on objected_case the consumer objects to the routed expert (staff re-route it).
        for name in ("expert_case", "accepted_case", "objected_case"):
            case = db.session.get(Case, cases[name])
            case.organisation_id = users["business"].organisation_id
        consent.decide(
            _assigned(cases["objected_case"], expert.id),
            consent.ConsentParty.consumer,
            consent.ConsentDecision.object,
            "与专家有利害关系",
            db.session.get(User, me.id),
        )
        signed = _assigned(cases["opinion_case"], expert.id)
        actor = db.session.get(type(users["expert"]), users["expert"].id)
        opinion = opinions.sign(opinions.save_draft(signed, {}, "结论", actor), actor)
        invited = invitations.open_account(
            "新同事", Role.staff, None, "invited@example.test", invitations.Handover.link, None
        )
        locked = db.session.get(type(me), make_user("consumer").id)
        locked.locked_until = datetime(2999, 1, 1)
        draft = case_services.create_draft(db.session.get(type(me), me.id))
        for step, values in STEP_POSTS.items():
            raw = {name: [value] for name, value in values.items()}
            case_services.save_step(draft, step, raw, go_to=7)
        owner = db.session.get(User, me.id)
        attachment = uploads.store_upload(
            db.session.get(Case, cases["expert_case"]),
            FileStorage(io.BytesIO(PDF), filename="发票.pdf"),
            "invoice",
            owner,
        )
        open_case = db.session.get(Case, cases["open_case"])
        notification = notify.notify(
            owner, "case_accepted", {"number": open_case.number}, case_id=open_case.id
        )
        failed = db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.notification_id == notification.id,
                OutboxMessage.channel == Channel.email,
            )
        ).one()
        failed.status, failed.attempts = OutboxStatus.failed, 8
        failed.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
        recovering = make_user("consumer")
        reset_token = mail_reset_link(recovering.id)
        records_case = db.session.get(Case, cases["records_case"])
        records_case.organisation_id = users["records_business"].organisation_id
        records = submit_records(
            db.session.get(Case, cases["screening_case"]),
            [{"problem": "P1", "start": "2024-08-01", "end": "2024-08-02", "odometer_km": 8000}],
            "",
            [],
            db.session.get(User, users["staff"].id),
            by_staff=True,
        )
        mediation = _mediation(cases["outcome_case"])
        db.session.commit()
        return World(
            users=users,
            draft=draft.id,
            opinion=opinion.id,
            expert_profile=expert.id,
            reset_user=make_user("consumer").id,
            invitation_token=invited.secret,
            inactive_user=make_user("consumer", is_active=False).id,
            locked_user=locked.id,
            bureau_user=make_user("staff").id,
            attachment=attachment.id,
            notification=notification.id,
            failed_outbox=failed.id,
            recovering_user=recovering.id,
            reset_token=reset_token,
            expert_assignment=expert_assignment.id,
            records=records.id,
            **cases,
            **mediation,
        )
