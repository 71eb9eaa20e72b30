"""The floors every figure is divided by: a bare Flask app on the same server settings.

- `GET /floor/json` returns a fixed JSON body: what Flask and gunicorn cost (framework floor).
- `POST /floor/insert` inserts one row with plain SQL and commits (database floor).
- `GET /floor/case/<id>` reads one case by primary key with plain SQL (for reference only).
- `POST /floor/assess` answers what POST /api/v1/assessments answers, the rules and the same
  JSON reading and writing (orjson) behind bare Flask
  (for reference only: what the API's own layer costs above the rules' work).
- `POST /floor/filing` writes the rows one filing of the bench's draft writes, with plain SQL in
  one transaction (filing floor): the case, its problem and two repair visits, the audit entry
  chained to the one before it, the statistics day to recount, an inbox row for the consumer and
  for each active staff member and the consumer's outbox message. Into mirror tables
  (`bench_floor_<table>`: the same columns, keys and indexes), so the app's data stays as it is.

The database is DATABASE_URL, with the app's SQLite pragmas, so the floor writes to the same kind
of database, in the same file, as the app under test.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime

import orjson
import sqlalchemy as sa
from flask import Flask, Response, abort, jsonify, request
from sqlalchemy.dialects import postgresql, sqlite

import rules

#: The fixed body of the framework floor (about the size of a short API answer).
FIXED = {"floor": "framework", "ok": True, "items": list(range(20))}


def engine_for(url: str) -> sa.Engine:
    """Return an engine with the app's SQLite settings (WAL, foreign keys, busy timeout)."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def create_table(engine: sa.Engine) -> None:
    """Create the floor's table if missing (one integer key, a time stamp and a short text).

    Called once before the workers start, never by each worker."""
    key = "BIGSERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f"CREATE TABLE IF NOT EXISTS bench_floor "
                f"(id {key}, created_at TIMESTAMP NOT NULL, body VARCHAR(100) NOT NULL)"
            )
        )


#: The tables a filing writes, each mirrored as bench_floor_<name> (parents first).
FILING_TABLES = (
    "cases",
    "problems",
    "repair_events",
    "audit_events",
    "notifications",
    "outbox_messages",
    "stats_dirty_days",
)
#: The bench's draft (bench/filing_steps.py) has one problem and two repair visits.
FILING_VISITS = 2


def _mirror_name(name: str) -> str:
    return f"bench_floor_{name}"


def create_filing_tables(engine: sa.Engine) -> None:
    """Create the mirror tables of a filing, empty, with the app's columns, primary keys, unique
    constraints, indexes and foreign keys (those between mirrored tables point at the mirrors).

    Called once before the workers start, after the app's schema exists."""
    source = sa.MetaData()
    source.reflect(engine, only=FILING_TABLES)
    mirror = sa.MetaData()
    copies: list[sa.Table] = []
    for name in FILING_TABLES:
        table = source.tables[name]
        columns = [
            sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
            for c in table.columns
        ]
        constraints = [
            sa.UniqueConstraint(*c.columns.keys(), name=_mirror_name(c.name))
            for c in table.constraints
            if isinstance(c, sa.UniqueConstraint)
        ]
        for fk in table.foreign_key_constraints:
            target = fk.referred_table.name
            if target in FILING_TABLES:
                target = _mirror_name(target)
            elif target not in mirror.tables:
                sa.Table(target, mirror, autoload_with=engine)  # users: referred to, not copied
            columns_to = [f"{target}.{e.column.name}" for e in fk.elements]
            constraints.append(sa.ForeignKeyConstraint(fk.column_keys, columns_to))
        copy = sa.Table(_mirror_name(name), mirror, *columns, *constraints)
        copies.append(copy)
        for index in table.indexes:
            expressions = [copy.c[c.name] for c in index.columns]
            if expressions:
                sa.Index(_mirror_name(index.name), *expressions, unique=index.unique)
    mirror.drop_all(engine, tables=copies)
    mirror.create_all(engine, tables=copies)


