"""disputes.App: Flask asks once per function whether it is a coroutine function, not on every
request, and the store of answers cannot grow without end."""

from __future__ import annotations

from collections import Counter
from inspect import iscoroutinefunction

import flask.app
import pytest

from disputes import App


@pytest.fixture
def checks(monkeypatch) -> Counter:
    """How often Flask's ensure_sync asked about each function (by name)."""
    asked: Counter = Counter()

    def counting(func):
        asked[getattr(func, "__name__", repr(func))] += 1
        return iscoroutinefunction(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", counting)
    return asked


def test_a_view_and_its_hooks_are_checked_once_over_many_requests(checks):
    app = App(__name__)

    @app.before_request
    def before() -> None:
        return None

    @app.get("/")
    def home() -> str:
        return "ok"

    client = app.test_client()
    answers = [client.get("/").text for _ in range(3)]

    assert answers == ["ok"] * 3
    assert checks["home"] == 1
    assert checks["before"] == 1


def test_a_coroutine_function_is_never_taken_for_a_plain_one(checks):
    app = App(__name__)

    async def view() -> str:
        return "ok"

    for _ in range(2):
        try:
            synced = app.ensure_sync(view)
        except RuntimeError:  # Flask without its async extra refuses it
            synced = None
        assert synced is not view
    assert checks["view"] == 2


def test_functions_made_per_request_do_not_pile_up(checks):
    app = App(__name__)

    def first() -> None:
        return None

    app.ensure_sync(first)
    for n in range(App.FUNCTION_STORE_SIZE):
        app.ensure_sync(lambda n=n: n)
    app.ensure_sync(first)

    assert checks["first"] == 2
