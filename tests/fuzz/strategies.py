"""Hypothesis strategies for hostile input: form values, uploaded files and JSON documents.

The lists hold what breaks parsers in practice (huge and negative numbers, dates outside any
calendar, control characters, SQL and HTML, long strings); the random parts add the rest.
"""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import strategies as st

#: Numbers and days past what a database column, Decimal's precision or the calendar holds.
OVERFLOWS: tuple[str, ...] = (
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e26",
    "1E+100",
    "9999999999.995",
    "9998-12-31",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2101-01-01",
    "9999-12-31T23:59",
    "2026-01-01T00:00:00~99999999999999999999999",
)

#: Values that have broken form handling somewhere: numbers, dates, text, markup, injection.
HOSTILE_TEXT: tuple[str, ...] = (
    *OVERFLOWS,
    "",
    " ",
    "0",
    "-1",
    "-0",
    "-99999999999999999999",
    "1e308",
    "-1e308",
    "1e309",
    str(10**40),
    str(2**63),
    str(-(2**63) - 1),
    "NaN",
    "Infinity",
    "-inf",
    "0x1F",
    "1_000",
    "１２３",  # full-width digits
    "٣",  # Arabic-Indic digit
    "3.14159265358979323846264338327950288",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "31/12/2024",
    "2024-1-1",
    "2024-01-01T25:61",
    "+10000-01-01",
    "25:61",
    "24:00",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\r\n",
    "line\r\nInjected: header",
    "\t\x0b\x0c\x1b[31m",
    "\ufeff\u200b\u200d",
    "\ud7ff\ue000\uffff",
    "𠜎𠜱𝌆😀👨‍👩‍👧",
    "' OR 1=1 --",
    "'; DROP TABLE cases; --",
    '" OR ""="',
    "1; SELECT pg_sleep(0)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% raw %}",
    "%(name)s %s %d",
    "../../etc/passwd",
    "null",
    "true",
    "[]",
    "{}",
    "A" * 10_240,
    "长" * 10_240,
)

#: One value of a form field: a listed hostile value, random text, or a huge or negative number.
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.sampled_from(HOSTILE_TEXT), st.text(max_size=8)).map("".join),
)


def hostile_file() -> st.SearchStrategy[tuple[io.BytesIO, str]]:
    """An upload: bytes that may start like a PDF/PNG/JPEG (or not), under a hostile name."""
    heads = st.sampled_from([b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"MZ"])
    names = st.one_of(
        st.sampled_from(
            [
                "发票.pdf",
                "a.png",
                "b.JPG",
                "x.exe",
                "",
                "../../evil.pdf",
                "a\x00.pdf",
                "\u202ef.pdf",
            ]
        ),
        st.text(max_size=300).map(lambda s: s + ".pdf"),
    )
    body = st.binary(max_size=2048)
    return st.builds(lambda h, b, n: (io.BytesIO(h + b), n), heads, body, names)


# --- JSON ---------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 10**40, -(10**40), 0, -1, 0.1]),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_TEXT),
)

#: Any JSON document: scalars, and lists or objects nested a few levels (wrong types everywhere).
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=5),
    ),
    max_leaves=20,
)


def paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Return the path (keys and indexes) of every value inside `doc`, itself included."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += paths(value, (*prefix, index))
    return found


def replaced(doc: Any, path: tuple, value: Any) -> Any:
    """Return a copy of `doc` with the value at `path` replaced (the root when path is empty)."""
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


@st.composite
def mutated_documents(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    """A valid document with one to three values swapped for hostile JSON, or keys dropped/added."""
    doc: Any = json.loads(json.dumps(valid))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(paths(doc)))
        how = draw(st.sampled_from(["replace", "drop", "add"]))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if how == "drop" and path and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(json_values)
        else:
            doc = replaced(doc, path, draw(json_values))
    return doc


#: A request body: JSON text of a hostile document, or bytes that are not JSON at all.
def json_bodies(valid: dict[str, Any]) -> st.SearchStrategy[bytes]:
    documents = st.one_of(json_values, mutated_documents(valid))
    as_json = documents.map(lambda d: json.dumps(d, ensure_ascii=False).encode())
    raw = st.one_of(
        st.binary(max_size=200),
        st.sampled_from(
            [
                b"",
                b"{",
                b'{"purchase": NaN}',
                b'{"as_of": {"odometer_km": Infinity}}',
                b"\xff\xfe{}",
                b'{"a": 1, "a": 2}',
                b"[" * 5000 + b"]" * 5000,
                b'{"purchase": {"price_yuan": 1' + b"0" * 400 + b"}}",
            ]
        ),
    )
    return st.one_of(as_json, as_json, raw)
