"""Reads about users (auth/queries.py) that pages lean on."""

from __future__ import annotations

from disputes.auth.models import User
from disputes.auth.queries import get_user_name
from disputes.db import db
from tests.support.statements import counting


def test_an_accounts_name_comes_from_the_session_when_it_holds_the_account(app, app_ctx, make_user):
    """The case pages screen the consumer's account name: read alone (one column) unless the
    session already holds the account, as it does the signed-in consumer's own."""
    user_id = make_user(name="王小明").id
    db.session.expunge_all()
    with counting(app) as alone:
        assert get_user_name(user_id) == "王小明"
    (statement,) = alone
    assert statement.startswith("SELECT users.name \nFROM users"), statement
    held = db.session.get(User, user_id)
    with counting(app) as from_session:
        assert get_user_name(user_id) == held.name == "王小明"
    assert from_session == []
    assert get_user_name(user_id + 10_000) is None
