"""The bureau's calendar: its day, its working days and its own holiday data.

The bureau's day is the day in its time zone (config BABEL_DEFAULT_TIMEZONE, the zone pages show
times in). Every day boundary, in Python (`local_day`, `day_start`) and in SQL (`local_date_sql`),
adds the same offset from UTC to the naive-UTC moments the database stores.

Working days are counted by rules.workdays over the holiday package and the bureau's own data,
instance/<HOLIDAYS_FOLDER>/<year>.json → {year: YearCalendar}. The files are read once per app
and re-read when one is added, changed or removed, which is seen within RECHECK_SECONDS; a bad
file is logged and ignored (never a 500), so the rules fall back to the holiday package or to
Monday–Friday with a warning.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context

import rules
from disputes.config import Defaults
from disputes.db import utcnow

_CACHE_KEY = "disputes.holidays"
#: How long the holiday files are taken as unchanged before they are looked at again: looking
#: (the folder and each file's stamp) takes a few system calls, tens of µs on every assessment.
RECHECK_SECONDS = 1.0


# --- the bureau's day ----------------------------------------------------------------------------


def utc_offset() -> timedelta:
    """Return the bureau's offset from UTC: its zone's offset now (a zone without summer time)."""
    name = (
        current_app.config["BABEL_DEFAULT_TIMEZONE"]
        if has_app_context()
        else Defaults.BABEL_DEFAULT_TIMEZONE
    )
    return ZoneInfo(name).utcoffset(datetime.now())


def local_day(moment: datetime | None = None) -> date:
    """Return the bureau's calendar day of a naive-UTC moment (now by default)."""
    moment = moment or utcnow()
    return (moment + utc_offset()).date()


def to_utc(local: datetime) -> datetime:
    """Return the naive-UTC moment of the bureau's wall-clock time `local`."""
    return local - utc_offset()


def day_start(day: date) -> datetime:
    """Return the naive-UTC moment the bureau's `day` begins."""
    return to_utc(datetime.combine(day, time()))


def local_date_sql(column: Any, dialect: str) -> Any:
    """Return SQL for the bureau's day of a naive-UTC timestamp column (what `local_day` says)."""
    offset = utc_offset()
    if dialect == "postgresql":
        return sa.cast(column + offset, sa.Date)
    minutes = int(offset.total_seconds()) // 60
    modifier = f"{minutes // 60:+d} hours" if minutes % 60 == 0 else f"{minutes:+d} minutes"
    return sa.func.date(column, modifier)


# --- the bureau's holiday data -------------------------------------------------------------------


def holidays_folder(app: Flask) -> Path:
    """Return the folder holding the bureau's <year>.json files."""
    return Path(app.instance_path) / app.config.get("HOLIDAYS_FOLDER", "holidays")


def bureau_holidays(app: Flask | None = None) -> dict[int, rules.YearCalendar]:
    """Return the bureau's calendars by year, cached until a file is added, changed or removed;
    the files' stamps are looked at again at most once every RECHECK_SECONDS."""
    app = app or current_app._get_current_object()
    cached = app.extensions.get(_CACHE_KEY)
    now = monotonic()
    if cached is not None and now < cached[0]:
        return cached[2]
    folder = holidays_folder(app)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    stamp = tuple(_stamp(path) for path in files)
    if cached is not None and cached[1] == stamp:
        calendars = cached[2]
    else:
        calendars = {}
        for path in files:
            calendar = _read(app, path)
            if calendar is not None:
                calendars[calendar.year] = calendar
    app.extensions[_CACHE_KEY] = (now + RECHECK_SECONDS, stamp, calendars)
    return calendars


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except OSError:
        return (path.name, -1, -1)
    return (path.name, info.st_mtime_ns, info.st_size)


def _read(app: Flask, path: Path) -> rules.YearCalendar | None:
    """Parse one <year>.json; log and skip it when it is unreadable or wrong."""
    try:
        calendar = rules.parse_calendar(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # FactsError is a ValueError
        app.logger.warning("holiday file %s ignored: %s", path, exc)
        return None
    if path.stem != str(calendar.year):
        app.logger.warning("holiday file %s ignored: it holds year %s", path, calendar.year)
        return None
    return calendar


# --- working days --------------------------------------------------------------------------------


def _calendars() -> dict[int, Any] | None:
    if not has_app_context():
        return None
    return bureau_holidays() or None


def add_working_days(day: date, n: int) -> date:
    """Return the n-th working day after `day` (0 → `day` itself)."""
    if n <= 0:
        return day
    return rules.add_working_days(day, n, _calendars())[0]


def working_days_between(start: date, end: date) -> int:
    """Count the working days after `start` up to and including `end` (0 when end <= start)."""
    calendars = _calendars()
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += rules.is_workday(day, calendars)
    return count


def overdue_boundary(today: date, n: int) -> date:
    """Return the latest start day whose n-working-day limit ended before `today`."""
    day = today - timedelta(days=1)
    while add_working_days(day, n) >= today:
        day -= timedelta(days=1)
    return day
