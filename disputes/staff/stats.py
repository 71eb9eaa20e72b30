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

from sqlalchemy import case as sql_case
from sqlalchemy import func

from disputes.cases.models import Case, CaseStatus, Problem
from disputes.db import db
from disputes.deadlines import CaseClock, ClockStage
from disputes.experts.models import Assignment, AssignmentStatus, Expert
from disputes.staff.models import OutcomeRecord


@dataclass(frozen=True, slots=True)
class Period:
    """Cases submitted in [start, end] (China-local days); None = open-ended."""

    start: date | None = None
    end: date | None = None

    def where(self, stmt: Any) -> Any:
        """Restrict a statement over Case to the period."""
        if self.start:
            stmt = stmt.where(Case.submitted_at >= _utc(self.start))
        if self.end:
            stmt = stmt.where(Case.submitted_at < _utc(self.end + timedelta(days=1)))
        return stmt.where(Case.submitted_at.is_not(None))


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
    stmt = period.where(
        db.select(Case.brand, func.count(Case.id), closed).group_by(Case.brand)
    ).order_by(func.count(Case.id).desc(), Case.brand)
    return [(b or "—", int(n), int(c or 0)) for b, n, c in db.session.execute(stmt)]


def by_system(period: Period) -> list[tuple[str, int]]:
    """Return (vehicle system, cases with a problem in it) by number of cases."""
    n = func.count(func.distinct(Problem.case_id))
    stmt = period.where(
        db.select(Problem.system, n).join(Case, Case.id == Problem.case_id).group_by(Problem.system)
    ).order_by(n.desc(), Problem.system)
    return [(str(s), int(c)) for s, c in db.session.execute(stmt)]


def by_outcome(period: Period) -> list[tuple[str, int, Decimal, Decimal | None]]:
    """Return (outcome, cases, compensation paid, mean working days) by number of cases."""
    n = func.count(OutcomeRecord.id)
    stmt = period.where(
        db.select(
            OutcomeRecord.outcome,
            n,
            func.coalesce(func.sum(OutcomeRecord.compensation_yuan), 0),
            func.avg(OutcomeRecord.working_days),
        )
        .join(Case, Case.id == OutcomeRecord.case_id)
        .group_by(OutcomeRecord.outcome)
    ).order_by(n.desc(), OutcomeRecord.outcome)
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


def _percentiles(label: str, where: Any) -> Durations:
    days = OutcomeRecord.working_days
    base = db.select(days).join(Case, Case.id == OutcomeRecord.case_id).where(*where)
    if db.engine.dialect.name == "postgresql":
        sub = base.subquery()
        stmt = db.select(
            func.count(),
            func.percentile_cont(0.5).within_group(sub.c.working_days.asc()),
            func.percentile_cont(0.9).within_group(sub.c.working_days.asc()),
        )
        n, median, p90 = db.session.execute(stmt).one()
        return Durations(label, int(n), _num(median), _num(p90))
    n = int(db.session.scalar(db.select(func.count()).select_from(base.subquery())) or 0)
    return Durations(label, n, _sqlite_percentile(base, n, 0.5), _sqlite_percentile(base, n, 0.9))


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def _sqlite_percentile(base: Any, n: int, p: float) -> float | None:
    """percentile_cont on SQLite: the two neighbouring values by ORDER BY/OFFSET, interpolated."""
    if n == 0:
        return None
    position = p * (n - 1)
    lo, hi = math.floor(position), math.ceil(position)
    ordered = base.order_by(OutcomeRecord.working_days)
    low = db.session.scalar(ordered.limit(1).offset(lo))
    high = db.session.scalar(ordered.limit(1).offset(hi))
    return round(low + (high - low) * (position - lo), 1)


def durations(period: Period, brands: list[str]) -> list[Durations]:
    """Return median and 90th-percentile working days to close: overall, then per brand."""
    where = period.where(db.select(Case.id)).whereclause
    rows = [_percentiles("全部", [where])]
    rows += [_percentiles(brand, [where, Case.brand == brand]) for brand in brands]
    return rows


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


def expert_workload() -> list[ExpertLoad]:
    """Return per expert: open and all assignments, finished opinion stages, how many on time."""
    active = func.sum(sql_case((Assignment.status == AssignmentStatus.active, 1), else_=0))
    assigned = (
        db.select(Assignment.expert_id, active.label("active"), func.count().label("total"))
        .group_by(Assignment.expert_id)
        .subquery()
    )
    done = (
        db.select(
            Assignment.expert_id,
            func.count(CaseClock.id).label("done"),
            func.sum(sql_case((CaseClock.ended_on <= CaseClock.due_on, 1), else_=0)).label("ok"),
        )
        .join(CaseClock, CaseClock.case_id == Assignment.case_id)
        .where(CaseClock.stage == ClockStage.opinion, CaseClock.ended_on.is_not(None))
        .where(Assignment.status.in_((AssignmentStatus.active, AssignmentStatus.completed)))
        .group_by(Assignment.expert_id)
        .subquery()
    )
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
        experts=expert_workload(),
    )
