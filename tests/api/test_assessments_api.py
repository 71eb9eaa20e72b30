"""POST /api/v1/assessments: the rules contract over HTTP (shared cases, bad input)."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest

from disputes import calendar
from tests.api.assessment_facts import FACTS, URL
from tests.rules.shared_cases import CASES


def facts(**changes: Any) -> dict[str, Any]:
    """Return a deep copy of FACTS with dotted-path changes."""
    d = copy.deepcopy(FACTS)
    for dotted, value in changes.items():
        target, *path = d, *dotted.split(".")
        for key in path[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[path[-1]] = value
    return d


def compared(expect: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    """Return the fields of `got` that cases/README.md compares, shaped like `expect`."""
    out: dict[str, Any] = {}
    for key, value in expect.items():
        if key == "regime":
            out[key] = got["regime"]
        elif key == "remedies":
            out[key] = {(r["remedy"], r["basis"], r["free"]) for r in got["remedies"]}
            expect[key] = {tuple(r) for r in value}
        elif key == "compensation_amount_yuan":
            out[key] = (got["compensation"] or {}).get("amount_yuan")
        elif key == "periods":
            out[key] = {
                name: {f: got["periods"][name][f] for f in fields} for name, fields in value.items()
            }
        elif key in ("repair_days_total", "repairs_by_problem"):
            out[key] = got["counts"][key]
        elif key == "excluded":
            out[key] = {(e["problem"], e["basis"]) for e in got["excluded"]}
            expect[key] = {tuple(e) for e in value}
        elif key == "deadlines":
            out[key] = {f: got["deadlines"][f] for f in value}
        else:
            pytest.fail(f"unknown expect key {key!r}")
    return out


@pytest.mark.parametrize("path", CASES)
def test_shared_case_through_the_api_matches_its_expectation(client, path):
    case = json.loads(path.read_text(encoding="utf-8"))
    response = client.post(URL, json=case["facts"])
    assert response.status_code == 200, response.get_data(as_text=True)
    expect = copy.deepcopy(case["expect"])
    assert compared(expect, response.get_json()) == expect, case.get("title")


def test_answer_is_exactly_the_rules_assessment(client):
    from rules import assess, parse_facts

    response = client.post(URL, json=FACTS)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == assess(parse_facts(FACTS)).to_dict()


def test_lang_en_gives_english_explanations(client):
    zh = client.post(URL, json=FACTS).get_json()
    en = client.post(f"{URL}?lang=en", json=FACTS).get_json()
    assert en["explanation"] != zh["explanation"]
    assert en["explanation"].isascii() or "three" in en["explanation"].lower()


def test_unknown_lang_is_refused_naming_the_parameter(client):
    response = client.post(f"{URL}?lang=fr", json=FACTS)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "lang"


def test_api_needs_no_csrf_token_even_when_csrf_is_on(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(URL, json=FACTS)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"purchase=2015-03-02", "application/x-www-form-urlencoded", id="form-post"),
        pytest.param(b"{not json", "application/json", id="malformed"),
        pytest.param(b"", "application/json", id="empty"),
        pytest.param(b"[1, 2]", "application/json", id="array"),
        pytest.param(b'"facts"', "application/json", id="string"),
        pytest.param("{}".encode("utf-16"), "application/json", id="not-utf8"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400_without_field(client, body, content_type):
    response = client.post(URL, data=body, content_type=content_type)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] is None
    assert error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({**FACTS, "purchse": {}}, "purchse", id="unknown-top-level-key"),
        pytest.param(facts(**{"purchase.colour": "red"}), "purchase.colour", id="unknown-key"),
        pytest.param(facts(**{"purchase.price_yuan": "a lot"}), "purchase.price_yuan", id="type"),
        pytest.param(facts(**{"purchase.price_yuan": -1}), "purchase.price_yuan", id="negative"),
        pytest.param(facts(**{"purchase.price_yuan": 0}), "purchase.price_yuan", id="zero-price"),
        pytest.param(
            facts(**{"purchase.invoice_date": "2015-02-30"}), "purchase.invoice_date", id="date"
        ),
        pytest.param(facts(**{"events.0.odometer_km": -5}), "events[0].odometer_km", id="km"),
        pytest.param(facts(**{"events.0.end": "2015-03-30"}), "events[0].end", id="end<start"),
        pytest.param(facts(**{"events.0.problem": "P9"}), "events[0].problem", id="no-problem"),
        pytest.param(facts(**{"as_of.odometer_km": 100}), "as_of.odometer_km", id="km-backward"),
        pytest.param(facts(**{"problems.P1.system": "wheels"}), "problems.P1.system", id="enum"),
        pytest.param({"as_of": FACTS["as_of"]}, "purchase", id="missing-purchase"),
        pytest.param(facts(**{"purchase.price_yuan": 1e26}), "purchase.price_yuan", id="1e26"),
        pytest.param(
            facts(**{"purchase.price_yuan": "1" + "0" * 40}), "purchase.price_yuan", id="1e40"
        ),
        pytest.param(
            facts(**{"purchase.invoice_date": "9998-12-31"}), "purchase.invoice_date", id="9998"
        ),
        pytest.param(facts(**{"as_of.date": "9999-12-31"}), "as_of.date", id="as-of-9999"),
        pytest.param(
            facts(written_request_date="9999-12-31"), "written_request_date", id="request-9999"
        ),
        pytest.param(
            facts(**{"events.0.end": "9999-12-31T23:59"}), "events[0].end", id="visit-9999"
        ),
        pytest.param(facts(**{"as_of.odometer_km": 10**20}), "as_of.odometer_km", id="km-1e20"),
        pytest.param(
            facts(warranty_card={"three_guarantee": {"years": 10**6}}),
            "warranty_card.three_guarantee.years",
            id="term-years",
        ),
        pytest.param(
            facts(**{"events.0.excluded_days": {"rescue_travel": 10**8}}),
            "events[0].excluded_days.rescue_travel",
            id="excluded-days",
        ),
    ],
)
def test_invalid_facts_are_a_400_naming_the_field(client, body, field):
    response = client.post(URL, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field
    assert error["message"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        pytest.param(b"NaN", "as_of.odometer_km", id="NaN"),
        pytest.param(b"-Infinity", "as_of.odometer_km", id="-Infinity"),
        pytest.param(b"1" + b"0" * 30, "as_of.odometer_km", id="beyond-64-bits"),
    ],
)
def test_numbers_the_fast_reader_refuses_are_read_as_json_reads_them(client, raw, field):
    # orjson refuses these; the view reads them with json as before, so the field is named.
    body = json.dumps(facts(**{"as_of.odometer_km": 2600})).replace("2600", raw.decode())
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param(
            {"problems.P1.description": "异响\ud800"}, "problems.P1.description", id="text"
        ),
        pytest.param(
            {"problems": {"P\udc00": FACTS["problems"]["P1"]}}, "problems", id="problem-label"
        ),
        pytest.param({"purchase.\ud800": 1}, "purchase", id="unknown-key"),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_the_field_not_a_500(client, changes, field):
    # json.dumps escapes the surrogate as \ud800 in the body, as a client's encoder would.
    body = json.dumps(facts(**changes))
    assert "\\ud800" in body or "\\udc00" in body
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_a_character_beyond_the_basic_plane_is_text(client):
    response = client.post(URL, json=facts(**{"problems.P1.description": "异响𠀀😀"}))
    assert response.status_code == 200


@pytest.mark.parametrize("path", CASES)
def test_the_body_is_the_compact_json_json_dumps_writes(client, path):
    from rules import article_texts, assess, parse_facts, trace

    case_facts = json.loads(path.read_text(encoding="utf-8"))["facts"]
    response = client.post(f"{URL}?lang=en&article_text=1&trace=1", json=case_facts)
    parsed = parse_facts(case_facts)
    body = assess(parsed, lang="en").to_dict()
    body["article_text"] = article_texts(body)
    body["trace"] = trace(parsed)
    written = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    assert response.get_data() == written.encode("utf-8")


def test_error_message_follows_lang(client):
    body = facts(**{"purchase.price_yuan": -1})
    zh = client.post(URL, json=body).get_json()["error"]["message"]
    en = client.post(f"{URL}?lang=en", json=body).get_json()["error"]["message"]
    assert zh != en
    assert en.isascii()


def test_a_visit_before_the_purchase_is_assessed_with_a_warning(client):
    body = facts(**{"events.0.start": "2015-01-05", "events.0.end": "2015-01-06"})
    response = client.post(URL, json=body)
    if response.status_code == 400:  # the engine may treat it as invalid facts instead
        assert response.get_json()["error"]["field"].startswith("events[0]")
    else:
        assert response.status_code == 200
        assert response.get_json()["warnings"]


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_a_body_over_the_limit_is_a_413_json(client):
    from disputes.api.views import MAX_FACTS_BYTES

    body = json.dumps({**FACTS, "pad": "x" * MAX_FACTS_BYTES})
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["field"] is None


def test_index_describes_the_contract(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.get_json()
    assert body["contract"] == 2
    assert any(e["path"] == URL for e in body["endpoints"])


def test_bureau_holiday_file_moves_the_answer_deadline(app, client, monkeypatch):
    """A bureau-declared holiday on a working day pushes written_answer_due one day later (once
    the holiday files are looked at again, RECHECK_SECONDS after the first answer)."""
    body = facts(**{"written_request_date": "2015-05-04"})
    before = client.post(URL, json=body).get_json()["deadlines"]["written_answer_due"]
    folder = Path(app.instance_path) / app.config["HOLIDAYS_FOLDER"]
    folder.mkdir(parents=True, exist_ok=True)
    days = sorted(_weekdays_between("2015-05-05", before))
    (folder / "2015.json").write_text(
        json.dumps({"year": 2015, "holidays": [days[0]], "workdays": []}), encoding="utf-8"
    )
    later = time.monotonic() + calendar.RECHECK_SECONDS
    monkeypatch.setattr(calendar, "monotonic", lambda: later)
    after = client.post(URL, json=body).get_json()["deadlines"]["written_answer_due"]
    assert after > before


def test_a_broken_holiday_file_is_ignored_not_a_500(app, client):
    folder = Path(app.instance_path) / app.config["HOLIDAYS_FOLDER"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2015.json").write_text("{broken", encoding="utf-8")
    (folder / "2016.json").write_text(json.dumps({"year": 2017}), encoding="utf-8")
    body = facts(**{"written_request_date": "2015-05-04"})
    assert client.post(URL, json=body).status_code == 200


def _weekdays_between(first: str, last: str) -> list[str]:
    from datetime import date, timedelta

    day, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while day <= end:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day += timedelta(days=1)
    return out
