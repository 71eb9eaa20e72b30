"""Writes: keeps the statistics tallies (tallies.py) equal to the cases, and reads them by period.

Invalidation is exact and cheap: every flush that adds, changes or deletes a case, problem,
outcome record, assignment or deadline clock marks the case's submission day dirty in the same
transaction (so it commits or rolls back with the change; the before_flush listener below, which
db_events.py registers). `refresh()` — run by the statistics and dashboard pages in a transaction
of their own before they read — recounts only the dirty days from the cases, then re-sums their
months and years from the day rows. It holds the write lock every writer takes first (the SQLite
database lock, or the audit chain lock on PostgreSQL), so no change can commit between the
recount and the removal of its mark.

Functions below take a Connection so that bench/datagen.py can build the tallies of a bulk load
without an application.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.orm import Session

from disputes.audit import lock_chain
from disputes.business.answers import BusinessResponse
from disputes.calendar import day_start, local_date_sql, local_day, working_days_between
from disputes.cases.models import Case, CaseClock, CaseOutcome, CaseStatus, ClockStage, Problem
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db
from disputes.experts.models import Assignment, AssignmentStatus
from disputes.staff.tallies import (
    BrandClosingDaysTally,
    BrandTally,
    BusinessAnswerDaysTally,
    BusinessTally,
    ClosingDaysTally,
    ExpertTally,
    OutcomeTally,
    StatsDirtyDay,
    StatusTally,
    SystemTally,
)

#: Rows whose change moves a figure; each belongs to one case and so to one submission day.
TRACKED = (Problem, OutcomeRecord, Assignment, CaseClock, BusinessResponse)
#: Outcomes that settle the dispute, for the settlement rate (withdrawn and referred do not).
SETTLED = (
    CaseOutcome.settled,
    CaseOutcome.repaired,
    CaseOutcome.replaced,
    CaseOutcome.returned,
    CaseOutcome.compensated,
)
#: Beyond this many dirty days one pass over every case is cheaper than recounting day by day.
FULL_REBUILD_DAYS = 200
_DAY, _MONTH, _YEAR = "d", "m", "y"


# --- what each tally counts, one submission day at a time --------------------------------------


@dataclass(frozen=True)
class Tally:
    """A tally table, its group columns and summed measures, and the day rows' source queries."""

    table: sa.Table
    dims: tuple[str, ...]
    measures: tuple[str, ...]
    #: (day expression, WHERE clauses on cases) -> selects of (day, *dims, *measures).
    sources: Callable[[Any, list[Any]], list[sa.Select]]
    #: Turns the sources' rows into (grain, day, *dims, *measures) rows in Python, for a figure
    #: SQL cannot count (working days on the Chinese calendar); None inserts the selects as such.
    convert: Callable[[Iterable[Any]], list[tuple[Any, ...]]] | None = None


def _status_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    stmt = sa.select(day, Case.status, func.count(Case.id)).where(*where)
    return [stmt.group_by(day, Case.status)]


def _closed_settled() -> tuple[Any, Any]:
    """Sums of the closed cases and of those closed with a settlement."""
    closed = Case.status == CaseStatus.closed
    settled = sa.and_(closed, Case.outcome.in_(SETTLED))
    return func.sum(sa.case((closed, 1), else_=0)), func.sum(sa.case((settled, 1), else_=0))


def _brand_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    stmt = sa.select(day, Case.brand, func.count(Case.id), *_closed_settled()).where(*where)
    return [stmt.group_by(day, Case.brand)]


def _system_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    # One case per system however many of its problems are in it; a case has one day, so the
    # day counts add up to the period's.
    n = func.count(func.distinct(Problem.case_id))
    stmt = sa.select(day, Problem.system, n).join(Case, Case.id == Problem.case_id)
    return [stmt.where(*where).group_by(day, Problem.system)]


def _outcome_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    paid = func.coalesce(func.sum(OutcomeRecord.compensation_yuan), 0)
    stmt = sa.select(
        day, OutcomeRecord.outcome, func.count(OutcomeRecord.id), paid,
        func.sum(OutcomeRecord.working_days),
    ).join(Case, Case.id == OutcomeRecord.case_id)  # fmt: skip
    return [stmt.where(*where).group_by(day, OutcomeRecord.outcome)]


def _closing_days_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    days = OutcomeRecord.working_days
    stmt = sa.select(day, days, func.count(OutcomeRecord.id))
    stmt = stmt.join(Case, Case.id == OutcomeRecord.case_id).where(*where)
    return [stmt.group_by(day, days)]


def _brand_closing_days_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    days = OutcomeRecord.working_days
    stmt = sa.select(day, Case.brand, days, func.count(OutcomeRecord.id))
    stmt = stmt.join(Case, Case.id == OutcomeRecord.case_id).where(*where)
    return [stmt.group_by(day, Case.brand, days)]


