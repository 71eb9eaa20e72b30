"""Shared fixtures (style §9): app, app_ctx, client, runner, make_user, consumer/expert/staff/admin,
login, make_case, attach.

`app` is parametrised over database backends: "sqlite" always, "postgresql" when TEST_DATABASE_URL
is set (not collected otherwise, as the report header says; an error when CI is set without it).
Each pytest session works in its own PostgreSQL schema, so several people can run the suite
against the same database at once.

`app` is built once per session for each backend and `app_config`, and handed to each test as
new: its configuration as built, the test's own upload and instance folders, empty tables, an
empty queue and fresh rate-limit counters. A test that changes the app beyond that (adds URL
rules, say) is marked `fresh_app` and gets one of its own.

A world of fixture data many tests share (the fuzz targets', the access matrix's, ...) is built
once per session and database and copied back into each test's empty tables
(tests/support/snapshots.py, fixture `snapshots`).

Factories return objects that stay attached when the test already holds an app context (`app_ctx`),
and detached but fully loaded objects otherwise (use their ids in URLs).
"""

from __future__ import annotations

import copy
import io
import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app, has_app_context
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier

from disputes import create_app
from disputes.db import db
from tests import hypothesis_budget
from tests.support.data import CASE_FACTS
from tests.support.databases import (
    BACKENDS,
    PgSchema,
    base_config,
    empty_all_tables,
    pg_schema_for,
    postgresql_url,
)
from tests.support.snapshots import snapshots  # noqa: F401 (a fixture)

