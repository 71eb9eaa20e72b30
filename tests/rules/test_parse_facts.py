"""``parse_facts``: strict validation, every error names its field; defaults and types."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from rules import Facts, FactsError, parse_facts

DELETE = "__delete__"  # the facts builder's marker for removing a key

SECOND_EVENT = {"problem": "P1", "start": "2014-02-20", "end": "2014-02-20", "odometer_km": 2600}


def _error(d: object) -> FactsError:
    with pytest.raises(FactsError) as info:
        parse_facts(d)  # type: ignore[arg-type]
    return info.value


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"colour": "red"}, "colour", id="unknown/top-level"),
        pytest.param({"purchase.prise_yuan": 1}, "purchase.prise_yuan", id="unknown/purchase"),
        pytest.param({"problems.P1.sytem": "brakes"}, "problems.P1.sytem", id="unknown/problem"),
        pytest.param({"events[0].odometer": 1}, "events[0].odometer", id="unknown/event"),
        pytest.param(
            {"events[0].replaced[0].mainpart": True},
            "events[0].replaced[0].mainpart",
            id="unknown/replaced",
        ),
        pytest.param(
            {"events[0].excluded_days.waiting": 1},
            "events[0].excluded_days.waiting",
            id="unknown/days",
        ),
        pytest.param({"as_of.km": 1}, "as_of.km", id="unknown/as_of"),
        pytest.param(
            {"warranty_card.three_guarantee.months": 1},
            "warranty_card.three_guarantee.months",
            id="unknown/card-term",
        ),
    ],
)
def test_an_unknown_key_is_an_error_naming_it(overrides, field, facts):
    err = _error(facts(**overrides))
    assert err.field == field
    assert "unknown" in err.message


#: A lone surrogate: what JSON's "\\ud800" escape on its own decodes to, which is no character.
LONE = "\ud800"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param(
            {"problems.P1.description": "异响" + LONE}, "problems.P1.description", id="description"
        ),
        pytest.param({"vehicle.brand": LONE}, "vehicle.brand", id="brand"),
        pytest.param(
            {"warranty_card.special_parts": [LONE]},
            "warranty_card.special_parts[0]",
            id="special-part",
        ),
        pytest.param({"events[0].problem": "P" + LONE}, "events[0].problem", id="visit-problem"),
        pytest.param({"purchase." + LONE: 1}, "purchase", id="unknown-key"),
        pytest.param({LONE: 1}, "", id="unknown-top-level-key"),
    ],
)
def test_a_lone_surrogate_is_an_error_naming_the_field_in_writable_text(overrides, field, facts):
    err = _error(facts(**overrides))
    assert err.field == field
    assert "lone surrogate" in err.message
    for lang in ("zh", "en"):  # the CLI writes it as UTF-8: that must not fail
        json.dumps(err.to_dict(lang), ensure_ascii=False).encode("utf-8")


def test_a_lone_surrogate_in_a_problem_label_is_an_error_on_the_problems(facts):
    d = facts()
    d["problems"] = {"P" + LONE: d["problems"]["P1"]}
    for event in d["events"]:
        event["problem"] = "P" + LONE
    assert _error(d).field == "problems"


def test_characters_beyond_the_basic_plane_are_text(facts):
    parsed = parse_facts(facts(**{"problems.P1.description": "异响𠀀😀", "vehicle.brand": "𠀀"}))
    assert parsed.problems[0].description == "异响𠀀😀"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param(
            {"purchase.price_yuan": True}, "purchase.price_yuan", id="bool-is-not-a-number"
        ),
        pytest.param({"purchase.price_yuan": "abc"}, "purchase.price_yuan", id="text-price"),
        pytest.param({"as_of.odometer_km": True}, "as_of.odometer_km", id="bool-is-not-int"),
        pytest.param({"as_of.odometer_km": 2900.5}, "as_of.odometer_km", id="float-km"),
        pytest.param({"as_of.odometer_km": "2900"}, "as_of.odometer_km", id="text-km"),
        pytest.param({"events[0].fault_found": "yes"}, "events[0].fault_found", id="text-bool"),
        pytest.param({"events[0].resolved": 0}, "events[0].resolved", id="int-bool"),
        pytest.param({"purchase.has_invoice": 1}, "purchase.has_invoice", id="int-has-invoice"),
        pytest.param({"purchase.invoice_date": 20140110}, "purchase.invoice_date", id="int-date"),
        pytest.param({"events": {"0": {}}}, "events", id="events-not-a-list"),
        pytest.param({"problems": []}, "problems", id="problems-not-an-object"),
        pytest.param({"problems.P1": "brakes"}, "problems.P1", id="problem-not-an-object"),
        pytest.param({"vehicle.brand": 7}, "vehicle.brand", id="int-brand"),
        pytest.param(
            {"warranty_card.three_guarantee.years": 2.5},
            "warranty_card.three_guarantee.years",
            id="float-years",
        ),
        pytest.param({"regime": True}, "regime", id="bool-regime"),
    ],
)
def test_a_wrong_type_is_an_error_naming_the_field(overrides, field, facts):
    err = _error(facts(**overrides))
    assert err.field == field
    assert "type" in err.message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"purchase.invoice_date": "2014-02-30"}, "purchase.invoice_date", id="30-feb"),
        pytest.param(
            {"purchase.invoice_date": "2015-02-29"}, "purchase.invoice_date", id="29-feb-2015"
        ),
        pytest.param(
            {"purchase.delivery_date": "2014-13-01"}, "purchase.delivery_date", id="month-13"
        ),
        pytest.param({"as_of.date": "2014/03/01"}, "as_of.date", id="slashes"),
        pytest.param({"as_of.date": "20140301"}, "as_of.date", id="compact"),
        pytest.param({"events[0].start": "2014-02-01T25:00"}, "events[0].start", id="hour-25"),
        pytest.param({"events[0].end": "2014-02-03T17:60"}, "events[0].end", id="minute-60"),
        pytest.param({"events[0].end": "2014-02-03 17:00"}, "events[0].end", id="space-not-T"),
        pytest.param({"written_request_date": "2014-04-31"}, "written_request_date", id="31-april"),
    ],
)
def test_an_impossible_or_malformed_date_is_an_error_naming_the_field(overrides, field, facts):
    assert _error(facts(**overrides)).field == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"purchase.price_yuan": -1}, "purchase.price_yuan", id="negative-price"),
        pytest.param({"purchase.price_yuan": 0}, "purchase.price_yuan", id="zero-price"),
        pytest.param({"as_of.odometer_km": -5}, "as_of.odometer_km", id="negative-km"),
        pytest.param(
            {"events[0].odometer_km": -1}, "events[0].odometer_km", id="negative-event-km"
        ),
        pytest.param(
            {"events[0].excluded_days.rescue_travel": -1},
            "events[0].excluded_days.rescue_travel",
            id="negative-excluded-days",
        ),
        pytest.param(
            {"warranty_card.compensation_rate": -0.001},
            "warranty_card.compensation_rate",
            id="negative-rate",
        ),
        pytest.param(
            {"warranty_card.wear_parts[0].months": -12},
            "warranty_card.wear_parts[0].months",
            id="negative-months",
        ),
    ],
)
def test_a_negative_number_or_zero_price_is_an_error_naming_the_field(overrides, field, facts):
    assert _error(facts(**overrides)).field == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"vehicle.category": "truck"}, "vehicle.category", id="category"),
        pytest.param({"vehicle.use": "taxi"}, "vehicle.use", id="use"),
        pytest.param({"vehicle.powertrain": "steam"}, "vehicle.powertrain", id="powertrain"),
        pytest.param({"problems.P1.system": "wheels"}, "problems.P1.system", id="system"),
        pytest.param({"problems.P1.failure": "engine_fire"}, "problems.P1.failure", id="failure"),
        pytest.param(
            {"problems.P1.exclusion": "commercial_use"}, "problems.P1.exclusion", id="exclusion"
        ),
        pytest.param(
            {"events[0].replaced[0].assembly": "wheels"},
            "events[0].replaced[0].assembly",
            id="assembly",
        ),
        pytest.param({"claim": "refund"}, "claim", id="claim"),
        pytest.param(
            {"replacement_available": "maybe"}, "replacement_available", id="availability"
        ),
        pytest.param({"regime": "2019"}, "regime", id="regime"),
    ],
)
def test_a_value_outside_its_list_is_an_error_naming_the_field(overrides, field, facts):
    err = _error(facts(**overrides))
    assert err.field == field
    assert "one of" in err.message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"purchase": DELETE}, "purchase", id="purchase"),
        pytest.param({"purchase.invoice_date": DELETE}, "purchase.invoice_date", id="invoice-date"),
        pytest.param({"purchase.price_yuan": None}, "purchase.price_yuan", id="price-null"),
        pytest.param({"as_of": DELETE}, "as_of", id="as_of"),
        pytest.param({"as_of.odometer_km": DELETE}, "as_of.odometer_km", id="as_of-km"),
        pytest.param({"events[0].start": DELETE}, "events[0].start", id="event-start"),
        pytest.param({"events[0].problem": DELETE}, "events[0].problem", id="event-problem"),
        pytest.param({"problems.P1.system": DELETE}, "problems.P1.system", id="problem-system"),
    ],
)
def test_a_missing_required_field_is_an_error_naming_it(overrides, field, facts):
    err = _error(facts(**overrides))
    assert (err.field, err.message) == (field, "required")


def test_an_event_odometer_lower_than_an_earlier_visit_is_an_error(facts):
    later_but_lower = dict(SECOND_EVENT, odometer_km=2400)
    err = _error(facts(**{"events[1]": later_but_lower}))
    assert err.field == "events[1].odometer_km"
    assert "backwards" in err.message


def test_an_earlier_visit_listed_later_with_a_lower_odometer_is_fine(facts):
    earlier = dict(SECOND_EVENT, start="2014-01-20", end="2014-01-20", odometer_km=900)
    assert len(parse_facts(facts(**{"events[1]": earlier})).events) == 2


def test_an_as_of_odometer_below_a_visit_is_an_error(facts):
    err = _error(facts(**{"as_of.odometer_km": 2000}))
    assert err.field == "as_of.odometer_km"


def test_an_end_before_the_start_is_an_error(facts):
    err = _error(facts(**{"events[0].end": "2014-02-01T08:59"}))
    assert err.field == "events[0].end"


def test_an_event_for_an_unknown_problem_is_an_error(facts):
    err = _error(facts(**{"events[0].problem": "P9"}))
    assert err.field == "events[0].problem"


def test_a_wear_part_not_declared_on_the_card_is_an_error(facts):
    err = _error(facts(**{"problems.P1.wear_part": "雨刮片"}))
    assert err.field == "problems.P1.wear_part"


def test_facts_that_are_not_an_object_are_an_error():
    assert _error([]).field == ""


def test_errors_have_a_chinese_message_and_the_contract_error_body(facts):
    err = _error(facts(**{"purchase.invoice_date": "2014-02-30"}))
    assert err.message_zh == "日期不存在"
    assert err.to_dict("en") == {
        "error": {"field": "purchase.invoice_date", "message": "impossible date"}
    }


def test_minimal_facts_take_the_contract_defaults():
    facts = parse_facts(
        {
            "purchase": {"invoice_date": "2014-01-10", "price_yuan": 150000},
            "as_of": {"date": "2014-03-01", "odometer_km": 2900},
        }
    )
    assert facts.purchase.delivery_date is None
    assert facts.purchase.has_invoice
    assert facts.purchase.has_warranty_card
    assert (facts.vehicle.category, facts.vehicle.use, facts.vehicle.powertrain) == (
        "passenger",
        "household",
        "ice",
    )
    assert facts.problems == ()
    assert facts.events == ()
    assert facts.warranty_card.compensation_rate is None
    assert facts.regime is None
    assert facts.replacement_available is None


def test_problem_and_event_defaults_follow_the_contract(facts):
    parsed = parse_facts(
        facts(
            **{
                "problems.P1": {"system": "engine"},
                "events[0]": {"problem": "P1", "start": "2014-02-01"},
            }
        )
    )
    problem, event = parsed.problems[0], parsed.events[0]
    assert (problem.quality_problem, problem.serious_safety) == (True, False)
    assert (problem.failure, problem.wear_part, problem.exclusion) == (None, None, None)
    assert (event.fault_found, event.resolved, event.end, event.replaced) == (True, True, None, ())
    assert event.odometer_km is None


def test_parsed_facts_are_frozen_with_decimal_money_dates_and_tuples(facts):
    parsed = parse_facts(facts(**{"purchase.price_yuan": 168800.5}))
    assert isinstance(parsed, Facts)
    assert parsed.purchase.price_yuan == Decimal("168800.5")
    assert parsed.warranty_card.compensation_rate == Decimal("0.005")
    assert parsed.purchase.invoice_date == date(2014, 1, 10)
    assert parsed.events[0].start == datetime(2014, 2, 1, 9, 0)
    assert isinstance(parsed.events, tuple)
    assert isinstance(parsed.events[0].replaced, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.as_of = None  # type: ignore[misc]
    assert hash(parsed.events[0]) == hash(parse_facts(facts()).events[0])


@pytest.mark.parametrize("regime", [pytest.param("2013", id="text"), pytest.param(2013, id="int")])
def test_regime_may_be_forced_as_text_or_number(regime, facts):
    assert parse_facts(facts(regime=regime)).regime == "2013"


def test_a_visit_before_the_purchase_is_a_warning_not_an_error(run, facts):
    d = facts(**{"events[0].start": "2014-01-05", "events[0].end": "2014-01-06"})
    d["events"][0]["odometer_km"] = 10
    result = run(d)
    assert any("events[0]" in w for w in result["warnings"])


def test_visits_out_of_order_are_a_warning_not_an_error(run, facts):
    earlier = dict(SECOND_EVENT, start="2014-01-20", end="2014-01-20", odometer_km=900)
    result = run(facts(**{"events[1]": earlier}), lang="en")
    assert any("chronological" in w for w in result["warnings"])
