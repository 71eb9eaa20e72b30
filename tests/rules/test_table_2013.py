"""Pass/fail pairs at every threshold of the 2013 rules (regulation.md §4), via the contract only.

Base: invoice 2014-01-10, so `early` ends 2014-03-11 (day 60 = 21 days to 01-31 + 28 + 11),
`three_guarantee` ends 2016-01-10 / 50,000 km, `repair_warranty` 2017-01-10 / 60,000 km.
"""

from __future__ import annotations

import pytest

from tests.rules.contract_helpers import (
    both,
    check_remedies,
    excluded_pairs,
    f13,
    pairs_of,
    part,
    problem,
    run,
    threshold_pairs,
    visit,
    visits,
    whole,
)

FREE_REPAIR = ("free_repair", "2013.18.1", True)
EARLY_AS_OF = ("2014-03-20", 3200)
LATE_AS_OF = ("2014-12-01", 18000)
ENGINE = {"P1": problem("engine")}


def one(item: tuple) -> set:
    return {item}


def _p(facts, has=frozenset(), lacks=frozenset(), *, id):
    return pytest.param(facts, set(has), set(lacks), id=id)


def _early_part(day: str, km: int, entry: dict, as_of=EARLY_AS_OF) -> dict:
    return f13(visit(day, km, replaced=[entry]), problems=ENGINE, as_of=as_of)


def _failure(failure: str | None, system: str, day: str, km: int, as_of=EARLY_AS_OF, **kw) -> dict:
    problems = {"P1": problem(system, failure=failure)}
    return f13(visit(day, km), problems=problems, as_of=as_of, **kw)


def _long(start: str, end: str, **extra) -> dict:
    return f13(visit(start, 8000, end=end, **extra), as_of=("2014-07-20", 9000))


def _serious(*resolved: bool, serious: bool = True, no_fault: int | None = None) -> dict:
    days = ["2014-06-01", "2014-09-01", "2014-11-01"]
    events = [
        visit(d, 9000 + 3000 * i, resolved=r, fault_found=i != no_fault)
        for i, (d, r) in enumerate(zip(days, resolved, strict=False))
    ]
    return f13(*events, problems={"P1": problem("body", serious_safety=serious)}, as_of=LATE_AS_OF)


def _replacements(
    *entries: dict | None,
    resolved: tuple = (),
    system: str = "engine",
    later: dict | None = None,
    problems: dict | None = None,
    problem_of: tuple = (),
) -> dict:
    """Visits on 2014-05-01, 08-01, 10-01 replacing one entry each (None: no part)."""
    days = ["2014-05-01", "2014-08-01", "2014-10-01"]
    events = []
    for i, entry in enumerate(entries):
        events.append(
            visit(
                days[i],
                8000 + 4000 * i,
                replaced=[] if entry is None else [entry],
                resolved=resolved[i] if i < len(resolved) else True,
                problem=problem_of[i] if i < len(problem_of) else "P1",
            )
        )
    if later is not None:
        events.append(later)
    return f13(*events, problems=problems or {"P1": problem(system)}, as_of=LATE_AS_OF)


# 2013.18.1 — free repair while the repair warranty runs and a problem is not excluded.
FREE_REPAIR_ROWS = [
    _p(
        f13(visit("2014-05-01", 8000), as_of=("2017-01-10", 40000)),
        one(FREE_REPAIR),
        id="2013.18.1/last-day-of-repair-warranty",
    ),
    _p(
        f13(visit("2014-05-01", 8000), as_of=("2017-01-11", 40000)),
        lacks=one(FREE_REPAIR[:2]),
        id="2013.18.1/day-after-repair-warranty",
    ),
    _p(
        f13(visit("2014-05-01", 8000), as_of=("2016-06-01", 60000)),
        one(FREE_REPAIR),
        id="2013.18.1/km-60000",
    ),
    _p(
        f13(visit("2014-05-01", 8000), as_of=("2016-06-01", 60001)),
        lacks=one(FREE_REPAIR[:2]),
        id="2013.18.1/km-60001",
    ),
    _p(
        f13(
            visit("2014-05-01", 8000),
            problems={"P1": problem(), "P2": problem("body", exclusion="modification")},
        ),
        one(FREE_REPAIR),
        id="2013.18.1/one-problem-not-excluded",
    ),
    _p(
        f13(visit("2014-05-01", 8000), problems={"P1": problem(exclusion="modification")}),
        lacks=one(FREE_REPAIR[:2]),
        id="2013.18.1/only-problem-excluded",
    ),
    _p(
        f13(visit("2014-05-01", 8000), problems={"P1": problem(quality_problem=False)}),
        lacks=one(FREE_REPAIR[:2]),
        id="2013.18.1/only-problem-not-a-quality-problem",
    ),
]