def _expert_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    """Assignment counts and finished opinion stages as separate rows (readers sum them)."""
    zero = sa.literal(0)
    active = func.sum(sa.case((Assignment.status == AssignmentStatus.active, 1), else_=0))
    assigned = sa.select(day, Assignment.expert_id, active, func.count(Assignment.id), zero, zero)
    assigned = assigned.join(Case, Case.id == Assignment.case_id).where(*where)
    on_time = func.sum(sa.case((CaseClock.ended_on <= CaseClock.due_on, 1), else_=0))
    done = (
        sa.select(day, Assignment.expert_id, zero, zero, func.count(CaseClock.id), on_time)
        .join(Case, Case.id == Assignment.case_id)
        .join(CaseClock, CaseClock.case_id == Assignment.case_id)
        .where(*where, CaseClock.stage == ClockStage.opinion, CaseClock.ended_on.is_not(None))
        .where(Assignment.status.in_((AssignmentStatus.active, AssignmentStatus.completed)))
    )
    return [
        assigned.group_by(day, Assignment.expert_id),
        done.group_by(day, Assignment.expert_id),
    ]


def _typed_name() -> Any:
    """The business name a tally row keeps: the typed one, or "" when the case has an
    organisation (the reader names it by the organisation then, whatever was typed)."""
    return sa.case(
        (Case.organisation_id.is_(None), Case.business_name), else_=sa.literal_column("''")
    )


def _business_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    name = _typed_name()
    stmt = sa.select(
        day, Case.organisation_id, name, func.count(Case.id), *_closed_settled()
    ).where(*where)
    return [stmt.group_by(day, Case.organisation_id, name)]


def _answer_days_sources(day: Any, where: list[Any]) -> list[sa.Select]:
    """Cases by acceptance day and first answer day (`_answer_days` makes them working days).

    Accepted on the day the first routing clock opened (the case entered `accepted`).
    """
    accepted = sa.select(func.min(CaseClock.started_on)).where(
        CaseClock.case_id == Case.id, CaseClock.stage == ClockStage.routing
    )
    answered = sa.select(func.min(BusinessResponse.responded_on)).where(
        BusinessResponse.case_id == Case.id
    )
    per_case = (
        sa.select(
            day.label("day"),
            Case.organisation_id,
            _typed_name().label("business_name"),
            accepted.scalar_subquery().label("accepted_on"),
            answered.scalar_subquery().label("answered_on"),
        )
        .where(*where)
        .subquery()
    )
    c = per_case.c
    keys = (c.day, c.organisation_id, c.business_name, c.accepted_on, c.answered_on)
    stmt = sa.select(*keys, func.count()).where(
        c.accepted_on.is_not(None), c.answered_on.is_not(None)
    )
    return [stmt.group_by(*keys)]


