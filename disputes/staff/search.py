"""Reads: the staff case list — server-side filters, prefix search, sorting, keyset pagination.

Pages are fetched with WHERE (sort key, id) < (last key, last id) ORDER BY sort key, id LIMIT n,
so page 10 000 costs what page 1 costs; the previous page reverses the comparison and the order
and flips the rows back. The indexes are declared on Case and Problem (cases/models.py).

Search (`q`) is index-backed on both databases: each form below becomes a prefix predicate on one
indexed column, OR-ed together. On PostgreSQL a prefix is `col LIKE 'p%'` served by a
varchar_pattern_ops index (right under any database collation); on SQLite it is the range
`col >= 'p' AND col < 'q'` (q = p with its last character incremented), which the plain BINARY
index serves exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import Row, and_, bindparam, exists, false, func, or_, tuple_, union_all
from sqlalchemy.orm import aliased, raiseload
from sqlalchemy.sql import ColumnElement, Select

from disputes import calendar
from disputes.cases import clocks
from disputes.cases.models import Case, CaseClock, CaseOutcome, CaseStatus, ClockStage, Problem
from disputes.db import db, not_indexed
from disputes.experts.models import Assignment

#: Sortable columns: name in the URL → column.
SORTS = {
    "submitted": Case.submitted_at,
    "number": Case.number,
    "brand": Case.brand,
    "status": Case.status,
}
PER_PAGE = 25
#: The list counts its matches up to this many: a count over a million cases took a second, a
#: page of them 2 ms. Above it the pager says "10,000+ cases" and numbers no pages.
COUNT_CAP = 10_000
#: A search counts its matches up to this many ("1,000+"): a common surname or a VIN maker's
#: prefix matches tens of thousands of a million cases, and counting 10,000 of them took 19-26 ms
#: on SQLite, 1,000 of them 2.5-3.4 ms. Nobody pages through forty pages of search results.
SEARCH_COUNT_CAP = 1_000
#: Above this many matches a search is served in list order (see paged()). Below it the matches
#: are read from the search indexes and sorted, which costs at most about 30 ms (10,000 matches at
#: a million cases); in list order a page of matches that all lie far down the list (a case
#: number prefix of an early year: its cases are the oldest) took 125 ms.
SPARSE_MATCHES = 10_000
#: First year a case number can carry (the 2013 rules); a bare sequence is looked up in each year.
FIRST_NUMBER_YEAR = 2013
#: Shortest VIN / phone prefix searched (shorter ones would match a large part of the table).
MIN_PREFIX = 3
#: Length of the phone and VIN tails searched (cases.phone_tail, cases.vin_tail).
PHONE_TAIL, VIN_TAIL = 4, 6

_PHONE = re.compile(r"[\d\s()+-]+")
_ALNUM = re.compile(r"[A-Z0-9]+")
_NUMBER_CHARS = re.compile(r"[A-Z0-9-]+")
_YEAR_SEQUENCE = re.compile(r"\d{4}-\d*")


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What the list is filtered and sorted by (all optional)."""

    status: CaseStatus | None = None
    brand: str | None = None
    system: str | None = None
    expert_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    #: Only cases whose running stage is due within DUE_SOON_WORKING_DAYS (the dashboard's alert).
    due_soon: bool = False
    outcome: CaseOutcome | None = None
    q: str | None = None
    sort: str = "submitted"
    descending: bool = True
    #: Keyset cursor: the last row of the previous page, "<key>~<id>".
    after: str | None = None
    #: Keyset cursor going back: the first row of the following page (wins over `after`).
    before: str | None = None
    #: The page's number as the pager counts (shown only: the cursors pick the rows).
    page: int = 1
    #: The last page: read backwards from the end of the list.
    last: bool = False

    @property
    def searching(self) -> bool:
        """Whether something was typed into the search box."""
        return bool(self.q and self.q.strip())


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """What a search box entry can mean, each part matched on its own index (OR-ed)."""

    #: Whole case numbers (the number typed in full, or a bare sequence in every year).
    numbers: tuple[str, ...] = ()
    number_prefix: str | None = None
    #: A whole 17-character VIN (exact match only).
    vin: str | None = None
    vin_prefix: str | None = None
    #: A whole 11-digit mobile number (exact match only).
    phone: str | None = None
    phone_prefix: str | None = None
    name_prefix: str | None = None
    #: The last 4 digits of a phone (尾号) and the last 6 characters of a VIN (exact tails).
    phone_tail: str | None = None
    vin_tail: str | None = None
    #: Start of the business's, dealer's or manufacturer's name.
    business_prefix: str | None = None


