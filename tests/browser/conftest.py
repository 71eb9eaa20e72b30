"""Browser-test harness: a live server on a free port and headless Debian Chromium via Playwright.

Tests here are marked `browser`. They drive Debian's chromium-headless-shell, the build of
Chromium made for headless use that Playwright itself runs headless tests in (the same Blink; a
page costs it less than half the CPU of the full browser in headless mode), else Debian's
chromium (CHROMIUM_PATH names another). Without either they are skipped, unless
REQUIRE_BROWSER=1 (CI) makes a missing browser a failure. A failing test leaves a screenshot in
tests/artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live import load_demo, serve, site_app

HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = Path(
    os.environ.get("CHROMIUM_PATH")
    or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else "/usr/bin/chromium")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test here `browser`. Each pytest-xdist worker that gets some starts its own
    live server and Chromium (their set-up is a second or two), so both cores share the walks."""
    here = Path(__file__).parent  # the path pytest imported this file by, as the items' paths
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Return Debian's Chromium, or skip (fail when REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium-headless-shell package for "
            "browser tests"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app with demo data from a file SQLite database on 127.0.0.1:<free port>."""
    app = site_app(tmp_path_factory.mktemp("live"), "live.sqlite", instance=False)
    load_demo(app)
    url, stop = serve(app, "live-server")
    try:
        yield url
    finally:
        stop()


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    """Launch one headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The full browser needs the new headless mode asked for; a headless shell has no other.
        headless_only = "headless" in chromium_path.name
        args = CHROMIUM_ARGS if headless_only else ["--headless=new", *CHROMIUM_ARGS]
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), args=args, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context and page per test; screenshot to tests/artifacts/ on failure."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()


@pytest.fixture(scope="session")
def demo_logins() -> dict[str, tuple[str, str]]:
    """Return the first demo account of each role: role → (login, password)."""
    from disputes import demo

    accounts: dict[str, tuple[str, str]] = {}
    for role, login, _name in demo.logins():
        accounts.setdefault(role, (login, demo.DEMO_PASSWORD))
    return accounts


@pytest.fixture
def own_site(tmp_path: Path, chromium_path: Path) -> Iterator[Any]:
    """own_site(**config) → (url, app): a live site of the test's own on an empty file database,
    for tests that change data through services while the browser reads the pages. Its queue
    runs each task at once (Huey's immediate mode)."""
    from disputes.db import db

    stops: list[Callable[[], None]] = []

    def start(**config: Any) -> tuple[str, Any]:
        app = site_app(
            tmp_path,
            "own.sqlite",
            {"AUDIT_CHECKPOINT_EVERY": 0} | config,
        )
        app.extensions["huey"].immediate = True
        with app.app_context():
            db.create_all()
        url, stop = serve(app, "own-site")
        app.config["PUBLIC_BASE_URL"] = url
        stops.append(stop)
        return url, app

    yield start
    for stop in stops:
        stop()
