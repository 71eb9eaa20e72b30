"""cases/forms.py: the shared fact-form pieces — shape checks in plain Chinese, list editing,
facts built from the form, and FactsError paths mapped back to fields."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from disputes.cases.facts import facts_dict_from_form, form_data_from_facts, form_field_for
from disputes.cases.forms import SelfCheckForm, apply_list_action
from tests.cases.contract_facts import normalise  # the same as the Case round trip
from tests.rules.shared_cases import CASES

#: A filled-in page as a browser posts it: one problem, two visits.
POSTED: dict[str, str] = {
    "purchase-invoice_date": "2024-05-18",
    "purchase-delivery_date": "",
    "purchase-price_yuan": "168,800 元",
    "purchase-has_invoice": "y",
    "purchase-has_warranty_card": "y",
    "purchase-category": "passenger",
    "purchase-use": "household",
    "purchase-powertrain": "ice",
    "warranty-compensation_rate_percent": "0.5",
    "warranty-wear_parts-0-name": "",
    "warranty-wear_parts-0-months": "",
    "warranty-wear_parts-0-km": "",
    "problems-0-label": "P1",
    "problems-0-system": "transmission",
    "problems-0-description": "变速器顿挫",
    "problems-0-quality_problem": "y",
    "problems-0-failure": "",
    "problems-0-exclusion": "",
    "events-0-problem": "P1",
    "events-0-start_date": "2024-07-02",
    "events-0-start_time": "09:10",
    "events-0-end_date": "2024-07-03",
    "events-0-end_time": "16:00",
    "events-0-odometer_km": "4200",
    "events-0-fault_found": "y",
    "events-0-replaced-0-assembly": "transmission",
    "events-0-replaced-0-part": "阀体",
    "events-0-replaced-0-main_part": "y",
    "events-1-problem": "P1",
    "events-1-start_date": "2024-08-20",
    "events-1-end_date": "",
    "events-1-in_workshop": "y",
    "events-1-odometer_km": "7600",
    "events-1-fault_found": "y",
    "events-1-resolved": "y",
    "as_of-date": "2024-09-01",
    "as_of-odometer_km": "9000",
    "claim-written_request_date": "2024-09-01",
    "claim-claim": "repair",
    "claim-replacement_available": "",
}


@pytest.fixture
def request_ctx(app):
    with app.test_request_context(method="POST"):
        yield


def posted(**changes: str | None) -> SelfCheckForm:
    """Bind SelfCheckForm to POSTED with changes (None removes a key), prepared and validated."""
    data = {k: v for k, v in (POSTED | changes).items() if v is not None}
    form = SelfCheckForm(formdata=MultiDict(data))
    form.prepare()
    form.validate()
    return form


def test_a_filled_page_validates_and_gives_contract_facts(request_ctx):
    form = posted()
    assert form.errors == {}
    facts = facts_dict_from_form(form)
    assert facts["purchase"] == {
        "invoice_date": "2024-05-18",
        "delivery_date": None,
        "price_yuan": 168800,
        "has_invoice": True,
        "has_warranty_card": True,
    }
    assert facts["warranty_card"]["compensation_rate"] == 0.005
    assert facts["warranty_card"]["wear_parts"] == []
    assert facts["problems"]["P1"]["system"] == "transmission"
    first, second = facts["events"]
    assert first["start"] == "2024-07-02T09:10"
    assert first["end"] == "2024-07-03T16:00"
    assert first["resolved"] is False
    assert first["replaced"] == [
        {
            "assembly": "transmission",
            "part": "阀体",
            "main_part": True,
            "whole_assembly": False,
            "status": "replaced",
            "diagnosed_date": None,
            "diagnosed_by": None,
        }
    ]
    assert second["start"] == "2024-08-20"
    assert second["end"] is None
    assert facts["claim"] == "repair"
    assert facts["replacement_available"] is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"purchase-invoice_date": ""},
            "purchase.invoice_date",
            "请填写购车发票上的开票日期",
            id="missing-invoice-date",
        ),
        pytest.param(
            {"purchase-invoice_date": "2024-02-30"},
            "purchase.invoice_date",
            "请按“年-月-日”填写",
            id="impossible-date",
        ),
        pytest.param(
            {"purchase-price_yuan": "-5"},
            "purchase.price_yuan",
            "车价款必须大于 0",
            id="negative-price",
        ),
        pytest.param(
            {"purchase-price_yuan": "0"}, "purchase.price_yuan", "车价款必须大于 0", id="price-0"
        ),
        pytest.param(
            {"purchase-price_yuan": "很多"}, "purchase.price_yuan", "请填写数字", id="price-text"
        ),
        pytest.param(
            {"events-0-end_date": "2024-07-01"},
            "events.0.end_date",
            "取车日期不能早于送修日期",
            id="end-before-start",
        ),
        pytest.param(
            {"events-0-end_date": "2024-07-02", "events-0-end_time": "08:00"},
            "events.0.end_time",
            "取车时间不能早于送修时间",
            id="same-day-end-before-start",
        ),
        pytest.param(
            {"events-1-in_workshop": None},
            "events.1.end_date",
            "请填写通知取车日期",
            id="no-end-not-in-workshop",
        ),
        pytest.param(
            {"events-0-odometer_km": "-1"}, "events.0.odometer_km", "里程不能是负数", id="km<0"
        ),
        pytest.param(
            {"events-0-problem": "P7"},
            "events.0.problem",
            "请选择这次修的是哪个问题",
            id="unknown-problem",
        ),
        pytest.param(
            {"problems-0-description": "", "events-0-problem": "P1"},
            "problems.0.description",
            "请用一句话描述这个问题",
            id="problem-without-description",
        ),
        pytest.param(
            {"warranty-wear_parts-0-name": "刹车片"},
            "warranty.wear_parts.0.months",
            "请填写月数",
            id="wear-part-half-filled",
        ),
        pytest.param(
            {"events-0-replaced-0-part": "", "events-0-replaced-0-whole_assembly": "y"},
            "events.0.replaced.0.part",
            "请填写更换的零件名称",
            id="part-without-name",
        ),
        pytest.param(
            {"as_of-odometer_km": ""}, "as_of.odometer_km", "请填写当天的里程表读数", id="as-of-km"
        ),
    ],
)
def test_a_bad_value_is_named_next_to_its_field_in_chinese(request_ctx, changes, field, message):
    if field == "problems.0.description":
        changes = changes | {"problems-0-system": "engine", "problems-0-label": "P1"}
    form = posted(**changes)
    target = _field(form, field)
    assert any(message in str(e) for e in target.errors), target.errors
    assert form.purchase.form.brand.data in (None, "")  # untouched fields stay as posted
    assert form.events[0].form.odometer_km.raw_data == [POSTED["events-0-odometer_km"]] or (
        field == "events.0.odometer_km"
    )


def _field(form, dotted: str):
    node: Any = form
    for part in dotted.split("."):
        node = node.entries[int(part)].form if part.isdigit() else node[part]
        node = node.form if getattr(node, "type", "") == "FormField" else node
    return node


def test_a_problem_left_blank_is_skipped_unless_a_visit_names_it(request_ctx):
    form = posted(**{"problems-1-label": "P2", "problems-1-description": ""})
    assert form.errors == {}
    assert list(facts_dict_from_form(form)["problems"]) == ["P1"]
    form = posted(
        **{"problems-1-label": "P2", "problems-1-description": "", "events-1-problem": "P2"}
    )
    assert form.problems[1].form.description.errors


def test_blank_rows_are_skipped_not_errors(request_ctx):
    form = posted(
        **{"events-2-problem": "P1", "events-2-start_date": "", "events-2-odometer_km": ""}
    )
    assert form.errors == {}
    assert len(facts_dict_from_form(form)["events"]) == 2


def test_entered_values_survive_a_failed_validation(request_ctx):
    form = posted(**{"purchase-price_yuan": "-5", "events-0-end_date": "2024-07-01"})
    assert form.purchase.form.price_yuan._value() == "-5"
    assert form.events[0].form.end_date._value() == "2024-07-01"
    assert form.events[1].form.odometer_km._value() == "7600"
    assert form.problems[0].form.description.data == "变速器顿挫"


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("add_event", lambda f: len(f.events) == 3),
        (
            "remove_event-0",
            lambda f: len(f.events) == 1 and f.events[0].form.odometer_km.data == 7600,
        ),
        ("add_problem", lambda f: [p.form.label.data for p in f.problems] == ["P1", "P2"]),
        ("add_part-1", lambda f: len(f.events[1].form.replaced) == 1),
        ("remove_part-0-0", lambda f: len(f.events[0].form.replaced) == 0),
        ("add_wear_part", lambda f: len(f.warranty.form.wear_parts) == 2),
        ("remove_wear_part-0", lambda f: len(f.warranty.form.wear_parts) == 1),  # min one row
    ],
)
def test_list_buttons_add_and_remove_rows(request_ctx, action, check):
    form = posted()
    assert apply_list_action(form, action) is True
    assert check(form)


def test_removing_a_problem_unassigns_its_visits_and_keeps_other_labels(request_ctx):
    form = posted(
        **{
            "problems-1-label": "P2",
            "problems-1-system": "electrical",
            "problems-1-description": "倒车影像黑屏",
            "events-1-problem": "P2",
        }
    )
    apply_list_action(form, "remove_problem-0")
    assert [p.form.label.data for p in form.problems] == ["P2"]
    assert form.events[0].form.problem.data == ""
    assert form.events[1].form.problem.data == "P2"
    apply_list_action(form, "add_problem")
    assert [p.form.label.data for p in form.problems] == ["P2", "P1"]


@pytest.mark.parametrize("action", ["", "explode", "remove_event-9", "add_part-7", "remove_part-0"])
def test_unknown_or_out_of_range_actions_change_nothing(request_ctx, action):
    form = posted()
    assert apply_list_action(form, action) is False
    assert len(form.events) == 2


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("purchase.price_yuan", "purchase.price_yuan"),
        ("vehicle.use", "purchase.use"),
        ("warranty_card.compensation_rate", "warranty.compensation_rate_percent"),
        ("warranty_card.three_guarantee.km", "warranty.three_guarantee_km"),
        ("problems.P1.system", "problems.0.system"),
        ("events[1].odometer_km", "events.1.odometer_km"),
        ("events[0].end", "events.0.end_date"),
        ("events[0].replaced[0].part", "events.0.replaced.0.part"),
        ("events[1].excluded_days.rescue_travel", "events.1.rescue_travel_days"),
        ("as_of.odometer_km", "as_of.odometer_km"),
        ("written_request_date", "claim.written_request_date"),
        ("claim", "claim.claim"),
    ],
)
def test_a_facts_error_path_finds_its_form_field(request_ctx, path, field):
    form = posted()
    assert form_field_for(form, path) is _field(form, field)


@pytest.mark.parametrize("path", ["regime", "events[5].start", "problems.P9.system", "nonsense"])
def test_a_facts_error_path_without_a_field_finds_none(request_ctx, path):
    assert form_field_for(posted(), path) is None


@pytest.mark.parametrize("path", CASES)
def test_shared_case_facts_survive_the_form(request_ctx, path):
    facts = json.loads(path.read_text(encoding="utf-8"))["facts"]
    form = SelfCheckForm(formdata=None, data=form_data_from_facts(facts))
    form.prepare()
    assert normalise(facts_dict_from_form(form)) == normalise(facts)


def test_compensation_percent_is_shown_as_typed_on_the_card(request_ctx):
    data = form_data_from_facts({"purchase": {}, "warranty_card": {"compensation_rate": 0.005}})
    assert data["warranty"]["compensation_rate_percent"] == Decimal("0.5")


def test_a_piece_has_no_token_of_its_own_inside_a_page_but_keeps_csrf_alone(app):
    from disputes.cases.forms import VehiclePurchaseForm

    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context(method="POST"):
        page = SelfCheckForm(formdata=MultiDict())
        assert "csrf_token" in page
        assert "csrf_token" not in page.purchase.form
        assert "csrf_token" not in page.events[0].form
        assert "csrf_token" in VehiclePurchaseForm(formdata=MultiDict())
