"""Insert a new case's problems, repair visits, replaced parts and wear parts as bulk INSERTs.

A filing writes them while it holds the database's write lock, which SQLite gives one writer at
a time. Flushed as ORM objects, they cost the unit of work's bookkeeping (dependency sorting,
attribute history, one RETURNING statement per visit on SQLite) inside that lock; as Core
INSERTs of their column values (contract.child_rows), numbering and flushing a filing takes a
quarter less time for one problem and two visits, nearly half less for the shared example's
five visits (measured in one process, old and new alternating). The case itself is still
flushed by the ORM (its version counter, JSON columns and listeners, such as the statistics'
dirty day, stay as they are); the children are then read back through its relationships.
"""

from __future__ import annotations

from sqlalchemy import Connection

from disputes.cases.contract import ChildRows
from disputes.cases.models import Problem, RepairEvent, ReplacedPart, WearPart
from disputes.db import insert_returning_ids

_PROBLEMS = Problem.__table__
_VISITS = RepairEvent.__table__
_INSERT_PARTS = ReplacedPart.__table__.insert()
_INSERT_WEAR_PARTS = WearPart.__table__.insert()


def insert_child_rows(connection: Connection, case_id: int, rows: ChildRows) -> None:
    """Insert the child rows of the case `case_id`, already flushed, in the connection's
    transaction: problems first, then the visits with their problems' ids, then their parts.

    The case's flush took what a writing transaction takes first (SQLite's write lock, the
    PostgreSQL audit chain lock: audit.lock_before_first_write), so the session's connection
    serves: the statements need no ORM listener.
    """
    problem_rows = [dict(problem, case_id=case_id) for problem in rows.problems]
    problem_ids = insert_returning_ids(connection, _PROBLEMS, problem_rows)
    by_label = {row["label"]: pid for row, pid in zip(rows.problems, problem_ids, strict=True)}
    visit_rows = [
        dict(visit, case_id=case_id, problem_id=by_label[label])
        for label, visit, _parts in rows.events
    ]
    visit_ids = insert_returning_ids(connection, _VISITS, visit_rows)
    parts = [
        dict(part, repair_event_id=visit_id)
        for (_label, _visit, visit_parts), visit_id in zip(rows.events, visit_ids, strict=True)
        for part in visit_parts
    ]
    if parts:
        connection.execute(_INSERT_PARTS, parts)
    if rows.wear_parts:
        connection.execute(
            _INSERT_WEAR_PARTS, [dict(wear_part, case_id=case_id) for wear_part in rows.wear_parts]
        )
