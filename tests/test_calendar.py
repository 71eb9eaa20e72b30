"""The bureau's calendar: working days across National Day and the Spring Festival, make-up days,
the bureau's holiday files, and one day boundary from the configured zone in Python and in SQL."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from disputes import calendar
from disputes.cases.models import Case
from disputes.db import db

d = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        pytest.param("2024-09-27", 1, "2024-09-29", id="2024-national-day/sunday-make-up-counts"),
        pytest.param("2024-09-30", 1, "2024-10-08", id="2024-national-day/holiday-skipped"),
        pytest.param("2024-10-11", 1, "2024-10-12", id="2024-national-day/saturday-make-up-counts"),
        pytest.param("2025-01-24", 1, "2025-01-26", id="2025-spring-festival/sunday-make-up"),
        pytest.param("2025-01-27", 1, "2025-02-05", id="2025-spring-festival/holiday-skipped"),
        pytest.param("2025-02-07", 1, "2025-02-08", id="2025-spring-festival/saturday-make-up"),
        pytest.param("2025-09-26", 1, "2025-09-28", id="2025-national-day/sunday-make-up-0928"),
        pytest.param("2025-09-30", 1, "2025-10-09", id="2025-national-day/first-day-after"),
        pytest.param("2025-09-30", 3, "2025-10-11", id="2025-national-day/saturday-make-up-1011"),
        pytest.param("2025-10-11", 1, "2025-10-13", id="2025-national-day/plain-sunday-skipped"),
        pytest.param("2025-09-26", 10, "2025-10-16", id="seller-answer/10-working-days"),
    ],
)
def test_add_working_days_follows_the_chinese_calendar(app_ctx, start, n, due):
    assert calendar.add_working_days(d(start), n) == d(due)


def test_working_days_between_counts_make_up_days_and_skips_holidays(app_ctx):
    assert calendar.working_days_between(d("2025-09-30"), d("2025-10-11")) == 3
    assert calendar.working_days_between(d("2025-01-27"), d("2025-02-08")) == 4
    assert calendar.working_days_between(d("2025-10-11"), d("2025-10-11")) == 0


def test_bureau_holiday_file_overrides_the_package(app):
    folder = app.instance_path + "/holidays"
    import os

    os.makedirs(folder, exist_ok=True)
    with open(f"{folder}/2027.json", "w", encoding="utf-8") as f:
        json.dump({"year": 2027, "holidays": ["2027-01-04"], "workdays": ["2027-01-09"]}, f)
    with app.app_context():
        assert calendar.add_working_days(d("2027-01-01"), 1) == d("2027-01-05")
        assert calendar.add_working_days(d("2027-01-08"), 1) == d("2027-01-09")


def test_a_changed_holiday_file_is_seen_once_the_recheck_interval_has_passed(app, monkeypatch):
    """The files' stamps are trusted for RECHECK_SECONDS (looking at them costs system calls on
    every assessment); a file changed within that time is read at the first look after it."""
    path = Path(app.instance_path) / app.config["HOLIDAYS_FOLDER"] / "2027.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    clock = [1000.0]
    monkeypatch.setattr(calendar, "monotonic", lambda: clock[0])

    def declare(*holidays: str) -> None:
        path.write_text(json.dumps({"year": 2027, "holidays": holidays, "workdays": []}))

    declare("2027-01-04")
    with app.app_context():
        assert calendar.add_working_days(d("2027-01-01"), 1) == d("2027-01-05")
        declare("2027-01-05", "2027-01-06")
        clock[0] += calendar.RECHECK_SECONDS / 2
        assert calendar.add_working_days(d("2027-01-01"), 1) == d("2027-01-05")
        clock[0] += calendar.RECHECK_SECONDS
        assert calendar.add_working_days(d("2027-01-01"), 1) == d("2027-01-04")


@pytest.mark.parametrize(
    ("zone", "midnight"),
    [
        pytest.param("Asia/Shanghai", datetime(2025, 1, 1, 16, 0), id="utc+8"),
        pytest.param("Asia/Tokyo", datetime(2025, 1, 1, 15, 0), id="utc+9"),
        pytest.param("Asia/Kolkata", datetime(2025, 1, 1, 18, 30), id="utc+5:30"),
        pytest.param("UTC", datetime(2025, 1, 2, 0, 0), id="utc"),
        pytest.param("America/Bogota", datetime(2025, 1, 2, 5, 0), id="utc-5"),
    ],
)
def test_the_configured_zone_draws_one_day_boundary_in_python_and_sql(
    app, make_user, make_case, zone, midnight
):
    """2025-01-02 begins at `midnight` (UTC) in `zone`: local_day, day_start and the SQL day of
    a stored timestamp all put the minute before it on 01-01 and the moment itself on 01-02."""
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    moments = {
        midnight - timedelta(minutes=1): d("2025-01-01"),
        midnight: d("2025-01-02"),
        midnight + timedelta(hours=23, minutes=59): d("2025-01-02"),
        midnight + timedelta(days=1): d("2025-01-03"),
    }
    with app.app_context():
        assert calendar.day_start(d("2025-01-02")) == midnight
        owner = make_user()
        ids = {make_case(owner, submitted_at=moment).id: day for moment, day in moments.items()}
        db.session.flush()
        dialect = db.session.get_bind().dialect.name
        day = calendar.local_date_sql(Case.submitted_at, dialect)
        for moment, expected in moments.items():
            assert calendar.local_day(moment) == expected
        for expected in set(moments.values()):
            stmt = db.select(Case.id).where(Case.id.in_(list(ids)), day == expected)
            assert set(db.session.scalars(stmt)) == {i for i, v in ids.items() if v == expected}
