"""Security headers on every kind of response (disputes/security.py), and no inline script or
style anywhere in the templates, so the Content-Security-Policy needs no 'unsafe-inline'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from disputes.security import CONTENT_SECURITY_POLICY, HEADERS

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_secure(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_the_policy_is_the_documented_one():
    assert EXPECTED["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert set(EXPECTED) <= set(HEADERS)


@pytest.mark.parametrize("path", ["/", "/self-check", "/auth/login", "/auth/register"])
def test_html_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_secure(response)


def test_json_api(client):
    assert_secure(client.get("/api/v1/"))
    assert_secure(client.post("/api/v1/assessments", json={}))


def test_not_found_html_and_json(client):
    assert_secure(client.get("/no-such-page"))
    assert_secure(client.get("/api/v1/no-such-thing"))


def test_forbidden_and_login_redirects(client, make_user, login):
    assert_secure(client.get("/staff/"))
    login(make_user("consumer"))
    assert_secure(client.get("/staff/"))


@pytest.mark.fresh_app  # adds a URL rule
def test_server_error(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_boom")
    def _boom():
        raise RuntimeError("boom")

    response = client.get("/_boom")
    assert response.status_code == 500
    assert_secure(response)


def test_static_files(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert_secure(response)
    response.close()


def test_downloads(client, make_user, make_case, login):
    owner = make_user("consumer")
    case = make_case(owner)
    login(make_user("staff"))
    csv = client.get("/staff/cases/export?format=csv")
    assert csv.status_code == 200
    assert_secure(csv)
    pdf = client.get(f"/staff/cases/{case.id}/case-file.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert_secure(pdf)


def test_attachment_download(client, make_user, make_case, attach, login):
    owner = make_user("consumer")
    case = make_case(owner)
    attachment_id = attach(case.id, "invoice.pdf", data=b"%PDF-1.4\n%%EOF\n")
    login(owner)
    response = client.get(f"/cases/{case.id}/attachments/{attachment_id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert_secure(response)
    response.close()


@pytest.mark.fresh_app  # adds a URL rule
def test_a_view_may_set_its_own_stricter_header(app, client):
    @app.get("/_own")
    def _own():
        return "x", 200, {"Content-Security-Policy": "default-src 'none'"}

    assert client.get("/_own").headers["Content-Security-Policy"] == "default-src 'none'"


# --- no inline script or style, so the policy above never blocks our own pages -------------

#: What 'unsafe-inline' would be needed for: script elements with a body or any script element
#: not loaded from 'self', event-handler attributes, javascript: URLs, style attributes or
#: elements (in HTML and in the SVG the charts emit). An empty element loading static/js is fine.
INLINE = {
    "script element": re.compile(
        r"<script\b(?!\s+src=\"\{\{ url_for\('static', filename='js/[\w.-]+'\) \}\}\""
        r"( defer)?></script>)",
        re.I,
    ),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S),
    "javascript: url": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
    "style element": re.compile(r"<style\b", re.I),
}


def _markup_sources() -> list[Path]:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    python = sorted((ROOT / "disputes").rglob("*.py"))
    return templates + python


def test_there_are_templates_to_check():
    assert len([p for p in _markup_sources() if p.suffix == ".html"]) > 20


@pytest.mark.parametrize("path", _markup_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_or_style_in_source(path):
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)}: {found} (use a class in static/css)"


@pytest.mark.parametrize(
    ("sample", "what"),
    [
        ('<p style="color:red">', "style attribute"),
        ('<rect\n  style="fill:red"/>', "style attribute"),
        ('<button onclick="go()">', "event handler"),
        ("<script>alert(1)</script>", "script element"),
        ('<script src="https://cdn.example/x.js"></script>', "script element"),
        (
            "<script src=\"{{ url_for('static', filename='js/a.js') }}\">go()</script>",
            "script element",
        ),
        ("<style>p{}</style>", "style element"),
        ('<a href="javascript:go()">', "javascript: url"),
    ],
)
def test_the_inline_check_catches_each_kind(sample, what):
    assert INLINE[what].search(sample)


@pytest.mark.parametrize(
    "sample",
    [
        '<form class="inline-form">',
        "{{ post_button(x, confirm=None) }}",
        "<script src=\"{{ url_for('static', filename='js/wizard.js') }}\" defer></script>",
    ],
)
def test_the_inline_check_lets_ordinary_markup_pass(sample):
    assert not any(pattern.search(sample) for pattern in INLINE.values())


def test_rendered_staff_stats_charts_have_no_style_attributes(client, make_user, login):
    login(make_user("staff"))
    page = client.get("/staff/stats").text
    assert "<svg" in page
    assert not INLINE["style attribute"].search(page)
    assert not INLINE["script element"].search(page)


@pytest.mark.parametrize("path", ["/cases", "/staff", "/api/v1"])
def test_a_slash_redirect_does_not_name_the_host_the_client_sent(client, path):
    response = client.get(path, headers={"Host": "evil.example"})

    assert response.status_code == 308
    assert response.headers["Location"] == f"{path}/"


def test_trusted_hosts_refuse_any_other_host(app, client):
    app.config["TRUSTED_HOSTS"] = ["sanbao.example.gov.cn"]

    assert client.get("/cases", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "sanbao.example.gov.cn"}).status_code == 200


@pytest.fixture
def matrix_world(request, app, make_user, make_case):
    from tests.access_matrix import shared_world

    return shared_world(request, app, make_user, make_case)


def test_every_page_and_file_served_to_a_signed_in_user_is_never_stored(app, matrix_world):
    from tests.access_matrix import EXPECTED, ROLES, call

    rows = {e: row for e, row in EXPECTED.items() if e != "auth.logout"}  # it ends the session

    stored = {}
    for endpoint, row in rows.items():
        for role in ROLES[1:]:
            response = call(app, matrix_world, endpoint, row, role)
            response.get_data()  # runs a streamed download to its end
            if response.headers.get("Cache-Control") != "no-store":
                stored[endpoint, role] = response.headers.get("Cache-Control")

    assert stored == {}


def test_anonymous_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_a_post_that_commits_and_redirects_reads_the_signed_in_user_once(app, make_user):
    """The no-store check after a commit must not load the (expired) user a second time."""
    from sqlalchemy import event

    from disputes.db import db
    from tests.support.login import client_for

    client = client_for(app, make_user("consumer"))
    with app.app_context():
        engine = db.engine
    user_reads: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ARG001
        # Loads of the whole row (PostgreSQL also locks the row, `SELECT users.id ... FOR
        # UPDATE`, to count the consumer's drafts: not a load).
        if statement.lstrip().startswith("SELECT") and "users.is_active" in statement:
            user_reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.post("/cases/new")
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"
    assert len(user_reads) == 1
