"""Calendar arithmetic for the regimes' windows (Civil Code arts. 201, 202, 1259).

The start day is not counted; years/months end on the corresponding day or the month's last day.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

from rules.assessment import Period
from rules.facts import Facts, Term
from rules.params import Params

RUNNING: Final = "running"
ENDED_BY_TIME: Final = "ended_by_time"
ENDED_BY_KM: Final = "ended_by_km"

#: a warning: (code, ((name, value), ...)), rendered by rules.explain
Note = tuple[str, tuple[tuple[str, object], ...]]
Reading = tuple[date, int]


def add_years(start: date, years: int) -> date:
    """Return the last day of a ``years``-year window from ``start`` (month-end rule)."""
    return add_months(start, 12 * years)


#: each month's length in a common year; February has 29 days in a leap year
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(start: date, months: int) -> date:
    """Return the last day of a ``months``-month window from ``start`` (month-end rule).

    Civil Code art. 202: the corresponding day of the last month, or that month's last day —
    exactly what ``start + relativedelta(months=months)`` gives (a property test holds the two
    equal), in plain integer arithmetic: compiled, cheaper than a cache lookup.
    """
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12
    last = _MONTH_DAYS[month]
    if month == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    day = start.day
    return date(year, month + 1, day if day < last else last)


#: each window length's timedelta, built once per process: the lengths are the regimes'
#: parameters (a handful), and a dict lookup costs less than an ``lru_cache`` call
_SPANS: Final[dict[int, timedelta]] = {}


def add_days(start: date, days: int) -> date:
    """Return the last day of a ``days``-day window: the start day is not counted."""
    span = _SPANS.get(days)
    if span is None:
        span = _SPANS[days] = timedelta(days=days)
    return start + span


def window_status(
    ends_on: date, km_limit: int | None, readings: Iterable[Reading], as_of: date
) -> str:
    """Return ``ended_by_km``, ``ended_by_time`` or ``running`` at ``as_of`` (regulation.md §2)."""
    if km_limit is not None:
        for day, km in readings:
            if day <= ends_on and km > km_limit:
                return ENDED_BY_KM
    return ENDED_BY_TIME if as_of > ends_on else RUNNING


def is_inside(period: Period, day: date, odometer_km: int | None) -> bool:
    """Tell whether a visit starting on ``day`` at ``odometer_km`` falls inside ``period``."""
    if not period.start <= day <= period.ends_on:
        return False
    # Reading: a visit without an odometer reading is judged by its date alone.
    return period.km_limit is None or odometer_km is None or odometer_km <= period.km_limit


def period_start(facts: Facts, p: Params) -> date:
    """Return the day the periods start: invoice date, or (2022.18) a differing delivery date."""
    purchase = facts.purchase
    if p.start_from_delivery and purchase.delivery_date is not None:
        return purchase.delivery_date
    return purchase.invoice_date


def card_term(term: Term, years: int, km: int, name: str, notes: list[Note]) -> tuple[int, int]:
    """Return (years, km): each the larger of the card's term and the law's minimum."""
    if term.years is not None and term.years < years:
        notes.append(
            (
                "term_raised",
                (("term", name), ("unit", "years"), ("card", term.years), ("law", years)),
            )
        )
    if term.km is not None and term.km < km:
        notes.append(
            ("term_raised", (("term", name), ("unit", "km"), ("card", term.km), ("law", km)))
        )
    return max(years, term.years or 0), max(km, term.km or 0)


def readings_of(facts: Facts, days: list[date]) -> tuple[Reading, ...]:
    """Return every dated odometer reading: each visit's start (``days``: the events' days, in
    order) and ``as_of``."""
    found = [
        (days[i], e.odometer_km) for i, e in enumerate(facts.events) if e.odometer_km is not None
    ]
    found.append((facts.as_of.date, facts.as_of.odometer_km))
    return tuple(found)


def build_periods(
    facts: Facts, p: Params, readings: tuple[Reading, ...], notes: list[Note]
) -> tuple[tuple[tuple[str, Period], ...], tuple[Period, ...]]:
    """Return the regime's named windows and one window per declared wear part."""
    start = period_start(facts, p)
    as_of = facts.as_of.date
    card = facts.warranty_card
    rw_years, rw_km = card_term(
        card.repair_warranty,
        p.repair_warranty_years,
        p.repair_warranty_km,
        "repair_warranty",
        notes,
    )
    tg_years, tg_km = card_term(
        card.three_guarantee,
        p.three_guarantee_years,
        p.three_guarantee_km,
        "three_guarantee",
        notes,
    )
    specs: list[tuple[str, date, int | None]] = [
        ("repair_warranty", add_years(start, rw_years), rw_km),
        ("three_guarantee", add_years(start, tg_years), tg_km),
        ("early", add_days(start, p.early_days), p.early_km),
    ]
    if p.first_week_days is not None:
        specs.append(("first_week", add_days(start, p.first_week_days), None))
    named = tuple(
        (key, Period(start, ends_on, km, window_status(ends_on, km, readings, as_of)))
        for key, ends_on, km in specs
    )
    wear = tuple(
        Period(
            start,
            ends_on := add_months(start, w.months),
            w.km,
            window_status(ends_on, w.km, readings, as_of),
            name=w.name,
        )
        for w in card.wear_parts
    )
    return named, wear
