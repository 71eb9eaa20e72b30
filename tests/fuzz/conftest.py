"""Fixtures of the fuzz tests: the objects every form needs, the example budget and its tally.

FUZZ_EXAMPLES (environment) sets the examples per endpoint (default 25), FUZZ_SHRINK=1 turns
shrinking of a failing example on; the terminal summary reports how many examples ran.
"""

from __future__ import annotations

import os
from datetime import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from hypothesis import Phase

from disputes.auth import invitations
from disputes.auth.models import Role
from disputes.cases import services as case_services
from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import Assignment, Expert, ExpertSpecialty, VehicleSystem
from tests.cases.filing import STEP_POSTS

#: Examples per endpoint; raise with FUZZ_EXAMPLES=500 for a long run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
#: Shrinking a failure can take minutes on these slow examples: only with FUZZ_SHRINK=1.
PHASES = tuple(Phase) if os.environ.get("FUZZ_SHRINK") else tuple(set(Phase) - {Phase.shrink})
#: Examples run in this session, by test (reported at the end).
TALLY: dict[str, int] = {}


def count_example(name: str) -> None:
    TALLY[name] = TALLY.get(name, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY:
        terminalreporter.write_line(
            f"fuzz: {sum(TALLY.values())} examples run in {len(TALLY)} tests "
            f"(FUZZ_EXAMPLES={EXAMPLES} per endpoint)"
        )


@dataclass
class World:
    """One user per role and an object in the right state for every form."""

    users: dict[str, Any]
    draft: int
    info_case: int
    open_case: int
    expert_case: int
    opinion: int
    opinion_case: int
    screening_case: int
    outcome_case: int
    accepted_case: int
    expert_profile: int
    #: A consumer account whose password the admin may reset.
    reset_user: int
    #: The one-time link token of a new staff account.
    invitation_token: str
    #: A deactivated account, and one locked after wrong passwords (the admin's other buttons).
    inactive_user: int
    locked_user: int
    #: A staff account the admin may move to another role.
    bureau_user: int


def _assigned(case_id: int, expert_id: int) -> Assignment:
    assignment = Assignment(case_id=case_id, expert_id=expert_id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


@pytest.fixture
def world(app: Flask, make_user, make_case) -> World:
    """Build the world; turn the rate limiter off (fuzzing is not a brute-force attempt)."""
    limiter = app.extensions.get("disputes.limiter")
    if limiter is not None:
        limiter.enabled = False
    users = {role: make_user(role) for role in ("consumer", "expert", "staff", "admin")}
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
        ]
    }
    with app.app_context():
        expert = Expert(user_id=users["expert"].id, code="E01", name="专家甲", capacity=5)
        expert.specialties.append(ExpertSpecialty(system=VehicleSystem.transmission))
        db.session.add(expert)
        db.session.flush()
        _assigned(cases["expert_case"], expert.id)
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
            **cases,
        )
