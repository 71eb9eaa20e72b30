"""Working days (2013.26, 2022.28, regulation.md §6 reading 7): holidays, make-up days."""

from __future__ import annotations

from datetime import date

import pytest

from rules import FactsError, YearCalendar, parse_calendar
from rules.workdays import add_working_days, is_workday


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        pytest.param(date(2014, 3, 1), 10, date(2014, 3, 14), id="2013.26/saturday-request"),
        pytest.param(date(2015, 9, 29), 10, date(2015, 10, 19), id="2013.26/national-day"),
        pytest.param(date(2014, 1, 27), 10, date(2014, 2, 14), id="2013.26/spring-festival"),
        pytest.param(date(2024, 1, 15), 10, date(2024, 1, 29), id="2022.28.1/ten-days"),
        pytest.param(date(2024, 1, 15), 20, date(2024, 2, 9), id="2022.28.2/sunday-make-up-day"),
        pytest.param(date(2025, 3, 3), 20, date(2025, 3, 31), id="2022.28.2/plain-weeks"),
    ],
)
def test_the_nth_working_day_after_a_date_skips_holidays_and_counts_make_up_days(start, n, due):
    assert add_working_days(start, n) == (due, ())


def test_the_start_day_itself_is_never_counted():
    assert add_working_days(date(2014, 3, 3), 1) == (date(2014, 3, 4), ())


def test_a_make_up_saturday_is_a_working_day_and_a_holiday_weekday_is_not():
    assert is_workday(date(2014, 2, 8))  # Saturday, Spring Festival make-up day
    assert not is_workday(date(2014, 2, 3))  # Monday inside the Spring Festival


def test_a_bureau_calendar_overrides_the_package_for_its_year():
    extra_holiday = YearCalendar(2014, holidays=frozenset({date(2014, 3, 10)}))
    due, unknown = add_working_days(date(2014, 3, 1), 10, {2014: extra_holiday})
    assert (due, unknown) == (date(2014, 3, 17), ())
    # the override replaces the package's data for 2014: the Spring Festival is ordinary now
    assert is_workday(date(2014, 2, 3), {2014: extra_holiday})


def test_a_year_unknown_to_both_counts_monday_to_friday_and_is_reported():
    due, unknown = add_working_days(date(2030, 9, 30), 10)
    assert (due, unknown) == (date(2030, 10, 14), (2030,))


def test_a_bureau_calendar_makes_a_new_year_known():
    cal = parse_calendar(
        {"year": 2030, "holidays": ["2030-10-01", "2030-10-02"], "workdays": ["2030-10-12"]}
    )
    # Oct 1–2 off, Saturday Oct 12 worked: 3, 4, 7–11, 12, 14, 15
    assert add_working_days(date(2030, 9, 30), 10, {2030: cal}) == (date(2030, 10, 15), ())


def test_an_unknown_year_in_an_assessment_gives_a_warning(facts, run):
    d = facts(
        **{
            "purchase.invoice_date": "2030-01-10",
            "purchase.delivery_date": "2030-01-10",
            "events": [],
            "as_of": {"date": "2030-03-01", "odometer_km": 100},
            "written_request_date": "2030-03-01",
        }
    )
    result = run(d, lang="en")
    assert result["deadlines"] == {
        "written_answer_due": "2030-03-15",
        "completion_due": "2030-03-29",
    }
    assert any("2030" in w and "Monday" in w for w in result["warnings"])
    bureau = {2030: parse_calendar({"year": 2030, "holidays": ["2030-03-04"]})}
    result = run(d, lang="en", holidays=bureau)
    assert result["deadlines"]["written_answer_due"] == "2030-03-18"
    assert not any("Monday" in w for w in result["warnings"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"year": "2030"}, "year", id="year-text"),
        pytest.param({"year": 2030, "holidays": ["2031-01-01"]}, "holidays[0]", id="other-year"),
        pytest.param({"year": 2030, "workdays": ["2030-02-30"]}, "workdays[0]", id="bad-date"),
        pytest.param({"year": 2030, "days": []}, "days", id="unknown-key"),
        pytest.param(
            {"year": 2030, "holidays": ["2030-10-01"], "workdays": ["2030-10-01"]},
            "workdays",
            id="both",
        ),
    ],
)
def test_a_bad_bureau_calendar_is_rejected_naming_the_field(data, field):
    with pytest.raises(FactsError) as info:
        parse_calendar(data)
    assert info.value.field == field
