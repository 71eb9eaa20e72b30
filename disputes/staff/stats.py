"""The director's statistics, every figure aggregated in SQL (GROUP BY, percentile_cont).

Working days from submission to close are fixed per case when the outcome is recorded
(OutcomeRecord.working_days, on the Chinese calendar), so medians and percentiles are plain SQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, cast, func, literal, or_
from sqlalchemy import case as sql_case

from disputes.cases.models import Case, CaseStatus, Problem
from disputes.cases.queries import not_indexed
from disputes.db import db
from disputes.deadlines import CaseClock, ClockStage, local_day
from disputes.experts.models import Assignment, AssignmentStatus, Expert
from disputes.staff.models import OutcomeRecord


@dataclass(frozen=True, slots=True)
class Period:
    """Cases submitted in [start, end] (China-local days); None = open-ended."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def or_this_year(
        cls, start: date | None, end: date | None, today: date | None = None
    ) -> Period:
        """Return the chosen days; with neither chosen, this year so far.

        Figures over all time would read every case ever filed (seconds at a million cases); a
        year is what the director reviews, and any wider range is one date away.
        """
        if start is None and end is None:
            return cls(date((today or local_day()).year, 1, 1), None)
        return cls(start, end)

    def where(self, stmt: Any) -> Any:
        """Restrict a statement over Case to the period."""
        if self.start:
            stmt = stmt.where(Case.submitted_at >= _utc(self.start))
        if self.end:
            stmt = stmt.where(Case.submitted_at < _utc(self.end + timedelta(days=1)))
        return stmt.where(Case.submitted_at.is_not(None))

    def key(self, column: Any) -> Any:
        """Return `column` as a GROUP BY key. Within dates SQLite gets `+column`, so it starts
        from the period's cases (submitted_at index) instead of walking a whole-table index in
        group order; over all time that walk is the cheapest plan and stays."""
        return not_indexed(column) if self.start or self.end else column


def _utc(day: date) -> datetime:
    return datetime.combine(day, time()) - timedelta(hours=8)


