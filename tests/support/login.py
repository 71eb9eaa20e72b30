"""Logging in: posting the real login form (only tests/auth does), or a client whose session
already holds the user (every other test, as the `login` fixture does)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
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


def client_for(app: Flask, user: Any | None):
    """Return a fresh test client, logged in as `user` (None: anonymous) through the session."""
    client = app.test_client()
    if user is not None:
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as session:
            session.update({"_user_id": str(user.id), "_fresh": True, "_id": identifier})
    return client
