"""The floors every figure is divided by: a bare Flask app on the same server settings.

- `GET /floor/json` returns a fixed JSON body: what Flask and gunicorn cost (framework floor).
- `POST /floor/insert` inserts one row with plain SQL and commits (database floor).
- `GET /floor/case/<id>` reads one case by primary key with plain SQL (for reference only).

The database is DATABASE_URL, with the app's SQLite pragmas, so the floor writes to the same kind
of database, in the same file, as the app under test.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, Response, abort, jsonify

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

    @app.get("/floor/case/<int:case_id>")
    def floor_case(case_id: int) -> Response:
        with engine.connect() as conn:
            row = conn.execute(by_id, {"id": case_id}).mappings().first()
        if row is None:
            abort(404)
        return jsonify(dict(row))

    return app
