"""Routing tables over plain data (no Flask, no database): eligibility, preference, determinism."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

import pytest

from disputes.experts.routing import (
    CaseInput,
    ExpertInput,
    ProblemInput,
    Reason,
    deciding_problem,
    rank,
)

CASE = CaseInput(
    case_id=1,
    problems=(ProblemInput("P1", "brakes"),),
    consumer_id=100,
    brand="示例品牌",
    manufacturer="示例汽车制造有限公司",
    dealer="示例市示例品牌汽车销售服务有限公司",
    repairers=("示例市某汽车维修有限公司",),
)


def expert(code: str, *specialties: str, **kw) -> ExpertInput:
    n = int(code[1:])
    return ExpertInput(id=n, code=code, name=f"专家{n}", specialties=specialties, **kw)


def chosen_code(case: CaseInput, panel: list[ExpertInput]) -> str | None:
    result = rank(case, panel)
    return result.chosen.expert.code if result.chosen else None


@pytest.mark.parametrize(
    ("panel", "expected"),
    [
        pytest.param(
            [expert("E01", "engine"), expert("E02", "brakes")], "E02", id="exact-beats-other"
        ),
        pytest.param(
            [expert("E01", "steering"), expert("E02", "engine")],
            "E01",
            id="related-chassis-beats-none",
        ),
        pytest.param(
            [expert("E01", "steering", open_count=0), expert("E02", "brakes", open_count=2)],
            "E02",
            id="exact-beats-related-even-when-busier",
        ),
        pytest.param(
            [expert("E01", "engine"), expert("E02", "body")], "E01", id="generalist-by-code"
        ),
        pytest.param(
            [expert("E01", "brakes", open_count=2), expert("E02", "brakes", open_count=1)],
            "E02",
            id="lower-load-wins",
        ),
        pytest.param(
            [
                expert("E01", "brakes", last_assigned_at=datetime(2026, 11, 1)),
                expert("E02", "brakes", last_assigned_at=datetime(2026, 10, 1)),
            ],
            "E02",
            id="longest-idle-wins",
        ),
        pytest.param(
            [
                expert("E01", "brakes", last_assigned_at=datetime(2026, 10, 1)),
                expert("E02", "brakes"),
            ],
            "E02",
            id="never-assigned-is-longest-idle",
        ),
        pytest.param(
            [expert("E02", "brakes"), expert("E01", "brakes")], "E01", id="tie-break-by-code"
        ),
    ],
)
def test_specialty_load_and_idle_preference(panel, expected):
    assert chosen_code(CASE, panel) == expected


def test_related_groups_cover_the_electric_drive_and_powertrain():
    battery = replace(CASE, problems=(ProblemInput("P1", "power_battery"),))
    engine = replace(CASE, problems=(ProblemInput("P1", "fuel"),))
    panel = [expert("E01", "body"), expert("E02", "drive_motor"), expert("E03", "transmission")]

    assert chosen_code(battery, panel) == "E02"
    assert chosen_code(engine, panel) == "E03"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param({"affiliations": (("brand", "示例品牌"),)}, "与该品牌存在关联", id="brand"),
        pytest.param(
            {"affiliations": (("manufacturer", "示例汽车制造有限公司"),)},
            "与该生产者存在关联",
            id="manufacturer",
        ),
        pytest.param(
            {"affiliations": (("dealer", "示例市示例品牌汽车销售服务有限公司"),)},
            "与该品牌经销商存在关联",
            id="dealer",
        ),
        pytest.param(
            {"affiliations": (("repairer", "示例市某汽车维修有限公司"),)},
            "与该修理者存在关联",
            id="repairer-affiliation",
        ),
        pytest.param(
            {"organisation": "示例市某汽车维修有限公司"}, "与修理者为同一单位", id="same-org"
        ),
        pytest.param(
            {"related_consumers": frozenset({100})}, "与该消费者存在利害关系", id="consumer"
        ),
        pytest.param({"active": False}, "不在岗", id="inactive"),
        pytest.param({"has_account": False}, "无登录账号", id="no-login"),
        pytest.param({"capacity": 2, "open_count": 2}, "已达上限", id="capacity"),
    ],
)
def test_each_conflict_excludes_the_best_expert(change, reason):
    best = expert("E01", "brakes", **change)
    panel = [best, expert("E02", "engine")]

    result = rank(CASE, panel)

    assert result.chosen.expert.code == "E02"
    excluded = next(r for r in result.ranking if r.expert.code == "E01")
    assert not excluded.eligible
    assert any(reason in r.text() for r in excluded.reasons)


def test_one_below_capacity_is_still_eligible():
    assert chosen_code(CASE, [expert("E01", "brakes", capacity=3, open_count=2)]) == "E01"


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(replace(CASE, objected=frozenset({1})), id="objected-by-a-party"),
        pytest.param(replace(CASE, recused=frozenset({1})), id="recused-earlier"),
    ],
)
def test_objection_and_recusal_exclude_from_this_case_only(case):
    panel = [expert("E01", "brakes"), expert("E02", "engine")]

    assert chosen_code(case, panel) == "E02"
    assert (
        chosen_code(replace(case, case_id=2, objected=frozenset(), recused=frozenset()), panel)
        == "E01"
    )


def test_rerouting_after_recusal_picks_the_next_best_and_says_why():
    panel = [
        expert("E01", "brakes"),
        expert("E02", "brakes", open_count=1),
        expert("E03", "steering"),
    ]

    first = rank(CASE, panel)
    second = rank(replace(CASE, recused=frozenset({first.chosen.expert.id})), panel)

    assert first.chosen.expert.code == "E01"
    assert second.chosen.expert.code == "E02"
    assert "排除 E01：曾就本案拒绝或回避" in second.summary()


def test_nobody_eligible_chooses_nobody():
    panel = [expert("E01", "brakes", active=False), expert("E02", "brakes", capacity=0)]

    result = rank(CASE, panel)

    assert result.chosen is None
    assert all(not r.eligible for r in result.ranking)
    assert result.summary().startswith("没有符合条件的专家")


def test_summary_names_the_choice_the_match_and_the_load():
    panel = [
        expert("E07", "brakes", open_count=2),
        expert("E03", "brakes", affiliations=(("dealer", CASE.dealer),)),
    ]

    summary = rank(CASE, panel).summary()

    assert summary.startswith(
        "分派给 E07 专家7（制动系统）：依据问题 P1（制动系统）、专业对口（制动系统）、当前在办 2 件"
    )
    assert "排除 E03：与该品牌经销商存在关联" in summary


def test_names_are_compared_without_spaces_or_case():
    panel = [expert("E01", "brakes", affiliations=(("brand", " 示例 品牌 "),)), expert("E02")]

    assert chosen_code(CASE, panel) == "E02"


def test_ranking_is_deterministic_whatever_the_panel_order():
    panel = [
        expert(f"E{n:02d}", "brakes" if n % 3 else "steering", open_count=n % 2)
        for n in range(1, 15)
    ]
    expected = [r.expert.code for r in rank(CASE, panel).ranking]

    for seed in range(5):
        shuffled = panel[:]
        random.Random(seed).shuffle(shuffled)
        assert [r.expert.code for r in rank(CASE, shuffled).ranking] == expected


def problem(label: str, system: str, **kw) -> ProblemInput:
    return ProblemInput(label, system, **kw)


CAMERA = problem("P1", "electrical", repairs=1)
VALVE_BODY = problem("P2", "transmission", repairs=4, replacements=2)


@pytest.mark.parametrize(
    ("problems", "label", "why"),
    [
        pytest.param((CAMERA,), "P1", "only", id="a-single-problem"),
        pytest.param(
            (CAMERA, replace(VALVE_BODY, grounds_claim=True)), "P2", "claim", id="claim-rests-on-it"
        ),
        pytest.param(
            (replace(CAMERA, grounds_claim=True), VALVE_BODY),
            "P1",
            "claim",
            id="claim-beats-seriousness",
        ),
        pytest.param(
            (
                replace(CAMERA, grounds_claim=True),
                replace(VALVE_BODY, grounds_claim=True),
            ),
            "P2",
            "claim",
            id="most-serious-of-the-grounds",
        ),
        pytest.param((CAMERA, VALVE_BODY), "P2", "serious", id="replaced-main-parts"),
        pytest.param(
            (VALVE_BODY, problem("P3", "brakes", serious_safety=True)),
            "P3",
            "serious",
            id="safety-first",
        ),
        pytest.param(
            (problem("P1", "body", repairs=1), problem("P2", "engine", repairs=3)),
            "P2",
            "serious",
            id="most-repairs",
        ),
        pytest.param(
            (problem("P1", "body", repairs=2), problem("P2", "engine", repairs=2)),
            "P1",
            "serious",
            id="tie-keeps-the-filing-order",
        ),
    ],
)
def test_the_deciding_problem(problems, label, why):
    chosen, reason = deciding_problem(problems)

    assert (chosen.label, reason) == (label, why)


def test_no_problem_decides_nothing_and_anyone_is_a_generalist():
    result = rank(replace(CASE, problems=()), [expert("E01", "engine")])

    assert deciding_problem(()) is None
    assert result.chosen.expert.code == "E01"
    assert result.decided is None


def test_the_claims_problem_decides_over_a_less_busy_expert_of_a_minor_problem():
    case = replace(CASE, problems=(CAMERA, replace(VALVE_BODY, grounds_claim=True)))
    panel = [
        expert("E01", "electrical", open_count=0),
        expert("E02", "transmission", open_count=2),
        expert("E03", "engine", open_count=0),
    ]

    result = rank(case, panel)

    assert [r.expert.code for r in result.ranking] == ["E02", "E03", "E01"]
    assert result.summary().startswith(
        "分派给 E02 专家2（变速器）：依据问题 P2（变速器）：所请求的处理以此问题为依据、"
        "专业对口（变速器）、当前在办 2 件"
    )
    assert result.ranking[2].reasons[0].text() == "对口其他问题（电气系统）"


def test_reasons_are_codes_that_read_in_another_language_and_survive_storing():
    english = {
        "分派给 %(code)s %(name)s（%(systems)s）": "Assigned to %(code)s %(name)s (%(systems)s)",
        "依据问题 %(label)s（%(system)s）": "Based on problem %(label)s (%(system)s)",
        "专业对口（%(systems)s）": "Specialty matches (%(systems)s)",
        "当前在办 %(n)s 件": "%(n)s open case(s)",
        "制动系统": "Brakes",
        "排除 %(code)s": "Excluded %(code)s",
        "与%(party)s存在关联（%(name)s）": "Tied to %(party)s (%(name)s)",
        "该品牌": "the brand",
        "%(head)s：%(list)s": "%(head)s: %(list)s",
        "、": ", ",
        "；": "; ",
    }
    panel = [
        expert("E07", "brakes"),
        expert("E03", "brakes", affiliations=(("brand", "示例品牌"),)),
    ]
    sentences = rank(CASE, panel).sentences()

    stored = [Reason.from_dict(r.to_dict()) for r in sentences]

    assert stored == list(sentences)
    assert "; ".join(r.text(lambda m: english.get(m, m)) for r in stored) == (
        "Assigned to E07 专家7 (Brakes): Based on problem P1 (Brakes), Specialty matches (Brakes), "
        "0 open case(s); Excluded E03: Tied to the brand (示例品牌)"
    )