# 2013.18.2 — engine/transmission main part or assembly replaced inside `early`.
ASSEMBLY = ("assembly_replacement", "2013.18.2", True)
ASSEMBLY_ROWS = [
    _p(
        _early_part("2014-03-11", 2500, part("engine", "缸体")),
        one(ASSEMBLY),
        id="2013.18.2/day-60",
    ),
    _p(
        _early_part("2014-03-12", 2500, part("engine", "缸体")),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/day-61",
    ),
    _p(
        _early_part("2014-02-10", 3000, part("engine", "缸体"), ("2014-02-20", 3100)),
        one(ASSEMBLY),
        id="2013.18.2/km-3000",
    ),
    _p(
        _early_part("2014-02-10", 3001, part("engine", "缸体"), ("2014-02-20", 3100)),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/km-3001",
    ),
    _p(
        _early_part("2014-02-10", 1500, whole("transmission")),
        one(ASSEMBLY),
        id="2013.18.2/whole-transmission",
    ),
    _p(
        _early_part("2014-02-10", 1500, part("transmission", "阀体")),
        one(ASSEMBLY),
        id="2013.18.2/transmission-main-part",
    ),
    _p(
        _early_part("2014-02-10", 1500, part("engine", "火花塞", main=False)),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/not-a-main-part",
    ),
    _p(
        _early_part("2014-02-10", 1500, part("brakes", "制动主缸")),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/brakes-main-part-is-not-engine",
    ),
    _p(
        _early_part("2014-02-10", 1500, part("power_battery", "电芯")),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/power-battery-only-under-2022",
    ),
    _p(
        f13(
            visit("2014-02-10", 1500, replaced=[part("engine", "缸体")]),
            problems={"P1": problem("engine", exclusion="modification")},
            as_of=EARLY_AS_OF,
        ),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/problem-excluded",
    ),
    # Reading 4: the window closed long ago, the three-guarantee period still runs.
    _p(
        _early_part("2014-02-10", 1500, part("engine", "缸体"), ("2016-01-10", 40000)),
        one(ASSEMBLY),
        id="2013.18.2/three-guarantee-last-day",
    ),
    _p(
        _early_part("2014-02-10", 1500, part("engine", "缸体"), ("2016-01-11", 40000)),
        lacks=one(ASSEMBLY[:2]),
        id="2013.18.2/three-guarantee-ended",
    ),
]

# 2013.18.3 — wear part inside its own guarantee (雨刮片 6 months / 5,000 km → 2014-07-10).
WIPER = {"warranty_card.wear_parts": [{"name": "雨刮片", "months": 6, "km": 5000}]}
WEAR_PROBLEM = {"P1": problem("electrical", wear_part="雨刮片")}
WEAR = ("wear_part_replacement", "2013.18.3", True)


def _wear(*events: dict) -> dict:
    return f13(*events, problems=WEAR_PROBLEM, as_of=("2014-08-01", 6000), over=WIPER)


WEAR_ROWS = [
    _p(_wear(visit("2014-07-10", 4000)), one(WEAR), id="2013.18.3/last-day-6-months"),
    _p(_wear(visit("2014-07-11", 4000)), lacks=one(WEAR[:2]), id="2013.18.3/day-after-6-months"),
    _p(_wear(visit("2014-05-01", 5000)), one(WEAR), id="2013.18.3/km-5000"),
    _p(_wear(visit("2014-05-01", 5001)), lacks=one(WEAR[:2]), id="2013.18.3/km-5001"),
    _p(
        _wear(visit("2014-05-01", 4000), visit("2014-07-20", 5500)),
        one(WEAR),
        id="2013.18.3/first-visit-decides",
    ),
]

