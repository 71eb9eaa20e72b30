"""The filing rush's database (fresh, migrated, demo data) and the checks run on it afterwards:
every accepted submission once, nothing half-written, experts within capacity (routing the rest
through the CLI, as staff would).
"""

from __future__ import annotations

import os
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.load_clients import EMAIL_DOMAIN, STAFF_LOGIN

POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# --- the database: fresh, migrated, demo data ------------------------------------------------


def postgresql_server_url() -> str:
    """The PostgreSQL server to create the run's database on."""
    return (
        os.environ.get("BENCH_POSTGRESQL_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or POSTGRESQL_URL
    )


@contextmanager
def fresh_database(db: str, instance: str) -> Iterator[str]:
    """Yield the URL of an empty database of kind `db`; drop it afterwards (PostgreSQL)."""
    if db == "sqlite":
        yield f"sqlite:///{instance}/load.sqlite"
        return
    if db != "postgresql":
        raise ValueError(f"unknown database kind {db!r} (sqlite or postgresql)")
    name = f"load_{os.getpid()}_{secrets.token_hex(4)}"
    server = make_url(postgresql_server_url())
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def app_context(url: str, instance: str) -> Iterator[Any]:
    """The real app on `url` and the run's instance folder (its uploads), in an app context."""
    from disputes import create_app
    from disputes.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load"}, instance_path=instance)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


# --- the checks afterwards -------------------------------------------------------------------


def check_filings(url: str, instance: str, filings: list[tuple[str, int, int, str]]) -> dict:
    """Compare the accepted submissions with the run's cases in the database."""
    from disputes.auth.models import User
    from disputes.cases import uploads
    from disputes.cases.models import Case, CaseDraft
    from disputes.db import db

    with app_context(url, instance):
        rows = db.session.execute(
            sa.select(Case, User.email)
            .join(User, User.id == Case.consumer_id)
            .where(User.email.like(f"load-%@{EMAIL_DOMAIN}"))
        ).all()
        stored = Counter(case.number for case, _email in rows)
        owner = {case.number: email for case, email in rows}
        accepted = {number: email for email, _d, _c, number in filings}
        drafts = Counter(
            db.session.scalars(
                sa.select(CaseDraft.submitted_case_id).where(
                    CaseDraft.submitted_case_id.is_not(None)
                )
            )
        )
        half = [
            case.number
            for case, _email in rows
            if not (case.facts_snapshot and case.assessment_snapshot and case.problems)
            or not case.repair_events
            or len(case.attachments) != 1
            or not uploads.attachment_path(case.attachments[0]).is_file()
        ]
        return {
            "accepted": len(accepted),
            "losses": sum(1 for n in accepted if n not in stored),
            "duplicates": sum(c - 1 for c in stored.values())
            + sum(1 for n in stored if n not in accepted)
            + sum(c - 1 for c in drafts.values()),
            "wrong_owner": sum(1 for n, email in accepted.items() if owner.get(n, email) != email),
            "half_written": len(half),
        }


def prepare_database(url: str, instance: str, panel: int | None) -> None:
    """Migrate the fresh database at `url` to the head, load the demo data (`flask db upgrade`,
    `flask demo load`) and, when `panel` is given, shrink the panel to that many experts: in
    this process, as each of those commands would start the app again (3-4 s each)."""
    from bench.dataset import upgrade_in_process
    from disputes import demo
    from disputes.db import db

    with app_context(url, instance):
        upgrade_in_process()
        demo.load()
        db.session.commit()
        if panel is not None:
            _shrink_panel(panel)


def _shrink_panel(experts: int) -> None:
    """Keep `experts` panel members without open cases on duty, one case each; the rest on leave.

    A small panel makes routing reach its limit within a short run.
    """
    from disputes.db import db
    from disputes.experts.models import Assignment, AssignmentStatus, Expert

    busy = sa.select(Assignment.expert_id).where(Assignment.status == AssignmentStatus.active)
    free = db.session.scalars(sa.select(Expert).where(Expert.id.not_in(busy)).order_by(Expert.id))
    keep = {e.id for e in free.all()[:experts]}
    for expert in db.session.scalars(sa.select(Expert)):
        expert.is_active = expert.id in keep
        if expert.id in keep:
            expert.capacity = 1
    db.session.commit()


def route_and_check_capacity(url: str, instance: str) -> dict:
    """Accept what staff left unaccepted, route with the CLI command, then check every expert's
    load. The command runs through the app's CLI runner in this process, as `flask experts
    route-accepted` would (a new interpreter would spend two seconds starting)."""
    from disputes.auth.models import User
    from disputes.cases import states
    from disputes.cases.models import Case, CaseStatus
    from disputes.db import db
    from disputes.experts.models import Assignment, AssignmentStatus, Expert

    with app_context(url, instance) as app:
        actor = db.session.scalar(sa.select(User).where(User.email == STAFF_LOGIN[0]))
        waiting = (CaseStatus.submitted, CaseStatus.screening)
        for case in db.session.scalars(sa.select(Case).where(Case.status.in_(waiting))):
            if case.status == CaseStatus.submitted:
                states.transition(case, CaseStatus.screening, actor)
            states.transition(case, CaseStatus.accepted, actor)
        db.session.commit()
        routed = app.test_cli_runner().invoke(
            args=["experts", "route-accepted", "--actor", STAFF_LOGIN[0]]
        )
        said = routed.output
        if routed.exit_code:
            raise RuntimeError(f"route-accepted failed ({routed.exit_code}):\n{said[-3000:]}")
        active = AssignmentStatus.active
        load = dict(
            db.session.execute(
                sa.select(Assignment.expert_id, sa.func.count())
                .where(Assignment.status == active)
                .group_by(Assignment.expert_id)
            ).all()
        )
        experts = db.session.scalars(sa.select(Expert)).all()
        over = [e.code for e in experts if load.get(e.id, 0) > e.capacity]
        doubled = db.session.scalar(
            sa.select(sa.func.count()).select_from(
                sa.select(Assignment.case_id)
                .where(Assignment.status == active)
                .group_by(Assignment.case_id)
                .having(sa.func.count() > 1)
                .subquery()
            )
        )
        manual = re.search(r"(\d+) left", said)
        return {
            "routing": said.strip(),
            "left_for_manual_routing": int(manual.group(1)) if manual else None,
            "active_assignments": sum(load.values()),
            "capacity_on_duty": sum(e.capacity for e in experts if e.is_active),
            "over_capacity": len(over),
            "cases_with_two_experts": doubled,
        }
