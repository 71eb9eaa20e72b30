"""Needs replacing ("需要更换"): a part diagnosed as needing replacement opens 2013.18.2, 2022.20
and 2022.22 as a done replacement does, and counts for nothing else until replaced (contract 2).

2013 base: invoice 2014-01-10, `early` ends 2014-03-11. 2022 base: delivery 2023-04-06, so
`first_week` ends 2023-04-13 (day 7) and `early` 2023-06-05 (day 60).
"""

from __future__ import annotations

import pytest

from rules import FactsError, parse_facts
from tests.rules.contract_helpers import (
    both,
    check_remedies,
    f13,
    f22,
    pairs_of,
    part,
    problem,
    run,
    visit,
    whole,
)

ASSEMBLY_2013 = ("assembly_replacement", "2013.18.2", True)
ASSEMBLY_2022 = ("assembly_replacement", "2022.20", True)


def needed(assembly: str, name: str | None = None, *, day: str, by: str = "repairer") -> dict:
    """Return a replaced-part item diagnosed on ``day`` as needing replacement (not done)."""
    entry = whole(assembly) if name is None else part(assembly, name)
    return entry | {"status": "replacement_needed", "diagnosed_date": day, "diagnosed_by": by}


def _diagnosed_22(day: str, km: int, entry: dict, as_of=("2023-06-20", 3200), system="engine"):
    return f22(visit(day, km, replaced=[entry]), problems={"P1": problem(system)}, as_of=as_of)


def _diagnosed_13(day: str, km: int, entry: dict, as_of=("2014-03-20", 3200), system="engine"):
    return f13(visit(day, km, replaced=[entry]), problems={"P1": problem(system)}, as_of=as_of)


def _p(facts, has=frozenset(), lacks=frozenset(), *, id):
    return pytest.param(facts, set(has), set(lacks), id=id)


def _head(day: str) -> dict:
    return needed("engine", "缸体", day=day)


