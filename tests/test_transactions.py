"""A page that is only read commits nothing, except through `own_transaction`, by name.

The statistics pages recount stale tallies in a transaction of their own before they read, a
refused request records access.denied in one, and the staff case page audits who saw the contact
details in one; every other GET commits nothing. Commits are watched with an after_commit
listener that looks for own_transaction on the stack.
"""

from __future__ import annotations

import copy
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from disputes.audit import AuditEvent
from disputes.db import db, own_transaction
from disputes.staff import rollup
from disputes.staff.tallies import StatusTally
from tests.access_matrix import EXPECTED, ROLES, call, shared_world
from tests.support.login import client_for

_OWN_TRANSACTION = own_transaction.__wrapped__.__code__


def _inside_own_transaction() -> bool:
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code is _OWN_TRANSACTION:
            return True
        frame = frame.f_back
    return False


@pytest.fixture
def commits() -> Iterator[list[tuple[str, bool]]]:
    """(request method, made by own_transaction) for each commit made while handling a request."""
    seen: list[tuple[str, bool]] = []

    def spy(session: Session) -> None:  # noqa: ARG001
        if has_request_context():
            seen.append((request.method, _inside_own_transaction()))

    event.listen(Session, "after_commit", spy)
    yield seen
    event.remove(Session, "after_commit", spy)


def _behind(app) -> bool:
    with app.app_context():
        return rollup.tallies_behind()


def _counted(app) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(sa.func.sum(StatusTally.n))) or 0) // 3


@pytest.mark.parametrize("url", ["/staff/", "/staff/stats?from=2025-01-01&to=2025-12-31"])
def test_a_statistics_page_recounts_stale_tallies_in_their_own_transaction_then_reads(
    app, make_user, make_case, commits, url
):
    client = client_for(app, make_user("staff"))
    make_case(make_user(), submitted_at=datetime(2025, 3, 10, 2))
    assert _behind(app)

    assert client.get(url).status_code == 200

    assert commits == [("GET", True)]
    assert not _behind(app)
    assert _counted(app) == 1  # day, month and year rows each count the case
    commits.clear()
    assert client.get(url).status_code == 200
    assert commits == []  # up to date: the page only reads


def test_a_refused_request_commits_its_record_in_its_own_transaction(
    app, make_user, make_case, commits
):
    someone_elses = make_case(make_user())
    client = client_for(app, make_user())

    assert client.get(f"/cases/{someone_elses.id}").status_code == 404

    assert commits == [("GET", True)]
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "access.denied"


def test_the_staff_case_page_audits_the_first_view_of_the_day_in_its_own_transaction(
    app, make_user, make_case, commits
):
    case = make_case(make_user())
    client = client_for(app, make_user("staff"))

    assert client.get(f"/staff/cases/{case.id}").status_code == 200
    assert commits == [("GET", True)]
    commits.clear()
    assert client.get(f"/staff/cases/{case.id}").status_code == 200
    assert commits == []


def test_a_step_posted_before_the_login_is_saved_by_the_get_in_its_own_transaction(
    app, client, consumer, commits
):
    from disputes.auth.models import User
    from disputes.cases import services
    from tests.cases.filing import post_step, step_url

    with app.app_context():
        draft_id = services.create_draft(db.session.get(User, consumer.id)).id
        db.session.commit()
    assert post_step(client, draft_id, 1, purchase__brand="登录前输入的品牌").status_code == 302
    login = {"identifier": consumer.mobile, "password": "secret123", "next": step_url(draft_id, 1)}
    assert client.post("/auth/login", data=login).status_code == 302
    commits.clear()

    assert "登录前输入的品牌" in client.get(step_url(draft_id, 1)).get_data(as_text=True)
    assert commits == [("GET", True)]


def test_the_self_check_draft_is_written_by_the_get_after_the_login_in_its_own_transaction(
    app, client, consumer, commits
):
    from tests.public.form_reader import form_pairs

    example = client.get("/self-check?example=1").get_data(as_text=True)
    post = form_pairs(example) | {"action": "file"}
    assert client.post("/self-check", data=post).status_code == 302
    login = {
        "identifier": consumer.mobile,
        "password": "secret123",
        "next": "/cases/from-self-check",
    }
    assert client.post("/auth/login", data=login).status_code == 302
    commits.clear()

    assert "/cases/drafts/" in client.get("/cases/from-self-check").headers["Location"]
    assert commits == [("GET", True)]


GET_ROWS = sorted(endpoint for endpoint, row in EXPECTED.items() if row.method == "GET")


def test_the_sweep_covers_the_pages():
    assert len(GET_ROWS) > 50


@pytest.mark.parametrize("endpoint", GET_ROWS)
def test_no_get_commits_outside_own_transaction(
    request, app, make_user, make_case, commits, endpoint
):
    world = shared_world(request, app, make_user, make_case)

    for role in ROLES:
        call(app, world, endpoint, EXPECTED[endpoint], role)

    assert [made_by_own for _method, made_by_own in commits if not made_by_own] == []


def _seed_threaded(app) -> list[SimpleNamespace]:
    """Two staff members and two filed cases on the threads' database; return the staff ids."""
    from disputes.auth.models import Role
    from disputes.auth.services import UserData, create_user
    from disputes.cases.services import create_case
    from tests.support.data import CASE_FACTS

    with app.app_context():
        staff = [
            create_user(UserData(f"工作人员{n}", "secret12345", Role.staff, None, f"s{n}@x.test"))
            for n in range(2)
        ]
        owner = create_user(UserData("消费者", "secret12345", Role.consumer, None, "c@x.test"))
        for moment in (datetime(2025, 3, 10, 2), datetime(2025, 7, 1, 2)):
            create_case(owner, copy.deepcopy(CASE_FACTS)).submitted_at = moment
        db.session.commit()
        return [SimpleNamespace(id=user.id) for user in staff]


def test_two_pages_recounting_at_once_both_succeed(threaded_app):
    """The second waits for the write lock, then finds nothing left to recount."""
    app = threaded_app
    clients = [client_for(app, user) for user in _seed_threaded(app)]
    assert _behind(app)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def page(client) -> None:
        barrier.wait()
        statuses.append(client.get("/staff/stats?from=2025-01-01&to=2025-12-31").status_code)

    threads = [threading.Thread(target=page, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200, 200]
    assert not _behind(app)
    assert _counted(app) == 2