def _as_date(value: Any) -> date:
    """A date from a date or its ISO text (SQLite returns computed days as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _answer_days(rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    """(grain, day, organisation, name, accepted, answered, n) -> (..., working days, n).

    An answer before acceptance counts 0 days. The calendar is walked once over the days the
    rows span: working days between two days are the difference of their running counts.
    """
    parsed = [
        (g, _as_date(d), o, name, _as_date(a), _as_date(b), n) for g, d, o, name, a, b, n in rows
    ]
    ordinal = _working_day_ordinals({d for row in parsed for d in row[4:6]})
    out: Counter[tuple[Any, ...]] = Counter()
    for grain, day, organisation_id, name, accepted, answered, n in parsed:
        days = max(ordinal[answered] - ordinal[accepted], 0)
        out[(grain, day, organisation_id, name, days)] += int(n)
    return [(*key, n) for key, n in out.items()]


def _working_day_ordinals(days: set[date]) -> dict[date, int]:
    """{day: working days after the first of `days` up to it} for every day in their span."""
    if not days:
        return {}
    first, last = min(days), max(days)
    ordinal, count, day = {first: 0}, 0, first
    while day < last:
        day += timedelta(days=1)
        count += working_days_between(day - timedelta(days=1), day)
        ordinal[day] = count
    return ordinal


TALLIES = (
    Tally(StatusTally.__table__, ("status",), ("n",), _status_sources),
    Tally(BrandTally.__table__, ("brand",), ("n", "closed", "settled"), _brand_sources),
    Tally(SystemTally.__table__, ("system",), ("n",), _system_sources),
    Tally(
        OutcomeTally.__table__, ("outcome",), ("n", "compensation", "days_sum"), _outcome_sources
    ),
    Tally(ClosingDaysTally.__table__, ("working_days",), ("n",), _closing_days_sources),
    Tally(
        BrandClosingDaysTally.__table__,
        ("brand", "working_days"),
        ("n",),
        _brand_closing_days_sources,
    ),  # fmt: skip
    Tally(
        ExpertTally.__table__,
        ("expert_id",),
        ("active", "total", "done", "on_time"),
        _expert_sources,
    ),  # fmt: skip
    Tally(
        BusinessTally.__table__,
        ("organisation_id", "business_name"),
        ("n", "closed", "settled"),
        _business_sources,
    ),  # fmt: skip
    Tally(
        BusinessAnswerDaysTally.__table__,
        ("organisation_id", "business_name", "working_days"),
        ("n",),
        _answer_days_sources,
        _answer_days,
    ),  # fmt: skip
)


# --- marking -----------------------------------------------------------------------------------


def mark_dirty_days(session: Session, flush_context, instances) -> None:  # noqa: ARG001
    """Mark the submission day of every case this flush touches, before and after the change.

    A case's day in the database (read below, before the flush writes) is the day it had; its
    attribute is the day it will have.
    """
    days: set[date] = set()
    case_ids: set[int] = set()
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        case = obj if isinstance(obj, Case) else None
        if isinstance(obj, TRACKED):
            if obj.case_id is not None:
                case_ids.add(obj.case_id)
                continue
            parent = getattr(sa.inspect(obj).attrs, "case", None)
            parent = parent and parent.loaded_value
            case = parent if isinstance(parent, Case) else None
        if case is None:
            continue
        days.add(local_day(case.submitted_at))
        if sa.inspect(case).persistent:
            case_ids.add(case.id)
    looked_up, marked = _this_transaction(session)
    case_ids -= looked_up
    if case_ids:
        table = Case.__table__
        stmt = sa.select(table.c.submitted_at).where(table.c.id.in_(case_ids))
        days |= {local_day(m) for (m,) in session.connection().execute(stmt) if m is not None}
        looked_up |= case_ids
    days -= marked
    if days:
        mark_dirty(session.connection(), days)
        marked |= days


#: Session.info key: (transaction, case ids whose stored day is marked, days marked) in it.
_MARKED_IN = "rollup.marked_in"


def _this_transaction(session: Session) -> tuple[set[int], set[date]]:
    """What this transaction has already marked, so later flushes (a filing has several) skip
    it. Keyed to the innermost transaction: a rolled-back savepoint takes its marks with it."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    entry = session.info.get(_MARKED_IN)
    if entry is None or entry[0] is not transaction:
        entry = (transaction, set(), set())
        session.info[_MARKED_IN] = entry
    return entry[1], entry[2]


def mark_dirty(connection: sa.Connection, days: Iterable[date]) -> None:
    """Record days whose tallies must be recounted (idempotent)."""
    rows = [{"day": d} for d in sorted(set(days))]
    if rows:
        connection.execute(_MARK_DIRTY, rows)


#: SQLite and PostgreSQL spell this alike. As text it is compiled once per process: the dialects'
#: insert().on_conflict_do_nothing() has no cache key in SQLAlchemy 2.0, so it was compiled anew
#: on every write of a case, inside the write lock.
_MARK_DIRTY = sa.text(
    f"INSERT INTO {StatsDirtyDay.__tablename__} (day) VALUES (:day) ON CONFLICT DO NOTHING"
).bindparams(sa.bindparam("day", type_=sa.Date))


# --- recounting --------------------------------------------------------------------------------


def tallies_behind() -> bool:
    """Tell whether a change since the last recount left a day to recount (a read, no lock)."""
    return db.session.scalar(sa.select(StatsDirtyDay.day).limit(1)) is not None


def refresh_tallies() -> int:
    """Bring the tallies up to date under the write lock; return how many days were recounted.

    Writes in the session's transaction and never commits: the caller's unit of work does (a
    read page runs this in `own_transaction` before it reads, when `tallies_behind()`). A second
    page refreshing at the same time waits for the lock, then finds no day left to recount.
    """
    lock_chain()
    return refresh(db.session.connection())


def refresh(connection: sa.Connection) -> int:
    """Recount the dirty days and re-sum their months and years; return how many days.

    Call with the write lock held (see the module docstring); the caller commits.
    """
    marks = StatsDirtyDay.__table__
    days = sorted(d for (d,) in connection.execute(sa.delete(marks).returning(marks.c.day)))
    if len(days) > FULL_REBUILD_DAYS:
        rebuild(connection)
    elif days:
        for first, last in _runs(days):
            _count_days(connection, first, last)
        for month in sorted({d.replace(day=1) for d in days}):
            _sum_up(connection, _DAY, _MONTH, month, _month_end(month))
        for year in sorted({d.year for d in days}):
            _sum_up(connection, _MONTH, _YEAR, date(year, 1, 1), date(year, 12, 31))
    return len(days)