# 2013.19 — one visit in the repair warranty lasting 6 days or more ("超过5日").
BACKUP = ("backup_vehicle", "2013.19", True)
BACKUP_ROWS = [
    _p(
        _long("2014-05-01T08:00", "2014-05-06T08:00"),
        lacks=one(BACKUP[:2]),
        id="2013.19/120h00-is-5-days",
    ),
    _p(_long("2014-05-01T08:00", "2014-05-06T08:01"), one(BACKUP), id="2013.19/120h01-is-6-days"),
    _p(_long("2014-05-01", "2014-05-05"), lacks=one(BACKUP[:2]), id="2013.19/dates-5-days"),
    _p(_long("2014-05-01", "2014-05-06"), one(BACKUP), id="2013.19/dates-6-days"),
    _p(
        _long("2014-05-01", "2014-05-06", excluded_days={"special_parts_transport": 3}),
        one(BACKUP),
        id="2013.19/excluded-days-never-shorten-one-visit",
    ),
    _p(
        _long("2014-05-01", "2014-05-06", excluded_days={"rescue_travel": 6}),
        one(BACKUP),
        id="2013.19/rescue-travel-never-shortens-one-visit",
    ),
    _p(
        _long("2014-05-01", "2014-05-06", fault_found=False),
        lacks=one(BACKUP[:2]),
        id="2013.19/no-fault-found",
    ),
    _p(
        f13(
            visit("2014-05-01", 8000, end="2014-05-06"),
            as_of=("2014-07-20", 9000),
            problems={"P1": problem(exclusion="improper_handling")},
        ),
        lacks=one(BACKUP[:2]),
        id="2013.19/problem-excluded",
    ),
    _p(
        f13(
            visit("2014-05-01", 8000, end="2014-05-06"),
            as_of=("2014-07-20", 9000),
            problems={"P1": problem(quality_problem=False)},
        ),
        lacks=one(BACKUP[:2]),
        id="2013.19/not-a-quality-problem",
    ),
    _p(
        f13(visit("2017-01-10", 44000, end="2017-01-15"), as_of=("2017-01-20", 45000)),
        one(BACKUP),
        id="2013.19/visit-on-last-day-of-repair-warranty",
    ),
    _p(
        f13(visit("2017-01-11", 44000, end="2017-01-16"), as_of=("2017-01-20", 45000)),
        lacks=one(BACKUP[:2]),
        id="2013.19/visit-after-repair-warranty",
    ),
]

# 2013.20.2 — steering/brake failure, body crack or fuel leak on the first visit inside `early`.
FAIL_FREE = both("2013.20.2", True)
FAIL_LACK = pairs_of("2013.20.2")
FAILURE_ROWS = [
    _p(_failure("brake_failure", "brakes", "2014-03-11", 2500), FAIL_FREE, id="2013.20.2/day-60"),
    _p(
        _failure("brake_failure", "brakes", "2014-03-12", 2500),
        lacks=FAIL_LACK,
        id="2013.20.2/day-61",
    ),
    _p(
        _failure("brake_failure", "brakes", "2014-02-10", 3000, ("2014-02-20", 3100)),
        FAIL_FREE,
        id="2013.20.2/km-3000",
    ),
    _p(
        _failure("brake_failure", "brakes", "2014-02-10", 3001, ("2014-02-20", 3100)),
        lacks=FAIL_LACK,
        id="2013.20.2/km-3001",
    ),
    _p(
        _failure("steering_failure", "steering", "2014-02-10", 1000),
        FAIL_FREE,
        id="2013.20.2/steering-failure",
    ),
    _p(_failure("body_crack", "body", "2014-02-10", 1000), FAIL_FREE, id="2013.20.2/body-crack"),
    _p(_failure("fuel_leak", "fuel", "2014-02-10", 1000), FAIL_FREE, id="2013.20.2/fuel-leak"),
    _p(
        _failure(
            "battery_fire", "power_battery", "2014-02-10", 1000, over={"vehicle.powertrain": "bev"}
        ),
        lacks=FAIL_LACK,
        id="2013.20.2/battery-fire-only-under-2022",
    ),
    _p(_failure(None, "brakes", "2014-02-10", 1000), lacks=FAIL_LACK, id="2013.20.2/no-failure"),
    # A no-fault visit "counts for nothing" (regulation.md §3): it is not the first visit.
    _p(
        f13(
            visit("2014-02-10", 1000, fault_found=False),
            visit("2014-04-01", 4000),
            problems={"P1": problem("brakes", failure="brake_failure")},
            as_of=LATE_AS_OF,
        ),
        lacks=FAIL_LACK,
        id="2013.20.2/no-fault-visit-inside-first-repair-outside",
    ),
    _p(
        f13(
            visit("2014-02-10", 1000, fault_found=False),
            visit("2014-03-01", 2000),
            problems={"P1": problem("brakes", failure="brake_failure")},
            as_of=LATE_AS_OF,
        ),
        FAIL_FREE,
        id="2013.20.2/no-fault-visit-then-first-repair-inside",
    ),
    _p(
        f13(
            visit("2014-02-10", 1000),
            problems={"P1": problem("brakes", failure="brake_failure", quality_problem=False)},
            as_of=EARLY_AS_OF,
        ),
        lacks=FAIL_LACK,
        id="2013.20.2/not-a-quality-problem",
    ),
    _p(
        f13(
            visit("2014-02-10", 1000),
            visit("2014-04-01", 4000),
            problems={"P1": problem("brakes", failure="brake_failure")},
            as_of=LATE_AS_OF,
        ),
        FAIL_FREE,
        id="2013.20.2/first-visit-inside-later-visit-outside",
    ),
    _p(
        _failure("brake_failure", "brakes", "2014-02-10", 1000, ("2016-01-10", 40000)),
        FAIL_FREE,
        id="2013.20.2/three-guarantee-last-day",
    ),
    _p(
        _failure("brake_failure", "brakes", "2014-02-10", 1000, ("2016-01-11", 40000)),
        lacks=FAIL_LACK,
        id="2013.20.2/three-guarantee-ended",
    ),
    _p(
        _failure("brake_failure", "brakes", "2014-02-10", 1000, ("2015-06-01", 50001)),
        lacks=FAIL_LACK,
        id="2013.20.2/three-guarantee-ended-by-km",
    ),
]

