"""Periods and windows (regulation.md §2): Civil Code counting, whichever-first, card terms."""

from __future__ import annotations

from datetime import date

import pytest

from rules.periods import add_days, add_months, add_years, window_status


@pytest.mark.parametrize(
    ("start", "years", "ends_on"),
    [
        pytest.param(date(2014, 1, 10), 2, date(2016, 1, 10), id="2013.17/two-years"),
        pytest.param(date(2016, 2, 29), 2, date(2018, 2, 28), id="2013.17/29-feb-month-end"),
        pytest.param(date(2020, 2, 29), 3, date(2023, 2, 28), id="2022.18/29-feb-three-years"),
        pytest.param(date(2020, 2, 29), 4, date(2024, 2, 29), id="2022.18/29-feb-leap-to-leap"),
    ],
)
def test_a_year_window_ends_on_the_corresponding_day_or_the_month_end(start, years, ends_on):
    assert add_years(start, years) == ends_on


def test_a_month_window_without_a_corresponding_day_ends_on_the_month_end():
    assert add_months(date(2014, 8, 31), 6) == date(2015, 2, 28)
    assert add_months(date(2014, 1, 10), 12) == date(2015, 1, 10)


@pytest.mark.parametrize(
    ("start", "days", "ends_on"),
    [
        pytest.param(date(2014, 1, 10), 60, date(2014, 3, 11), id="2013.20.2/60-days"),
        pytest.param(date(2022, 3, 1), 7, date(2022, 3, 8), id="2022.22/7-days"),
    ],
)
def test_an_n_day_window_does_not_count_the_start_day(start, days, ends_on):
    assert add_days(start, days) == ends_on


@pytest.mark.parametrize(
    ("readings", "as_of", "status"),
    [
        pytest.param([(date(2014, 3, 1), 3000)], date(2014, 3, 1), "running", id="3000-km-inside"),
        pytest.param(
            [(date(2014, 3, 1), 3001)], date(2014, 3, 1), "ended_by_km", id="3001-km-outside"
        ),
        pytest.param([(date(2014, 3, 11), 10)], date(2014, 3, 11), "running", id="last-day-inside"),
        pytest.param(
            [(date(2014, 3, 12), 10)], date(2014, 3, 12), "ended_by_time", id="day-after-ends"
        ),
        pytest.param(
            [(date(2014, 3, 12), 9000)], date(2014, 3, 12), "ended_by_time", id="km-after-the-end"
        ),
        pytest.param(
            [(date(2014, 2, 1), 3500), (date(2014, 5, 1), 9000)],
            date(2014, 5, 1),
            "ended_by_km",
            id="km-first-then-time",
        ),
    ],
)
def test_status_is_ended_by_km_when_a_reading_passes_the_limit_in_time(readings, as_of, status):
    assert window_status(date(2014, 3, 11), 3000, readings, as_of) == status


def _early_failure(facts, start: str, km: int):
    return facts(
        **{
            "events[0].start": start,
            "events[0].end": start,
            "events[0].odometer_km": km,
            "events[0].replaced": [],
            "events[0].resolved": True,
            "as_of": {"date": "2014-03-20", "odometer_km": 3100},
        }
    )


@pytest.mark.parametrize(
    ("start", "km", "opens"),
    [
        pytest.param("2014-03-11", 2500, True, id="2013.20.2/day-60"),
        pytest.param("2014-03-12", 2500, False, id="2013.20.2/day-61"),
        pytest.param("2014-02-01", 3000, True, id="2013.20.2/3000-km"),
        pytest.param("2014-02-01", 3001, False, id="2013.20.2/3001-km"),
    ],
)
def test_an_early_failure_is_inside_the_window_up_to_day_60_and_3000_km(
    facts, run, start, km, opens
):
    result = run(_early_failure(facts, start, km))
    pairs = {(r["remedy"], r["basis"]) for r in result["remedies"]}
    assert (("vehicle_return", "2013.20.2") in pairs) is opens
    assert (("vehicle_replacement", "2013.20.2") in pairs) is opens


