"""The statistics tallies stay equal to the cases (both backends).

Random filings and changes go through the ORM; after each round the page's figures must equal a
reference computed here in plain Python from the base rows, for several periods. The spans that
read a period must cover each of its days exactly once.
"""

from __future__ import annotations

import random
import statistics as pystats
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes.cases.models import Case, CaseClock, CaseOutcome, CaseStatus, ClockStage, Problem
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db, own_transaction
from disputes.experts.models import Assignment, AssignmentStatus, Expert
from disputes.staff import rollup, stats
from disputes.staff.tallies import StatsDirtyDay, StatusTally

SYSTEMS = ("engine", "transmission", "brakes", "steering")
BRANDS = ("甲牌", "乙牌", "丙牌", "")


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _month_end(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _expand(grain: str, start: date, end: date) -> list[date]:
    """Every day the tally rows of one span count."""
    out = []
    d = start
    while d <= end:
        step_end = {"d": d, "m": _month_end(d), "y": date(d.year, 12, 31)}[grain]
        out += _days(d, step_end)
        d = step_end + timedelta(days=1)
    return out


@pytest.mark.parametrize("years", [True, False])
def test_spans_cover_every_day_once_with_few_rows(years):
    rng = random.Random(5)
    for _ in range(400):
        first = date(2013, 1, 1) + timedelta(days=rng.randrange(5000))
        last = first + timedelta(days=rng.choice((0, 1, 29, 31, 364, 365, rng.randrange(4000))))
        spans = rollup.spans(first, last, years=years)
        covered = [d for span in spans for d in _expand(*span)]
        assert covered == _days(first, last), (first, last)
        grains = [g for g, _s, _e in spans]
        assert grains.count("d") <= 2
        assert grains.count("m") <= 2
        assert grains.count("y") <= 1
        assert years or "y" not in grains


def _dirty() -> set[date]:
    return set(db.session.scalars(sa.select(StatsDirtyDay.day)))


def _refresh() -> None:
    """Bring the tallies up to date in their own transaction, as the statistics pages do."""
    with own_transaction():
        rollup.refresh_tallies()


def test_each_kind_of_change_marks_the_submission_day(app_ctx, make_user, make_case):
    owner = make_user()
    case = make_case(owner, submitted_at=datetime(2025, 3, 31, 20))  # 1 April in China
    april = date(2025, 4, 1)
    assert april in _dirty()
    _refresh()
    assert _dirty() == set()

    changes = [
        lambda: setattr(case, "status", CaseStatus.closed),
        lambda: setattr(case, "brand", "丁牌"),
        lambda: db.session.add(Problem(case_id=case.id, label="P9", system="brakes")),
        lambda: db.session.add(
            OutcomeRecord(case_id=case.id, outcome="repaired", working_days=4, closed_on=april)
        ),
        lambda: db.session.delete(
            db.session.scalars(sa.select(Problem).filter_by(label="P9")).one()
        ),
    ]
    for change in changes:
        change()
        db.session.commit()
        assert _dirty() == {april}
        _refresh()

    case.submitted_at = datetime(2025, 6, 1, 2)
    db.session.commit()
    assert _dirty() == {april, date(2025, 6, 1)}  # the day it left and the day it joined

    case.status = CaseStatus.routed
    db.session.rollback()
    _refresh()
    case.brand = "戊牌"
    db.session.flush()
    db.session.rollback()
    assert _dirty() == set()  # a change that rolls back leaves no mark

    db.session.delete(case)
    db.session.commit()
    assert _dirty() == {date(2025, 6, 1)}
    _refresh()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusTally)) == 0


# --- the tallies against a reference --------------------------------------------------------------


def _local(moment: datetime) -> date:
    return (moment + timedelta(hours=8)).date()


def _reference(first: date, last: date, brands: list[str]) -> dict:
    """The page's figures computed from the base rows in Python, independently of the SQL."""
    cases = [
        c
        for c in db.session.scalars(sa.select(Case).where(Case.submitted_at.is_not(None)))
        if first <= _local(c.submitted_at) <= last
    ]
    ids = {c.id: c for c in cases}
    months: dict[str, dict[str, int]] = {}
    by_brand: dict[str, list[int]] = {}
    for c in cases:
        counts = months.setdefault(_local(c.submitted_at).strftime("%Y-%m"), {})
        counts[str(c.status)] = counts.get(str(c.status), 0) + 1
        row = by_brand.setdefault(c.brand or "—", [0, 0])
        row[0] += 1
        row[1] += c.status == CaseStatus.closed
    systems: dict[str, set[int]] = {}
    for p in db.session.scalars(sa.select(Problem)):
        if p.case_id in ids:
            systems.setdefault(str(p.system), set()).add(p.case_id)
    records = [r for r in db.session.scalars(sa.select(OutcomeRecord)) if r.case_id in ids]
    outcomes: dict[str, list] = {}
    for r in records:
        row = outcomes.setdefault(str(r.outcome), [0, Decimal("0.00"), 0])
        row[0] += 1
        row[1] += r.compensation_yuan or 0
        row[2] += r.working_days

    def durations(label: str, values: list[int]) -> tuple:
        if not values:
            return (label, 0, None, None)
        q = pystats.quantiles(values, n=10, method="inclusive") if len(values) > 1 else values * 9
        return (label, len(values), round(pystats.median(values), 1), round(q[8], 1))

    days_by_brand = [(ids[r.case_id].brand, r.working_days) for r in records]
    experts = {}
    assignments = [a for a in db.session.scalars(sa.select(Assignment)) if a.case_id in ids]
    clocks = [
        k
        for k in db.session.scalars(sa.select(CaseClock))
        if k.stage == ClockStage.opinion and k.ended_on is not None
    ]
    for e in db.session.scalars(sa.select(Expert).order_by(Expert.code)):
        mine = [a for a in assignments if a.expert_id == e.id]
        ended = [
            k
            for a in mine
            if a.status in (AssignmentStatus.active, AssignmentStatus.completed)
            for k in clocks
            if k.case_id == a.case_id
        ]
        experts[e.code] = (
            sum(a.status == AssignmentStatus.active for a in mine),
            len(mine),
            len(ended),
            sum(k.ended_on <= k.due_on for k in ended),
        )
    return {
        "months": dict(sorted(months.items())),
        "brands": sorted(
            ((b, n, c) for b, (n, c) in by_brand.items()), key=lambda r: (-r[1], r[0])
        ),
        "systems": sorted(((s, len(v)) for s, v in systems.items()), key=lambda r: (-r[1], r[0])),
        "outcomes": sorted(
            (
                (o, n, paid.quantize(Decimal("0.01")), (Decimal(d) / n).quantize(Decimal("0.1")))
                for o, (n, paid, d) in outcomes.items()
            ),
            key=lambda r: (-r[1], r[0]),
        ),
        "durations": [durations("全部", [d for _b, d in days_by_brand])]
        + [durations(b, [d for x, d in days_by_brand if x == b]) for b in brands],
        "experts": experts,
    }


