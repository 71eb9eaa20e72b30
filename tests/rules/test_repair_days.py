"""Repair time (regulation.md §3): 24-hour rounding, inclusive dates, excluded days, counting."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rules.facts import Event
from rules.repair_days import net_days, visit_days

AS_OF = date(2014, 8, 1)


def _visit(start, end) -> Event:
    return Event(problem="P1", start=start, end=end, odometer_km=100)


@pytest.mark.parametrize(
    ("end", "days"),
    [
        pytest.param(datetime(2014, 6, 2, 8, 59), 1, id="2022.40/23h59-is-1"),
        pytest.param(datetime(2014, 6, 2, 9, 0), 1, id="2022.40/24h-is-1"),
        pytest.param(datetime(2014, 6, 2, 9, 1), 2, id="2022.40/24h01-is-2"),
        pytest.param(datetime(2014, 6, 1, 9, 0), 1, id="2013.19/zero-minutes-is-1"),
        pytest.param(datetime(2014, 6, 6, 9, 0), 5, id="2013.19/120h-is-5"),
        pytest.param(datetime(2014, 6, 6, 9, 1), 6, id="2013.19/120h01-is-6"),
    ],
)
def test_timed_visits_count_hours_divided_by_24_rounded_up(end, days):
    assert visit_days(_visit(datetime(2014, 6, 1, 9, 0), end), AS_OF) == (days, True)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        pytest.param(date(2014, 6, 2), date(2014, 6, 2), 1, id="same-day"),
        pytest.param(date(2014, 1, 30), date(2014, 2, 1), 3, id="three-calendar-days"),
        pytest.param(date(2014, 6, 2), date(2014, 7, 11), 40, id="forty-days"),
        pytest.param(datetime(2014, 6, 2, 9, 0), date(2014, 6, 3), 2, id="time-on-one-end-only"),
    ],
)
def test_date_only_visits_count_calendar_days_inclusive(start, end, days):
    assert visit_days(_visit(start, end), AS_OF) == (days, False)


def test_a_visit_still_in_the_workshop_runs_to_as_of():
    assert visit_days(_visit(date(2014, 7, 30), None), AS_OF) == (3, False)
    assert visit_days(_visit(datetime(2014, 7, 30, 9, 0), None), AS_OF) == (3, False)


@pytest.mark.parametrize(
    ("days", "excluded", "net"),
    [(10, 3, 7), (3, 3, 0), (2, 5, 0), (1, 0, 1)],
)
def test_excluded_days_are_subtracted_per_visit_floored_at_zero(days, excluded, net):
    assert net_days(days, excluded) == net


def _long_visit(facts, **excluded):
    """One 10-day electrical visit in June 2014 (2013 rules), with these excluded days."""
    return facts(
        **{
            "problems.P1": {"system": "electrical", "description": "仪表失效"},
            "events[0]": {
                "problem": "P1",
                "start": "2014-06-01T09:00",
                "end": "2014-06-11T09:00",
                "odometer_km": 5000,
                "excluded_days": excluded,
            },
            "as_of": {"date": "2014-07-01", "odometer_km": 6000},
        }
    )


def test_special_part_and_rescue_days_reduce_the_cumulative_time_only(facts, run):
    result = run(_long_visit(facts, special_parts_transport=3, rescue_travel=2))
    assert result["counts"]["repair_days_total"] == 5
    assert ("backup_vehicle", "2013.19") in {(r["remedy"], r["basis"]) for r in result["remedies"]}


def test_excluded_days_never_make_a_visit_negative(facts, run):
    result = run(_long_visit(facts, special_parts_transport=30))
    assert result["counts"]["repair_days_total"] == 0


@pytest.mark.parametrize(
    ("invoice", "start", "total"),
    [
        pytest.param("2014-01-10", "2014-06-01", 10, id="2013.21.2/battery-transport-counts"),
        pytest.param("2023-01-10", "2023-06-01", 6, id="2022.24.3/battery-transport-excluded"),
    ],
)
def test_power_battery_transport_is_excluded_only_under_2022(facts, run, invoice, start, total):
    d = _long_visit(facts, battery_transport=4)
    d["purchase"].update(invoice_date=invoice, delivery_date=invoice)
    d["events"][0].update(start=f"{start}T09:00", end=f"{start[:8]}11T09:00")
    d["as_of"]["date"] = start[:5] + "07-01"
    d["written_request_date"] = None
    assert run(d)["counts"]["repair_days_total"] == total


def _three_visits(facts, **second):
    base = {"problem": "P1", "odometer_km": 5000, "replaced": []}
    events = [
        dict(base, start="2014-05-01T08:00", end="2014-05-02T09:00", odometer_km=4000),
        dict(base, start="2014-06-01T08:00", end="2014-06-01T18:00", **second),
        dict(base, start="2014-07-01T08:00", end="2014-07-03T08:00", odometer_km=6000),
    ]
    return facts(**{"events": events, "as_of": {"date": "2014-08-01", "odometer_km": 7000}})


def test_counted_visits_give_repairs_by_problem_and_the_total(facts, run):
    counts = run(_three_visits(facts))["counts"]
    assert counts["repairs_by_problem"] == {"P1": 3}
    assert counts["repair_days_total"] == 2 + 1 + 2


def test_a_visit_without_a_fault_found_counts_for_nothing(facts, run):
    counts = run(_three_visits(facts, fault_found=False))["counts"]
    assert counts["repairs_by_problem"] == {"P1": 2}
    assert counts["repair_days_total"] == 4


@pytest.mark.parametrize(
    ("problem", "basis"),
    [
        pytest.param({"quality_problem": False}, None, id="not-quality"),
        pytest.param({"exclusion": "modification"}, "2013.30.1.3", id="2013.30.1.3/excluded"),
    ],
)
def test_visits_for_an_excluded_problem_are_not_counted(facts, run, problem, basis):
    d = _three_visits(facts)
    d["problems"]["P1"].update(problem)
    result = run(d)
    assert result["counts"]["repairs_by_problem"] == {}
    assert result["counts"]["repair_days_total"] == 0
    assert {(e["problem"], e["basis"]) for e in result["excluded"]} == {("P1", basis)}


def test_visits_after_the_three_guarantee_period_are_not_counted(facts, run):
    d = _three_visits(facts)
    d["events"][2].update(start="2016-01-11T08:00", end="2016-01-12T08:00")
    d["as_of"]["date"] = "2016-02-01"
    d["written_request_date"] = None
    assert run(d)["counts"]["repairs_by_problem"] == {"P1": 2}


def test_visits_past_the_three_guarantee_km_are_not_counted(facts, run):
    d = _three_visits(facts)
    d["events"][2]["odometer_km"] = 50001
    d["as_of"]["odometer_km"] = 50001
    assert run(d)["counts"]["repairs_by_problem"] == {"P1": 2}


def test_date_only_and_open_visits_are_reported_in_warnings(facts, run):
    d = _three_visits(facts)
    d["events"][0].update(start="2014-05-01", end="2014-05-02")
    d["events"][2]["end"] = None
    warnings = run(d, lang="en")["warnings"]
    assert any("events[0]" in w and "calendar days" in w for w in warnings)
    assert any("events[2]" in w and "2014-08-01" in w for w in warnings)