hypothesis_budget.load_profile()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests (or fixtures) asking for `backend` run once per database backend; tests marked
    `postgresql_only` (behaviour SQLite's single write lock cannot show) run on PostgreSQL only."""
    if "backend" in metafunc.fixturenames:
        only_pg = metafunc.definition.get_closest_marker("postgresql_only") is not None
        metafunc.parametrize("backend", [b for b in BACKENDS if b == "postgresql" or not only_pg])


@pytest.hookimpl(trylast=True)  # after tests/browser has marked its tests
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests run first, those marked slow (a minute or more) then the browser walks:
    pytest-xdist hands the first quarter of the tests out to the workers in turn, so the long
    ones spread over every worker instead of leaving one finishing them alone at the end."""

    def rank(item: pytest.Item) -> int:
        if any(item.iter_markers("slow")):
            return 0
        return 1 if any(item.iter_markers("browser")) else 2

    items.sort(key=rank)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fresh_app: the test gets an app of its own (it changes more than the config)"
    )


def pytest_report_header(config: pytest.Config) -> str:
    if "postgresql" in BACKENDS:
        return f"database backends: {', '.join(BACKENDS)}"
    return "database backends: sqlite only (set TEST_DATABASE_URL to add postgresql)"


@pytest.fixture(scope="session")
def pg_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgSchema]:
    """One schema per session with every table created once; tests truncate after themselves."""
    with pg_schema_for(postgresql_url()) as schema:
        app = create_app(
            base_config(schema.url, schema.engine_options, tmp_path_factory.mktemp("pg")),
            instance_path=str(tmp_path_factory.mktemp("pg-instance")),
        )
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        yield schema


@pytest.fixture
def fresh_pg_schema() -> Iterator[PgSchema]:
    """An empty PostgreSQL schema of its own (for migration tests); skipped without PostgreSQL."""
    with pg_schema_for(postgresql_url()) as schema:
        yield schema


@pytest.fixture
def empty_app(request, backend, tmp_path):
    """An app on an empty database, a fresh file or a fresh PostgreSQL schema, with no tables
    (for migration tests: they build the schema themselves)."""
    config = {"TESTING": True, "SECRET_KEY": "test"}
    if backend == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    else:
        schema = request.getfixturevalue("fresh_pg_schema")
        config["SQLALCHEMY_DATABASE_URI"] = schema.url
        config["SQLALCHEMY_ENGINE_OPTIONS"] = schema.engine_options
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra configuration for `app`; a test module overrides this fixture to change it."""
    return {}


@contextmanager
def app_on(
    backend: str, sqlite_uri: str, tmp: Any, request: pytest.FixtureRequest, extra: dict[str, Any]
) -> Iterator[Flask]:
    """An app on an empty database: the session's PostgreSQL schema or SQLite at `sqlite_uri`,
    emptied again afterwards."""
    if backend == "postgresql":
        schema: PgSchema = request.getfixturevalue("pg_schema")
        config = base_config(schema.url, schema.engine_options, tmp)
    else:
        config = base_config(sqlite_uri, {}, tmp)
    config |= extra
    app = create_app(config, instance_path=str(tmp / "instance"))
    app.config["TEST_BACKEND"] = backend
    if backend == "sqlite":
        with app.app_context():
            db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if backend == "sqlite":
            db.drop_all()
        else:
            empty_all_tables()
        db.engine.dispose()


#: Configuration read when the app is built or a connection opens: an app whose test changed one
#: is not handed to another test.
_BUILD_TIME_PREFIXES = ("SQLALCHEMY_", "DATABASE_")

#: Apps kept at once (an `app_config` holding a per-test value builds one per test).
_SHARED_APPS = 8


class SharedApp:
    """An app kept for the session, and what each test is given of it as new."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.config = copy.deepcopy(dict(app.config))
        self.extensions = frozenset(app.extensions)
        self.limiter_enabled = app.extensions["disputes.limiter"].enabled

    def renew(self, tmp: Path) -> None:
        """Hand the app to a test in `tmp`: the configuration as built, the test's own upload and
        instance folders, no lazily cached extension data, an empty queue, no rate-limit hits."""
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        app.config["UPLOAD_FOLDER"] = str(tmp / "uploads")
        app.instance_path = str(tmp / "instance")
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        for key in set(app.extensions) - self.extensions:
            del app.extensions[key]
        limiter = app.extensions["disputes.limiter"]
        limiter.enabled = self.limiter_enabled
        if limiter.enabled:
            limiter.reset()
        app.extensions["huey"].flush()

    def changed_at_build_time(self) -> bool:
        return any(
            self.app.config.get(key) != value
            for key, value in self.config.items()
            if key.startswith(_BUILD_TIME_PREFIXES)
        )

    def empty(self) -> None:
        with self.app.app_context():
            db.session.remove()
            empty_all_tables()

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def shared_apps() -> Iterator[OrderedDict[tuple[str, str], SharedApp]]:
    """The session's apps by (backend, app_config), least recently used first."""
    apps: OrderedDict[tuple[str, str], SharedApp] = OrderedDict()
    yield apps
    for shared in apps.values():
        shared.close()


def _shared_app(
    key: tuple[str, str],
    extra: dict[str, Any],
    apps: OrderedDict[tuple[str, str], SharedApp],
    request: pytest.FixtureRequest,
) -> SharedApp:
    """The session's app under `key` (backend, `extra` configuration), built on first use."""
    backend = key[0]
    if key in apps:
        apps.move_to_end(key)
        return apps[key]
    tmp = request.getfixturevalue("tmp_path_factory").mktemp("app")
    if backend == "postgresql":
        schema: PgSchema = request.getfixturevalue("pg_schema")
        config = base_config(schema.url, schema.engine_options, tmp)
    else:
        config = base_config("sqlite://", {}, tmp)
    app = create_app(config | extra, instance_path=str(tmp / "instance"))
    app.config["TEST_BACKEND"] = backend
    if backend == "sqlite":
        with app.app_context():
            db.create_all()
    apps[key] = SharedApp(app)
    if len(apps) > _SHARED_APPS:
        apps.popitem(last=False)[1].close()
    return apps[key]


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    app_config: dict[str, Any],
    shared_apps: OrderedDict[tuple[str, str], SharedApp],
) -> Iterator[Flask]:
    """The application on an empty database of the parametrised backend."""
    if request.node.get_closest_marker("fresh_app"):
        with app_on(request.param, "sqlite://", tmp_path, request, app_config) as app:
            yield app
        return
    key = (request.param, repr(sorted(app_config.items())))
    shared = _shared_app(key, app_config, shared_apps, request)
    shared.renew(tmp_path)
    yield shared.app
    try:
        shared.empty()
    except BaseException:
        del shared_apps[key]
        shared.close()
        raise
    if shared.changed_at_build_time():
        del shared_apps[key]
        shared.close()


