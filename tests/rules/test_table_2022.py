"""Pass/fail pairs at every threshold of the 2022 rules (regulation.md §5), via the contract only.

Base: invoice 2023-04-03, delivery 2023-04-06; 2022 counts from delivery (2022.18), so `first_week`
ends 2023-04-13, `early` 2023-06-05 (day 60 = 24 days to 04-30 + 31 + 5), `three_guarantee`
2025-04-06 / 50,000 km and `repair_warranty` 2026-04-06 / 60,000 km.
"""

from __future__ import annotations

import pytest

from tests.rules.contract_helpers import (
    both,
    check_remedies,
    excluded_pairs,
    f22,
    pairs_of,
    part,
    problem,
    run,
    visit,
    whole,
)

FREE_REPAIR = ("free_repair", "2022.19.1", True)
EARLY_AS_OF = ("2023-06-20", 3200)
LATE_AS_OF = ("2023-12-01", 15000)
HEAD = part("engine", "缸盖")


def _p(facts, has=frozenset(), lacks=frozenset(), *, id):
    return pytest.param(facts, set(has), set(lacks), id=id)


def _visits(n: int, problem_label: str = "P1", **extra) -> list[dict]:
    """Return ``n`` one-day visits on the 10th of June, July, ... 2023, 1,000 km apart."""
    return [
        visit(f"2023-{6 + i:02d}-10", 5000 + 1000 * i, problem=problem_label, **extra)
        for i in range(n)
    ]


def _replaced(day: str, km: int, entry: dict, as_of=EARLY_AS_OF, system: str = "engine") -> dict:
    return f22(visit(day, km, replaced=[entry]), problems={"P1": problem(system)}, as_of=as_of)


def _failure(failure: str | None, system: str, day: str, km: int, as_of=EARLY_AS_OF, **kw):
    problems = {"P1": problem(system, failure=failure)}
    return f22(visit(day, km), problems=problems, as_of=as_of, **kw)


def _long(start: str, end: str, **extra) -> dict:
    return f22(visit(start, 5000, end=end, **extra), as_of=("2023-08-01", 6000))


def _serious(*resolved: bool, serious: bool = True) -> dict:
    days = ["2023-06-10", "2023-09-01", "2023-11-01"]
    events = [
        visit(d, 5000 + 3000 * i, resolved=r)
        for i, (d, r) in enumerate(zip(days, resolved, strict=False))
    ]
    return f22(*events, problems={"P1": problem("body", serious_safety=serious)}, as_of=LATE_AS_OF)


def _replacements(
    *entries: dict | None,
    resolved: tuple = (),
    system: str = "engine",
    problems: dict | None = None,
    problem_of: tuple = (),
) -> dict:
    """Visits on 2023-06-10, 08-01, 10-01 replacing one entry each (None: no part)."""
    days = ["2023-06-10", "2023-08-01", "2023-10-01"]
    events = [
        visit(
            days[i],
            5000 + 3000 * i,
            replaced=[] if entry is None else [entry],
            resolved=resolved[i] if i < len(resolved) else True,
            problem=problem_of[i] if i < len(problem_of) else "P1",
        )
        for i, entry in enumerate(entries)
    ]
    return f22(*events, problems=problems or {"P1": problem(system)}, as_of=LATE_AS_OF)


def _same_part(assembly: str, name: str, resolved=(True, False)) -> dict:
    entry = part(assembly, name)
    return _replacements(entry, entry, resolved=resolved, system=assembly)


# 2022.19.1 — free repair in the repair warranty; wear part inside its own guarantee.
WIPER = {"warranty_card.wear_parts": [{"name": "雨刮片", "months": 6, "km": 5000}]}
WEAR = ("wear_part_replacement", "2022.19.1", True)


def _wear(day: str, km: int) -> dict:
    return f22(
        visit(day, km),
        problems={"P1": problem("electrical", wear_part="雨刮片")},
        as_of=("2023-11-01", 6000),
        over=WIPER,
    )


