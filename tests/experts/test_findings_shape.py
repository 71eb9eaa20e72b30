"""The stored shape of an opinion's findings: every shape the app has written loads and is written
back byte for byte (signatures and stored opinions depend on it)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from disputes.demo.cases import CASES
from disputes.experts.findings import ProblemEntry, StoredFindings
from disputes.experts.forms import findings_from_form

#: As the opinion form writes them: every key, needs_replacing explicitly null.
FROM_FORM = {
    "problems": {
        "P1": {
            "quality": "yes",
            "system": "transmission",
            "serious_safety": False,
            "needs_replacing": None,
        },
        "P2": {
            "quality": "unknown",
            "system": "electrical",
            "serious_safety": True,
            "needs_replacing": "engine",
        },
    },
    "visits": {"0": "P1", "1": "P2", "2": "P1"},
    "records_support": "partly",
    "inspection_needed": None,
    "remedy": None,
}

SHAPES = {
    "form": FROM_FORM,
    "nothing yet": {},
    "undecided form": {
        "problems": {},
        "visits": {},
        "records_support": None,
        "inspection_needed": True,
        "remedy": "return",
    },
    "problems only": {"problems": {"P1": {"quality": "no"}}},
    "visits only": {"visits": {"3": "P1"}},
    "keys in another order": {
        "remedy": "repair",
        "visits": {"1": "P1"},
        "problems": {"P1": {"system": "body", "quality": "yes"}},
    },
    **{f"demo case {i}": c["findings"] for i, c in enumerate(CASES) if "findings" in c},
}


@pytest.mark.parametrize("stored", SHAPES.values(), ids=SHAPES.keys())
def test_stored_findings_are_written_back_byte_for_byte(stored):
    again = StoredFindings.from_dict(stored).to_dict()
    assert json.dumps(again, ensure_ascii=False) == json.dumps(stored, ensure_ascii=False)


def test_the_form_writes_every_key_in_the_stored_order():
    fields = {
        "quality_0": "yes",
        "system_0": "transmission",
        "safety_0": False,
        "needs_0": "",
        "quality_1": "unknown",
        "system_1": "electrical",
        "safety_1": True,
        "needs_1": "engine",
        "visit_0": "P1",
        "visit_1": "P2",
        "visit_2": "P1",
        "records_support": "partly",
        "inspection_needed": "",
        "remedy": "",
    }
    found = findings_from_form(_Form(fields), ["P1", "P2"], 3)
    assert json.dumps(found, ensure_ascii=False) == json.dumps(FROM_FORM, ensure_ascii=False)


def test_a_missing_entry_is_undecided_and_keeps_the_filed_values():
    entry = StoredFindings.from_dict({}).problem("P1")
    assert entry == ProblemEntry("P1", keys=())
    assert entry.entered("system", "body") == "body"
    assert ProblemEntry("P1", system=None).entered("system", "body") is None


class _Form:
    """A bound form as findings_from_form reads it: form["name"].data and form.name.data."""

    def __init__(self, data: dict):
        self._fields = {k: SimpleNamespace(data=v) for k, v in data.items()}

    def __getitem__(self, name: str) -> SimpleNamespace:
        return self._fields[name]

    def __getattr__(self, name: str) -> SimpleNamespace:
        return self._fields[name]
