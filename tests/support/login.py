"""Posting the real login form. Only tests/auth does; other tests log in through the session
(the `login` fixture)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def post_login(
    client: FlaskClient,
    identifier: str,
    password: str = "secret123",
    *,
    ip: str | None = None,
    **fields: Any,
) -> TestResponse:
    """Post the login form with `identifier` and `password` (and any other `fields`, such as
    next=), from the address `ip` if given."""
    environ = {"environ_base": {"REMOTE_ADDR": ip}} if ip else {}
    return client.post(
        "/auth/login", data={"identifier": identifier, "password": password, **fields}, **environ
    )
