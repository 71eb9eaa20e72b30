"""The engine's fast paths and caches equal the plain computations they replace (hypothesis).

Each fast path (each found by profiling) keeps a slow, obviously right twin here as the oracle.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from string import Formatter

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import FactsError, explain, wording
from rules.assessment import Finding, iso_date
from rules.facts import AsOf, Event, ExcludedDays, day_of
from rules.fields import as_date, as_moment
from rules.grounds import PAID_REPLACE_RETURN, bare_remedy
from rules.money import percent
from rules.params import P2013, P2022
from rules.parsing import _check_by_day, _check_odometers, _in_step
from rules.periods import add_months
from rules.repair_days import excluded_days, visit_days
from rules.wording import ACT_NAMES, REASONS
from rules.workdays import _count_working_days, _package_table, add_working_days
from tests.hypothesis_budget import examples

FAST = settings(max_examples=examples(400), derandomize=True, deadline=None)


@FAST
@given(st.dates(date(1900, 1, 1), date(9000, 12, 31)), st.integers(0, 1200))
def test_add_months_is_relativedelta_month_arithmetic(start, months):
    assert add_months(start, months) == start + relativedelta(months=months)


def test_add_months_past_year_9999_fails_as_relativedelta_does():
    with pytest.raises(ValueError, match="out of range"):
        add_months(date(9999, 6, 1), 12)


@FAST
@given(st.dates(date(2000, 1, 1), date(2031, 12, 31)), st.integers(0, 80))
def test_the_working_day_table_gives_what_walking_day_by_day_gives(start, n):
    assert add_working_days(start, n) == _count_working_days(start, n, None)


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(date(2003, 12, 30), id="before-the-package-years"),
        pytest.param(date(2003, 12, 31), id="eve-of-the-first-package-year"),
        pytest.param(date(2026, 12, 24), id="answer-runs-into-an-unknown-year"),
        pytest.param(date(2026, 12, 31), id="last-package-day"),
    ],
)
@pytest.mark.parametrize("n", [0, 1, 10, 20])
def test_the_working_day_table_edges_match_the_walk(start, n):
    assert add_working_days(start, n) == _count_working_days(start, n, None)


def test_the_working_day_table_holds_only_working_days_in_order():
    first, table = _package_table()
    assert date.fromordinal(first) == date(2004, 1, 1)
    assert list(table) == sorted(set(table))
    assert date(2014, 2, 8).toordinal() in table  # make-up Saturday
    assert date(2014, 2, 3).toordinal() not in table  # Spring Festival Monday


def _reference_moment(value: object) -> date | datetime:
    """The character-by-character parser the regular expressions replaced."""

    def digits(s: str) -> bool:
        return s.isascii() and s.isdigit()

    def day(v: object) -> date:
        if not isinstance(v, str):
            raise FactsError("p", "wrong type: expected a date YYYY-MM-DD")
        if len(v) != 10 or v[4] != "-" or v[7] != "-":
            raise FactsError("p", "not a date YYYY-MM-DD")
        if not (digits(v[:4]) and digits(v[5:7]) and digits(v[8:])):
            raise FactsError("p", "not a date YYYY-MM-DD")
        try:
            parsed = date(int(v[:4]), int(v[5:7]), int(v[8:]))
        except ValueError:
            raise FactsError("p", "impossible date") from None
        if not 1900 <= parsed.year <= 2100:
            raise FactsError("p", "must be a date from 1900 to 2100")
        return parsed

    if isinstance(value, str) and len(value) == 16 and value[10] == "T":
        d = day(value[:10])
        hh, mm = value[11:13], value[14:]
        if value[13] != ":" or not (digits(hh) and digits(mm)):
            raise FactsError("p", "not a time YYYY-MM-DDTHH:MM")
        if int(hh) > 23 or int(mm) > 59:
            raise FactsError("p", "impossible time")
        return datetime(d.year, d.month, d.day, int(hh), int(mm))
    return day(value)


def _outcome(parse, value: object) -> object:
    try:
        return parse(value)
    except FactsError as exc:
        return exc.message


_PIECES = st.sampled_from(["0", "1", "2", "3", "5", "9", "-", "T", ":", " ", "٣", "a", "+"])
_NEAR_MOMENTS = st.one_of(
    st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31)).map(lambda m: m.isoformat()[:16]),
    st.dates().map(date.isoformat),
    st.lists(_PIECES, min_size=10, max_size=10).map("".join),
    st.lists(_PIECES, min_size=16, max_size=16).map("".join),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?\Z"),
)


@FAST
@given(_NEAR_MOMENTS)
def test_dates_and_moments_parse_and_fail_exactly_as_the_reference(value):
    assert _outcome(lambda v: as_moment(v, "p"), value) == _outcome(_reference_moment, value)
    if len(value) != 16 or value[10] != "T":
        assert _outcome(lambda v: as_date(v, "p"), value) == _outcome(_reference_moment, value)


@pytest.mark.parametrize(
    "value",
    [
        "2020-01-01T09:00", "2020-01-01", "2020-02-30T09:00", "2020-01-01T24:00",
        "2020-01-01T23:60", "2020-01-01T9:000", "2020-0a-01T09:00", "2020-02-30T9:000",
        "2020-01-01T09-00", "２０２０-01-01T09:00", "2020-01-01T0９:00", "2020-01-01 09:00",
        "0000-01-01", "2020-1-01", "2021-02-29",
    ],
)  # fmt: skip
def test_each_date_and_moment_error_is_the_reference_error(value):
    assert _outcome(lambda v: as_moment(v, "p"), value) == _outcome(_reference_moment, value)


def test_a_bare_failing_finding_is_built_once_and_equals_a_fresh_one():
    first = bare_remedy("2022.24.1.2", False, "assemblies_replaced", PAID_REPLACE_RETURN)
    again = bare_remedy("2022.24.1.2", False, "assemblies_replaced", PAID_REPLACE_RETURN)
    assert first is again
    assert first == Finding(
        "2022.24.1.2", False, "remedy", "assemblies_replaced", PAID_REPLACE_RETURN
    )


@pytest.mark.parametrize("rate", ["0.005", "0.0050", "0.004", "0.008", "0", "0.00", "0.0055"])
def test_a_cached_percentage_equals_the_computed_one(rate):
    assert percent(Decimal(rate)) == percent.__wrapped__(Decimal(rate))


def test_an_assessment_run_twice_gives_the_same_contract_json(facts, run):
    # The second run is served by every cache: it must not differ from the first.
    d = facts(**{"written_request_date": "2014-09-28"})
    assert run(d) == run(d)
    assert run(d, lang="en") == run(d, lang="en")


def _odometer_outcome(check, events: tuple[Event, ...], as_of: AsOf) -> str | None:
    try:
        check(events, as_of)
    except FactsError as exc:
        return f"{exc.field}: {exc.message}"
    return None


def _every_day_checked(events: tuple[Event, ...], as_of: AsOf) -> None:
    """The odometer check without the in-step shortcut."""
    _check_by_day(events, [day_of(ev.start) for ev in events])
    highest = max((e.odometer_km for e in events if e.odometer_km is not None), default=0)
    if as_of.odometer_km < highest:
        raise FactsError("as_of.odometer_km", f"odometer goes backwards ({highest})")


_VISITS = st.lists(
    st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(0, 5))), max_size=6
).map(lambda pairs: tuple(Event("P1", date(2020, 1, 1 + day), odometer_km=km) for day, km in pairs))


@FAST
@given(_VISITS, st.integers(0, 6))
def test_the_in_step_odometer_shortcut_rejects_exactly_what_the_full_check_rejects(events, km):
    as_of = AsOf(date(2020, 2, 1), km)
    fast = _odometer_outcome(_check_odometers, events, as_of)
    full = _odometer_outcome(_every_day_checked, events, as_of)
    assert (fast is None) == (full is None)
    if fast is not None and not fast.startswith("as_of"):
        assert fast == full
    if _in_step(events, [day_of(ev.start) for ev in events]):
        _check_by_day(events, [day_of(ev.start) for ev in events])  # never raises


@FAST
@given(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))
def test_excluded_days_with_the_all_zero_shortcut_are_the_sum_by_name(special, rescue, battery):
    event = Event("P1", date(2020, 1, 1), excluded_days=ExcludedDays(special, rescue, battery))
    for kinds in (P2013.excluded_day_kinds, P2022.excluded_day_kinds):
        assert excluded_days(event, kinds) == sum(
            getattr(event.excluded_days, kind) for kind in kinds
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", sorted(REASONS))
@pytest.mark.parametrize("regime", ["2013", "2022"])
def test_the_prefilled_reason_equals_the_template_filled_at_once(code, regime, lang):
    invoice = date(2014, 1, 10)
    constants = (("from_2013", P2013.effective_from), ("from_2022", P2022.effective_from))
    values = {"invoice_date": invoice, "regime": regime, "act": ACT_NAMES[regime][lang == "en"]}
    expected = REASONS[code][lang == "en"].format_map(dict(constants) | values)
    note = (code, (("invoice_date", invoice),))
    assert explain.reason(note, lang, regime, constants) == expected


@FAST
@given(st.one_of(st.dates(), st.datetimes()))
def test_iso_date_is_isoformat(day):
    assert iso_date(day) == day.isoformat()


def _templates(table: object) -> list[str]:
    """Return every template string held in a wording table (pairs, dicts of pairs)."""
    if isinstance(table, str):
        return [table]
    if isinstance(table, dict):
        return [t for v in table.values() for t in _templates(v)]
    if isinstance(table, tuple):
        return [t for v in table for t in _templates(v)]
    return []


_VALUES = st.one_of(
    st.text(max_size=5), st.integers(), st.dates(), st.none(), st.booleans(), st.floats()
)


@FAST
@given(st.data())
def test_render_is_format_map_for_every_wording_template(data):
    templates = [t for table in vars(wording).values() for t in _templates(table)]
    template = data.draw(st.sampled_from(templates))
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    values = {name: data.draw(_VALUES) for name in names}
    assert explain._render(template, values) == template.format_map(values)


def test_render_leaves_specs_conversions_and_braces_to_format_map():
    values = {"b": 7, "c": "x", "d": date(2024, 2, 29)}
    template = "{{a}} {b:>4} {c!r} {d:%d.%m.%Y} {d}"
    assert explain._render(template, values) == "{a}    7 'x' 29.02.2024 2024-02-29"


@FAST
@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)),
    st.timedeltas(timedelta(0), timedelta(days=400)),
)
def test_timed_visit_days_are_hours_over_24_rounded_up(start, spent):
    event = Event(problem="P1", start=start, end=start + spent)
    seconds = spent.total_seconds()
    assert visit_days(event, start.date()) == (max(1, -int(-seconds // 86400)), True)