def parse_query(q: str, number_prefix: str = "SJZ", this_year: int | None = None) -> SearchTerms:
    """Normalise a search entry into the forms it may stand for.

    - a whole case number ``SJZ-2026-000123`` (any case, spaces ignored): that case only;
    - a case-number prefix of at least ``SJZ-2026-0``, or without the letters ``2026-0001``;
    - a bare sequence of 1–6 digits, ``123`` or ``000123``: ``SJZ-<year>-000123`` of every year;
    - a whole VIN (17 letters/digits): that VIN only; 3–16 letters/digits: a VIN prefix;
    - a phone number (digits with optional spaces, dashes, brackets, +86): 11 digits exactly,
      3–10 digits as a prefix;
    - 4 digits: also a phone's last 4 digits (``5678``); 6 letters/digits: also a VIN's last 6;
    - anything that is not purely a phone number: a consumer-name prefix (``林`` finds 林女士),
      and from 2 characters the start of the business's, dealer's or manufacturer's name.
    """
    raw = " ".join(q.split())
    compact = "".join(raw.split()).upper()
    if not compact:
        return SearchTerms()
    prefix = number_prefix.upper()
    whole = _whole_entry(compact, prefix)
    if whole is not None:
        return whole
    if _PHONE.fullmatch(raw):
        digits = _phone_digits(raw)
        if len(digits) == 11:
            return SearchTerms(phone=digits)
        terms = _digit_terms(compact, digits, prefix, this_year or calendar.local_day().year)
    else:
        terms = _name_terms(raw)
    return SearchTerms(**(terms | _code_terms(compact, prefix)))


def _whole_entry(compact: str, prefix: str) -> SearchTerms | None:
    """A whole case number or a whole VIN stands for that one case only; else None."""
    if re.fullmatch(rf"{re.escape(prefix)}-\d{{4}}-\d{{6}}", compact):
        return SearchTerms(numbers=(compact,))
    if len(compact) == 17 and _ALNUM.fullmatch(compact):
        return SearchTerms(vin=compact)
    return None


def _phone_digits(raw: str) -> str:
    """The digits of a phone-like entry, without its +86 or 0086 country code."""
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+86") or (digits.startswith("0086") and len(digits) > 11):
        digits = digits[4:] if digits.startswith("0086") else digits[2:]
    return digits


def _digit_terms(compact: str, digits: str, prefix: str, this_year: int) -> dict[str, Any]:
    """What a phone-like entry short of a mobile number may be: a phone's start or last 4
    digits, a bare sequence in every year, or a year-and-sequence case-number prefix."""
    terms: dict[str, Any] = {}
    if len(digits) >= MIN_PREFIX:
        terms["phone_prefix"] = digits
    if compact.isdigit() and len(compact) <= 6:
        sequence = f"{int(compact):06d}"
        years = range(FIRST_NUMBER_YEAR, this_year + 1)
        terms["numbers"] = tuple(f"{prefix}-{year}-{sequence}" for year in years)
    if _YEAR_SEQUENCE.fullmatch(compact):
        terms["number_prefix"] = f"{prefix}-{compact}"
    if len(digits) == PHONE_TAIL:
        terms["phone_tail"] = digits
    return terms


def _name_terms(raw: str) -> dict[str, Any]:
    """A consumer-name prefix, and from 2 characters a business-name prefix."""
    terms: dict[str, Any] = {"name_prefix": raw}
    if len(raw) >= 2:
        terms["business_prefix"] = raw
    return terms


def _code_terms(compact: str, prefix: str) -> dict[str, Any]:
    """What any entry may also be: a VIN's last 6, a case-number prefix (over a year-and-sequence
    one), a VIN prefix."""
    terms: dict[str, Any] = {}
    if len(compact) == VIN_TAIL and _ALNUM.fullmatch(compact):
        terms["vin_tail"] = compact
    if (
        compact.startswith(f"{prefix}-")
        and len(compact) >= len(prefix) + 7
        and _NUMBER_CHARS.fullmatch(compact)
    ):
        terms["number_prefix"] = compact
    if _ALNUM.fullmatch(compact) and len(compact) >= MIN_PREFIX:
        terms["vin_prefix"] = compact
    return terms


def _successor(prefix: str) -> str | None:
    """Return the smallest string above every string starting with `prefix` (code-point order)."""
    prefix = prefix.rstrip("\U0010ffff")
    if not prefix:
        return None
    last = ord(prefix[-1]) + 1
    return prefix[:-1] + chr(0xE000 if 0xD800 <= last <= 0xDFFF else last)