FREE_ROWS = [
    _p(
        f22(visit("2023-06-10", 5000), as_of=("2026-04-06", 40000)),
        {FREE_REPAIR},
        id="2022.19.1/last-day-of-repair-warranty",
    ),
    _p(
        f22(visit("2023-06-10", 5000), as_of=("2026-04-07", 40000)),
        lacks={FREE_REPAIR[:2]},
        id="2022.19.1/day-after-repair-warranty",
    ),
    # Three years from the invoice would end 2026-04-03; from delivery it runs to 2026-04-06.
    _p(
        f22(visit("2023-06-10", 5000), as_of=("2026-04-04", 40000)),
        {FREE_REPAIR},
        id="2022.19.1/counts-from-delivery-date",
    ),
    _p(
        f22(visit("2023-06-10", 5000), as_of=("2025-10-01", 60000)),
        {FREE_REPAIR},
        id="2022.19.1/km-60000",
    ),
    _p(
        f22(visit("2023-06-10", 5000), as_of=("2025-10-01", 60001)),
        lacks={FREE_REPAIR[:2]},
        id="2022.19.1/km-60001",
    ),
    _p(
        f22(visit("2023-06-10", 5000), problems={"P1": problem(exclusion="force_majeure")}),
        lacks={FREE_REPAIR[:2]},
        id="2022.19.1/only-problem-excluded",
    ),
    # 6 months from delivery 2023-04-06 → 2023-10-06.
    _p(_wear("2023-10-06", 4000), {WEAR}, id="2022.19.1/wear-part-last-day"),
    _p(_wear("2023-10-07", 4000), lacks={WEAR[:2]}, id="2022.19.1/wear-part-day-after"),
    _p(_wear("2023-06-10", 5000), {WEAR}, id="2022.19.1/wear-part-km-5000"),
    _p(_wear("2023-06-10", 5001), lacks={WEAR[:2]}, id="2022.19.1/wear-part-km-5001"),
]

# 2022.20 — a main part or the assembly of engine/transmission/battery/motor inside `early`.
ASSEMBLY = ("assembly_replacement", "2022.20", True)
ASSEMBLY_ROWS = [
    _p(_replaced("2023-06-05", 2500, HEAD), {ASSEMBLY}, id="2022.20/day-60"),
    _p(_replaced("2023-06-06", 2500, HEAD), lacks={ASSEMBLY[:2]}, id="2022.20/day-61"),
    _p(
        _replaced("2023-05-01", 3000, HEAD, ("2023-05-10", 3100)),
        {ASSEMBLY},
        id="2022.20/km-3000",
    ),
    _p(
        _replaced("2023-05-01", 3001, HEAD, ("2023-05-10", 3100)),
        lacks={ASSEMBLY[:2]},
        id="2022.20/km-3001",
    ),
    _p(
        _replaced("2023-05-01", 1500, part("transmission", "阀体"), system="transmission"),
        {ASSEMBLY},
        id="2022.20/transmission-main-part",
    ),
    _p(
        _replaced("2023-05-01", 1500, part("power_battery", "电芯"), system="power_battery"),
        {ASSEMBLY},
        id="2022.20/power-battery-main-part",
    ),
    _p(
        _replaced("2023-05-01", 1500, whole("drive_motor"), system="drive_motor"),
        {ASSEMBLY},
        id="2022.20/whole-drive-motor",
    ),
    _p(
        _replaced("2023-05-01", 1500, part("brakes", "制动主缸"), system="brakes"),
        lacks={ASSEMBLY[:2]},
        id="2022.20/brakes-main-part-not-named",
    ),
    _p(
        _replaced("2023-05-01", 1500, part("engine", "火花塞", main=False)),
        lacks={ASSEMBLY[:2]},
        id="2022.20/not-a-main-part",
    ),
    _p(
        _replaced("2023-05-01", 1500, HEAD, ("2025-04-06", 40000)),
        {ASSEMBLY},
        id="2022.20/three-guarantee-last-day",
    ),
    _p(
        _replaced("2023-05-01", 1500, HEAD, ("2025-04-07", 40000)),
        lacks={ASSEMBLY[:2]},
        id="2022.20/three-guarantee-ended",
    ),
]