# 2013.20.3.1 — serious-safety repairs: 3 or more, or 2 with the second unresolved.
SAFE_YES = both("2013.20.3.1", False)
SAFE_NO = pairs_of("2013.20.3.1")
SERIOUS_ROWS = [
    _p(_serious(True, False), SAFE_YES, id="2013.20.3.1/2-repairs-second-unresolved"),
    _p(_serious(True, True), lacks=SAFE_NO, id="2013.20.3.1/2-repairs-resolved"),
    _p(_serious(True, True, True), SAFE_YES, id="2013.20.3.1/3-repairs"),
    _p(_serious(False, True), lacks=SAFE_NO, id="2013.20.3.1/2-repairs-first-unresolved-only"),
    _p(_serious(False), lacks=SAFE_NO, id="2013.20.3.1/1-repair-unresolved"),
    _p(_serious(True, False, serious=False), lacks=SAFE_NO, id="2013.20.3.1/not-serious"),
    _p(
        _serious(True, True, True, serious=False),
        lacks=SAFE_NO,
        id="2013.20.3.1/not-serious-3-repairs",
    ),
    _p(
        _serious(True, False, no_fault=1),
        lacks=SAFE_NO,
        id="2013.20.3.1/second-visit-no-fault-found",
    ),
    _p(
        f13(
            visit("2014-06-01", 9000),
            visit("2014-09-01", 12000, problem="P2", resolved=False),
            problems={
                "P1": problem("body", serious_safety=True),
                "P2": problem("brakes", serious_safety=True),
            },
            as_of=LATE_AS_OF,
        ),
        SAFE_YES,
        id="2013.20.3.1/two-serious-problems-pooled",
    ),
    # Events may come in any order: "second" is by time, not by position in the list.
    _p(
        f13(
            visit("2014-09-01", 12000, resolved=False),
            visit("2014-06-01", 9000),
            problems={"P1": problem("body", serious_safety=True)},
            as_of=LATE_AS_OF,
        ),
        SAFE_YES,
        id="2013.20.3.1/second-unresolved-listed-first",
    ),
    _p(
        f13(
            visit("2014-09-01", 12000),
            visit("2014-06-01", 9000, resolved=False),
            problems={"P1": problem("body", serious_safety=True)},
            as_of=LATE_AS_OF,
        ),
        lacks=SAFE_NO,
        id="2013.20.3.1/first-unresolved-listed-second",
    ),
    _p(
        f13(
            *visits(3, 5),
            problems={"P1": problem("body", serious_safety=True)},
            as_of=("2016-01-11", 30000),
        ),
        lacks=SAFE_NO,
        id="2013.20.3.1/three-guarantee-ended",
    ),
]

