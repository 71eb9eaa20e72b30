"""The case list downloads stream: memory stays flat however many cases match.

Rows are read from one cursor a batch at a time; the CSV is sent as it is written and the XLSX is
built in write-only mode in a temporary file, so neither the rows nor the workbook are held.
"""

from __future__ import annotations

import tracemalloc

import pytest
from sqlalchemy import func, insert, select

from disputes.cases.models import Case
from disputes.db import db

CASES = 20_000
#: Peak Python memory (bytes) a download may add, at any number of cases.
FLAT = 8 * 1024 * 1024
#: The workbook is written from the same row iterator as the CSV, whose test streams it from each
#: database; built under tracemalloc it takes most of a minute, so once is enough.
XLSX_ON_SQLITE = "the workbook's memory is measured on SQLite (the CSV streams from each database)"


@pytest.fixture
def many_cases(app, make_user, make_case):
    """CASES copies of one filed case (facts and assessment snapshots included)."""
    first = make_case(make_user())
    with app.app_context():
        table = Case.__table__
        computed = {c.name for c in table.columns if c.computed is not None}
        row = db.session.execute(select(table).where(table.c.id == first.id)).mappings().one()
        copy = {k: v for k, v in row.items() if k != "id" and k not in computed}
        db.session.execute(
            insert(table), [dict(copy, number=f"X-{n:06d}") for n in range(CASES - 1)]
        )
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(table)) == CASES


def _peak_while_downloading(client, url: str) -> tuple[int, int]:
    """Return (peak bytes allocated, bytes received) while the download is read to its end."""
    tracemalloc.start()
    try:
        response = client.get(url, buffered=False)
        received = sum(len(chunk) for chunk in response.response)
        response.close()
        return tracemalloc.get_traced_memory()[1], received
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_case_list_download_memory_stays_flat(app, client, login, staff, request, fmt):
    if fmt == "xlsx" and app.config["TEST_BACKEND"] != "sqlite":
        pytest.skip(XLSX_ON_SQLITE)
    request.getfixturevalue("many_cases")  # after the skip: the 20,000 rows take seconds
    login(staff)

    peak, received = _peak_while_downloading(client, f"/staff/cases/export?format={fmt}&full=1")

    assert peak < FLAT
    assert received > CASES * 20