@pytest.fixture
def threaded_app(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app on a database several connections share, for races: a file SQLite database or a
    PostgreSQL schema (in-memory SQLite has one connection for every thread, so it shows none)."""
    with app_on(backend, f"sqlite:///{tmp_path / 'threads.sqlite'}", tmp_path, request, {}) as app:
        yield app


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    """Push an app context for service and query tests."""
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@contextmanager
def _session_for(app: Flask) -> Iterator[bool]:
    """Use the test's app context if it holds one; else a temporary one. Yields 'temporary?'."""
    if has_app_context() and current_app._get_current_object() is app:
        yield False
    else:
        with app.app_context():
            yield True


def _detach(obj: Any) -> Any:
    """Load every column and detach `obj`, so it outlives its app context."""
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


_serial = itertools.count(1)


def _well_formed_code(first17: str) -> str:
    """A unified social credit code with its GB 32100-2015 check character."""
    from disputes.business.credit_code import check_character

    return first17 + check_character(first17)


def _approved_organisation(n: int) -> Any:
    """An approved seller with a unique (well-formed) unified social credit code."""
    from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus

    organisation = Organisation(
        name=f"测试经销商{n}",
        credit_code=_well_formed_code(f"91110000{n:09d}"),
        role=OrganisationRole.seller,
        contact_name="联系人",
        contact_phone="010-12345678",
        status=OrganisationStatus.approved,
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """Create a user through the real service: make_user(role="consumer", **overrides).

    A "business" user acts for a new approved organisation, or for `organisation_id=` if given.
    """
    from disputes.auth import services
    from disputes.auth.models import Role

    def make(role: str = "consumer", **overrides: Any) -> Any:
        n = next(_serial)
        fields = {
            "name": f"测试用户{n}",
            "password": "secret123",
            "mobile": f"139{n:08d}",
            "email": f"user{n}@example.test",
            "is_active": True,
        } | overrides
        is_active = fields.pop("is_active")
        organisation_id = fields.pop("organisation_id", None)
        with _session_for(app) as temporary:
            # Fixture accounts use a known short password, so the password rules are skipped.
            data = services.UserData(role=Role(role), **fields)
            user = services.create_user(data, enforce_policy=False)
            user.is_active = is_active
            if role == "business":
                # A business user acts for an approved organisation of its own unless told which.
                user.organisation_id = organisation_id or _approved_organisation(n).id
            db.session.commit()
            return _detach(user) if temporary else user

    return make


@pytest.fixture
def consumer(make_user):
    return make_user("consumer", name="消费者甲")


@pytest.fixture
def expert(make_user):
    return make_user("expert", name="专家甲")


@pytest.fixture
def staff(make_user):
    return make_user("staff", name="工作人员甲")


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="管理员甲")


@pytest.fixture
def login(app: Flask, client: FlaskClient) -> Callable[[Any], Any]:
    """Log `user` in on `client` through the session (only tests/auth posts the real form)."""

    def do_login(user: Any) -> Any:
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session["_id"] = identifier
        return user

    return do_login


FACT_KEYS = frozenset(
    {
        "purchase",
        "vehicle",
        "warranty_card",
        "problems",
        "events",
        "as_of",
        "written_request_date",
        "claim",
        "replacement_available",
        "regime",
    }
)


def _set_dotted(target: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = value


@pytest.fixture
def make_expert(app: Flask, make_user) -> Callable[..., Any]:
    """Add a panel member: make_expert("E01", "brakes", user=None, affiliations=(), **columns).

    The expert has the code given (or a new one), covers the systems listed, logs in as `user`
    (a new expert account unless given; user=False: none) and is named "专家E01" unless name=
    says otherwise. `affiliations` are (kind, name) pairs; `columns` set any other Expert column
    (capacity, is_active, ...). Staff add experts through the panel's form in tests/staff.
    """
    from disputes.cases.vocabulary import VehicleSystem
    from disputes.experts.models import AffiliationKind, Expert, ExpertAffiliation, ExpertSpecialty

    def make(
        code: str | None = None,
        *systems: str,
        user: Any = None,
        affiliations: Any = (),
        **columns: Any,
    ) -> Any:
        code = code or f"T{next(_serial)}"
        if user is None:
            user = make_user("expert")
        columns.setdefault("name", f"专家{code}")
        with _session_for(app) as temporary:
            expert = Expert(code=code, user_id=user.id if user else None, **columns)
            expert.specialties = [ExpertSpecialty(system=VehicleSystem(s)) for s in systems]
            expert.affiliations = [
                ExpertAffiliation(kind=AffiliationKind(kind), name=name)
                for kind, name in affiliations
            ]
            db.session.add(expert)
            db.session.commit()
            return _detach(expert) if temporary else expert

    return make


@pytest.fixture
def make_assignment(app: Flask) -> Callable[..., Any]:
    """Assign an expert to a case directly: make_assignment(case, expert, **columns), active
    and with the reason "测试分派" unless `columns` say otherwise. Routing itself (its checks,
    reasons and audit) is tested in tests/experts."""
    from disputes.experts.models import Assignment

    def make(case: Any, expert: Any, **columns: Any) -> Any:
        columns.setdefault("reason", "测试分派")
        with _session_for(app) as temporary:
            assignment = Assignment(case_id=case.id, expert_id=expert.id, **columns)
            db.session.add(assignment)
            db.session.commit()
            return _detach(assignment) if temporary else assignment

    return make


@pytest.fixture
def release_opinion(make_user, make_expert, make_assignment) -> Callable[..., Any]:
    """release_opinion(case, staff_user): inside an app context, an expert on the routed case
    writes and signs an opinion and staff release it, which moves the case to opinion_received."""
    from disputes.experts import opinions

    def release(case: Any, actor: Any, conclusion: str = "属于产品质量问题。") -> Any:
        user = make_user("expert")
        assignment = make_assignment(case, make_expert(user=user))
        opinion = opinions.save_draft(assignment, {}, conclusion, user)
        opinions.sign(opinion, user)
        return opinions.release(opinion, actor)

    return release


@pytest.fixture
def make_case(app: Flask) -> Callable[..., Any]:
    """File a case through the real service: make_case(owner, **overrides).

    Overrides may be contract facts keys (dotted: "purchase.price_yuan"), case details
    (contact_name, business_name, ...) or any other Case column (status, outcome, ...),
    which is set after filing. A status only reached through acceptance also stamps
    accepted_at, as the state machine would.
    """
    from disputes.cases import services
    from disputes.cases.models import CaseStatus
    from disputes.db import utcnow
    from disputes.staff.queries import get_case

    past_acceptance = {
        CaseStatus.accepted,
        CaseStatus.routed,
        CaseStatus.opinion_received,
        CaseStatus.mediation,
        CaseStatus.closed,
    }

    def make(owner: Any, **overrides: Any) -> Any:
        facts = copy.deepcopy(CASE_FACTS)
        details: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for key, value in overrides.items():
            if key.split(".")[0] in FACT_KEYS:
                _set_dotted(facts, key, value)
            elif key in services.DETAIL_FIELDS:
                details[key] = value
            else:
                after[key] = value
        if after.get("status") in past_acceptance:
            after.setdefault("accepted_at", utcnow())
        with _session_for(app) as temporary:
            owner_in_session = db.session.get(type(owner), owner.id)
            case = services.create_case(owner_in_session, dict(facts, case=details))
            for key, value in after.items():
                setattr(case, key, value)
            db.session.commit()
            if not temporary:
                return case
            # The commit expired the case and its rows: the staff page's read loads them all again.
            loaded = get_case(case.id)
            db.session.expunge_all()
            return loaded

    return make


@pytest.fixture
def attach(app: Flask) -> Callable[..., int]:
    """attach(case_id, name="发票.pdf", kind="invoice", data=PDF) → the id of a file the case's
    consumer uploaded to it, stored as every upload is (uploads.store_upload)."""
    from werkzeug.datastructures import FileStorage

    from disputes.cases import uploads
    from disputes.cases.models import Case
    from tests.cases.filing import PDF

    def make(case_id: int, name: str = "发票.pdf", kind: str = "invoice", data: bytes = PDF) -> int:
        with _session_for(app):
            case = db.session.get_one(Case, case_id)
            upload = FileStorage(io.BytesIO(data), filename=name)
            stored = uploads.store_upload(case, upload, kind, case.consumer)
            db.session.commit()
            return stored.id

    return make
