"""Display filters: dates as YYYY-MM-DD, money as ¥12,345.00 元, km with separators, labels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from flask_babel import to_user_timezone

from disputes import create_app
from disputes.formatting import (
    format_date,
    format_datetime,
    format_km,
    format_money,
    format_percent,
    nl2br,
    status_label,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(Decimal("12345"), "¥12,345.00 元", id="thousands"),
        pytest.param(Decimal("2175.005"), "¥2,175.01 元", id="half-up-to-the-fen"),
        pytest.param(168800, "¥168,800.00 元", id="int"),
        pytest.param("0.5", "¥0.50 元", id="string"),
        pytest.param(Decimal("-3.2"), "-¥3.20 元", id="negative"),
        pytest.param(None, "—", id="none"),
    ],
)
def test_money_has_two_decimals_and_the_yuan_sign(value, shown):
    assert format_money(value) == shown


def test_money_unit_is_spelled_in_the_page_language(app):
    with app.test_request_context("/?lang=en"):
        assert format_money(168800) == "¥168,800.00 yuan"
    with app.test_request_context("/"):
        assert format_money(168800) == "¥168,800.00 元"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(60000, "60,000 km"), (Decimal("3000"), "3,000 km"), (0, "0 km"), (None, "—")],
)
def test_km_has_thousands_separators(value, shown):
    assert format_km(value) == shown


def test_dates_are_iso_without_an_app():
    assert format_date(date(2024, 5, 18)) == "2024-05-18"
    assert format_date(None) == "—"
    assert format_datetime(datetime(2024, 5, 18, 9, 30)) == "2024-05-18 09:30"


def test_utc_datetimes_show_in_china_time_inside_the_app(app_ctx):
    # 2024-05-18 17:30 UTC is already 2024-05-19 01:30 in Beijing.
    assert format_date(datetime(2024, 5, 18, 17, 30)) == "2024-05-19"
    assert format_datetime(datetime(2024, 5, 18, 17, 30)) == "2024-05-19 01:30"


#: Naive (UTC) and aware moments around China's summer time of 1986-1991, New York's and a
#: New Year, each converted to the bureau's zone.
MOMENTS = [
    datetime(1988, 4, 9, 17, 59),
    datetime(1988, 4, 9, 18, 0),
    datetime(1990, 9, 15, 16, 30),
    datetime(2024, 3, 10, 6, 59),
    datetime(2024, 3, 10, 7, 0),
    datetime(2024, 12, 31, 15, 59),
    datetime(2024, 12, 31, 16, 0),
    datetime(2026, 2, 16, 23, 0, tzinfo=UTC),
    datetime(2026, 2, 17, 7, 0, tzinfo=timezone(timedelta(hours=-5))),
]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York"])
def test_dates_convert_as_flask_babel_converts_them(zone, tmp_path):
    # The filters convert with zoneinfo; Flask-Babel's to_user_timezone (pytz) is the reference.
    config = {"TESTING": True, "SECRET_KEY": "test", "BABEL_DEFAULT_TIMEZONE": zone}
    app = create_app(config | {"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=tmp_path)
    with app.test_request_context("/"):
        for moment in MOMENTS:
            local = to_user_timezone(moment)
            assert format_datetime(moment) == local.strftime("%Y-%m-%d %H:%M"), moment
            assert format_date(moment) == local.strftime("%Y-%m-%d"), moment


def test_percent_and_line_breaks():
    assert format_percent(Decimal("0.005")) == "0.5%"
    assert str(nl2br("a<b\nc")) == "a&lt;b<br>c"


def test_status_label_is_chinese_by_default(app):
    with app.test_request_context():
        assert status_label("not_accepted") == "不予受理"
        assert status_label("unknown-state") == "unknown-state"
