"""The 2013 → 2022 transition: the regime stays the invoice date's; a 2013 case whose failure,
repair days or written request fall on or after 2022-01-01 gets a warning naming the conflict
and the reading under the 2022 text in ``alternatives``.

Base: invoice 2021-11-20 (2013 rules), so `three_guarantee` runs to 2023-11-20.
"""

from __future__ import annotations

import pytest

from tests.rules.contract_helpers import (
    base_facts_2013,
    both,
    check_remedies,
    five_repairs,
    late_2013,
    pairs_of,
    problem,
    run,
    scenario,
    visit,
)


def _warns(a: dict) -> bool:
    return any("2022-01-01" in w and "2022" in w and "2013" in w for w in a["warnings"])


def test_a_2013_car_with_2022_repairs_is_read_under_both_texts():
    a = run(late_2013(*five_repairs()))
    assert a["regime"] == "2013"
    assert _warns(a)
    assert "events[0]" in a["warnings"][0]
    check_remedies(a, lacks=pairs_of("2013.21.1"))  # 5 repairs: 2013 needs 6
    (alternative,) = a["alternatives"]
    assert alternative["regime"] == "2022"
    assert "2022" in alternative["regime_reason"]
    check_remedies(alternative, both("2022.24.1.4", False))  # 2022 needs 5, with return
    assert alternative["deadlines"]["completion_due"] is None  # no request in these facts
    assert alternative["periods"]["first_week"]["ends_on"] == "2021-11-27"


def test_the_differences_name_the_thresholds_and_the_return():
    (alternative,) = run(late_2013(*five_repairs()))["alternatives"]
    found = {d["what"]: (d["from"], d["to"]) for d in alternative["differences"]}
    assert found["repair_days"] == (36, 31)
    assert found["repeat_repairs"] == (6, 5)
    assert found["time_or_count_return"] == (False, True)
    assert found["first_week_days"] == (None, 7)
    assert all(d["text"] for d in alternative["differences"])
    texts = " ".join(d["text"] for d in alternative["differences"])
    assert "36" in texts
    assert "31" in texts


def test_the_warning_and_differences_are_in_english_with_lang_en():
    a = run(late_2013(*five_repairs()), lang="en")
    assert any("no transitional clause" in w for w in a["warnings"])
    (alternative,) = a["alternatives"]
    assert alternative["regime_reason"].startswith("Under the 2022 text")
    assert any("36 days → 31 days" in d["text"] for d in alternative["differences"])


def _one(start: str, *end: str | None, **over) -> dict:
    """One visit starting on ``start``: the same day, or ending at ``end`` (None: still there)."""
    event = visit(start, 5000, end=end[0]) if end else visit(start, 5000)
    return late_2013(event, **over)


@pytest.mark.parametrize(
    ("facts", "crosses"),
    [
        pytest.param(_one("2021-12-31"), False, id="visit-2021-12-31"),
        pytest.param(_one("2022-01-01"), True, id="visit-2022-01-01"),
        pytest.param(_one("2021-12-30", "2022-01-01"), True, id="repair-days-into-2022"),
        pytest.param(_one("2021-12-30", None), True, id="still-in-the-workshop-in-2022"),
        pytest.param(_one("2021-12-20", **{"written_request_date": "2021-12-31"}), False,
                     id="request-2021-12-31"),
        pytest.param(_one("2021-12-20", **{"written_request_date": "2022-01-01"}), True,
                     id="request-2022-01-01"),
        pytest.param(_one("2021-12-20"), False, id="only-the-assessment-day-in-2022"),
        pytest.param(_one("2022-03-01", **{"regime": "2013"}), False, id="regime-forced-2013"),
    ],
)  # fmt: skip
def test_the_2022_reading_is_added_exactly_when_the_case_reaches_2022(facts, crosses):
    a = run(facts)
    assert a["regime"] == "2013"
    assert ("alternatives" in a) is crosses
    assert _warns(a) is crosses


def test_a_diagnosis_dated_in_2022_reaches_2022():
    entry = {
        "assembly": "engine", "part": "缸体", "main_part": True, "status": "replacement_needed",
        "diagnosed_date": "2022-01-02", "diagnosed_by": "inspection",
    }  # fmt: skip
    facts = late_2013(
        visit("2021-12-20", 1500, replaced=[entry]), problems={"P1": problem("engine")}
    )
    a = run(facts)
    assert "alternatives" in a
    # Diagnosed inside the early window (invoice + 60 days = 2022-01-19) under both readings.
    check_remedies(a, {("assembly_replacement", "2013.18.2", True)})
    check_remedies(a["alternatives"][0], {("assembly_replacement", "2022.20", True)})


def test_a_2022_car_has_no_alternative():
    base = base_facts_2013()
    base["purchase"]["invoice_date"] = "2022-01-01"
    a = run(scenario(base, visit("2022-03-01", 5000), as_of=("2022-06-01", 12000)))
    assert a["regime"] == "2022"
    assert "alternatives" not in a
    assert not _warns(a)