def _figures(period: stats.Period, brands: list[str]) -> dict:
    s = stats.get_statistics(period)
    return {
        "months": s.months,
        "brands": s.brands,
        "systems": s.systems,
        "outcomes": s.outcomes,
        "durations": [(d.label, d.count, d.median, d.p90) for d in stats.durations(period, brands)],
        "experts": {e.code: (e.active, e.total, e.opinions_done, e.on_time) for e in s.experts},
    }


def _random_change(rng: random.Random, cases: list[Case], experts: list[Expert]) -> None:
    case = rng.choice(cases)
    kind = rng.randrange(7)
    if kind == 0:
        case.status = rng.choice(list(CaseStatus))
    elif kind == 1:
        case.brand = rng.choice(BRANDS)
    elif kind == 2:
        label = f"P{rng.randrange(2, 9)}"
        if not db.session.scalar(sa.select(Problem).filter_by(case_id=case.id, label=label)):
            db.session.add(Problem(case_id=case.id, label=label, system=rng.choice(SYSTEMS)))
    elif kind == 3:
        record = db.session.scalar(sa.select(OutcomeRecord).filter_by(case_id=case.id))
        if record is None:
            db.session.add(
                OutcomeRecord(
                    case_id=case.id,
                    outcome=rng.choice(list(CaseOutcome)),
                    working_days=rng.randrange(0, 40),
                    closed_on=date(2026, 1, 1),
                    compensation_yuan=rng.choice((None, Decimal("1200.50"))),
                )
            )
        else:
            record.working_days = rng.randrange(0, 40)
    elif kind == 4:
        db.session.add(
            Assignment(
                case_id=case.id,
                expert_id=rng.choice(experts).id,
                status=rng.choice(list(AssignmentStatus)),
            )
        )
    elif kind == 5:
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
        db.session.add(
            CaseClock(
                case_id=case.id,
                stage=ClockStage.opinion,
                started_on=start,
                limit_days=15,
                due_on=start + timedelta(days=20),
                ended_on=rng.choice((None, start + timedelta(days=rng.randrange(40)))),
            )
        )
    else:
        case.submitted_at = datetime(2024, 12, 1) + timedelta(hours=rng.randrange(24 * 500))


PERIODS = [
    stats.Period(),
    stats.Period(date(2025, 1, 1), None),
    stats.Period(date(2025, 1, 1), date(2025, 12, 31)),
    stats.Period(date(2025, 2, 14), date(2025, 9, 3)),
    stats.Period(None, date(2025, 4, 30)),
    stats.Period(date(2025, 3, 31), date(2025, 4, 1)),
]


def test_tallies_equal_the_cases_after_random_changes(app_ctx, make_user, make_case, make_expert):
    rng = random.Random(11)
    owner = make_user()
    experts = [make_expert(f"E0{i}", name=f"专家{i}") for i in range(3)]
    cases = [
        make_case(
            owner,
            submitted_at=datetime(2024, 12, 1) + timedelta(hours=rng.randrange(24 * 500)),
            **{"vehicle.brand": rng.choice(BRANDS)},
        )
        for _ in range(25)
    ]
    brands = ["甲牌", "乙牌"]
    for round_ in range(6):
        for _ in range(15):
            _random_change(rng, cases, experts)
            if rng.random() < 0.3:
                db.session.commit()
        db.session.commit()
        if round_ == 3:
            gone = cases.pop(rng.randrange(len(cases)))
            db.session.delete(gone)
            db.session.commit()
        by_status = {s: 0 for s in CaseStatus}
        for c in db.session.scalars(sa.select(Case)):
            by_status[c.status] += 1
        _refresh()
        assert stats.cases_by_status() == by_status  # the dashboard's counts
        for period in PERIODS:
            first = period.start or stats.BEGINNING
            last = period.end or date(2026, 12, 31)
            assert _figures(period, brands) == _reference(first, last, brands), (round_, period)

    # A full recount gives the same tallies as the day-by-day upkeep.
    before = {p: _figures(p, brands) for p in PERIODS}
    rollup.rebuild(db.session.connection())
    db.session.commit()
    assert {p: _figures(p, brands) for p in PERIODS} == before