def _month() -> Any:
    """SQL for the China-local month (YYYY-MM) of Case.submitted_at on this backend."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(Case.submitted_at + timedelta(hours=8), "YYYY-MM")
    return func.strftime("%Y-%m", Case.submitted_at, "+8 hours")


def by_month_and_state(period: Period) -> dict[str, dict[str, int]]:
    """Return {month: {status: count}} of submitted cases."""
    month = _month().label("month")
    stmt = period.where(
        db.select(month, Case.status, func.count(Case.id)).group_by(month, Case.status)
    )
    out: dict[str, dict[str, int]] = {}
    for m, status, n in db.session.execute(stmt.order_by(month)):
        out.setdefault(m, {})[str(status)] = int(n)
    return out


def by_brand(period: Period) -> list[tuple[str, int, int]]:
    """Return (brand, cases, closed) by number of cases."""
    closed = func.sum(sql_case((Case.status == CaseStatus.closed, 1), else_=0))
    brand = period.key(Case.brand)
    stmt = period.where(db.select(brand, func.count(Case.id), closed).group_by(brand))
    stmt = stmt.order_by(func.count(Case.id).desc(), brand)
    return [(b or "—", int(n), int(c or 0)) for b, n, c in db.session.execute(stmt)]


def by_system(period: Period) -> list[tuple[str, int]]:
    """Return (vehicle system, cases with a problem in it) by number of cases."""
    n = func.count(func.distinct(Problem.case_id))
    system = period.key(Problem.system)
    stmt = period.where(
        db.select(system, n).join(Case, Case.id == Problem.case_id).group_by(system)
    ).order_by(n.desc(), system)
    return [(str(s), int(c)) for s, c in db.session.execute(stmt)]


def by_outcome(period: Period) -> list[tuple[str, int, Decimal, Decimal | None]]:
    """Return (outcome, cases, compensation paid, mean working days) by number of cases."""
    n = func.count(OutcomeRecord.id)
    outcome = period.key(OutcomeRecord.outcome)
    stmt = period.where(
        db.select(
            outcome,
            n,
            func.coalesce(func.sum(OutcomeRecord.compensation_yuan), 0),
            func.avg(OutcomeRecord.working_days),
        )
        .join(Case, Case.id == OutcomeRecord.case_id)
        .group_by(outcome)
    ).order_by(n.desc(), outcome)
    return [
        (
            str(o),
            int(c),
            Decimal(str(s)).quantize(Decimal("0.01")),
            None if a is None else Decimal(str(a)).quantize(Decimal("0.1")),
        )
        for o, c, s, a in db.session.execute(stmt)
    ]


@dataclass(frozen=True, slots=True)
class Durations:
    """Working days from submission to close over the closed cases of a group."""

    label: str
    count: int
    median: float | None
    p90: float | None


#: The percentiles the page shows.
PERCENTILES = (0.5, 0.9)
OVERALL = "全部"


def _closed_days(key: Any, where: list[Any]) -> Any:
    return (
        db.select(key.label("k"), OutcomeRecord.working_days.label("d"))
        .join(Case, Case.id == OutcomeRecord.case_id)
        .where(*where)
    )


def _grouped_percentiles(key: Any, where: list[Any]) -> dict[str, Durations]:
    """Return count, median and 90th percentile of working days per value of `key`, one query.

    PostgreSQL has percentile_cont. SQLite numbers each group's rows with a window function and
    fetches only the (at most four) rows next to each percentile's position, interpolated here
    exactly as percentile_cont does.
    """
    days = OutcomeRecord.working_days
    if db.engine.dialect.name == "postgresql":
        k = key.label("k")
        cont = [func.percentile_cont(p).within_group(days.asc()) for p in PERCENTILES]
        stmt = db.select(k, func.count(), *cont).join(Case, Case.id == OutcomeRecord.case_id)
        stmt = stmt.where(*where).group_by(k)
        return {
            str(g): Durations(str(g), int(n), _num(median), _num(p90))
            for g, n, median, p90 in db.session.execute(stmt)
        }
    ranked = (
        _closed_days(key, where)
        .add_columns(
            (func.row_number().over(partition_by=key, order_by=days) - 1).label("i"),
            func.count().over(partition_by=key).label("n"),
        )
        .subquery()
    )
    near = [
        ranked.c.i.between(
            cast((ranked.c.n - 1) * p, Integer), cast((ranked.c.n - 1) * p, Integer) + 1
        )
        for p in PERCENTILES
    ]
    stmt = db.select(ranked.c.k, ranked.c.n, ranked.c.i, ranked.c.d).where(or_(*near))
    groups: dict[str, tuple[int, dict[int, int]]] = {}
    for g, n, i, d in db.session.execute(stmt):
        groups.setdefault(str(g), (int(n), {}))[1][int(i)] = int(d)
    return {
        g: Durations(g, n, *(_interpolate(values, p * (n - 1)) for p in PERCENTILES))
        for g, (n, values) in groups.items()
    }


def _interpolate(values: dict[int, int], position: float) -> float:
    low, high = values[math.floor(position)], values[math.ceil(position)]
    return round(low + (high - low) * (position - math.floor(position)), 1)


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def durations(period: Period, brands: list[str]) -> list[Durations]:
    """Return median and 90th-percentile working days to close: overall, then per brand.

    Two queries whatever the number of brands (one overall, one grouped by brand).
    """
    where = [period.where(db.select(Case.id)).whereclause]
    overall = _grouped_percentiles(literal(OVERALL), where).get(OVERALL)
    per_brand = _grouped_percentiles(Case.brand, [*where, Case.brand.in_(brands)]) if brands else {}
    empty = Durations(OVERALL, 0, None, None)
    return [overall or empty] + [per_brand.get(b, Durations(b, 0, None, None)) for b in brands]


@dataclass(frozen=True, slots=True)
class ExpertLoad:
    code: str
    name: str
    active: int
    total: int
    opinions_done: int
    on_time: int

    @property
    def on_time_rate(self) -> float | None:
        """Share of finished opinion stages that ended by their due day."""
        return None if not self.opinions_done else self.on_time / self.opinions_done


def expert_workload(period: Period | None = None) -> list[ExpertLoad]:
    """Return per expert: open and all assignments, finished opinion stages, how many on time.

    With a period, only the assignments on cases submitted in it count.
    """

    def within(stmt: Any) -> Any:
        if period is None:
            return stmt
        return period.where(stmt.join(Case, Case.id == Assignment.case_id))

    # With a period, `+expert_id` stops SQLite from walking every assignment in expert order to
    # group them; it starts from the period's cases instead (index on cases.submitted_at).
    key = (Assignment.expert_id if period is None else period.key(Assignment.expert_id)).label(
        "expert_id"
    )
    active = func.sum(sql_case((Assignment.status == AssignmentStatus.active, 1), else_=0))
    assigned = within(db.select(key, active.label("active"), func.count().label("total")))
    assigned = assigned.group_by(key).subquery()
    done = within(
        db.select(
            key,
            func.count(CaseClock.id).label("done"),
            func.sum(sql_case((CaseClock.ended_on <= CaseClock.due_on, 1), else_=0)).label("ok"),
        )
        .join(CaseClock, CaseClock.case_id == Assignment.case_id)
        .where(CaseClock.stage == ClockStage.opinion, CaseClock.ended_on.is_not(None))
        .where(Assignment.status.in_((AssignmentStatus.active, AssignmentStatus.completed)))
    )
    done = done.group_by(key).subquery()
    stmt = (
        db.select(
            Expert.code, Expert.name, assigned.c.active, assigned.c.total, done.c.done, done.c.ok
        )
        .outerjoin(assigned, assigned.c.expert_id == Expert.id)
        .outerjoin(done, done.c.expert_id == Expert.id)
        .order_by(Expert.code)
    )
    return [
        ExpertLoad(code, name, int(a or 0), int(t or 0), int(d or 0), int(k or 0))
        for code, name, a, t, d, k in db.session.execute(stmt)
    ]


@dataclass(frozen=True, slots=True)
class Statistics:
    period: Period
    months: dict[str, dict[str, int]]
    brands: list[tuple[str, int, int]]
    systems: list[tuple[str, int]]
    outcomes: list[tuple[str, int, Decimal, Decimal | None]]
    durations: list[Durations]
    experts: list[ExpertLoad]


def get_statistics(period: Period, top_brands: int = 8) -> Statistics:
    """Collect every figure of the statistics page."""
    brands = by_brand(period)
    return Statistics(
        period=period,
        months=by_month_and_state(period),
        brands=brands,
        systems=by_system(period),
        outcomes=by_outcome(period),
        durations=durations(period, [b for b, _n, _c in brands[:top_brands] if b != "—"]),
        experts=expert_workload(period),
    )