# 2013.20.3.2 — engine/transmission: 2 assemblies pooled or one main part twice; still failing.
HEAD = part("engine", "缸盖")
E_YES = both("2013.20.3.2", False)
E_NO = pairs_of("2013.20.3.2")
ENGINE_ROWS = [
    _p(
        _replacements(whole("engine"), whole("engine"), resolved=(True, False)),
        E_YES,
        id="2013.20.3.2/engine-twice-second-unresolved",
    ),
    _p(
        _replacements(whole("engine"), whole("engine")),
        lacks=E_NO,
        id="2013.20.3.2/engine-twice-resolved-no-later-visit",
    ),
    _p(
        _replacements(whole("engine"), whole("engine"), None),
        E_YES,
        id="2013.20.3.2/engine-twice-resolved-later-visit",
    ),
    _p(
        _replacements(
            whole("engine"),
            whole("engine"),
            None,
            problems={"P1": problem("engine"), "P2": problem("electrical")},
            problem_of=("P1", "P1", "P2"),
        ),
        lacks=E_NO,
        id="2013.20.3.2/later-visit-of-another-problem",
    ),
    _p(
        _replacements(
            whole("engine"), whole("engine"), later=visit("2014-10-01", 16000, fault_found=False)
        ),
        lacks=E_NO,
        id="2013.20.3.2/later-visit-no-fault-found",
    ),
    _p(
        _replacements(
            whole("engine"),
            whole("transmission"),
            resolved=(True, False),
            problems={"P1": problem("engine"), "P2": problem("transmission")},
            problem_of=("P1", "P2"),
        ),
        E_YES,
        id="2013.20.3.2/engine-once-plus-transmission-once-pooled",
    ),
    _p(
        _replacements(
            whole("engine"),
            whole("engine"),
            resolved=(True, False),
            problems={"P1": problem("engine", exclusion="improper_use_or_maintenance")},
        ),
        lacks=E_NO,
        id="2013.20.3.2/engine-twice-but-problem-excluded",
    ),
    _p(_replacements(whole("engine"), resolved=(False,)), lacks=E_NO, id="2013.20.3.2/engine-once"),
    _p(
        _replacements(HEAD, HEAD, resolved=(True, False)),
        E_YES,
        id="2013.20.3.2/same-main-part-twice",
    ),
    _p(_replacements(HEAD, HEAD), lacks=E_NO, id="2013.20.3.2/same-main-part-twice-resolved"),
    _p(
        _replacements(HEAD, part("engine", "曲轴"), resolved=(True, False)),
        lacks=E_NO,
        id="2013.20.3.2/two-different-main-parts",
    ),
    _p(
        _replacements(HEAD, whole("engine"), resolved=(True, False)),
        lacks=E_NO,
        id="2013.20.3.2/main-part-and-assembly-not-added",
    ),
    _p(
        _replacements(
            part("engine", "点火线圈", main=False),
            part("engine", "点火线圈", main=False),
            resolved=(True, False),
        ),
        lacks=E_NO,
        id="2013.20.3.2/not-a-main-part-twice",
    ),
]

# 2013.20.3.3 — same main part of steering/brakes/suspension/axle/body twice; still failing.
MC = part("brakes", "制动主缸")
B_YES = both("2013.20.3.3", False)
B_NO = pairs_of("2013.20.3.3")


def _same_part(assembly: str, name: str, resolved=(True, False), **kw) -> dict:
    entry = part(assembly, name)
    return _replacements(entry, entry, resolved=resolved, system=assembly, **kw)


BODY_ROWS = [
    _p(_same_part("brakes", "制动主缸"), B_YES, id="2013.20.3.3/brakes-twice-second-unresolved"),
    _p(
        _same_part("brakes", "制动主缸", resolved=(True, True)),
        lacks=B_NO,
        id="2013.20.3.3/brakes-twice-resolved-no-later-visit",
    ),
    _p(
        _replacements(MC, MC, None, system="brakes"),
        B_YES,
        id="2013.20.3.3/brakes-twice-resolved-later-visit",
    ),
    _p(
        _replacements(MC, resolved=(False,), system="brakes"),
        lacks=B_NO,
        id="2013.20.3.3/brakes-once",
    ),
    _p(
        _replacements(MC, part("brakes", "制动钳"), resolved=(True, False), system="brakes"),
        lacks=B_NO,
        id="2013.20.3.3/two-different-brake-parts",
    ),
    _p(_same_part("steering", "转向机"), B_YES, id="2013.20.3.3/steering"),
    _p(_same_part("suspension", "减振器"), B_YES, id="2013.20.3.3/suspension"),
    _p(_same_part("axle", "主减速器"), B_YES, id="2013.20.3.3/axle-counts-under-2013"),
    _p(_same_part("body", "车门"), B_YES, id="2013.20.3.3/body"),
    _p(_same_part("electrical", "组合仪表"), lacks=B_NO, id="2013.20.3.3/electrical-not-named"),
    _p(
        _same_part("drivetrain", "传动轴"),
        lacks=B_NO | E_NO,
        id="2013.20.3.3/drivetrain-only-under-2022",
    ),
    _p(
        _same_part("emission_control", "三元催化器"),
        lacks=B_NO | E_NO,
        id="2013.20.3.3/emission-control-only-under-2022",
    ),
]