def prefix_match(column: Any, prefix: str, dialect: str) -> ColumnElement[bool]:
    """Return an index-backed "column starts with prefix" predicate for `dialect`."""
    if dialect == "postgresql":
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(f"{escaped}%")
    upper = _successor(prefix)
    lower = column >= prefix
    return lower if upper is None else and_(lower, column < upper)


def search_clause(terms: SearchTerms, dialect: str, indexed: bool = True) -> ColumnElement[bool]:
    """Return the OR of every form in `terms` (false when nothing is searchable).

    With `indexed=False` SQLite may use no search index for it (see paged()).
    """
    col = (lambda c: c) if indexed else not_indexed
    number, vin, phone, name = (col(c) for c in (Case.number, Case.vin, Case.contact_phone,
                                                 Case.contact_name))  # fmt: skip
    tails = ((Case.phone_tail, terms.phone_tail), (Case.vin_tail, terms.vin_tail))
    parts: list[ColumnElement[bool]] = [col(column) == value for column, value in tails if value]
    if terms.business_prefix:
        for column in (Case.business_name, Case.dealer_name, Case.manufacturer):
            parts.append(prefix_match(col(column), terms.business_prefix, dialect))
    parts += _exact_matches(terms, number, vin, phone)
    prefixes = (
        (number, terms.number_prefix),
        (vin, terms.vin_prefix),
        (phone, terms.phone_prefix),
        (name, terms.name_prefix),
    )
    parts += [prefix_match(column, value, dialect) for column, value in prefixes if value]
    return or_(*parts) if parts else false()


def _exact_matches(terms: SearchTerms, number: Any, vin: Any, phone: Any) -> list[Any]:
    """Return the equality forms of `terms`: whole case numbers, a whole VIN, a whole phone."""
    parts = []
    if len(terms.numbers) == 1:
        parts.append(number == terms.numbers[0])
    elif terms.numbers:
        parts.append(number.in_(terms.numbers))
    if terms.vin:
        parts.append(vin == terms.vin)
    if terms.phone:
        parts.append(phone == terms.phone)
    return parts


def filtered(f: CaseFilter, today: date | None = None, *, search_indexed: bool = True) -> Select:
    """Return SELECT Case with every filter of `f` applied (no order, no paging)."""
    stmt = db.select(Case).where(*_column_filters(f))
    searched = _search(f, today, search_indexed)
    if searched is not None:
        stmt = stmt.where(searched)
    if f.overdue:
        stmt = stmt.where(_overdue_clause(today or calendar.local_day()))
    if f.due_soon:
        stmt = stmt.where(_due_soon_clause(today or calendar.local_day()))
    return stmt


def _column_filters(f: CaseFilter) -> list[ColumnElement[bool]]:
    """Return the list filters of `f` other than search and deadlines, in the order they apply."""
    parts = []
    if f.status:
        parts.append(Case.status == f.status)
    if f.brand:
        parts.append(Case.brand == f.brand)
    if f.outcome:
        parts.append(Case.outcome == f.outcome)
    if f.system:
        parts.append(exists().where(Problem.case_id == Case.id, Problem.system == f.system))
    if f.expert_id:
        parts.append(
            exists().where(Assignment.case_id == Case.id, Assignment.expert_id == f.expert_id)
        )
    if f.date_from:
        parts.append(Case.submitted_at >= calendar.day_start(f.date_from))
    if f.date_to:
        parts.append(Case.submitted_at < calendar.day_start(f.date_to + timedelta(days=1)))
    return parts


def _search(f: CaseFilter, today: date | None, indexed: bool = True) -> ColumnElement[bool] | None:
    """Return the search box's predicate, or None when nothing was typed."""
    if not f.searching:
        return None
    year = (today or calendar.local_day()).year
    terms = parse_query(f.q, current_app.config.get("CASE_NUMBER_PREFIX", "SJZ"), year)
    return search_clause(terms, db.session.get_bind().dialect.name, indexed)


def _few_matches(searched: ColumnElement[bool]) -> bool:
    """Whether the search matches fewer than SPARSE_MATCHES cases (counted on its own indexes,
    stopping at the limit, so the probe costs the same at any table size). SQLite only: other
    databases choose the plan from their statistics."""
    if db.session.get_bind().dialect.name != "sqlite":
        return False
    probe = db.select(Case.id).where(searched).limit(SPARSE_MATCHES).subquery()
    return db.session.scalar(db.select(func.count()).select_from(probe)) < SPARSE_MATCHES


