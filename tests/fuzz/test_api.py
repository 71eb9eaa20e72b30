"""POST /api/v1/assessments with hypothesis-made JSON: random documents of every type, valid
facts with values swapped for hostile ones, and bodies that are not JSON at all.

The answer is the assessment (200) or {"error": {"field", "message"}} with a 4xx, never a 500;
the API writes nothing, so every table keeps its row count. No Idempotency-Key is needed: the
endpoint is a pure function of its body.
"""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzz.checks import assert_clear_answer, row_counts
from tests.fuzz.strategies import json_bodies
from tests.support.data import API_FACTS
from tests.support.fuzzing import EXAMPLES, FUZZ_SETTINGS, count_example

#: The richest valid facts the contract allows, so mutations reach every part of the parser.
FULL_FACTS = {
    "purchase": {"invoice_date": "2024-05-18", "delivery_date": "2024-05-20", "price_yuan": 168800},
    "vehicle": {
        "category": "passenger",
        "use": "household",
        "powertrain": "ice",
        "brand": "示例品牌",
        "model": "示例",
        "vin": "LFV2A21K6N3123458",
    },
    "warranty_card": {
        "compensation_rate": 0.005,
        "wear_parts": [{"name": "刹车片", "months": 12, "km": 20000}],
    },
    "problems": {"P1": {"system": "transmission", "description": "顿挫", "serious_safety": False}},
    "events": [
        {
            "problem": "P1",
            "start": "2024-07-02T09:10",
            "end": "2024-07-03T16:00",
            "odometer_km": 4200,
            "replaced": [
                {
                    "assembly": "transmission",
                    "part": "阀体",
                    "main_part": True,
                    "whole_assembly": False,
                }
            ],
            "resolved": False,
        }
    ],
    "as_of": {"date": "2024-09-01", "odometer_km": 9000},
    "written_request_date": "2024-09-01",
    "claim": "replace",
    "replacement_available": "same_model",
}

bodies = st.one_of(json_bodies(API_FACTS), json_bodies(FULL_FACTS))


def full_facts_with(**changes: dict) -> bytes:
    """FULL_FACTS with some of its sections' values changed, as a request body."""
    doc = json.loads(json.dumps(FULL_FACTS))
    for section, values in changes.items():
        doc[section] = values if not isinstance(doc[section], dict) else doc[section] | values
    return json.dumps(doc, ensure_ascii=False).encode()


#: Bodies that once gave a 500, run first so no seed can skip them.
KNOWN_FAILURES = (
    full_facts_with(purchase={"price_yuan": 1e26}),
    b'{"purchase": {"invoice_date": "2024-05-18", "price_yuan": 1' + b"0" * 400 + b"}}",
    full_facts_with(purchase={"invoice_date": "9998-12-31"}),
    full_facts_with(as_of={"date": "9999-12-31", "odometer_km": 9000}),
    full_facts_with(written_request_date="9999-12-31"),
    full_facts_with(warranty_card={"wear_parts": [{"name": "刹车片", "months": 10**12}]}),
    b"[" * 100_000 + b"]" * 100_000,
)
langs = st.one_of(st.sampled_from(["zh", "en", None]), st.text(max_size=10))


def with_known_failures(test):
    """Add every KNOWN_FAILURES body as an explicit example of `test`, in both languages."""
    for body in KNOWN_FAILURES:
        for lang in ("zh", "en"):
            test = example(body=body, lang=lang)(test)
    return test


def test_the_full_facts_are_valid(client):
    response = client.post("/api/v1/assessments", json=FULL_FACTS)

    assert response.status_code == 200, response.get_json()


def test_hostile_json_gets_the_assessment_or_an_error_object(app, client):
    with app.app_context():
        before = row_counts()

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES * 4)
    @given(body=bodies, lang=langs)
    @with_known_failures
    def fuzz(body: bytes, lang: str | None) -> None:
        response = client.post(
            "/api/v1/assessments",
            data=body,
            content_type="application/json",
            query_string={"lang": lang} if lang is not None else None,
        )

        assert_clear_answer(response)
        assert response.mimetype == "application/json"
        if response.status_code == 200:
            assert isinstance(json.loads(response.get_data(as_text=True)), dict)
        count_example("api:assessments_create")

    fuzz()

    with app.app_context():
        assert row_counts() == before
