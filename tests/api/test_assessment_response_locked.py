"""POST /api/v1/assessments answers byte for byte as locked: status, every header in order,
and the body (tests/api/locked/, written by the code before the overhead cuts; since the body
is read and written by orjson, it is compact JSON, the same values json.dumps wrote with ", "
and ": " between them)."""

from __future__ import annotations

from pathlib import Path

import pytest

URL = "/api/v1/assessments"
LOCKED = Path(__file__).parent / "locked"
FACTS = {
    "purchase": {"invoice_date": "2015-03-02", "price_yuan": 98000},
    "problems": {"P1": {"system": "steering", "description": "方向盘异响"}},
    "events": [{"problem": "P1", "start": "2015-04-01", "end": "2015-04-02", "odometer_km": 1500}],
    "as_of": {"date": "2015-05-01", "odometer_km": 2600},
}
SECURITY = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]


@pytest.mark.parametrize(
    ("query", "locked"), [("", "assessment_zh"), ("?lang=en", "assessment_en")]
)
def test_an_assessment_is_answered_byte_for_byte(client, query, locked):
    body = (LOCKED / f"{locked}.json").read_bytes()
    response = client.post(URL + query, json=FACTS)
    assert response.status == "200 OK"
    assert response.get_data() == body
    assert response.headers.to_wsgi_list() == [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        *SECURITY,
    ]


def test_a_signed_in_caller_gets_the_same_answer_and_no_cookie(client, login, consumer):
    login(consumer)
    response = client.post(URL, json=FACTS)
    assert response.get_data() == (LOCKED / "assessment_zh.json").read_bytes()
    assert ("Cache-Control", "no-store") in response.headers.to_wsgi_list()
    assert "Vary" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_an_invalid_field_is_answered_byte_for_byte(client):
    response = client.post(URL, json={**FACTS, "purchase": {"invoice_date": "x", "price_yuan": 1}})
    body = (
        b'{"error":{"field":"purchase.invoice_date","message":'
        b'"\\u65e5\\u671f\\u683c\\u5f0f\\u5e94\\u4e3a YYYY-MM-DD"}}\n'
    )
    assert response.status == "400 BAD REQUEST"
    assert response.get_data() == body
    assert response.headers.to_wsgi_list() == [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        *SECURITY,
    ]