# 2013.21.1 — more than 35 cumulative days or more than 5 visits: replacement only.
REPL = {("vehicle_replacement", "2013.21.1", False)}
REPL_NO = {("vehicle_replacement", "2013.21.1")}
RETURN_21 = {("vehicle_return", "2013.21.1")}


def _days(*spans: tuple[str, str, str], excluded: dict | None = None, **kw) -> dict:
    events = [
        visit(
            s,
            8000 + 1000 * i,
            end=e,
            problem=p,
            **({"excluded_days": excluded} if excluded and i == 0 else {}),
        )
        for i, (s, e, p) in enumerate(spans)
    ]
    problems = kw.pop("problems", {"P1": problem(), "P2": problem("body")})
    return f13(*events, problems=problems, as_of=("2014-09-01", 12000), **kw)


D35 = ("2014-05-01T08:00", "2014-06-05T08:00", "P1")  # 840 h = 35 days
D36 = ("2014-05-01T08:00", "2014-06-05T08:01", "P1")  # 840 h 01 min → 36 days
COUNT_ROWS = [
    _p(f13(*visits(5), as_of=LATE_AS_OF), lacks=REPL_NO, id="2013.21.1/5-repairs"),
    _p(f13(*visits(6), as_of=LATE_AS_OF), REPL, RETURN_21, id="2013.21.1/6-repairs"),
    _p(
        f13(
            *visits(5),
            visit("2014-10-15", 14000, problem="P2"),
            problems={"P1": problem(), "P2": problem("body")},
            as_of=LATE_AS_OF,
        ),
        lacks=REPL_NO,
        id="2013.21.1/5-repairs-plus-1-of-another-problem",
    ),
    _p(
        f13(*visits(5), visit("2014-10-15", 14000, fault_found=False), as_of=LATE_AS_OF),
        lacks=REPL_NO,
        id="2013.21.1/6th-visit-no-fault-found",
    ),
    _p(
        f13(
            *visits(6),
            problems={"P1": problem(wear_part="雨刮片")},
            as_of=LATE_AS_OF,
            over={"warranty_card.wear_parts": [{"name": "雨刮片", "months": 3, "km": 5000}]},
        ),
        lacks=REPL_NO,
        id="2013.21.1/wear-part-past-guarantee-not-counted",
    ),
    _p(_days(D35), lacks=REPL_NO, id="2013.21.1/35-days"),
    _p(_days(D36), REPL, RETURN_21, id="2013.21.1/36-days"),
    _p(
        _days(
            ("2014-05-01T08:00", "2014-05-21T08:00", "P1"),
            ("2014-07-01T08:00", "2014-07-17T08:00", "P2"),
        ),
        REPL,
        id="2013.21.1/20-plus-16-days-of-two-problems",
    ),
    _p(
        _days(
            ("2014-05-01T08:00", "2014-05-21T08:00", "P1"),
            ("2014-07-01T08:00", "2014-07-17T08:00", "P2"),
            problems={"P1": problem(exclusion="modification"), "P2": problem("body")},
        ),
        lacks=REPL_NO,
        id="2013.21.1/excluded-problem-days-not-counted",
    ),
    _p(
        _days(D36, excluded={"special_parts_transport": 1}),
        lacks=REPL_NO,
        id="2013.21.1/36-days-less-1-special-part-transport",
    ),
    _p(
        _days(D36, excluded={"rescue_travel": 1}),
        lacks=REPL_NO,
        id="2013.21.1/36-days-less-1-rescue-travel",
    ),
    _p(
        _days(D36, excluded={"battery_transport": 1}),
        REPL,
        id="2013.21.1/battery-transport-only-excluded-under-2022",
    ),
    _p(f13(*visits(6), as_of=("2016-01-10", 30000)), REPL, id="2013.21.1/three-guarantee-last-day"),
    _p(
        f13(*visits(6), as_of=("2016-01-11", 30000)),
        lacks=REPL_NO,
        id="2013.21.1/three-guarantee-ended",
    ),
]

