"""Test modules share pieces only through support modules: no tests/**/*.py imports from a
``test_*`` module or a ``conftest`` (fixtures come by name; helpers live in tests/support/ or a
package's own non-test module such as tests/cases/filing.py or tests/browser/steps.py)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _is_test_module(module: str) -> bool:
    """Whether the dotted `module` names a test module or a conftest (not a support module)."""
    last = module.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_modules(source: str, package: str) -> set[str]:
    """Every module `source` imports, anywhere in it (also inside functions), made absolute
    against `package` for relative imports; for ``from p import m`` both p and p.m."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@cache
def imports_of_test_modules() -> tuple[tuple[str, str], ...]:
    """(file, module) for each import of a test module or conftest under tests/."""
    hits = []
    for path in sorted(TESTS.rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).parent.parts)
        for module in imported_modules(path.read_text(encoding="utf-8"), package):
            if module.split(".", 1)[0] == "tests" and _is_test_module(module):
                hits.append((path.relative_to(ROOT).as_posix(), module))
    return tuple(sorted(set(hits)))


def test_no_test_module_or_conftest_is_imported_by_another_module():
    hits = imports_of_test_modules()
    assert not hits, "import these from a support module instead:\n" + "\n".join(
        f"{path}: {module}" for path, module in hits
    )


def test_the_check_sees_every_form_of_import():
    """A top-level, a parenthesised, a plain, a relative and a function-level import."""
    source = """
from tests.browser.test_filing import register
from tests.business.conftest import (
    count_answers,
)
import tests.rules.test_cli
from .test_cases import CASES
def f():
    from tests.rules import test_transition
from tests.support.data import CASE_FACTS
from tests.browser.live import log_in
"""
    found = {m for m in imported_modules(source, "tests.rules") if _is_test_module(m)}
    assert found == {
        "tests.browser.test_filing",
        "tests.business.conftest",
        "tests.rules.test_cli",
        "tests.rules.test_cases",
        "tests.rules.test_transition",
    }
