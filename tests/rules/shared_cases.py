"""The shared case files (../shared/cases/*.json, or $CASES_DIR) as pytest params, and reading
one; the rules tests run them through assess(), the CLI and --trace."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(os.environ.get("CASES_DIR") or ROOT.parent / "shared" / "cases")


CASE_FILES = sorted(CASES_DIR.glob("*.json")) if CASES_DIR.is_dir() else []


CASES = [pytest.param(path, id=path.stem) for path in CASE_FILES] or [
    pytest.param(None, id="no-shared-cases", marks=pytest.mark.skip(reason=f"no {CASES_DIR}"))
]


def load(path: Path) -> dict[str, Any]:
    """Return one case file ``{"title", "facts", "expect"}``."""
    return json.loads(path.read_text(encoding="utf-8"))
