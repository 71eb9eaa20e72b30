"""Working-day counting: statutory holidays and make-up working days (regulation.md §6 reading 7).

Bureau data (``YearCalendar``) for a year overrides the ``chinese_calendar`` package; a year
known to neither is counted Monday–Friday and reported back so the caller can warn. Never raises.
"""

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

from chinese_calendar import constants as _cc  # type: ignore[import-untyped]

from rules.facts import Facts, FactsError
from rules.fields import as_date, as_list, as_object

_ONE_DAY: Final = timedelta(days=1)
_CC_HOLIDAYS: Final = frozenset(_cc.holidays)
_CC_WORKDAYS: Final = frozenset(_cc.workdays)
_CC_YEARS: Final = frozenset(d.year for d in _cc.holidays)


@dataclass(frozen=True, slots=True)
class YearCalendar:
    """One year's statutory holidays and make-up working days, as published by the bureau."""

    year: int
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def is_workday(self, day: date) -> bool:
        """Tell whether ``day`` (in this year) is a working day."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def parse_calendar(d: Any) -> YearCalendar:
    """Parse ``{"year", "holidays": [...], "workdays": [...]}``; raise ``FactsError``."""
    d = as_object(d, "", frozenset({"year", "holidays", "workdays"}))
    year = d.get("year")
    if type(year) is not int or not 1900 <= year <= 9999:
        raise FactsError("year", "wrong type: expected a year", "类型错误：应为年份")
    days: dict[str, frozenset[date]] = {}
    for key in ("holidays", "workdays"):
        parsed = []
        for i, v in enumerate(as_list(d.get(key), key)):
            day = as_date(v, f"{key}[{i}]")
            if day.year != year:
                raise FactsError(f"{key}[{i}]", f"not in {year}", f"不在 {year} 年内")
            parsed.append(day)
        days[key] = frozenset(parsed)
    both = days["holidays"] & days["workdays"]
    if both:
        raise FactsError("workdays", f"{min(both)} is also a holiday", f"{min(both)} 同时列为假日")
    return YearCalendar(year, days["holidays"], days["workdays"])


def is_workday(day: date, calendars: Mapping[int, YearCalendar] | None = None) -> bool:
    """Tell whether ``day`` is a working day; unknown years are Monday–Friday."""
    if calendars:
        override = calendars.get(day.year)
        if override is not None:
            return override.is_workday(day)
    if day in _CC_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in _CC_HOLIDAYS


def add_working_days(
    start: date, n: int, calendars: Mapping[int, YearCalendar] | None = None
) -> tuple[date, tuple[int, ...]]:
    """Return the ``n``-th working day after ``start`` (not counted) and years lacking data."""
    if not calendars:
        return _package_working_days(start, n)
    return _count_working_days(start, n, calendars)


def _package_working_days(start: date, n: int) -> tuple[date, tuple[int, ...]]:
    """Look the answer up in the package's working-day table; walk day by day outside it."""
    first, table = _package_table()
    if n > 0 and start.toordinal() >= first - 1:
        i = bisect_right(table, start.toordinal()) + n - 1
        if i < len(table):
            return date.fromordinal(table[i]), ()
    return _count_working_days(start, n, None)


@lru_cache(maxsize=1)
def _package_table() -> tuple[int, tuple[int, ...]]:
    """Return (first day, working days): ordinals over the package's first run of years.

    Built once, so that the n-th working day after a date is one bisection instead of a walk of
    up to a month of ``is_workday`` calls. A test holds it equal to the walk.
    """
    year = min(_CC_YEARS)
    last = year
    while last + 1 in _CC_YEARS:
        last += 1
    first, end = date(year, 1, 1).toordinal(), date(last, 12, 31).toordinal()
    days = range(first, end + 1)
    return first, tuple(o for o in days if is_workday(date.fromordinal(o)))


def _count_working_days(
    start: date, n: int, calendars: Mapping[int, YearCalendar] | None
) -> tuple[date, tuple[int, ...]]:
    day, counted, unknown = start, 0, set()
    while counted < n:
        day += _ONE_DAY
        year = day.year
        if year not in _CC_YEARS and not (calendars and year in calendars):
            unknown.add(year)
        if is_workday(day, calendars):
            counted += 1
    return day, tuple(sorted(unknown))


def request_deadlines(
    facts: Facts,
    answer_days: int,
    completion_days: int | None,
    calendars: Mapping[int, YearCalendar] | None,
    notes: list[tuple[str, tuple[tuple[str, object], ...]]],
) -> tuple[date | None, date | None]:
    """Return (answer due, completion due): working days after ``written_request_date``."""
    request = facts.written_request_date
    if request is None:
        return None, None
    answer, unknown = add_working_days(request, answer_days, calendars)
    completion = None
    if completion_days is not None:
        completion, more = add_working_days(request, completion_days, calendars)
        unknown = tuple(sorted(set(unknown) | set(more)))
    if unknown:
        notes.append(("holiday_data_missing", (("years", "、".join(map(str, unknown))),)))
    return answer, completion
