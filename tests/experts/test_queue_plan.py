"""The expert's page reads its latest released opinions from an index, without sorting all of a
busy expert's completed assignments (the 1,000,000-case bench's busiest expert has 77,718)."""

from __future__ import annotations

import sqlalchemy as sa

from disputes.db import db
from disputes.experts import queries


def _explained(capture: list[tuple[str, object]]) -> str:
    """The plan of the captured statement, as the database would run it."""
    statement, parameters = capture[0]
    with db.engine.connect() as conn:
        cursor = conn.connection.cursor()
        if db.engine.dialect.name == "postgresql":
            cursor.execute("SET enable_sort = off")  # price sorts as at a million rows
            cursor.execute(f"EXPLAIN {statement}", parameters)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(row[-1] for row in cursor.fetchall())


def test_the_latest_released_opinions_walk_their_index_without_sorting(app_ctx):
    capture: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT assignments."):
            capture.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        queries.list_completed_assignments(expert_id=1)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    plan = _explained(capture)

    assert "ix_assignments_expert_id_status_ended_at" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    assert "Sort Key" not in plan, plan
