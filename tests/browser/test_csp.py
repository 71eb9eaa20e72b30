"""The Content-Security-Policy blocks nothing on our own pages: Chromium reports no violation on
the home page, the self-check, the filing wizard and the staff statistics (SVG charts)."""

from __future__ import annotations

import pytest

from disputes.security import CONTENT_SECURITY_POLICY
from tests.browser.live import log_in

pytestmark = pytest.mark.browser


def collect_violations(page) -> list[str]:
    """Start collecting Chromium's console reports of CSP violations on `page`."""
    violations: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


def log_in_loaded(page, base: str, login: str, password: str) -> None:
    """Sign in and wait until the landing page has loaded (its scripts and styles run)."""
    log_in(page, base, login, password)
    page.wait_for_load_state("load")


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    page.wait_for_load_state("load")


def test_the_collector_sees_a_violation(page, live_server):
    """Control: a page with inline style and script under our policy is reported."""
    probe = f"{live_server}/_csp_probe"
    page.route(
        probe,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
            body='<p style="color:red">x</p><script>document.title="ran"</script>',
        ),
    )
    violations = collect_violations(page)
    page.goto(probe)
    page.wait_for_load_state("load")
    assert page.title() != "ran"
    assert len(violations) >= 2


def test_public_pages_have_no_violations(page, live_server):
    violations = collect_violations(page)
    for path in ("/", "/self-check", "/auth/login", "/auth/register"):
        visit(page, f"{live_server}{path}")
    assert violations == []


def test_the_filing_wizard_has_no_violations(page, live_server, demo_logins):
    violations = collect_violations(page)
    log_in_loaded(page, live_server, *demo_logins["consumer"])
    visit(page, f"{live_server}/cases/")
    visit(page, f"{live_server}/cases/new")
    page.get_by_role("button", name="开始填写").click()
    page.wait_for_url("**/cases/drafts/*/step/1")
    assert page.locator("form input").count() > 3
    page.get_by_role("button", name="下一步").click()
    page.wait_for_load_state("load")
    visit(page, f"{live_server}/account/password")
    assert violations == []


def test_staff_pages_with_charts_have_no_violations(page, live_server, demo_logins):
    violations = collect_violations(page)
    log_in_loaded(page, live_server, *demo_logins["staff"])
    visit(page, f"{live_server}/staff/")
    visit(page, f"{live_server}/staff/stats")
    assert page.locator("svg.chart").count() > 0
    visit(page, f"{live_server}/staff/cases")
    assert violations == []


def test_the_admin_user_list_has_no_violations(page, live_server, demo_logins):
    violations = collect_violations(page)
    log_in_loaded(page, live_server, *demo_logins["admin"])
    visit(page, f"{live_server}/admin/users")
    assert violations == []