class FilingFloor:
    """The filing floor's writes: a real case's rows as the template, the rest made up alike."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        meta = sa.MetaData()
        names = [_mirror_name(n) for n in FILING_TABLES]
        meta.reflect(engine, only=names)
        self.t = {n: meta.tables[_mirror_name(n)] for n in FILING_TABLES}
        real = sa.MetaData()
        real.reflect(engine, only=("cases", "problems", "repair_events"))
        cases, problems, events = (real.tables[n] for n in ("cases", "problems", "repair_events"))
        with engine.connect() as conn:
            case = conn.execute(sa.select(cases).order_by(cases.c.id).limit(1)).mappings().one()
            problem = (
                conn.execute(sa.select(problems).where(problems.c.case_id == case["id"]).limit(1))
                .mappings()
                .one()
            )
            event = (
                conn.execute(sa.select(events).where(events.c.case_id == case["id"]).limit(1))
                .mappings()
                .one()
            )
            self.staff = [
                row.id
                for row in conn.execute(
                    sa.text("SELECT id FROM users WHERE role = 'staff' AND is_active")
                )
            ]
        drop = ("id", "case_id", "problem_id")
        self.case = {k: v for k, v in case.items() if k not in drop}
        self.problem = {k: v for k, v in problem.items() if k not in drop}
        self.event = {k: v for k, v in event.items() if k not in drop}
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self.dirty = dialect.insert(self.t["stats_dirty_days"]).on_conflict_do_nothing()

    def file(self) -> int:
        """Write one filing's rows and commit; return the case id."""
        t, now = self.t, datetime.now(UTC).replace(tzinfo=None)
        cases = t["cases"]
        with self.engine.begin() as conn:
            # The app takes the write lock first (SQLite) or its numbering lock (PostgreSQL).
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(0x62666C72)))
            conn.execute(self.dirty, [{"day": now.date()}])
            prefix = f"FLR-{now.year}-"
            last = conn.scalar(
                sa.select(sa.func.max(cases.c.number)).where(cases.c.number.like(f"{prefix}%"))
            )
            number = f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:06d}"
            values = {**self.case, "number": number, "created_at": now, "submitted_at": now}
            case_id = conn.execute(cases.insert().values(**values)).inserted_primary_key[0]
            problem = {**self.problem, "case_id": case_id}
            problem_id = conn.execute(
                t["problems"].insert().values(**problem)
            ).inserted_primary_key[0]
            visit = {**self.event, "case_id": case_id, "problem_id": problem_id}
            conn.execute(
                t["repair_events"].insert(),
                [{**visit, "position": i} for i in range(FILING_VISITS)],
            )
            audit = t["audit_events"]
            tail = conn.execute(
                sa.select(audit.c.id, audit.c.entry_hash).order_by(audit.c.id.desc()).limit(1)
            ).first()
            entry = {
                "id": tail.id + 1 if tail else 1,
                "at": now,
                "actor_id": self.case["consumer_id"],
                "action": "case.submitted",
                "object_type": "cases",
                "object_id": case_id,
                "case_id": case_id,
                "before": None,
                "after": {"number": number, "status": "submitted"},
                "prev_hash": tail.entry_hash if tail else "0" * 64,
            }
            text = json.dumps({**entry, "at": now.isoformat()}, sort_keys=True, ensure_ascii=False)
            entry["entry_hash"] = hashlib.sha256(text.encode()).hexdigest()
            conn.execute(audit.insert().values(**entry))
            inbox = t["notifications"]
            params = {"number": number}
            rows = [
                {"user_id": user, "kind": kind, "case_id": case_id, "params": params,
                 "created_at": now}
                for user, kind in [(self.case["consumer_id"], "case_received"),
                                   *((s, "staff_new_case") for s in self.staff)]
            ]  # fmt: skip
            first = conn.execute(inbox.insert().values(**rows[0])).inserted_primary_key[0]
            conn.execute(inbox.insert(), rows[1:])
            conn.execute(
                t["outbox_messages"]
                .insert()
                .values(
                    notification_id=first,
                    channel="email",
                    address="floor@bench.invalid",
                    subject=f"案件 {number} 已收到",
                    body=f"您的申请 {number} 已收到。",
                    idempotency_key=f"{first}:email",
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        return case_id


def create_app() -> Flask:
    """Build the floor app on DATABASE_URL."""
    app = Flask(__name__)
    engine = engine_for(os.environ["DATABASE_URL"])  # its table: see server.serve_floors
    insert = sa.text("INSERT INTO bench_floor (created_at, body) VALUES (:at, :body)")
    by_id = sa.text("SELECT id, number, status, brand FROM cases WHERE id = :id")

    @app.get("/floor/json")
    def floor_json() -> Response:
        return jsonify(FIXED)

    @app.post("/floor/insert")
    def floor_insert() -> Response:
        with engine.begin() as conn:
            conn.execute(insert, {"at": datetime.now(UTC).replace(tzinfo=None), "body": "floor"})
        return jsonify(ok=True)

    filing = FilingFloor(engine)

    @app.post("/floor/filing")
    def floor_filing() -> Response:
        return jsonify(case=filing.file())

    @app.post("/floor/assess")
    def floor_assess() -> Response:
        body = rules.assess(rules.parse_facts(orjson.loads(request.get_data()))).to_dict()
        return app.response_class(orjson.dumps(body), mimetype="application/json")

    @app.get("/floor/case/<int:case_id>")
    def floor_case(case_id: int) -> Response:
        with engine.connect() as conn:
            row = conn.execute(by_id, {"id": case_id}).mappings().first()
        if row is None:
            abort(404)
        return jsonify(dict(row))

    return app
