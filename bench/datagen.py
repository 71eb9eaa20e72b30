"""`python -m bench.datagen`: fill a migrated database with a realistic, seeded data set, fast.

Rows are built as plain tuples (bench/datagen_cases.py) and written in batches on the raw DBAPI
connection (bench/datagen_writers.py): executemany on SQLite, COPY on PostgreSQL, secondary
indexes dropped during the load and rebuilt after. Nothing goes through the ORM, so a million
cases with their problems, repair visits, clocks, routing, opinions, outcomes and hash-chained
audit trail take minutes, not hours. Then the business organisations (one business user each)
the cases are put to, and everyone's inbox.
"""

from __future__ import annotations

import argparse
import json
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
from bench.dataset import migrate
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
        _businesses(w, password_hash, now)
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


#: Generated cases per business organisation (each with one business user).
CASES_PER_ORGANISATION = 500
#: Statuses from acceptance on: the cases put to the business (it sees them, and was told).
ACCEPTED = ("accepted", "routed", "opinion_received", "mediation", "closed")


def _businesses(w: Writer, password_hash: str, now: str) -> None:
    """Add the approved business organisations with one business user each, put every case to
    one of them (accepted when its status is past acceptance), and fill the inboxes: the
    consumer's "case received" for each case (read), the business user's "new complaint" for
    each accepted case (unread)."""
    first, last = w.query("SELECT MIN(id), MAX(id) FROM cases")[0]
    if first is None:
        return
    count = max(1, (last - first + 1) // CASES_PER_ORGANISATION)
    first_org, first_user = w.max_id("organisations") + 1, w.max_id("users") + 1
    organisations = [
        (n, f"示例汽车销售服务有限公司{n:05d}", f"91130100MA{n:08d}", "seller", "approved", now,
         now)
        for n in range(first_org, first_org + count)
    ]  # fmt: skip
    w.rows(
        "organisations",
        ("id", "name", "credit_code", "role", "status", "created_at", "decided_at"),
        organisations,
    )
    users = [
        (first_user + i, "business", f"经营者{first_org + i:05d}", None,
         f"business-{first_org + i:05d}@bench.invalid", password_hash, now, first_org + i)
        for i in range(count)
    ]  # fmt: skip
    w.rows("users", (*USER_COLS, "organisation_id"), users)
    accepted = ", ".join(f"'{s}'" for s in ACCEPTED)
    cursor = w.raw.cursor()
    cursor.execute(f"UPDATE cases SET organisation_id = {first_org} + (id - {first}) % {count}")  # noqa: S608
    cursor.execute(f"UPDATE cases SET accepted_at = submitted_at WHERE status IN ({accepted})")  # noqa: S608
    cursor.close()
    next_id = w.max_id("notifications")
    sql = "SELECT id, consumer_id, number, submitted_at, organisation_id, status FROM cases "
    for start in range(first, last + 1, BATCH):
        rows = w.query(sql + "WHERE id BETWEEN %s AND %s", [start, start + BATCH - 1])
        inbox = []
        for case_id, consumer, number, submitted, organisation, status in rows:
            next_id += 1
            params = json.dumps({"number": number}, ensure_ascii=False)
            inbox.append((next_id, consumer, "case_received", case_id, params, now, now))
            if status in ACCEPTED:
                next_id += 1
                params = json.dumps(
                    {"number": number, "due": str(submitted)[:10]}, ensure_ascii=False
                )
                user = first_user + organisation - first_org
                inbox.append((next_id, user, "business_new_complaint", case_id, params, now, None))
        w.rows(
            "notifications",
            ("id", "user_id", "kind", "case_id", "params", "created_at", "read_at"),
            inbox,
        )


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
