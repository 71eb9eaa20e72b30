"""``rules`` is pure: importing it pulls in no Flask, SQLAlchemy or disputes (style §2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "disputes")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _offenders(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in FORBIDDEN}


def test_importing_rules_loads_no_flask_sqlalchemy_or_disputes() -> None:
    assert _offenders(_modules_after("import rules")) == set()


def test_running_an_assessment_loads_no_flask_sqlalchemy_or_disputes() -> None:
    code = (
        "import rules, json, pathlib\n"
        "from rules.__main__ import main\n"
        "rules.assess(rules.parse_facts({'purchase': {'invoice_date': '2014-01-10',"
        " 'price_yuan': 1}, 'as_of': {'date': '2014-03-01', 'odometer_km': 0}}))"
    )
    assert _offenders(_modules_after(code)) == set()


def test_rules_modules_import_only_stdlib_dateutil_and_chinese_calendar() -> None:
    allowed = set(sys.stdlib_module_names) | {"rules", "dateutil", "chinese_calendar", "six"}
    for path in sorted((ROOT / "rules").glob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and not line.startswith(" "):
                top = words[1].split(".")[0]
                assert top in allowed, f"{path.name}: {line}"