def _running_clocks(due: ColumnElement[bool]) -> Select:
    """Return the ids of cases with a running clock whose due day meets `due`.

    Read from ix_case_clocks_open_due (ended_on, due_on): the running clocks are a few thousand
    whatever the number of cases, so the list and its count start from them, not from `cases`.
    """
    return db.select(CaseClock.case_id).where(CaseClock.ended_on.is_(None), due)


def _overdue_clause(today: date) -> Any:
    """Running clock past due; or a submitted case without a clock, past the screening limit.

    Both are id lists read from an index (the running clocks; submitted cases by status and
    submission), so no plan tests each of a million cases for it.
    """
    boundary = calendar.overdue_boundary(today, clocks.limits()["screening"])
    waiting = aliased(Case)
    unclocked = db.select(waiting.id).where(
        waiting.status == CaseStatus.submitted,
        waiting.submitted_at < calendar.day_start(boundary + timedelta(days=1)),
        ~exists().where(CaseClock.case_id == waiting.id),
    )
    overdue = union_all(_running_clocks(CaseClock.due_on < today), unclocked)
    return and_(Case.status != CaseStatus.info_requested, Case.id.in_(overdue))


def _due_soon_clause(today: date) -> Any:
    """Running clock due from today to DUE_SOON_WORKING_DAYS working days on."""
    soon = calendar.add_working_days(today, clocks.DUE_SOON_WORKING_DAYS)
    return Case.id.in_(_running_clocks(CaseClock.due_on.between(today, soon)))


def _decode(cursor: str | None, sort: str) -> tuple[Any, int] | None:
    if not cursor or "~" not in cursor:
        return None
    key, _, ident = cursor.rpartition("~")
    try:
        value: Any = datetime.fromisoformat(key) if sort == "submitted" else key
        return value, int(ident)
    except ValueError:
        return None


def _encode(f: CaseFilter, case: Case) -> str:
    value = getattr(case, SORTS[f.sort].key)
    key = value.isoformat() if isinstance(value, datetime) else str(value)
    return f"{key}~{case.id}"


def _backwards(f: CaseFilter) -> bool:
    """Whether the page is fetched backwards (the last page, or a valid `before` cursor)."""
    return f.last or _decode(f.before, f.sort) is not None