# 2022.21 — one visit in the repair warranty lasting more than 5 days (duty from day 6).
BACKUP = ("backup_vehicle", "2022.21", True)
BACKUP_ROWS = [
    _p(
        _long("2023-07-01T08:00", "2023-07-06T08:00"),
        lacks={BACKUP[:2]},
        id="2022.21/120h00-is-5-days",
    ),
    _p(_long("2023-07-01T08:00", "2023-07-06T08:01"), {BACKUP}, id="2022.21/120h01-is-6-days"),
    _p(_long("2023-07-01", "2023-07-05"), lacks={BACKUP[:2]}, id="2022.21/dates-5-days"),
    _p(_long("2023-07-01", "2023-07-06"), {BACKUP}, id="2022.21/dates-6-days"),
    _p(
        _long("2023-07-01", "2023-07-06", excluded_days={"battery_transport": 4}),
        {BACKUP},
        id="2022.21/battery-transport-never-shortens-one-visit",
    ),
    _p(
        _long("2023-07-01", "2023-07-06", fault_found=False),
        lacks={BACKUP[:2]},
        id="2022.21/no-fault-found",
    ),
    _p(
        f22(visit("2026-04-06", 44000, end="2026-04-11"), as_of=("2026-04-20", 45000)),
        {BACKUP},
        id="2022.21/visit-on-last-day-of-repair-warranty",
    ),
    _p(
        f22(visit("2026-04-07", 44000, end="2026-04-12"), as_of=("2026-04-20", 45000)),
        lacks={BACKUP[:2]},
        id="2022.21/visit-after-repair-warranty",
    ),
]

# 2022.22 — inside the first 7 days a main part or assembly of the four named assemblies replaced.
WEEK = both("2022.22", True)
WEEK_NO = pairs_of("2022.22")
WEEK_ROWS = [
    _p(_replaced("2023-04-13", 300, HEAD), WEEK, id="2022.22/day-7"),
    _p(_replaced("2023-04-14", 300, HEAD), lacks=WEEK_NO, id="2022.22/day-8"),
    # Day 9 after the invoice but day 6 after delivery: the 2022 rules count from delivery.
    _p(_replaced("2023-04-12", 300, HEAD), WEEK, id="2022.22/counts-from-delivery-date"),
    _p(
        _replaced("2023-04-10", 450, part("power_battery", "电芯"), system="power_battery"),
        WEEK,
        id="2022.22/power-battery-main-part",
    ),
    _p(
        _replaced("2023-04-10", 450, whole("drive_motor"), system="drive_motor"),
        WEEK,
        id="2022.22/whole-drive-motor",
    ),
    _p(
        _replaced("2023-04-10", 450, whole("transmission"), system="transmission"),
        WEEK,
        id="2022.22/whole-transmission",
    ),
    _p(
        _replaced("2023-04-10", 450, part("brakes", "制动主缸"), system="brakes"),
        lacks=WEEK_NO,
        id="2022.22/brakes-main-part-not-named",
    ),
    _p(
        _replaced("2023-04-10", 450, part("engine", "火花塞", main=False)),
        lacks=WEEK_NO,
        id="2022.22/not-a-main-part",
    ),
    # first_week has no km limit; `early` has (3,000 km).
    _p(
        _replaced("2023-04-10", 3500, HEAD, ("2023-04-20", 3600)),
        WEEK,
        {ASSEMBLY[:2]},
        id="2022.22/no-km-limit-3500-km",
    ),
    _p(
        _replaced("2023-04-10", 450, HEAD, ("2025-04-07", 40000)),
        lacks=WEEK_NO,
        id="2022.22/three-guarantee-ended",
    ),
]

# 2022.23 — five named failures on the first visit inside `early` (battery fire added in 2022).
FAIL = both("2022.23", True)
FAIL_NO = pairs_of("2022.23")
FAILURE_ROWS = [
    _p(_failure("brake_failure", "brakes", "2023-06-05", 2500), FAIL, id="2022.23/day-60"),
    _p(_failure("brake_failure", "brakes", "2023-06-06", 2500), lacks=FAIL_NO, id="2022.23/day-61"),
    _p(
        _failure("brake_failure", "brakes", "2023-05-01", 3000, ("2023-05-10", 3100)),
        FAIL,
        id="2022.23/km-3000",
    ),
    _p(
        _failure("brake_failure", "brakes", "2023-05-01", 3001, ("2023-05-10", 3100)),
        lacks=FAIL_NO,
        id="2022.23/km-3001",
    ),
    _p(
        _failure(
            "battery_fire", "power_battery", "2023-05-01", 1000, over={"vehicle.powertrain": "bev"}
        ),
        FAIL,
        id="2022.23/battery-fire",
    ),
    _p(_failure("steering_failure", "steering", "2023-05-01", 1000), FAIL, id="2022.23/steering"),
    _p(_failure("body_crack", "body", "2023-05-01", 1000), FAIL, id="2022.23/body-crack"),
    _p(_failure("fuel_leak", "fuel", "2023-05-01", 1000), FAIL, id="2022.23/fuel-leak"),
    _p(_failure(None, "brakes", "2023-05-01", 1000), lacks=FAIL_NO, id="2022.23/no-failure"),
    _p(
        _failure("brake_failure", "brakes", "2023-05-01", 1000, ("2025-04-06", 40000)),
        FAIL,
        id="2022.23/three-guarantee-last-day",
    ),
    _p(
        _failure("brake_failure", "brakes", "2023-05-01", 1000, ("2025-04-07", 40000)),
        lacks=FAIL_NO,
        id="2022.23/three-guarantee-ended",
    ),
]

