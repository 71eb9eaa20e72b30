"""`python -m bench.datagen`: fill a migrated database with a realistic, seeded data set, fast.

Rows are built as plain tuples (bench/datagen_cases.py) and written in batches on the raw DBAPI
connection (bench/datagen_writers.py): executemany on SQLite, COPY on PostgreSQL, secondary
indexes dropped during the load and rebuilt after. Nothing goes through the ORM, so a million
cases with their problems, repair visits, clocks, routing, opinions, outcomes and hash-chained
audit trail take minutes, not hours.
"""

from __future__ import annotations

import argparse
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime

from werkzeug.security import generate_password_hash

from bench.datagen_cases import (
    ASSIGNMENT_COLS,
    CASE_COLS,
    CLOCK_COLS,
    EVENT_COLS,
    OPINION_COLS,
    OUTCOME_COLS,
    PART_COLS,
    PROBLEM_COLS,
    USER_COLS,
    Batch,
    Generator,
    ensure_panel,
)
from bench.datagen_chain import COLUMNS as AUDIT_COLUMNS
from bench.datagen_chain import AuditChain
from bench.datagen_writers import EPOCH, Writer, _moment, writer_for
from disputes.demo import DEMO_PASSWORD
from disputes.staff import rollup

#: Cases generated and written per round trip.
BATCH = 10_000

# --- driver ---------------------------------------------------------------------------------------


def generate(
    database_url: str,
    cases: int,
    seed: int,
    *,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Add `cases` generated cases (and everything around them) to a migrated database.

    Returns the number of rows written per table, plus "seconds" and "rows_per_second".
    """
    started = clock.perf_counter()
    today = today or datetime.now(UTC).date()
    w = writer_for(database_url)
    try:
        w.begin_load()
        password_hash = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:600000")
        now = _moment((today - EPOCH).days * 86400)
        panel = ensure_panel(w, password_hash, now)
        g = Generator(w, panel, cases, seed, today)
        chain = AuditChain(w)
        for start in range(0, g.consumers, BATCH * 4):
            stop = min(g.consumers, start + BATCH * 4)
            w.rows("users", USER_COLS, g.consumers_batch(start, stop, password_hash))
        for start in range(0, cases, BATCH):
            _write_batch(w, chain, g.batch(min(BATCH, cases - start)))
            if progress:
                done = start + min(BATCH, cases - start)
                progress(f"{done:,} cases, {clock.perf_counter() - started:.0f} s")
        w.commit()
        if progress:
            progress("rebuilding indexes")
        w.end_load()
        if progress:
            progress("counting the statistics tallies")
        with w.engine.begin() as connection:
            rollup.rebuild(connection)
    finally:
        w.close()
        w.engine.dispose()
    seconds = clock.perf_counter() - started
    total = sum(w.counts.values())
    return dict(w.counts) | {
        "rows": total,
        "seconds": round(seconds, 1),
        "rows_per_second": round(total / seconds),
    }


def _write_batch(w: Writer, chain: AuditChain, batch: Batch) -> None:
    t = batch.tables
    w.rows("cases", CASE_COLS, t["cases"])
    w.rows("problems", PROBLEM_COLS, t["problems"])
    w.rows("repair_events", EVENT_COLS, t["repair_events"])
    w.rows("replaced_parts", PART_COLS, t["replaced_parts"])
    w.rows("case_clocks", CLOCK_COLS, t["case_clocks"])
    w.rows("assignments", ASSIGNMENT_COLS, t["assignments"])
    w.rows("opinions", OPINION_COLS, t["opinions"])
    w.rows("outcome_records", OUTCOME_COLS, t["outcome_records"])
    w.rows("audit_events", AUDIT_COLUMNS, chain.link(t["audit_events"]))


def migrate(database_url: str) -> None:
    """Bring the database to the latest schema (flask db upgrade)."""
    from flask_migrate import upgrade

    from disputes import create_app
    from disputes.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "datagen"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Parse options, migrate, generate and print the counts and the speed."""
    parser = argparse.ArgumentParser(prog="python -m bench.datagen", description=__doc__)
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of the database to fill")
    parser.add_argument("--cases", type=int, default=10_000, help="number of cases to add")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
    args = parser.parse_args(argv)
    migrate(args.db_url)
    counts = generate(args.db_url, args.cases, args.seed, progress=lambda m: print(m, flush=True))
    for name, value in counts.items():
        print(f"{name:>20}: {value:,}")


if __name__ == "__main__":
    main()