def test_the_contract_example_periods(facts, run):
    periods = run(facts())["periods"]
    assert periods["repair_warranty"] == {
        "start": "2014-01-10",
        "ends_on": "2017-01-10",
        "km_limit": 60000,
        "status": "running",
    }
    assert periods["three_guarantee"]["ends_on"] == "2016-01-10"
    assert periods["early"] == {
        "start": "2014-01-10",
        "ends_on": "2014-03-11",
        "km_limit": 3000,
        "status": "running",
    }
    assert "first_week" not in periods
    assert periods["wear_parts"] == [
        {
            "name": "刹车片",
            "start": "2014-01-10",
            "ends_on": "2015-01-10",
            "km_limit": 10000,
            "status": "running",
        }
    ]


def test_periods_bought_on_29_february_end_on_28_february(facts, run):
    d = facts(
        **{
            "purchase.invoice_date": "2016-02-29",
            "purchase.delivery_date": "2016-02-29",
            "events": [],
            "as_of": {"date": "2016-03-01", "odometer_km": 10},
            "written_request_date": None,
        }
    )
    periods = run(d)["periods"]
    assert periods["three_guarantee"]["ends_on"] == "2018-02-28"
    assert periods["repair_warranty"]["ends_on"] == "2019-02-28"
    assert periods["early"]["ends_on"] == "2016-04-29"


def test_as_of_past_the_km_limit_before_the_end_day_ends_the_window_by_km(facts, run):
    d = facts(**{"as_of.odometer_km": 3001})
    assert run(d)["periods"]["early"]["status"] == "ended_by_km"


def test_as_of_after_the_end_day_ends_the_window_by_time(facts, run):
    d = facts(**{"as_of.date": "2014-03-12"})
    assert run(d)["periods"]["early"]["status"] == "ended_by_time"


def test_longer_card_terms_extend_the_periods(facts, run):
    d = facts(**{"warranty_card.three_guarantee": {"years": 3, "km": 80000}})
    result = run(d)
    assert result["periods"]["three_guarantee"]["ends_on"] == "2017-01-10"
    assert result["periods"]["three_guarantee"]["km_limit"] == 80000
    assert result["warnings"] == []


def test_shorter_card_terms_are_raised_to_the_legal_minimum_with_a_warning(facts, run):
    d = facts(**{"warranty_card.three_guarantee": {"years": 1, "km": 40000}})
    result = run(d, lang="en")
    assert result["periods"]["three_guarantee"]["ends_on"] == "2016-01-10"
    assert result["periods"]["three_guarantee"]["km_limit"] == 50000
    assert sum("legal minimum" in w for w in result["warnings"]) == 2


def test_2013_periods_start_at_the_invoice_date_even_when_delivery_differs(facts, run):
    assert run(facts())["periods"]["three_guarantee"]["start"] == "2014-01-10"


def test_2022_periods_start_at_a_differing_delivery_date(facts, run):
    d = facts(
        **{
            "purchase.invoice_date": "2022-03-01",
            "purchase.delivery_date": "2022-03-03",
            "events": [],
            "as_of": {"date": "2022-03-05", "odometer_km": 10},
            "written_request_date": None,
        }
    )
    periods = run(d)["periods"]
    assert periods["first_week"] == {
        "start": "2022-03-03",
        "ends_on": "2022-03-10",
        "km_limit": None,
        "status": "running",
    }
    assert periods["early"]["ends_on"] == "2022-05-02"
    assert periods["three_guarantee"]["ends_on"] == "2024-03-03"


def test_no_regime_means_no_periods(facts, run):
    d = facts(
        **{
            "purchase.invoice_date": "2013-09-30",
            "purchase.delivery_date": "2013-09-30",
            "events": [],
            "as_of": {"date": "2013-10-10", "odometer_km": 10},
        }
    )
    result = run(d)
    assert (result["regime"], result["periods"], result["remedies"]) == (None, {}, [])