def rebuild(connection: sa.Connection) -> None:
    """Recount every tally from scratch (bulk loads, `flask stats rebuild`)."""
    connection.execute(sa.delete(StatsDirtyDay.__table__))
    _count_days(connection, None, None)
    _sum_up(connection, _DAY, _MONTH, None, None)
    _sum_up(connection, _MONTH, _YEAR, None, None)


def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    """Group sorted days into runs of consecutive days."""
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and runs[-1][1] + timedelta(days=1) == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _count_days(connection: sa.Connection, first: date | None, last: date | None) -> None:
    """Replace the day rows of [first, last] (None: all days) with counts from the cases."""
    dialect = connection.dialect.name
    where: list[sa.ColumnElement[bool]] = []
    if first is not None and last is not None:
        where = [
            Case.submitted_at >= day_start(first),
            Case.submitted_at < day_start(last + timedelta(days=1)),
        ]
    day = local_date_sql(Case.submitted_at, dialect)
    for tally in TALLIES:
        table = tally.table
        _delete(connection, table, _DAY, first, last)
        columns = ["grain", "starts", *tally.dims, *tally.measures]
        for source in tally.sources(day, where):
            select = source.with_only_columns(sa.literal(_DAY), *source.selected_columns)
            if tally.convert is None:
                connection.execute(sa.insert(table).from_select(columns, select))
                continue
            converted = tally.convert(connection.execute(select))
            rows = [dict(zip(columns, r, strict=True)) for r in converted]
            if rows:
                connection.execute(sa.insert(table), rows)


def _truncate(column: Any, grain: str, dialect: str) -> Any:
    """SQL for the first day of the month or year of a date column."""
    if dialect == "postgresql":
        unit = "month" if grain == _MONTH else "year"
        return sa.cast(func.date_trunc(unit, column), sa.Date)
    return func.strftime("%Y-%m-01" if grain == _MONTH else "%Y-01-01", column)


def _sum_up(
    connection: sa.Connection, finer: str, coarser: str, first: date | None, last: date | None
) -> None:
    """Replace the `coarser` rows starting in [first, last] with sums of the `finer` rows."""
    dialect = connection.dialect.name
    for tally in TALLIES:
        table = tally.table
        _delete(connection, table, coarser, first, last)
        starts = _truncate(table.c.starts, coarser, dialect)
        dims = [table.c[d] for d in tally.dims]
        select = sa.select(
            sa.literal(coarser), starts, *dims, *(func.sum(table.c[m]) for m in tally.measures)
        ).where(table.c.grain == finer)
        if first is not None and last is not None:
            select = select.where(table.c.starts.between(first, last))
        select = select.group_by(starts, *dims)
        columns = ["grain", "starts", *tally.dims, *tally.measures]
        connection.execute(sa.insert(table).from_select(columns, select))


def _delete(
    connection: sa.Connection, table: sa.Table, grain: str, first: date | None, last: date | None
) -> None:
    stmt = sa.delete(table).where(table.c.grain == grain)
    if first is not None and last is not None:
        stmt = stmt.where(table.c.starts.between(first, last))
    connection.execute(stmt)


# --- reading -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def spans(first: date, last: date, *, years: bool = True) -> tuple[tuple[str, date, date], ...]:
    """Cover [first, last] with as few tally rows as possible: (grain, first start, last start).

    Days up to the first whole month, months up to the first whole year, whole years, then
    months and days again at the end. Without `years`, whole years are read as months (figures
    by month need month rows).
    """
    out: list[tuple[str, date, date]] = []

    def add(grain: str, start: date, end: date) -> None:
        if out and out[-1][0] == grain:
            out[-1] = (grain, out[-1][1], end)
        else:
            out.append((grain, start, end))

    d = first
    while d <= last:
        year_end = date(d.year, 12, 31)
        if years and d.month == 1 and d.day == 1 and year_end <= last:
            add(_YEAR, d, d)
            d = year_end + timedelta(days=1)
        elif d.day == 1 and _month_end(d) <= last:
            add(_MONTH, d, d)
            d = _month_end(d) + timedelta(days=1)
        else:
            end = min(_month_end(d), last)
            add(_DAY, d, end)
            d = end + timedelta(days=1)
    return tuple(out)


def covering(table: sa.Table, first: date, last: date, *, years: bool = True) -> Any:
    """WHERE clause selecting the rows of `table` that together count [first, last] once (none
    when the range is empty: an empty OR would select every grain and count each case thrice)."""
    return sa.or_(
        sa.false(),
        *(
            sa.and_(table.c.grain == grain, table.c.starts.between(start, end))
            for grain, start, end in spans(first, last, years=years)
        ),
    )
