"""tests/support/snapshots.py: a world built once comes back in a later test's empty database
row for row, with its files, and new rows do not collide with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from disputes.cases import uploads
from disputes.cases.models import Attachment, Case
from disputes.db import db
from tests.cases.filing import PDF
from tests.support.databases import empty_all_tables
from tests.support.snapshots import built_once, restore, take


def every_row() -> dict[str, list[tuple]]:
    return {
        table.name: sorted(tuple(map(repr, row)) for row in db.session.execute(sa.select(table)))
        for table in db.metadata.sorted_tables
    }


def test_a_snapshot_restores_every_row_and_file_and_new_rows_get_new_ids(
    app, make_user, make_case, attach, tmp_path
):
    owner = make_user()
    attachment_id = attach(make_case(owner).id)
    with app.app_context():
        stored = uploads.upload_root() / db.session.get_one(Attachment, attachment_id).stored_name
        before = every_row()
        snapshot = take(app, tmp_path / "snapshot")
        empty_all_tables()
        stored.unlink()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0

        restore(app, snapshot)

        assert every_row() == before
        assert Path(stored).read_bytes() == PDF
        later = make_user()
        assert later.id > owner.id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 1


def test_a_world_asked_for_after_other_rows_is_refused(app, request, make_user):
    make_user()

    with pytest.raises(AssertionError, match="before fixtures that write rows"):
        built_once(request, app, "late", lambda: None)