# 2013.23 — return when replacement is due and no same or comparable car exists.
RET23 = ("vehicle_return", "2013.23", False)
NO_CAR_ROWS = [
    _p(
        f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": "none"}),
        one(RET23),
        id="2013.23/none-available",
    ),
    _p(
        f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": "same_model"}),
        lacks=one(RET23[:2]),
        id="2013.23/same-model-available",
    ),
    _p(
        f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": "comparable"}),
        lacks=one(RET23[:2]),
        id="2013.23/comparable-available",
    ),
    _p(
        f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": None}),
        lacks=one(RET23[:2]),
        id="2013.23/availability-unknown",
    ),
    _p(
        f13(*visits(5), as_of=LATE_AS_OF, over={"replacement_available": "none"}),
        lacks=one(RET23[:2]),
        id="2013.23/none-available-but-only-5-repairs",
    ),
]


@pytest.mark.parametrize(
    ("facts", "has", "lacks"),
    FREE_REPAIR_ROWS
    + ASSEMBLY_ROWS
    + WEAR_ROWS
    + BACKUP_ROWS
    + FAILURE_ROWS
    + SERIOUS_ROWS
    + ENGINE_ROWS
    + BODY_ROWS
    + COUNT_ROWS
    + NO_CAR_ROWS,
)
def test_remedy_opens_exactly_at_its_2013_threshold(facts, has, lacks):
    a = run(facts)
    assert a["regime"] == "2013"
    check_remedies(a, has, lacks)


