"""The case list's query: keyset pages walk the (sort key, id) indexes with no sort step, and the
exact search uses the column indexes (checked with EXPLAIN on a few thousand generated cases)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.staff import demo_year, search

LISTS = [
    (search.CaseFilter(), "ix_cases_submitted_at_id"),
    (search.CaseFilter(after="2025-05-01T00:00:00~42"), "ix_cases_submitted_at_id"),
    (
        search.CaseFilter(status=CaseStatus.screening, after="2025-05-01T00:00:00~42"),
        "ix_cases_status_submitted_at_id",
    ),
    (search.CaseFilter(sort="brand", descending=False, after="华夏汽车~7"), "ix_cases_brand_id"),
]


def _plan(stmt) -> str:
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            return "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())
        return "\n".join(r[-1] for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


@pytest.fixture
def many_cases(app_ctx):
    demo_year.load_year(3000, today=date(2025, 12, 31))
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def test_list_pages_walk_an_index_without_sorting(many_cases):
    for f, index in LISTS:
        plan = _plan(search.paged(f, today=date(2025, 12, 31)))

        assert index in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        assert "Sort Key" not in plan, plan


def test_search_by_phone_vin_name_or_number_uses_their_indexes(many_cases):
    plan = _plan(search.paged(search.CaseFilter(q="13800000001")))

    for index in ("ix_cases_contact_phone", "ix_cases_vin", "ix_cases_contact_name"):
        assert index in plan, plan
