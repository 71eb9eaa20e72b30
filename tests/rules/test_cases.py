"""Every shared case (../shared/cases/*.json) through the CLI and through ``assess()``.

Compares exactly the fields listed in ../shared/cases/README.md; the test id is the file stem.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rules import assess, parse_facts
from tests.rules.shared_cases import CASES, ROOT, load

COMPARED = {
    "regime",
    "remedies",
    "compensation_amount_yuan",
    "periods",
    "repair_days_total",
    "repairs_by_problem",
    "excluded",
    "deadlines",
}


def check(result: dict[str, Any], expect: dict[str, Any], title: str) -> None:
    """Assert that ``result`` matches every key of ``expect`` (README semantics)."""
    assert set(expect) <= COMPARED, f"{title}: unknown expect keys {set(expect) - COMPARED}"
    if "regime" in expect:
        assert result["regime"] == expect["regime"], title
    if "remedies" in expect:
        got = {(r["remedy"], r["basis"], r["free"]) for r in result["remedies"]}
        assert got == {tuple(r) for r in expect["remedies"]}, title
    if "compensation_amount_yuan" in expect:
        compensation = result["compensation"]
        amount = None if compensation is None else compensation["amount_yuan"]
        assert amount == expect["compensation_amount_yuan"], title
    for name, fields in expect.get("periods", {}).items():
        for key, value in fields.items():
            assert result["periods"][name][key] == value, f"{title}: periods.{name}.{key}"
    for key in ("repair_days_total", "repairs_by_problem"):
        if key in expect:
            assert result["counts"][key] == expect[key], f"{title}: counts.{key}"
    if "excluded" in expect:
        got = {(e["problem"], e["basis"]) for e in result["excluded"]}
        assert got == {tuple(e) for e in expect["excluded"]}, title
    for key, value in expect.get("deadlines", {}).items():
        assert result["deadlines"][key] == value, f"{title}: deadlines.{key}"


@pytest.mark.parametrize("path", CASES)
def test_shared_case_through_assess(path: Path) -> None:
    case = load(path)
    result = assess(parse_facts(case["facts"])).to_dict()
    check(result, case["expect"], case.get("title", path.stem))


@pytest.mark.parametrize("path", CASES)
def test_shared_case_through_the_cli(path: Path) -> None:
    case = load(path)
    done = subprocess.run(
        [sys.executable, "-m", "rules", "assess", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    check(json.loads(done.stdout), case["expect"], case.get("title", path.stem))


@pytest.mark.parametrize("path", CASES)
def test_shared_case_facts_file_through_the_cli(path: Path, tmp_path: Path) -> None:
    case = load(path)
    bare = tmp_path / f"{path.stem}.facts.json"
    bare.write_text(json.dumps(case["facts"], ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "rules", "assess", "--lang", "en", str(bare)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    check(json.loads(done.stdout), case["expect"], case.get("title", path.stem))


def test_the_contract_example_gives_the_contract_example_assessment(facts, run):
    result = run(facts())
    assert result["contract"] == 2
    assert result["regime"] == "2013"
    assert result["regime_reason"] == (
        "购车发票日期 2014-01-10 在 2013-10-01 之后、2022-01-01 之前，"
        "适用《家用汽车产品修理、更换、退货责任规定》(2013)"
    )
    assert result["periods"]["repair_warranty"] == {
        "start": "2014-01-10",
        "ends_on": "2017-01-10",
        "km_limit": 60000,
        "status": "running",
    }
    assert result["periods"]["early"]["ends_on"] == "2014-03-11"
    assert result["counts"] == {
        "repairs_by_problem": {"P1": 1},
        "repair_days_total": 3,
        "serious_safety_repairs": 1,
        "assembly_replacements": {},
        "main_part_replacements": {"brakes:制动主缸": 1},
    }
    remedies = {(r["remedy"], r["basis"]): r for r in result["remedies"]}
    assert set(remedies) == {
        ("vehicle_return", "2013.20.2"),
        ("vehicle_replacement", "2013.20.2"),
        ("free_repair", "2013.18.1"),
    }
    assert remedies["vehicle_return", "2013.20.2"]["article"] == "第二十条第二款"
    assert remedies["vehicle_return", "2013.20.2"]["events"] == [0]
    assert all(r["free"] and r["condition"] is None for r in result["remedies"])
    assert result["compensation"] is None
    assert result["excluded"] == []
    assert result["deadlines"] == {"written_answer_due": "2014-03-14", "completion_due": None}
