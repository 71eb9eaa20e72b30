"""Reads: the director's statistics, from pre-aggregated tallies (tallies.py, kept by rollup.py).

A period's figures sum at most a few hundred tally rows per group whatever the number of cases,
so the page costs the same at ten thousand cases and at a million. Working days from submission
to close are fixed per case when the outcome is recorded (OutcomeRecord.working_days, on the
Chinese calendar); the tallies keep their histogram, so medians and percentiles stay exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func

from disputes.calendar import local_day
from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.experts.models import Expert
from disputes.staff import rollup
from disputes.staff.tallies import (
    BrandClosingDaysTally,
    BrandTally,
    ClosingDaysTally,
    ExpertTally,
    OutcomeTally,
    StatusTally,
    SystemTally,
)

#: Where an open-ended period starts: before any case could have been filed.
BEGINNING = date(2000, 1, 1)
#: The grains of the tally rows covering a range, in order (rollup.spans): the shape of a
#: statement reading them.
Grains = tuple[str, ...]


def covering_spans(
    first: date, last: date, *, years: bool = True
) -> tuple[Grains, dict[str, date]]:
    """The tally rows covering [first, last] (rollup.spans) as a statement's shape and its
    parameters: the grains, and each span's first and last start under the names covering()
    binds them to."""
    found = rollup.spans(first, last, years=years)
    bounds = {f"span_{i}_first": start for i, (_, start, _) in enumerate(found)}
    bounds |= {f"span_{i}_last": end for i, (_, _, end) in enumerate(found)}
    return tuple(grain for grain, _, _ in found), bounds


def covering(table: sa.Table, grains: Grains) -> Any:
    """WHERE clause selecting the rows of `table` that together count a range once, from the
    range's covering_spans(): its grains here, its days bound at execution, so that one built
    statement serves every range of the same shape (none when the range is empty: an empty OR
    would select every grain and count each case thrice)."""
    return sa.or_(
        sa.false(),
        *(
            sa.and_(
                table.c.grain == grain,
                table.c.starts.between(
                    sa.bindparam(f"span_{i}_first", type_=table.c.starts.type),
                    sa.bindparam(f"span_{i}_last", type_=table.c.starts.type),
                ),
            )
            for i, grain in enumerate(grains)
        ),
    )


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

        A year is what the director reviews; any wider range is one date away.
        """
        if start is None and end is None:
            return cls(date((today or local_day()).year, 1, 1), None)
        return cls(start, end)

    def spans(self, *, years: bool = True) -> tuple[Grains, dict[str, date]]:
        """The tally rows that count the period's cases exactly once: the grains a statement
        reads them by (covering) and the bounds to bind to it.

        No case is submitted after today, so a period reaching today is read up to the end of
        today's year: the same cases, from a year's or a month's row where there would be a
        month's and a day's (this year so far at a million cases: 2,000 rows of the business
        tally instead of 23,341, 3 ms instead of 18).

        Each statement of the page is built once per shape of period and kept (functools.cache
        on its builder, a few dozen shapes at most): SQLAlchemy works out the cache key of a
        statement built anew on each execution, eleven times a page."""
        today = local_day()
        last = self.end or today
        if last >= today:
            last = max(last, date(today.year, 12, 31))
        return covering_spans(self.start or BEGINNING, last, years=years)


def _month(starts: Any) -> str:
    """YYYY-MM of a tally's first day (a date, or its ISO text as SQLite returns it)."""
    return str(starts)[:7]


@cache
def _by_month_and_state_statement(grains: Grains) -> sa.Select:
    t = StatusTally.__table__
    return (
        sa.select(t.c.starts, t.c.status, func.sum(t.c.n))
        .where(covering(t, grains))
        .group_by(t.c.starts, t.c.status)
    )


def by_month_and_state(period: Period) -> dict[str, dict[str, int]]:
    """Return {month: {status: count}} of submitted cases."""
    grains, bounds = period.spans(years=False)
    out: dict[str, dict[str, int]] = {}
    for starts, status, n in db.session.execute(_by_month_and_state_statement(grains), bounds):
        counts = out.setdefault(_month(starts), {})
        counts[status] = counts.get(status, 0) + int(n)
    return {m: out[m] for m in sorted(out)}


def cases_by_status() -> dict[CaseStatus, int]:
    """Return how many cases are in each state now (every state present, zero if none).

    For the dashboard: all time from the tallies (the page brings them up to date first)
    instead of counting every case ever filed on each view.
    """
    t = StatusTally.__table__
    grains, bounds = Period().spans()
    stmt = sa.select(t.c.status, func.sum(t.c.n)).where(covering(t, grains))
    counts = {status: 0 for status in CaseStatus}
    for status, n in db.session.execute(stmt.group_by(t.c.status), bounds):
        counts[CaseStatus(status)] = int(n)
    return counts


def count_status_rows() -> int:
    """Return how many status tally rows there are (what `stats rebuild` reports)."""
    return db.session.scalar(sa.select(func.count()).select_from(StatusTally))


@cache
def _by_brand_statement(grains: Grains) -> sa.Select:
    t = BrandTally.__table__
    n = func.sum(t.c.n)
    stmt = sa.select(t.c.brand, n, func.sum(t.c.closed)).where(covering(t, grains))
    return stmt.group_by(t.c.brand).order_by(n.desc(), t.c.brand)