def paged(f: CaseFilter, per_page: int = PER_PAGE, today: date | None = None) -> Select:
    """Return the page's SELECT: filters, keyset condition, ORDER BY (key, id), LIMIT n+1.

    With a `before` cursor the comparison and the order are reversed (rows come nearest-first;
    search_cases flips them back).
    """
    column, ident = SORTS.get(f.sort, Case.submitted_at), Case.id
    searched = _search(f, today)
    few = searched is not None and _few_matches(searched)
    # SQLite plans without value statistics, so the plan is chosen here. Few matches: `+col`
    # on the sort keeps it on the search indexes and the matches are sorted (walking the list
    # index past sparse matches took seconds at a million cases). Many matches (a VIN's maker
    # prefix, a common surname): `+col` on the searched columns walks the list index instead,
    # where a page is found at once, while sorting every match would not be.
    stmt = filtered(f, today, search_indexed=few)
    if few:
        column, ident = not_indexed(column), not_indexed(ident)
    backwards = _backwards(f)
    cursor = _decode(f.before, f.sort) if backwards else _decode(f.after, f.sort)
    if f.last:
        cursor = None
    descending = f.descending != backwards
    if cursor is not None:
        pair, last = tuple_(column, ident), tuple_(*cursor)
        stmt = stmt.where(pair < last if descending else pair > last)
    order = (column.desc(), ident.desc()) if descending else (column.asc(), ident.asc())
    return stmt.order_by(*order).limit(per_page + 1)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the list: the case and its running clock (None when no stage runs)."""

    case: Case
    clock: clocks.ClockView | None


@dataclass(frozen=True, slots=True)
class CasePage:
    rows: list[CaseRow]
    #: Cursor of the next page, None on the last one.
    next_after: str | None
    #: Cursor of the previous page, None on the first one.
    prev_before: str | None = None
    #: How many cases match (the cap when `capped`), this page's number and the number of
    #: pages (None when `capped`).
    total: int = 0
    page: int = 1
    pages: int | None = 1
    #: More than COUNT_CAP cases match: the count stopped there.
    capped: bool = False


def count_cases(f: CaseFilter, today: date, cap: int | None = None) -> int:
    """Count the cases matching `f`, stopping at cap + 1 when a cap is given."""
    matches = filtered(f, today).with_only_columns(Case.id)
    if cap is not None:
        matches = matches.limit(cap + 1)
    counted = db.select(func.count()).select_from(matches.subquery())
    return int(db.session.scalar(counted) or 0)


def search_cases(f: CaseFilter, per_page: int = PER_PAGE) -> CasePage:
    """Return one page of the filtered, sorted list with each case's clock.

    The count stops above COUNT_CAP, or SEARCH_COUNT_CAP when something was searched for (the
    pager then says "10,000+" or "1,000+" and numbers no pages), except on the last page, which
    is asked for by a click and needs the exact count to size itself.
    """
    if f.sort not in SORTS:
        f = replace(f, sort="submitted")
    today = calendar.local_day()
    cap = SEARCH_COUNT_CAP if f.searching else COUNT_CAP
    total = count_cases(f, today, cap=None if f.last else cap)
    capped = total > cap and not f.last
    pages = max(1, -(-total // per_page))
    number = max(f.page, 1) if capped else min(max(f.page, 1), pages)
    if f.last:
        number = pages
    size = total - (pages - 1) * per_page if f.last and total else per_page
    cases = list(db.session.scalars(paged(f, size, today).options(raiseload("*"))))
    more = len(cases) > size or (f.last and pages > 1)
    cases = cases[:size]
    if _backwards(f):
        cases.reverse()
        next_after = _encode(f, cases[-1]) if cases and not f.last else None
        prev_before = _encode(f, cases[0]) if more and cases else None
    else:
        next_after = _encode(f, cases[-1]) if more and cases else None
        has_prev = _decode(f.after, f.sort) is not None
        prev_before = _encode(f, cases[0]) if has_prev and cases else None
    return CasePage(
        rows=[CaseRow(c, k) for c, k in zip(cases, clocks_for(cases, today), strict=True)],
        next_after=next_after,
        prev_before=prev_before,
        total=cap if capped else total,
        page=number,
        pages=None if capped else pages,
        capped=capped,
    )


@cache
def _running_clocks_statement() -> Select:
    """The running stage clocks of the cases bound to "ids", built once (a statement kept whole
    keeps its cache key)."""
    return db.select(CaseClock).where(
        CaseClock.case_id.in_(bindparam("ids", expanding=True)),
        CaseClock.ended_on.is_(None),
        CaseClock.stage != ClockStage.answer,  # the answer clock runs beside the stage's
    )


def clocks_for(cases: list[Case], today: date) -> list[clocks.ClockView | None]:
    """Return the running clock of each case (one query); submitted cases get a virtual one."""
    ids = [c.id for c in cases]
    found = db.session.scalars(_running_clocks_statement(), {"ids": ids}) if ids else ()
    running = {clock.case_id: clock for clock in found}
    out: list[clocks.ClockView | None] = []
    for case in cases:
        clock = running.get(case.id)
        if clock is None and case.status == CaseStatus.submitted:
            start = calendar.local_day(case.submitted_at)
            limit = clocks.limits()["screening"]
            clock = CaseClock(
                stage=ClockStage.screening,
                started_on=start,
                limit_days=limit,
                due_on=calendar.add_working_days(start, limit),
                paused_days=0,
            )
        out.append(None if clock is None else clocks.view_clock(clock, case.status, today))
    return out


#: The columns of the case list's downloads, read by name (exports.case_rows).
EXPORT_COLUMNS = (
    Case.number,
    Case.status,
    Case.submitted_at,
    Case.contact_name,
    Case.contact_phone,
    Case.contact_id_number,
    Case.brand,
    Case.model,
    Case.vin,
    Case.business_name,
    Case.outcome,
)
#: One case in a download: EXPORT_COLUMNS by name.
ExportRow = Row[Any]


def _export_select(f: CaseFilter) -> Select:
    """The list's SELECT (filters, order and the plan paged() picks) without a page limit."""
    f = replace(f, before=None, last=False)
    return paged(f).limit(None).with_only_columns(*EXPORT_COLUMNS, maintain_column_froms=True)


def count_export(f: CaseFilter) -> int:
    """Count the cases a download of `f` holds."""
    rows = _export_select(f).order_by(None).subquery()
    return int(db.session.scalar(db.select(func.count()).select_from(rows)) or 0)


def iter_cases(f: CaseFilter, batch: int = 1000) -> Iterator[ExportRow]:
    """Yield EXPORT_COLUMNS of every case matching `f` in list order from one cursor, fetched
    `batch` rows at a time (a server-side cursor on PostgreSQL), so a download of a million cases
    holds no more than a batch."""
    yield from db.session.execute(_export_select(f).execution_options(yield_per=batch))
