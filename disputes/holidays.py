"""The bureau's own holiday data: instance/<HOLIDAYS_FOLDER>/<year>.json → {year: YearCalendar}.

Read once per app and re-read when a file changes; a bad file is logged and ignored (never a 500),
so the rules fall back to the holiday package or to Monday–Friday with a warning.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, current_app

import rules

_CACHE_KEY = "disputes.holidays"


def holidays_folder(app: Flask) -> Path:
    """Return the folder holding the bureau's <year>.json files."""
    return Path(app.instance_path) / app.config.get("HOLIDAYS_FOLDER", "holidays")


def bureau_holidays(app: Flask | None = None) -> dict[int, rules.YearCalendar]:
    """Return the bureau's calendars by year, cached until a file is added, changed or removed."""
    app = app or current_app._get_current_object()
    folder = holidays_folder(app)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    stamp = tuple(_stamp(path) for path in files)
    cached = app.extensions.get(_CACHE_KEY)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    calendars: dict[int, rules.YearCalendar] = {}
    for path in files:
        calendar = _read(app, path)
        if calendar is not None:
            calendars[calendar.year] = calendar
    app.extensions[_CACHE_KEY] = (stamp, calendars)
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
