"""The explanation's reader and language: 您 for the consumer, the third person for staff and
experts; English without Chinese punctuation or "(s)" plurals; one name per remedy."""

from __future__ import annotations

import re

from rules import assess, explain, parse_facts

#: the shared filing example: a return claim with a pending threshold and usage compensation
FILING = {
    "purchase": {"invoice_date": "2024-05-18", "price_yuan": 168800, "delivery_date": "2024-05-20"},
    "problems": {
        "P1": {"system": "transmission", "description": "变速器低速顿挫"},
        "P2": {"system": "electrical", "description": "倒车影像间歇黑屏"},
    },
    "events": [
        {
            "problem": "P1",
            "start": "2024-07-02T09:10",
            "end": "2024-07-03T16:00",
            "odometer_km": 4200,
            "resolved": True,
        },
        {
            "problem": "P1",
            "start": "2024-08-20T10:00",
            "end": "2024-08-27T17:30",
            "odometer_km": 7600,
            "resolved": False,
            "replaced": [{"assembly": "transmission", "part": "valve body", "main_part": True}],
        },
        {
            "problem": "P2",
            "start": "2024-09-15T14:00",
            "end": "2024-09-15T18:00",
            "odometer_km": 9100,
        },
        {
            "problem": "P1",
            "start": "2024-11-05T08:30",
            "end": "2024-11-19T17:00",
            "odometer_km": 13800,
            "resolved": False,
            "replaced": [{"assembly": "transmission", "part": "valve body", "main_part": True}],
        },
        {
            "problem": "P1",
            "start": "2025-02-10T09:00",
            "end": "2025-02-12T11:00",
            "odometer_km": 22900,
        },
    ],
    "as_of": {"date": "2025-03-03", "odometer_km": 23500},
    "warranty_card": {"compensation_rate": 0.005},
    "written_request_date": "2025-03-03",
    "claim": "return",
}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def texts(result: dict) -> list[str]:
    """Every sentence of an assessment a person reads."""
    out = [result["regime_reason"], result["explanation"], *result["warnings"]]
    out += [r["because"] for r in result["remedies"]] + [e["because"] for e in result["excluded"]]
    out += [t["needs"] for t in result["next_thresholds"]]
    return out


def test_the_consumer_is_addressed_as_nin_and_staff_read_the_third_person():
    facts = parse_facts(FILING)
    mine = assess(facts).to_dict()["explanation"]
    theirs = assess(facts, audience="official").to_dict()["explanation"]
    assert "您主张的“退车”" in mine
    assert "您目前可以主张" in mine
    assert "消费者主张的“退车”" in theirs
    assert "消费者目前可以主张" in theirs
    assert not re.search("[你您]", theirs)
    english = assess(facts, lang="en", audience="official").to_dict()["explanation"]
    assert "The consumer's claim (vehicle return)" in english
    assert not re.search(r"\b(you|your)\b", english, re.IGNORECASE)


def test_one_name_each_for_return_and_replacement():
    result = assess(parse_facts(FILING)).to_dict()
    readable = "".join(texts(result)).replace(result["regime_reason"], "")
    assert "退车" in readable
    assert "换车" in readable
    assert "退货" not in readable
    assert "更换车辆" not in readable


def test_english_has_no_chinese_punctuation_and_real_plurals():
    result = assess(parse_facts(FILING), lang="en").to_dict()
    for text in texts(result):
        assert not CJK.search(text), text
        assert not re.search(r"\((s|ies)\)", text), text
    assert "2 further remedies could open later" in result["explanation"]
    one = explain.explanation("Reason", (), (), None, (None, None), 1, "en")
    assert "1 further remedy could open later" in one


def test_english_lists_of_problems_use_commas():
    events = [
        {
            "problem": p,
            "start": f"2024-{m:02d}-01",
            "end": f"2024-{m:02d}-02",
            "odometer_km": m * 1000,
        }
        for m in range(6, 12)
        for p in ("P1", "P2")
    ]
    facts = dict(FILING, events=events, claim=None)
    result = assess(parse_facts(facts), lang="en").to_dict()
    because = " ".join(r["because"] for r in result["remedies"])
    assert "P1×6, P2×6" in because
