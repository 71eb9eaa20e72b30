"""The fuzz tests' world: one user per role and an object in the right state for every form
(conftest.py's `world` fixture builds it), the reset link and code renewed before each example,
and a client logged in as one of its users."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_login.utils import _create_identifier

from disputes.auth import queries as auth_queries
from disputes.auth import recovery
from disputes.auth.models import User
from disputes.auth.sessions import GENERATION_KEY
from disputes.db import db, utcnow
from disputes.notifications.models import Channel, OutboxMessage

ANON = "anonymous"


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
    #: A session, a withdrawal application and an inspection of outcome_case's mediation.
    mediation_session: int
    mediation_withdrawal: int
    mediation_inspection: int
    accepted_case: int
    #: An accepted case of its own business user (users["records_business"]): repair records.
    records_case: int
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
    #: A file of expert_case that staff may withhold from its experts.
    attachment: int
    #: A message in the consumer's inbox (about open_case), and an e-mail given up on.
    notification: int
    failed_outbox: int
    #: A consumer who forgot their password, and the token of the reset link mailed to them
    #: (renewed by usable_reset_link once an example has spent it).
    recovering_user: int
    reset_token: str
    #: Repair records waiting for review on screening_case (staff merge or reject them).
    records: int
    #: expert_case's active assignment (the parties consent to its expert or object).
    expert_assignment: int = 0
    #: A routed case whose consumer objected to its expert (staff re-route it).
    objected_case: int = 0


def _mailed_token(reset_id: int) -> str:
    """Return the token of the reset link in the e-mail written for reset `reset_id`."""
    body = db.session.scalar(
        sa.select(OutboxMessage.body).where(
            OutboxMessage.idempotency_key.startswith(f"password_reset_link:{reset_id}:")
        )
    )
    found = re.search(r"/auth/reset/([^\s/]+)", body or "")
    assert found is not None, body
    return found.group(1)


def mail_reset_link(user_id: int) -> str:
    """Ask for a reset link for `user_id`'s e-mail login, as the forgot page does; its token."""
    reset = recovery.request_reset(db.session.get(User, user_id).email)
    assert reset is not None
    return _mailed_token(reset.id)


def usable_reset_link(world: World) -> dict[str, Any]:
    """Before each example of the reset link's form: mail a new link once the last is spent."""
    if recovery.get_usable_link(world.reset_token) is None:
        world.reset_token = mail_reset_link(world.recovering_user)
        db.session.commit()
    return {}


def open_reset_code(world: World) -> dict[str, Any]:
    """Before each example of the reset code's form: text a new code once the last is spent (by
    a reset or by wrong tries), and start the session where the forgot page leaves it (the
    mobile number the code went to), so the form comes with the right number filled in."""
    user = db.session.get(User, world.recovering_user)
    resets = auth_queries.list_open_password_resets(user.id, str(Channel.sms))
    if not any(reset.is_usable(utcnow()) for reset in resets[:1]):
        assert recovery.request_reset(user.mobile) is not None
        db.session.commit()
    return {"reset_mobile": user.mobile}


def client_as(app: Flask, world: World, role: str, start: dict[str, Any] | None = None):
    """Return a fresh client logged in as `role` (anonymous: not logged in), as a login does:
    the session holds the account's current session generation. `start`: more session values."""
    client = app.test_client()
    values = dict(start or {})
    if role != ANON:
        user = world.users[role]
        with app.app_context():
            generation = db.session.get(User, user.id).session_generation
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        values |= {
            "_user_id": str(user.id),
            "_fresh": True,
            "_id": identifier,
            GENERATION_KEY: generation,
        }
    if values:
        with client.session_transaction() as session:
            session.update(values)
    return client