def by_brand(period: Period) -> list[tuple[str, int, int]]:
    """Return (brand, cases, closed) by number of cases."""
    grains, bounds = period.spans()
    rows = db.session.execute(_by_brand_statement(grains), bounds)
    return [(b or "—", int(n), int(c or 0)) for b, n, c in rows]


@cache
def _by_system_statement(grains: Grains) -> sa.Select:
    t = SystemTally.__table__
    n = func.sum(t.c.n)
    stmt = sa.select(t.c.system, n).where(covering(t, grains)).group_by(t.c.system)
    return stmt.order_by(n.desc(), t.c.system)


def by_system(period: Period) -> list[tuple[str, int]]:
    """Return (vehicle system, cases with a problem in it) by number of cases."""
    grains, bounds = period.spans()
    return [(str(s), int(c)) for s, c in db.session.execute(_by_system_statement(grains), bounds)]


@cache
def _by_outcome_statement(grains: Grains) -> sa.Select:
    t = OutcomeTally.__table__
    n = func.sum(t.c.n)
    return (
        sa.select(t.c.outcome, n, func.sum(t.c.compensation), func.sum(t.c.days_sum))
        .where(covering(t, grains))
        .group_by(t.c.outcome)
        .order_by(n.desc(), t.c.outcome)
    )


def by_outcome(period: Period) -> list[tuple[str, int, Decimal, Decimal | None]]:
    """Return (outcome, cases, compensation paid, mean working days) by number of cases."""
    grains, bounds = period.spans()
    return [
        (
            str(o),
            int(c),
            Decimal(str(paid or 0)).quantize(Decimal("0.01")),
            (Decimal(int(days)) / Decimal(int(c))).quantize(Decimal("0.1")) if c else None,
        )
        for o, c, paid, days in db.session.execute(_by_outcome_statement(grains), bounds)
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


def _percentiles(label: str, histogram: dict[int, int]) -> Durations:
    """Count and PERCENTILES of a {working days: cases} histogram, as percentile_cont gives."""
    n = sum(histogram.values())
    if not n:
        return Durations(label, 0, None, None)
    ordered = sorted(histogram.items())

    def value(index: int) -> int:
        seen = 0
        for days, count in ordered:
            seen += count
            if index < seen:
                return days
        raise IndexError(index)

    def at(p: float) -> float:
        position = p * (n - 1)
        low, high = value(math.floor(position)), value(math.ceil(position))
        return round(low + (high - low) * (position - math.floor(position)), 1)

    median, p90 = (at(p) for p in PERCENTILES)
    return Durations(label, n, median, p90)


def _histogram(stmt: Any, bound: dict[str, Any]) -> dict[Any, dict[int, int]]:
    """{key: {working days: cases}} from rows (key, working days, cases)."""
    out: dict[Any, dict[int, int]] = {}
    for key, days, n in db.session.execute(stmt, bound):
        out.setdefault(key, {})[int(days)] = int(n)
    return out


@cache
def _durations_statements(grains: Grains) -> tuple[sa.Select, sa.Select]:
    """The closing days overall, and of the brands bound to "brands"."""
    t = ClosingDaysTally.__table__
    overall = sa.select(sa.literal(OVERALL), t.c.working_days, func.sum(t.c.n))
    b = BrandClosingDaysTally.__table__
    per_brand = sa.select(b.c.brand, b.c.working_days, func.sum(b.c.n))
    return (
        overall.where(covering(t, grains)).group_by(t.c.working_days),
        per_brand.where(covering(b, grains))
        .where(b.c.brand.in_(sa.bindparam("brands", expanding=True)))
        .group_by(b.c.brand, b.c.working_days),
    )


def durations(period: Period, brands: list[str]) -> list[Durations]:
    """Return median and 90th-percentile working days to close: overall, then per brand.

    Two queries whatever the number of brands, each over the period's histogram rows.
    """
    grains, bounds = period.spans()
    overall_statement, brands_statement = _durations_statements(grains)
    overall = _histogram(overall_statement, bounds)
    per_brand: dict[Any, dict[int, int]] = {}
    if brands:
        per_brand = _histogram(brands_statement, bounds | {"brands": brands})
    return [_percentiles(OVERALL, overall.get(OVERALL, {}))] + [
        _percentiles(brand, per_brand.get(brand, {})) for brand in brands
    ]


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


@cache
def _expert_workload_statement(grains: Grains) -> sa.Select:
    t = ExpertTally.__table__
    sums = (
        sa.select(
            t.c.expert_id,
            *(func.sum(t.c[m]).label(m) for m in ("active", "total", "done", "on_time")),
        )
        .where(covering(t, grains))
        .group_by(t.c.expert_id)
        .subquery()
    )
    return (
        sa.select(
            Expert.code, Expert.name, sums.c.active, sums.c.total, sums.c.done, sums.c.on_time
        )
        .outerjoin(sums, sums.c.expert_id == Expert.id)
        .order_by(Expert.code)
    )


def expert_workload(period: Period) -> list[ExpertLoad]:
    """Return per expert: open and all assignments on the period's cases, finished opinion
    stages, how many on time."""
    grains, bounds = period.spans()
    return [
        ExpertLoad(code, name, int(a or 0), int(t or 0), int(d or 0), int(k or 0))
        for code, name, a, t, d, k in db.session.execute(_expert_workload_statement(grains), bounds)
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
    """Collect every figure of the statistics page from the tallies as they stand (the page
    brings them up to date first: rollup.refresh_tallies)."""
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
