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
from tests.support.snapshots import insertable_columns

#: The download is read at two sizes, each over one of the iterator's 1,000-row batches: streamed,
#: the larger one holds no more than the smaller; held, it would hold the 3,000 rows more.
SMALL, LARGE = 1_500, 4_500
#: Peak Python memory (bytes) a download may add at any size, and may grow by between the two:
#: the 3,000 rows between them take several MB held as rows; streamed, the growth is what the
#: writers keep per row (under 0.2 KB: the workbook's shared-string table, for one).
FLAT = 8 * 1024 * 1024
GROWTH = 1024 * 1024
#: The workbook is written from the same row iterator as the CSV, whose test streams it from each
#: database; built under tracemalloc it is the slowest download, so once is enough.
XLSX_ON_SQLITE = "the workbook's memory is measured on SQLite (the CSV streams from each database)"


def _copies_of(case_id: int, numbers: range) -> None:
    """Insert copies of the filed case `case_id` (facts and assessment snapshots included)."""
    table = Case.__table__
    columns = [c for c in insertable_columns(table) if c.name != "id"]
    copy = db.session.execute(select(*columns).where(table.c.id == case_id)).mappings().one()
    db.session.execute(insert(table), [dict(copy, number=f"X-{n:06d}") for n in numbers])
    db.session.commit()


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
def test_case_list_download_memory_stays_flat(app, client, login, staff, make_user, make_case, fmt):
    if fmt == "xlsx" and app.config["TEST_BACKEND"] != "sqlite":
        pytest.skip(XLSX_ON_SQLITE)
    first = make_case(make_user())
    login(staff)
    url = f"/staff/cases/export?format={fmt}&full=1"
    peaks, sizes = [], []
    for low, high in ((1, SMALL), (SMALL, LARGE)):
        with app.app_context():
            _copies_of(first.id, range(low, high))
            assert db.session.scalar(select(func.count()).select_from(Case)) == high
        peak, received = _peak_while_downloading(client, url)
        peaks.append(peak)
        sizes.append(received)

    assert max(peaks) < FLAT
    assert peaks[1] - peaks[0] < GROWTH, peaks
    assert sizes[1] - sizes[0] > (LARGE - SMALL) * 20
