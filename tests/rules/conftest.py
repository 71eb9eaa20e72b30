"""Fixtures for the rules tests (style §9): pure, no app, no database.

- ``facts(**overrides)``: the contract's example facts as a dict, with dotted overrides
  (``facts(**{"purchase.price_yuan": 0})``, ``facts(**{"events[0].start": "2014-02-02"})``);
  the value ``"__delete__"`` removes a key.
- ``run(d, lang="zh")``: ``assess(parse_facts(d)).to_dict()`` (also takes a ``Facts``).
- ``cases_dir``: $CASES_DIR or ../shared/cases beside the checkout; skips when it does not exist.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from rules import Facts, YearCalendar, assess, parse_facts
from tests.rules.contract_helpers import CONTRACT_FACTS

#: an override value that removes the key
DELETE = "__delete__"


def _tokens(dotted: str) -> list[str | int]:
    """Split ``events[0].start`` / ``events.0.start`` / ``problems.P1.system`` into keys."""
    out: list[str | int] = []
    for piece in dotted.split("."):
        name, _, rest = piece.partition("[")
        if name:
            out.append(int(name) if name.isdigit() else name)
        while rest:
            index, _, rest = rest.partition("]")
            out.append(int(index))
            rest = rest.removeprefix("[")
    return out


def with_overrides(base: Mapping[str, Any], **overrides: Any) -> dict[str, Any]:
    """Return a deep copy of ``base`` with dotted overrides applied (``DELETE`` removes)."""
    d = copy.deepcopy(dict(base))
    for dotted, value in overrides.items():
        *parents, last = _tokens(dotted)
        node: Any = d
        for key in parents:
            node = node[key] if isinstance(node, list) else node.setdefault(key, {})
        if value is DELETE:
            del node[last]
        elif isinstance(node, list) and last == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[last] = copy.deepcopy(value)
    return d


def build_facts(**overrides: Any) -> dict[str, Any]:
    """Return the contract's example facts with dotted overrides."""
    return with_overrides(CONTRACT_FACTS, **overrides)


def run_assessment(
    d: Mapping[str, Any] | Facts,
    lang: str = "zh",
    holidays: Mapping[int, YearCalendar] | None = None,
) -> dict[str, Any]:
    """Return ``assess(parse_facts(d)).to_dict()``."""
    facts = d if isinstance(d, Facts) else parse_facts(copy.deepcopy(dict(d)))
    return assess(facts, lang=lang, holidays=holidays).to_dict()


@pytest.fixture
def facts() -> Callable[..., dict[str, Any]]:
    """Return the builder ``facts(**overrides) -> dict``."""
    return build_facts


@pytest.fixture
def run() -> Callable[..., dict[str, Any]]:
    """Return ``run(d, lang="zh", holidays=None) -> dict`` (the contract's assessment JSON)."""
    return run_assessment


def shared_cases_dir() -> Path:
    """Return $CASES_DIR, or ../shared/cases beside the checkout."""
    env = os.environ.get("CASES_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "cases"


@pytest.fixture
def cases_dir() -> Path:
    """Return the shared cases folder; skip when it does not exist."""
    folder = shared_cases_dir()
    if not folder.is_dir():
        pytest.skip(f"no shared cases folder at {folder}")
    return folder
