"""Numbers and days read from URLs and query strings, bounded to what the database and the
calendar hold: an id beyond any row is a 404, a query value out of range a 400 naming it, and a
malformed query value is ignored as before.

Without the bounds, 10**23 as an id or a page reaches the database as a 500 (SQLite and
PostgreSQL integers stop at 2**63 and 2**31), and the year 9999 overflows date arithmetic.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from disputes.errors import RefusedInput

#: Largest id or page number: PostgreSQL's integer (ids are integer columns).
MAX_INT = 2**31 - 1
#: Days a filter or a period may name (cases exist from the 2010s; arithmetic stays in range).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class BoundedIntegerConverter(IntegerConverter):
    """<int:…> matching only ids a row can have (a larger one is a 404 like any missing id)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def refuse(name: str) -> RefusedInput:
    """Return the 400 saying which query parameter is out of range."""
    return RefusedInput(_("查询参数“%(name)s”的值超出了可以处理的范围。", name=name), field=name)


def int_arg(name: str, default: int | None = None) -> int | None:
    """Return the query parameter `name` as an int (`default` when absent or malformed)."""
    raw = request.args.get(name, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return default
    if not -MAX_INT <= value <= MAX_INT:
        raise refuse(name)
    return value


def day_arg(name: str) -> date | None:
    """Return the query parameter `name` as a day (None when absent or malformed)."""
    try:
        day = date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise refuse(name)
    return day


def cursor_arg(name: str) -> str | None:
    """Return a "<key>~<id>" paging cursor, refusing one whose id no row can have."""
    raw = request.args.get(name) or None
    _key, _sep, ident = (raw or "").rpartition("~")
    try:
        value = int(ident)
    except ValueError:
        return raw
    if not -MAX_INT <= value <= MAX_INT:
        raise refuse(name)
    return raw


def init_app(app: Flask) -> None:
    """Bound <int:…> in every URL rule (call before the blueprints are registered)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