BOUNDARY_ROWS = [
    # 2022.22: a need to replace the engine, transmission, battery or motor within 7 days.
    _p(
        _diagnosed_22("2023-04-13", 400, _head("2023-04-13"), ("2023-04-20", 500)),
        both("2022.22", True),
        id="2022.22/diagnosed-day-7",
    ),
    _p(
        _diagnosed_22("2023-04-14", 400, _head("2023-04-14"), ("2023-04-20", 500)),
        lacks=pairs_of("2022.22"),
        id="2022.22/diagnosed-day-8",
    ),
    _p(
        _diagnosed_22(
            "2023-04-10", 300, needed("power_battery", day="2023-04-10", by="inspection"),
            ("2023-04-20", 500), system="power_battery",
        ),  # fmt: skip
        both("2022.22", True),
        id="2022.22/whole-battery-needed-by-inspection",
    ),
    _p(
        _diagnosed_22(
            "2023-04-10", 300, needed("brakes", "制动主缸", day="2023-04-10"),
            ("2023-04-20", 500), system="brakes",
        ),  # fmt: skip
        lacks=pairs_of("2022.22"),
        id="2022.22/brakes-not-named",
    ),
    # Diagnosed at a visit on day 7, replaced at a later one: the need arose on day 7.
    _p(
        _diagnosed_22(
            "2023-04-20", 500, part("engine", "缸体") | {"diagnosed_date": "2023-04-13"},
            ("2023-04-25", 600),
        ),  # fmt: skip
        both("2022.22", True),
        id="2022.22/replaced-later-diagnosed-day-7",
    ),
    _p(
        _diagnosed_22("2023-04-20", 500, part("engine", "缸体"), ("2023-04-25", 600)),
        lacks=pairs_of("2022.22"),
        id="2022.22/replaced-day-14-without-diagnosis-date",
    ),
    # 2022.20: early window, 60 days or 3,000 km.
    _p(_diagnosed_22("2023-06-05", 2500, _head("2023-06-05")), {ASSEMBLY_2022},
       id="2022.20/diagnosed-day-60"),
    _p(_diagnosed_22("2023-06-06", 2500, _head("2023-06-06")), lacks={ASSEMBLY_2022[:2]},
       id="2022.20/diagnosed-day-61"),
    _p(_diagnosed_22("2023-05-01", 3000, _head("2023-05-01"), ("2023-05-10", 3100)),
       {ASSEMBLY_2022}, id="2022.20/diagnosed-km-3000"),
    _p(_diagnosed_22("2023-05-01", 3001, _head("2023-05-01"), ("2023-05-10", 3100)),
       lacks={ASSEMBLY_2022[:2]}, id="2022.20/diagnosed-km-3001"),
    _p(
        _diagnosed_22(
            "2023-05-01", 1500, needed("drive_motor", "定子", day="2023-05-01"),
            system="drive_motor",
        ),  # fmt: skip
        {ASSEMBLY_2022},
        id="2022.20/drive-motor-main-part-needed",
    ),
    # 2013.18.2: engine or transmission only, same window.
    _p(_diagnosed_13("2014-03-11", 2500, _head("2014-03-11")), {ASSEMBLY_2013},
       id="2013.18.2/diagnosed-day-60"),
    _p(_diagnosed_13("2014-03-12", 2500, _head("2014-03-12")), lacks={ASSEMBLY_2013[:2]},
       id="2013.18.2/diagnosed-day-61"),
    _p(_diagnosed_13("2014-02-01", 3000, _head("2014-02-01")), {ASSEMBLY_2013},
       id="2013.18.2/diagnosed-km-3000"),
    _p(_diagnosed_13("2014-02-01", 3001, _head("2014-02-01")), lacks={ASSEMBLY_2013[:2]},
       id="2013.18.2/diagnosed-km-3001"),
    _p(
        _diagnosed_13(
            "2014-02-01", 1500, needed("transmission", "阀体", day="2014-02-01"),
            system="transmission",
        ),  # fmt: skip
        {ASSEMBLY_2013},
        id="2013.18.2/transmission-main-part-needed",
    ),
    _p(
        _diagnosed_13(
            "2014-02-01", 1500, needed("power_battery", day="2014-02-01"),
            system="power_battery",
        ),  # fmt: skip
        lacks={ASSEMBLY_2013[:2]},
        id="2013.18.2/battery-not-named-in-2013",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "has", "lacks"), BOUNDARY_ROWS)
def test_a_diagnosis_opens_the_early_grounds_exactly_at_their_thresholds(facts, has, lacks):
    check_remedies(run(facts), has, lacks)


def _twice(entry_of, *, regime: str, system: str = "engine") -> dict:
    """Two counted visits of one problem, each with ``entry_of(day)``, the second unresolved."""
    if regime == "2013":
        days, build, as_of = ("2014-05-01", "2014-07-01"), f13, ("2014-12-01", 18000)
    else:
        days, build, as_of = ("2023-08-01", "2023-10-01"), f22, ("2023-12-01", 15000)
    events = [
        visit(day, 8000 + 3000 * i, replaced=[entry_of(day)], resolved=False)
        for i, day in enumerate(days)
    ]
    return build(*events, problems={"P1": problem(system)}, as_of=as_of)


COUNTED_ROWS = [
    # (facts, basis): done twice opens the basis, diagnosed twice does not.
    ("2022.24.1.2", "2022", "engine", lambda day: whole("engine")),
    ("2022.24.1.3", "2022", "engine", lambda day: part("engine", "缸体")),
    ("2022.24.1.3", "2022", "brakes", lambda day: part("brakes", "制动主缸")),
    ("2013.20.3.2", "2013", "engine", lambda day: whole("engine")),
    ("2013.20.3.2", "2013", "transmission", lambda day: part("transmission", "阀体")),
    ("2013.20.3.3", "2013", "suspension", lambda day: part("suspension", "减振器")),
]