def test_return_for_no_replacement_car_carries_its_condition():
    a = run(f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": "none"}))
    (ret,) = [r for r in a["remedies"] if r["basis"] == "2013.23"]
    assert ret["condition"] == "no_replacement_available"
    assert ret["free"] is False


def test_unknown_availability_lists_the_return_under_next_thresholds():
    a = run(f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": None}))
    assert ("vehicle_return", "2013.23") in threshold_pairs(a)
    assert ("vehicle_return", "2013.23") not in {(r["remedy"], r["basis"]) for r in a["remedies"]}


def test_same_model_available_lists_no_return_anywhere():
    a = run(f13(*visits(6), as_of=LATE_AS_OF, over={"replacement_available": "same_model"}))
    assert ("vehicle_return", "2013.23") not in threshold_pairs(a)


# Exclusions — 2013 (regulation.md §4 "Exclusions — 2013").
BRAKE_EARLY = visit("2014-02-10", 1000)
WHOLE_CASE = [
    pytest.param({"vehicle.category": "pickup"}, (None, "2013.2"), id="2013.2/pickup"),
    pytest.param({"vehicle.use": "commercial"}, (None, "2013.30.1.2"), id="2013.30.1.2/commercial"),
    pytest.param({"purchase.has_invoice": False}, (None, "2013.31"), id="2013.31/no-invoice"),
    pytest.param(
        {"purchase.has_warranty_card": False}, (None, "2013.31"), id="2013.31/no-warranty-card"
    ),
]


@pytest.mark.parametrize(("over", "pair"), WHOLE_CASE)
def test_whole_case_exclusion_empties_remedies_but_keeps_periods(over, pair):
    facts = f13(
        BRAKE_EARLY,
        problems={"P1": problem("brakes", failure="brake_failure")},
        as_of=EARLY_AS_OF,
        over=over,
    )
    a = run(facts)
    assert pair in excluded_pairs(a)
    assert a["remedies"] == []
    assert a["periods"]["three_guarantee"]["ends_on"] == "2016-01-10"
    assert a["periods"]["early"]["ends_on"] == "2014-03-11"
    assert a["counts"]["repairs_by_problem"] == {"P1": 1}


@pytest.mark.parametrize(
    "over",
    [
        pytest.param({"vehicle.category": "passenger"}, id="2013.2/passenger"),
        pytest.param({"vehicle.use": "household"}, id="2013.30.1.2/household"),
        pytest.param(
            {"purchase.has_invoice": True, "purchase.has_warranty_card": True},
            id="2013.31/invoice-and-card",
        ),
    ],
)
def test_no_whole_case_exclusion_keeps_the_early_failure_remedies(over):
    facts = f13(
        BRAKE_EARLY,
        problems={"P1": problem("brakes", failure="brake_failure")},
        as_of=EARLY_AS_OF,
        over=over,
    )
    a = run(facts)
    assert a["excluded"] == []
    check_remedies(a, FAIL_FREE | {FREE_REPAIR})


def test_missing_warranty_card_also_warns_that_it_can_be_reissued():
    facts = f13(
        BRAKE_EARLY,
        problems={"P1": problem("brakes", failure="brake_failure")},
        as_of=EARLY_AS_OF,
        over={"purchase.has_warranty_card": False},
    )
    assert run(facts)["warnings"]


PROBLEM_EXCLUSIONS = [
    pytest.param("disclosed_defect", "2013.30.1.1", id="2013.30.1.1/disclosed-defect"),
    pytest.param("modification", "2013.30.1.3", id="2013.30.1.3/modification"),
    pytest.param("improper_handling", "2013.30.1.4", id="2013.30.1.4/improper-handling"),
    pytest.param(
        "improper_use_or_maintenance", "2013.30.1.5", id="2013.30.1.5/improper-use-or-maintenance"
    ),
    pytest.param("force_majeure", "2013.30.1.6", id="2013.30.1.6/force-majeure"),
    pytest.param(None, None, id="2013.30.1/no-exclusion"),
]


@pytest.mark.parametrize(("exclusion", "basis"), PROBLEM_EXCLUSIONS)
def test_problem_exclusion_removes_that_problem_only(exclusion, basis):
    problems = {
        "P1": problem("brakes", failure="brake_failure", exclusion=exclusion),
        "P2": problem("electrical"),
    }
    facts = f13(
        BRAKE_EARLY, visit("2014-02-20", 1500, problem="P2"), problems=problems, as_of=EARLY_AS_OF
    )
    a = run(facts)
    if basis is None:
        assert a["excluded"] == []
        check_remedies(a, FAIL_FREE | {FREE_REPAIR})
        assert a["counts"]["repairs_by_problem"] == {"P1": 1, "P2": 1}
    else:
        assert excluded_pairs(a) == {("P1", basis)}
        check_remedies(a, {FREE_REPAIR}, FAIL_LACK)
        assert a["counts"]["repairs_by_problem"].get("P1", 0) == 0
        assert a["counts"]["repairs_by_problem"]["P2"] == 1


@pytest.mark.parametrize(
    ("day", "km", "excluded"),
    [
        pytest.param("2014-07-10", 4000, set(), id="2013.29/first-visit-on-last-day"),
        pytest.param("2014-07-11", 4000, {("P1", "2013.29")}, id="2013.29/first-visit-day-after"),
        pytest.param("2014-05-01", 5000, set(), id="2013.29/first-visit-at-km-5000"),
        pytest.param("2014-05-01", 5001, {("P1", "2013.29")}, id="2013.29/first-visit-at-km-5001"),
    ],
)
def test_wear_part_problem_past_its_guarantee_is_excluded(day, km, excluded):
    assert excluded_pairs(run(_wear(visit(day, km)))) == excluded


@pytest.mark.parametrize(
    ("first_found", "excluded"),
    [
        pytest.param(True, set(), id="2013.29/first-repair-inside"),
        pytest.param(
            False, {("P1", "2013.29")}, id="2013.29/no-fault-visit-inside-first-repair-after"
        ),
    ],
)
def test_a_no_fault_visit_is_not_the_first_visit_of_a_wear_part(first_found, excluded):
    facts = _wear(visit("2014-05-01", 4000, fault_found=first_found), visit("2014-07-20", 5500))
    assert excluded_pairs(run(facts)) == excluded


@pytest.mark.parametrize(
    ("quality", "excluded"),
    [
        pytest.param(False, {("P1", None)}, id="2013.30.1/not-a-quality-problem"),
        pytest.param(True, set(), id="2013.30.1/quality-problem"),
    ],
)
def test_problem_that_is_not_a_quality_problem_is_excluded_without_basis(quality, excluded):
    facts = f13(visit("2014-05-01", 8000), problems={"P1": problem(quality_problem=quality)})
    assert excluded_pairs(run(facts)) == excluded