# 2022.24.1.1 — serious safety: 3 repairs, or 2 with the second unresolved.
SAFE = both("2022.24.1.1", False)
SAFE_NO = pairs_of("2022.24.1.1")
SERIOUS_ROWS = [
    _p(_serious(True, False), SAFE, id="2022.24.1.1/2-repairs-second-unresolved"),
    _p(_serious(True, True), lacks=SAFE_NO, id="2022.24.1.1/2-repairs-resolved"),
    _p(_serious(True, True, True), SAFE, id="2022.24.1.1/3-repairs"),
    _p(_serious(False), lacks=SAFE_NO, id="2022.24.1.1/1-repair-unresolved"),
    _p(_serious(True, False, serious=False), lacks=SAFE_NO, id="2022.24.1.1/not-serious"),
]

# 2022.24.1.2 — whole assemblies of the four, pooled, 2 or more, still not working.
A2 = both("2022.24.1.2", False)
A2_NO = pairs_of("2022.24.1.2")
A3 = both("2022.24.1.3", False)
A3_NO = pairs_of("2022.24.1.3")
TWO_PROBLEMS = {"P1": problem("power_battery"), "P2": problem("drive_motor")}
ASSEMBLY_TWICE_ROWS = [
    _p(
        _replacements(whole("engine"), whole("engine"), resolved=(True, False)),
        A2,
        id="2022.24.1.2/engine-twice-second-unresolved",
    ),
    _p(
        _replacements(whole("engine"), whole("engine")),
        lacks=A2_NO,
        id="2022.24.1.2/engine-twice-resolved-no-later-visit",
    ),
    _p(
        _replacements(whole("engine"), whole("engine"), None),
        A2,
        id="2022.24.1.2/engine-twice-resolved-later-visit",
    ),
    _p(
        _replacements(
            whole("power_battery"),
            whole("drive_motor"),
            resolved=(True, False),
            problems=TWO_PROBLEMS,
            problem_of=("P1", "P2"),
        ),
        A2,
        id="2022.24.1.2/battery-once-plus-motor-once-pooled",
    ),
    _p(
        _replacements(whole("engine"), resolved=(False,)),
        lacks=A2_NO,
        id="2022.24.1.2/engine-once",
    ),
    _p(
        _replacements(HEAD, whole("engine"), resolved=(True, False)),
        lacks=A2_NO | A3_NO,
        id="2022.24.1.2/main-part-and-assembly-not-added",
    ),
    # Under 2022 the same engine main part twice is item (3), not item (2).
    _p(
        _replacements(HEAD, HEAD, resolved=(True, False)),
        A3,
        A2_NO,
        id="2022.24.1.2/same-main-part-twice-is-item-3",
    ),
]

# 2022.24.1.3 — the same main part of the ten named systems twice, still not working.
SAME_PART_ROWS = [
    _p(_same_part(system, name), A3, id=f"2022.24.1.3/{system}")
    for system, name in [
        ("engine", "缸盖"),
        ("transmission", "阀体"),
        ("power_battery", "电芯"),
        ("drive_motor", "定子"),
        ("steering", "转向机"),
        ("brakes", "制动主缸"),
        ("suspension", "减振器"),
        ("drivetrain", "传动轴"),
        ("emission_control", "三元催化器"),
        ("body", "车门"),
    ]
] + [
    _p(_same_part("axle", "主减速器"), lacks=A3_NO, id="2022.24.1.3/axle-not-named"),
    _p(_same_part("electrical", "组合仪表"), lacks=A3_NO, id="2022.24.1.3/electrical-not-named"),
    _p(
        _same_part("brakes", "制动主缸", resolved=(True, True)),
        lacks=A3_NO,
        id="2022.24.1.3/twice-resolved-no-later-visit",
    ),
    _p(
        _replacements(
            part("brakes", "制动主缸"), part("brakes", "制动主缸"), None, system="brakes"
        ),
        A3,
        id="2022.24.1.3/twice-resolved-later-visit",
    ),
    _p(
        _replacements(part("brakes", "制动主缸"), resolved=(False,), system="brakes"),
        lacks=A3_NO,
        id="2022.24.1.3/once",
    ),
]