@pytest.mark.parametrize(
    ("basis", "regime", "system", "done"),
    [pytest.param(*row, id=f"{row[0]}/{row[2]}") for row in COUNTED_ROWS],
)
def test_a_diagnosis_is_not_a_replacement_for_the_counted_grounds(basis, regime, system, done):
    replaced = run(_twice(done, regime=regime, system=system))
    check_remedies(replaced, both(basis, False))

    def diagnosed(day: str) -> dict:
        return done(day) | {"status": "replacement_needed", "diagnosed_date": day}

    a = run(_twice(diagnosed, regime=regime, system=system))
    check_remedies(a, lacks=pairs_of(basis))
    assert a["counts"]["assembly_replacements"] == {}
    assert a["counts"]["main_part_replacements"] == {}
    # The visits themselves are still repairs of the problem, counted as the facts say.
    assert a["counts"]["repairs_by_problem"] == {"P1": 2}


def test_one_diagnosis_and_one_replacement_count_one_replacement():
    def entry(day: str) -> dict:
        first = day.endswith("08-01")
        return whole("engine") | (
            {"status": "replacement_needed", "diagnosed_date": day} if first else {}
        )

    a = run(_twice(entry, regime="2022"))
    assert a["counts"]["assembly_replacements"] == {"engine": 1}
    check_remedies(a, lacks=pairs_of("2022.24.1.2"))


def test_the_remedy_says_the_part_was_replaced_or_found_to_need_replacing():
    facts = _diagnosed_22("2023-05-01", 1500, _head("2023-05-01"))
    because = next(r["because"] for r in run(facts)["remedies"] if r["basis"] == "2022.20")
    assert "经诊断需要更换" in because
    en = next(r["because"] for r in run(facts, lang="en")["remedies"] if r["basis"] == "2022.20")
    assert "need replacing" in en


# --- the contract: version 2 fields, version 1 documents ------------------------------------------


def _one_item(item: dict, **top) -> dict:
    return f22(visit("2023-05-01", 1500, replaced=[item]), over=top)


def test_an_item_without_status_is_a_done_replacement():
    facts = parse_facts(_one_item(part("engine", "缸体")))
    r = facts.events[0].replaced[0]
    assert (r.status, r.diagnosed_date, r.diagnosed_by) == ("replaced", None, None)


def test_the_diagnosis_fields_are_read():
    facts = parse_facts(_one_item(needed("engine", "缸体", day="2023-05-02", by="inspection")))
    r = facts.events[0].replaced[0]
    assert r.status == "replacement_needed"
    assert (r.diagnosed_date.isoformat(), r.diagnosed_by) == ("2023-05-02", "inspection")


def test_a_version_1_document_is_accepted_and_read_as_replaced():
    d = _one_item(part("engine", "缸体"), contract=1)
    assert parse_facts(d).events[0].replaced[0].status == "replaced"
    assert run(d) == run(_one_item(part("engine", "缸体")))


@pytest.mark.parametrize(
    ("item", "top", "field"),
    [
        pytest.param(part("engine", "缸体") | {"status": "broken"}, {},
                     "events[0].replaced[0].status", id="unknown-status"),
        pytest.param(part("engine", "缸体") | {"diagnosed_by": "consumer"}, {},
                     "events[0].replaced[0].diagnosed_by", id="unknown-diagnosed-by"),
        pytest.param(part("engine", "缸体") | {"diagnosed_date": "2023-02-30"}, {},
                     "events[0].replaced[0].diagnosed_date", id="impossible-date"),
        pytest.param(needed("engine", "缸体", day="2023-05-01"), {"contract": 1},
                     "events[0].replaced[0].status", id="diagnosis-in-a-version-1-document"),
        pytest.param(part("engine", "缸体"), {"contract": 3}, "contract", id="unknown-version"),
        pytest.param(part("engine", "缸体"), {"contract": "2"}, "contract", id="version-as-text"),
    ],
)  # fmt: skip
def test_bad_diagnosis_fields_are_errors_naming_the_field(item, top, field):
    with pytest.raises(FactsError) as caught:
        parse_facts(_one_item(item, **top))
    assert caught.value.field == field
