"""One page of a statement built once (disputes/pagination.py), as the inbox and the business's
case list use it: the page's rows, the count, the pages, and a page past the last one a 404."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from werkzeug.exceptions import NotFound

from disputes.db import db
from disputes.notifications import queries
from disputes.notifications.models import Notification


def test_a_page_of_a_statement_built_once_holds_its_rows_and_counts_them(app_ctx, make_user):
    user_id, other_id = make_user().id, make_user().id
    start = datetime(2026, 1, 1)
    for n in range(5):
        db.session.add(
            Notification(user_id=user_id, kind="case_submitted", created_at=start + timedelta(n))
        )
    db.session.add(Notification(user_id=other_id, kind="case_submitted", created_at=start))
    db.session.commit()

    first = queries.page_notifications(user_id, 1, 2)
    last = queries.page_notifications(user_id, 3, 2)

    assert [m.created_at.day for m in first.items] == [5, 4]
    assert (first.total, first.pages, first.has_next, first.has_prev) == (5, 3, True, False)
    assert [m.created_at.day for m in last.items] == [1]
    assert (last.page, last.has_next) == (3, False)
    assert queries._inbox_statements() is queries._inbox_statements()
    with pytest.raises(NotFound):
        queries.page_notifications(user_id, 4, 2)
    assert queries.page_notifications(other_id, 1, 2).total == 1