# 2022.24.1.4 — more than 30 cumulative days, or more than 4 visits for one problem.
T4 = both("2022.24.1.4", False)
T4_NO = pairs_of("2022.24.1.4")


def _days(*spans: tuple[str, str, str], excluded: dict | None = None, problems=None) -> dict:
    events = [
        visit(
            s,
            5000 + 1000 * i,
            end=e,
            problem=p,
            **({"excluded_days": excluded} if excluded and i == 0 else {}),
        )
        for i, (s, e, p) in enumerate(spans)
    ]
    problems = problems or {"P1": problem(), "P2": problem("body")}
    return f22(*events, problems=problems, as_of=("2023-10-01", 9000))


D30 = ("2023-06-10T08:00", "2023-07-10T08:00", "P1")  # 720 h = 30 days
D31 = ("2023-06-10T08:00", "2023-07-10T08:01", "P1")  # 720 h 01 min → 31 days
COUNT_ROWS = [
    _p(f22(*_visits(4), as_of=LATE_AS_OF), lacks=T4_NO, id="2022.24.1.4/4-repairs"),
    _p(f22(*_visits(5), as_of=LATE_AS_OF), T4, id="2022.24.1.4/5-repairs"),
    _p(
        f22(
            *_visits(4),
            visit("2023-11-01", 12000, problem="P2"),
            problems={"P1": problem(), "P2": problem("body")},
            as_of=LATE_AS_OF,
        ),
        lacks=T4_NO,
        id="2022.24.1.4/4-repairs-plus-1-of-another-problem",
    ),
    _p(
        f22(*_visits(4), visit("2023-11-01", 12000, fault_found=False), as_of=LATE_AS_OF),
        lacks=T4_NO,
        id="2022.24.1.4/5th-visit-no-fault-found",
    ),
    _p(_days(D30), lacks=T4_NO, id="2022.24.1.4/30-days"),
    _p(_days(D31), T4, id="2022.24.1.4/31-days"),
    _p(
        _days(
            ("2023-06-10T08:00", "2023-06-30T08:00", "P1"),
            ("2023-08-01T08:00", "2023-08-12T08:00", "P2"),
        ),
        T4,
        id="2022.24.1.4/20-plus-11-days-of-two-problems",
    ),
    _p(
        _days(D31, excluded={"battery_transport": 1}),
        lacks=T4_NO,
        id="2022.24.1.4/31-days-less-1-battery-transport",
    ),
    _p(
        _days(D31, excluded={"special_parts_transport": 1}),
        lacks=T4_NO,
        id="2022.24.1.4/31-days-less-1-special-part-transport",
    ),
    _p(
        _days(D31, excluded={"rescue_travel": 1}),
        lacks=T4_NO,
        id="2022.24.1.4/31-days-less-1-rescue-travel",
    ),
    _p(
        f22(*_visits(5), as_of=("2025-04-06", 30000)), T4, id="2022.24.1.4/three-guarantee-last-day"
    ),
    _p(
        f22(*_visits(5), as_of=("2025-04-07", 30000)),
        lacks=T4_NO,
        id="2022.24.1.4/three-guarantee-ended",
    ),
]


@pytest.mark.parametrize(
    ("facts", "has", "lacks"),
    FREE_ROWS
    + ASSEMBLY_ROWS
    + BACKUP_ROWS
    + WEEK_ROWS
    + FAILURE_ROWS
    + SERIOUS_ROWS
    + ASSEMBLY_TWICE_ROWS
    + SAME_PART_ROWS
    + COUNT_ROWS,
)
def test_remedy_opens_exactly_at_its_2022_threshold(facts, has, lacks):
    a = run(facts)
    assert a["regime"] == "2022"
    check_remedies(a, has, lacks)


def test_no_return_for_no_replacement_car_is_listed_separately_under_2022():
    a = run(f22(*_visits(5), as_of=LATE_AS_OF, over={"replacement_available": "none"}))
    check_remedies(a, T4)
    assert {r["basis"] for r in a["remedies"]} <= {"2022.24.1.4", "2022.19.1"}


# Exclusions — 2022 (regulation.md §5).
BRAKE_EARLY = visit("2023-05-01", 1000)
BRAKE = {"P1": problem("brakes", failure="brake_failure")}


