"""Reads: one page of a statement built once, and its count (docs/architecture.md, "Statements
built once"), where db.paginate builds the page's statement and the count's anew on each call."""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, select

from disputes.db import db


def paged_statements(statement: Select) -> tuple[Select, Select]:
    """The statements of a BoundPagination over `statement`, for a builder to keep: its page
    (the limit and offset bound at execution) and its count."""
    page = statement.limit(bindparam("page_limit")).offset(bindparam("page_offset"))
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    return page, count


class BoundPagination(Pagination):
    """One page of a statement built once, run with its parameters: `BoundPagination(page,
    per_page, max_per_page, statements=paged_statements(...), params={...})`, a page past the
    last one a 404 as with db.paginate."""

    def _query_items(self) -> list[Any]:
        page, _count = self._query_args["statements"]
        bound = self._query_args["params"] | {
            "page_limit": self.per_page,
            "page_offset": self._query_offset,
        }
        return list(db.session.scalars(page, bound))

    def _query_count(self) -> int:
        _page, count = self._query_args["statements"]
        return int(db.session.scalar(count, self._query_args["params"]) or 0)
