"""What the scenarios need in the working database: logins, known case ids, prepared drafts.

Written through the app's own models (so new columns get their defaults), on the run's working
copy only. Passwords use a cheap hash: logging in is set-up, not part of any measurement.
"""

from __future__ import annotations

import random
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from bench.filing_steps import FILING_STEPS
from bench.loadgen import Client

PASSWORD = "bench-password-1"
CHEAP_HASH = "pbkdf2:sha256:1000"
STAFF = "bench-staff@bench.invalid"
CONSUMER = "bench-consumer@bench.invalid"


@dataclass(frozen=True)
class Logins:
    """Who the scenarios log in as, and which cases exist."""

    staff: tuple[str, str]
    consumer: tuple[str, str]
    #: The expert with the most assignments (their queue is the heaviest), or None.
    expert: tuple[str, str] | None
    first_case: int
    last_case: int
    #: A business user of a generated organisation, and accepted cases of that organisation
    #: (its case pages); None and () when the data set has no organisations.
    business: tuple[str, str] | None = None
    business_cases: tuple[int, ...] = ()

    def case_ids(self, n: int, seed: int = 8) -> tuple[int, ...]:
        """Return `n` case ids spread over the whole table (repeatable)."""
        rng = random.Random(seed)
        return tuple(rng.randint(self.first_case, self.last_case) for _ in range(n))


@contextmanager
def app_for(url: str, **config: object) -> Iterator[Flask]:
    """Yield the real app bound to `url` (throw-away instance folder), with `config` set before
    it is built; dispose its engine after."""
    from disputes import create_app
    from disputes.db import db

    with tempfile.TemporaryDirectory(prefix="bench-setup-") as instance:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-setup"} | config,
            instance_path=instance,
        )
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@contextmanager
def app_context(url: str) -> Iterator[Flask]:
    """Yield the real app bound to `url`, inside an app context (for direct model work)."""
    with app_for(url) as app, app.app_context():
        yield app


def create_logins(url: str) -> Logins:
    """Add a staff member and a consumer, give the busiest expert and a business user a known
    password."""
    from disputes.auth.models import Role, User
    from disputes.cases.models import Case
    from disputes.db import db
    from disputes.experts.models import Assignment, Expert

    with app_context(url):
        users = {}
        for email, role in ((STAFF, Role.staff), (CONSUMER, Role.consumer)):
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = User(role=role, name=f"压测{role.value}", email=email)
                db.session.add(user)
            user.set_password(PASSWORD, method=CHEAP_HASH)
            users[role] = user
        db.session.flush()
        busiest = db.session.execute(
            sa.select(Expert.user_id)
            .join(Assignment, Assignment.expert_id == Expert.id)
            .where(Expert.user_id.is_not(None))
            .group_by(Expert.user_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar()
        expert = None
        if busiest is not None:
            user = db.session.get(User, busiest)
            user.set_password(PASSWORD, method=CHEAP_HASH)
            user.is_active = True
            expert = (user.email or user.mobile or "", PASSWORD)
        first, last = db.session.execute(
            sa.select(sa.func.min(Case.id), sa.func.max(Case.id))
        ).one()
        business, business_cases = None, ()
        agent = db.session.scalar(
            sa.select(User)
            .where(User.role == Role.business, User.organisation_id.is_not(None))
            .order_by(User.id)
            .limit(1)
        )
        if agent is not None:
            agent.set_password(PASSWORD, method=CHEAP_HASH)
            business = (agent.email or agent.mobile or "", PASSWORD)
            accepted = db.session.scalars(
                sa.select(Case.id)
                .where(Case.organisation_id == agent.organisation_id, Case.accepted_at.is_not(None))
                .order_by(Case.id)
                .limit(300)
            ).all()
            business_cases = tuple(accepted)
        logins = Logins(
            staff=(STAFF, PASSWORD),
            consumer=(CONSUMER, PASSWORD),
            expert=expert,
            first_case=first or 0,
            last_case=last or 0,
            business=business,
            business_cases=business_cases,
        )
        # The consumer owns cases spread over the table: their receipts are the PK lookup page.
        db.session.execute(
            sa.update(Case)
            .where(Case.id.in_(logins.case_ids(300)))
            .values(consumer_id=users[Role.consumer].id)
        )
        db.session.commit()
    return logins


def file_draft_through_wizard(base_url: str, consumer: tuple[str, str]) -> int:
    """Fill steps 1-5 of a new draft through the running app, as a browser would; return its id."""
    client = Client(base_url)
    client.login(*consumer)
    token = client.csrf_token("/cases/new")
    status, headers, _body = client.request(
        "POST",
        "/cases/new",
        f"csrf_token={token}".encode(),
        (("Content-Type", "application/x-www-form-urlencoded"),),
    )
    if status != 302 or "/drafts/" not in headers.get("location", ""):
        raise RuntimeError(f"starting a draft failed (HTTP {status})")
    draft_id = int(headers["location"].split("/drafts/")[1].split("/")[0])
    for step, fields in FILING_STEPS.items():
        path = f"/cases/drafts/{draft_id}/step/{step}"
        status = client.post_form(path, {**fields, "csrf_token": token, "action": "next"})
        if status != 302:
            raise RuntimeError(f"wizard step {step} was refused (HTTP {status})")
    return draft_id


def clone_drafts(url: str, draft_id: int, count: int) -> tuple[int, ...]:
    """Copy the filled draft `count` times (new tokens); return the new drafts' ids.

    Each copy describes its problem in words of its own, so no two submissions are the same
    data (the app may reuse what it worked out for a draft's data it has seen before).
    """
    from disputes.cases.models import CaseDraft
    from disputes.db import db

    with app_context(url):
        model = db.session.get(CaseDraft, draft_id)
        owner, step, data = model.owner_id, model.step, model.data
        drafts = [
            CaseDraft(
                owner_id=owner,
                step=step,
                data=_with_own_description(data, n),
                token=secrets.token_hex(16),
            )
            for n in range(count)
        ]
        db.session.add_all(drafts)
        db.session.commit()
        return tuple(d.id for d in drafts)


def _with_own_description(data: Any, n: int) -> Any:
    """A deep copy of the draft's data with copy number `n` added to the problem's description."""
    if isinstance(data, dict):
        return {key: _with_own_description(value, n) for key, value in data.items()}
    if isinstance(data, list):
        return [_with_own_description(value, n) for value in data]
    if data == FILING_STEPS[3]["problems-0-description"]:
        return f"{data}（第 {n + 1} 份）"
    return data
