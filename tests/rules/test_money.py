"""Money (2013.25, 2022.27): Decimal arithmetic, half-up to the fen, printed with 2 decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.money import percent, to_fen, usage_compensation, yuan


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # banker's rounding would give 0.02
        ("2.675", "2.68"),
        ("19833.995", "19834.00"),
    ],
)
def test_amounts_round_half_up_to_the_fen(amount, rounded):
    assert to_fen(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize(
    ("price", "km", "rate", "amount"),
    [
        pytest.param("150000", 2900, "0.005", "2175.00", id="2013.25/example-0.5%"),
        pytest.param("150000", 2900, "0.008", "3480.00", id="2013.25/example-0.8%"),
        pytest.param("168800", 23500, "0.005", "19834.00", id="2022.27/filing-example"),
        pytest.param("100001", 1000, "0.005", "500.01", id="2013.25/half-up-500.005"),
        pytest.param("150000", 0, "0.005", "0.00", id="2022.27/zero-km"),
    ],
)
def test_usage_compensation_is_price_times_km_over_1000_times_n(price, km, rate, amount):
    assert yuan(usage_compensation(Decimal(price), km, Decimal(rate))) == amount


def test_yuan_prints_two_decimals():
    assert yuan(Decimal(150000)) == "150000.00"
    assert yuan(Decimal("0.1")) == "0.10"


def test_percent_prints_the_coefficient():
    assert percent(Decimal("0.005")) == "0.5%"
    assert percent(Decimal("0.0075")) == "0.75%"


@pytest.mark.parametrize(
    ("rate", "used", "warned"),
    [
        pytest.param(0.004, "0.005", True, id="2013.25/below-0.5%-clamped"),
        pytest.param(0.005, "0.005", False, id="2013.25/0.5%-kept"),
        pytest.param(0.008, "0.008", False, id="2013.25/0.8%-kept"),
        pytest.param(0.009, "0.008", True, id="2013.25/above-0.8%-clamped"),
    ],
)
def test_a_2013_rate_outside_the_range_is_clamped_with_a_warning(facts, run, rate, used, warned):
    six = [
        {"problem": "P1", "start": f"2014-0{m}-01", "end": f"2014-0{m}-01", "odometer_km": 1000 * m}
        for m in range(2, 8)
    ]
    d = facts(
        **{
            "problems.P1": {"system": "engine"},
            "events": six,
            "as_of": {"date": "2014-08-01", "odometer_km": 8000},
            "warranty_card.compensation_rate": rate,
        }
    )
    result = run(d, lang="en")
    compensation = result["compensation"]
    expected = yuan(usage_compensation(Decimal(150000), 8000, Decimal(used)))
    assert compensation["amount_yuan"] == expected
    assert compensation["rate"] == float(used)
    assert compensation["rate_range"] == [0.005, 0.008]
    assert compensation["amount_range_yuan"] == ["6000.00", "9600.00"]
    assert any("compensation rate" in w for w in result["warnings"]) is warned


def test_without_a_declared_rate_the_amount_is_null_but_the_range_is_given(facts, run):
    d = facts(
        **{
            "problems.P1.failure": None,
            "events[0].replaced": [],
            "events[1]": {"problem": "P1", "start": "2014-02-20", "odometer_km": 2700,
                          "end": "2014-02-20", "resolved": False},
            "warranty_card.compensation_rate": None,
        }
    )  # fmt: skip
    compensation = run(d)["compensation"]
    assert compensation["amount_yuan"] is None
    assert compensation["rate"] is None
    assert compensation["amount_range_yuan"] == ["2175.00", "3480.00"]


def test_free_remedies_carry_no_compensation(facts, run):
    result = run(facts())
    assert all(r["free"] for r in result["remedies"])
    assert result["compensation"] is None
