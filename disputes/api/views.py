"""The JSON API under /api/v1: the rules contract over HTTP (facts in, Assessment.to_dict() out).

No cookies are needed or changed by these views, so they are exempt from CSRF and pass by the
browser's request hooks (cookieless.py).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response, current_app, jsonify, request, url_for

import rules
from disputes.access import public
from disputes.api import bp
from disputes.api.errors import error_response
from disputes.calendar import bureau_holidays
from disputes.forms import csrf

#: Largest facts body accepted (a case with hundreds of visits is far below this).
MAX_FACTS_BYTES = 256 * 1024
LANGS = ("zh", "en")
NOT_AN_OBJECT = {
    "zh": "请求体必须是一个 JSON 对象（规则契约中的事实）。",
    "en": "the body must be a JSON object (the contract's facts)",
}


@bp.get("/")
@public
def index() -> dict[str, Any]:
    """Describe the API: the contract version and the endpoints."""
    return {
        "contract": rules.CONTRACT_VERSION,
        "endpoints": [
            {
                "method": "POST",
                "path": url_for("api.assessments_create"),
                "body": "facts (contract.md)",
                "query": {"lang": list(LANGS), "article_text": ["1"], "trace": ["1"]},
                "returns": "assessment (contract.md)",
            }
        ],
    }


@bp.post("/assessments")
@public
@csrf.exempt
def assessments_create() -> Response | tuple[Response, int]:
    """Assess the facts in the JSON body; 400 with the error object when they are invalid.

    ``?article_text=1`` adds each cited article's text, ``?trace=1`` the computation.
    """
    lang = request.args.get("lang", "zh")
    if lang not in LANGS:
        return error_response(400, f"lang must be one of: {', '.join(LANGS)}", "lang")
    if (request.content_length or 0) > MAX_FACTS_BYTES:
        return error_response(413, f"body larger than {MAX_FACTS_BYTES} bytes")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_FACTS_BYTES:
        return error_response(413, f"body larger than {MAX_FACTS_BYTES} bytes")
    facts = _facts(raw)
    if not isinstance(facts, dict):
        return error_response(400, NOT_AN_OBJECT[lang])
    try:
        parsed = rules.parse_facts(facts)
    except rules.FactsError as error:
        return jsonify(error.to_dict(lang)), 400
    holidays = bureau_holidays(current_app)
    body = rules.assess(parsed, lang=lang, holidays=holidays).to_dict()
    if request.args.get("article_text") == "1":
        body["article_text"] = rules.article_texts(body)
    if request.args.get("trace") == "1":
        body["trace"] = rules.trace(parsed, holidays=holidays)
    return _json(body)


@bp.after_request
def no_store(response: Response) -> Response:
    """Mark every answer no-store: it holds the caller's facts, and signed in or not (the API
    does not look), no shared cache should keep it."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _facts(raw: bytes) -> Any:
    """Parse the body as JSON, None when it is not. orjson reads any body a client means to
    send, at a third of json's time; what it refuses (numbers beyond 64 bits, NaN, lone
    surrogates) is read by json as before, so parse_facts still names the field at fault."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nesting deeper than json parses
        return None


def _json(body: dict[str, Any]) -> Response:
    """Return `body` as compact JSON in the contract's key order, Chinese left readable (the
    bytes json.dumps writes with ensure_ascii=False and separators (",", ":"), at a tenth of
    its time)."""
    return current_app.response_class(orjson.dumps(body), mimetype="application/json")
