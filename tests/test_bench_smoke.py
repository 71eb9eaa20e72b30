"""`python -m bench --quick` end to end, so the harness cannot rot: tiny data, 0.1 s per scenario.

Runs the real thing in a subprocess (gunicorn, load processes, the data generator, the rules
process) on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (in databases of its own).
The rows that use no database (rules, the notification queue) and the growth rows (the same
pages on a second, smaller data set: the same generator and harness) come from the SQLite run.
Its filing rush (bench/load_filing.py: real wizard, real HTTP, double submits, staff moving cases,
routing to two experts with room for one case each) must lose nothing and err never; the checks
that rush ends with are shown to catch faults in tests/test_load.py.

The page servers run one gunicorn worker (`--workers 1`, so two load processes): the harness is
the same for any count, and each worker builds the app, the larger part of a quick run's CPU
(47 → 36 CPU-s on SQLite); the filing rush keeps its two workers racing each other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import load_filing
from tests.support.databases import BACKENDS

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = (
    "floor_json",
    "floor_insert",
    "floor_filing",
    "floor_pk",
    "floor_assess",
    # Each throughput row's floor again, measured just before it.
    "floor_json@api",
    "floor_json@self_check_get",
    "floor_json@self_check_post",
    "floor_json@wizard_get",
    "floor_filing@filing",
    "floor_filing@filing_quiet",
    "api",
    "self_check_get",
    "self_check_post",
    "wizard_get",
    "filing",
    "pk_page",
    "staff_case",
    "case_list",
    "case_search",
    "stats",
    "expert_queue",
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("db", BACKENDS)
def test_quick_bench_measures_every_scenario_without_errors(db, tmp_path):
    env = dict(os.environ)
    if db == "postgresql":
        env["BENCH_POSTGRESQL_URL"] = os.environ["TEST_DATABASE_URL"]
    output, raw = tmp_path / "latest.md", tmp_path / "latest.json"
    command = [sys.executable, "-m", "bench", "--quick", "--seconds", "0.1", "--db", db]
    command += ["--workers", "1"]
    command += ["--cache", str(tmp_path / "cache"), "--output", str(output), "--json", str(raw)]
    if db == "postgresql":
        command += ["--database-rows-only", "--no-growth"]

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stderr[-4000:]
    figures = json.loads(raw.read_text(encoding="utf-8"))
    results = figures["results"]
    assert set(SCENARIOS) <= set(results)
    for name in SCENARIOS:
        result = results[name]
        assert result["requests"] > 0, name
        assert result["errors"] == 0, (name, result["error_samples"])
        assert result["median_ms"] > 0, name
    small = {"pk_page_small", "case_list_small", "stats_small"}
    assert small.isdisjoint(results) if db == "postgresql" else small <= set(results)
    rows = {row["scenario"]: row for row in figures["rows"]}
    rules = [row["ratio"] for name, row in rows.items() if name.startswith("rules:")]
    queued = [name for name in rows if name.startswith("notifications")]
    if db == "postgresql":
        assert rules == []
        assert queued == []
    else:
        assert rules
        assert all(ratio > 0 for ratio in rules)
        assert queued
    for server in ("floors", "app"):
        for moment in ("start", "warm", "end"):
            assert len(figures["rss"][server][moment]) == 1, (server, moment)
    table = output.read_text(encoding="utf-8")
    assert "| POST /api/v1/assessments |" in table
    api = next(line for line in table.splitlines() if line.startswith("| POST /api/v1/"))
    assert (
        f"framework floor, measured just before: {results['floor_json@api']['per_second']:,.0f}"
        in api
    )
    assert "Worker memory" in table
    assert "- host speed: 1,000,000 additions in a Python loop take " in table
    assert list((tmp_path / "cache").glob("bench_run_*")) == []
    rush = figures["filing_rush"]
    assert load_filing.failures(rush) == [], rush
    assert rush["error_rate"] == 0
    assert rush["workers"] == 2
    assert rush["requests"] > 4 * 10
    assert rush["accepted"] >= 4
    assert rush["double_submits"] >= 1
    assert rush["capacity_on_duty"] == 2
    assert rush["left_for_manual_routing"] > 0
