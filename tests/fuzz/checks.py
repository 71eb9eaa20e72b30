"""The fuzz property: a success or a 4xx with a message, never a 500, and nothing half-written.

"Nothing half-written": when the answer refuses the input (a 4xx, a form shown again with its
errors, or a redirect that flashes an error), no table gained or lost a row, except the audit
entries a refusal writes by design and the tables an endpoint saves invalid input to on purpose
(the filing wizard's drafts). Files on disk always match the rows that name them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from disputes.cases.models import Attachment, DraftFile
from disputes.db import db
from disputes.notices.models import CaseNotice

#: Audit actions a refused request may write (the refusal itself, a failed login, a lockout).
REFUSAL_ACTIONS = ("access.denied", "user.login_failed", "user.locked")
#: Markers of a form shown again with its errors, or of an error message.
ERROR_MARKERS = ("field__errors", "error-summary", "flash--error", "notice--error")


def row_counts() -> dict[str, int]:
    """Return the row count of every table in one query (refusal audit entries left out)."""
    return dict(db.session.execute(_row_count_query(db.engine.dialect.name)).one()._mapping)


@functools.cache
def _row_count_query(dialect: str) -> sa.TextClause:
    """The counting query compiled once per dialect: built as a select of ~70 subqueries, its
    cache key alone took more time than running it, twice per example."""
    columns = []
    for table in db.metadata.sorted_tables:
        query = sa.select(sa.func.count()).select_from(table)
        if table.name == "audit_events":
            query = query.where(table.c.action.not_in(REFUSAL_ACTIONS))
        columns.append(query.scalar_subquery().label(table.name))
    compiled = sa.select(*columns).compile(
        dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    return sa.text(str(compiled))


def stored_files(app: Flask) -> tuple[set[str], set[str]]:
    """Return (files on disk, files named by a row) as stored names."""
    root = Path(app.config["UPLOAD_FOLDER"])
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    named = set(db.session.scalars(sa.select(DraftFile.stored_name)))
    named |= set(db.session.scalars(sa.select(Attachment.stored_name)))
    named |= set(db.session.scalars(sa.select(CaseNotice.stored_name)))  # the issued notices
    return on_disk, named


def pop_flashes(client: FlaskClient) -> list[tuple[str, str]]:
    """Return and clear the messages flashed to `client`'s session."""
    with client.session_transaction() as session:
        return list(session.pop("_flashes", []))


def is_refusal(response: Any, flashes: Iterable[tuple[str, str]]) -> bool:
    """Tell whether the answer refused the input (so nothing may have been written)."""
    if response.status_code >= 400:
        return True
    if response.status_code in (301, 302, 303):
        return any(category == "error" for category, _message in flashes)
    if response.mimetype != "text/html":
        return False
    body = response.get_data(as_text=True)
    return any(marker in body for marker in ERROR_MARKERS)


def assert_clear_answer(response: Any) -> None:
    """A 2xx/3xx, or a 4xx that says what is wrong (the API's error object, or a page)."""
    status = response.status_code
    assert status < 500, f"{status}: {response.get_data(as_text=True)[:2000]}"
    if status < 400:
        return
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if response.mimetype == "application/json":
        error = json.loads(body)["error"]
        assert "field" in error
        assert isinstance(error["message"], str)
        assert error["message"].strip()
    else:
        assert "<h1" in body or any(marker in body for marker in ERROR_MARKERS), body[:2000]


def assert_nothing_half_written(
    before: dict[str, int], after: dict[str, int], allowed: frozenset[str]
) -> None:
    """No table but the `allowed` ones changed its row count."""
    changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
    assert {t: c for t, c in changed.items() if t not in allowed} == {}
