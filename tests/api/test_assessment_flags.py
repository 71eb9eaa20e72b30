"""POST /api/v1/assessments?article_text=1 / ?trace=1: the law's text and the computation.

Off by default: without the flags the answer is exactly the contract's assessment.
"""

from __future__ import annotations

import copy

from rules import article_texts, assess, parse_facts, trace
from tests.api.assessment_facts import FACTS, URL


def test_without_flags_neither_key_is_added(client):
    body = client.post(URL, json=FACTS).get_json()
    assert "article_text" not in body
    assert "trace" not in body


def test_article_text_carries_every_cited_basis_with_its_text(client):
    body = client.post(f"{URL}?article_text=1", json=FACTS).get_json()
    texts = body.pop("article_text")
    assert body == assess(parse_facts(copy.deepcopy(FACTS))).to_dict()
    assert texts == article_texts(body)
    for remedy in body["remedies"]:
        assert texts[remedy["basis"]]["text"]
    assert texts["2013.18.1"]["article"] == "第十八条第一款"
    assert "免费修理" in texts["2013.18.1"]["text"]
    assert texts["2013.17"]["source"].startswith("国家质量监督检验检疫总局令第150号")


def test_trace_returns_the_computation_that_reproduces_the_answer(client):
    body = client.post(f"{URL}?trace=1&lang=en", json=FACTS).get_json()
    computed = body.pop("trace")
    assert computed == trace(parse_facts(copy.deepcopy(FACTS)))
    counted = [v for v in computed["visits"] if v["counted"]]
    assert sum(v["net_days"] for v in counted) == body["counts"]["repair_days_total"] == 2


def test_the_index_lists_both_flags(client):
    query = client.get("/api/v1/").get_json()["endpoints"][0]["query"]
    assert query["article_text"] == ["1"]
    assert query["trace"] == ["1"]