@pytest.mark.parametrize(
    ("exclusion", "basis"),
    [
        pytest.param("disclosed_defect", "2022.32.1.1", id="2022.32.1.1/disclosed-defect"),
        pytest.param(
            "improper_use_or_maintenance",
            "2022.32.1.2",
            id="2022.32.1.2/improper-use-or-maintenance",
        ),
        pytest.param("modification", "2022.32.1.3", id="2022.32.1.3/modification"),
        pytest.param("improper_handling", "2022.32.1.4", id="2022.32.1.4/improper-handling"),
        pytest.param("force_majeure", "2022.32.1.5", id="2022.32.1.5/force-majeure"),
        pytest.param(None, None, id="2022.32.1/no-exclusion"),
    ],
)
def test_problem_exclusion_removes_that_problem_only(exclusion, basis):
    problems = {
        "P1": problem("brakes", failure="brake_failure", exclusion=exclusion),
        "P2": problem("electrical"),
    }
    facts = f22(
        BRAKE_EARLY, visit("2023-05-10", 1500, problem="P2"), problems=problems, as_of=EARLY_AS_OF
    )
    a = run(facts)
    if basis is None:
        assert a["excluded"] == []
        check_remedies(a, FAIL | {FREE_REPAIR})
    else:
        assert excluded_pairs(a) == {("P1", basis)}
        check_remedies(a, {FREE_REPAIR}, FAIL_NO)
        assert a["counts"]["repairs_by_problem"].get("P1", 0) == 0


@pytest.mark.parametrize(
    ("day", "km", "excluded"),
    [
        pytest.param("2023-10-06", 4000, set(), id="2022.19.1/wear-part-first-visit-on-last-day"),
        pytest.param(
            "2023-10-07",
            4000,
            {("P1", "2022.19.1")},
            id="2022.19.1/wear-part-first-visit-day-after",
        ),
        pytest.param(
            "2023-06-10", 5001, {("P1", "2022.19.1")}, id="2022.19.1/wear-part-first-visit-km-5001"
        ),
    ],
)
def test_wear_part_problem_past_its_guarantee_is_excluded(day, km, excluded):
    assert excluded_pairs(run(_wear(day, km))) == excluded


@pytest.mark.parametrize(
    ("use", "excluded"),
    [
        pytest.param("commercial", {(None, "2022.40")}, id="2022.40/commercial"),
        pytest.param("household", set(), id="2022.40/household"),
    ],
)
def test_commercial_use_puts_the_whole_case_outside_the_2022_rules(use, excluded):
    a = run(f22(BRAKE_EARLY, problems=BRAKE, as_of=EARLY_AS_OF, over={"vehicle.use": use}))
    assert excluded_pairs(a) == excluded
    if excluded:
        assert a["remedies"] == []
        assert a["periods"]["first_week"]["ends_on"] == "2023-04-13"
        assert a["periods"]["three_guarantee"]["ends_on"] == "2025-04-06"
    else:
        check_remedies(a, FAIL | {FREE_REPAIR})


@pytest.mark.parametrize(
    "over",
    [
        pytest.param({"vehicle.category": "pickup"}, id="2022.2/pickup-is-covered"),
        pytest.param(
            {"purchase.has_invoice": False}, id="2022.19.2/no-invoice-is-not-an-exclusion"
        ),
        pytest.param(
            {"purchase.has_warranty_card": False}, id="2022.19.2/no-card-is-not-an-exclusion"
        ),
    ],
)
def test_pickups_and_missing_papers_are_not_excluded_under_2022(over):
    a = run(f22(BRAKE_EARLY, problems=BRAKE, as_of=EARLY_AS_OF, over=over))
    assert a["excluded"] == []
    check_remedies(a, FAIL | {FREE_REPAIR})


@pytest.mark.parametrize(
    "over",
    [
        pytest.param({"purchase.has_invoice": False}, id="2022.19.2/no-invoice-warns"),
        pytest.param({"purchase.has_warranty_card": False}, id="2022.19.2/no-card-warns"),
    ],
)
def test_missing_papers_only_warn_under_2022(over):
    quiet = run(f22(visit("2023-06-10T08:30", 5000, end="2023-06-10T18:00")))
    loud = run(f22(visit("2023-06-10T08:30", 5000, end="2023-06-10T18:00"), over=over))
    assert len(loud["warnings"]) > len(quiet["warnings"])
