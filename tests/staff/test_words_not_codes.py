"""Staff see words, not stored codes: the case timeline and the CSV/XLSX downloads."""

from __future__ import annotations

import csv
import re
from io import BytesIO, StringIO

from openpyxl import load_workbook
from sqlalchemy import select

from disputes.audit import AuditEvent
from disputes.audit_labels import ACTION_LABELS
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from tests.support.data import FAKE_PDF

#: What a stored code looks like: `returned`, `case.submitted`.
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")


def _closed_case(app, client, case_in, outcome="returned"):
    case_id = case_in(CaseStatus.mediation)
    with app.app_context():
        version = db.session.get(Case, case_id).version
    client.post(
        f"/staff/cases/{case_id}/outcome",
        data={"outcome": outcome, "remedy_text": "退车并退还车款", "version": version},
    )
    return case_id


def _timeline(html: str) -> list[str]:
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<strong[^>]*>([^<]*)</strong>", timeline)


def test_staff_timeline_names_every_action_in_words(app, client, login, staff, runner, case_in):
    login(staff)
    case_ids = [_closed_case(app, client, case_in)]
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        case_ids += db.session.scalars(select(Case.id).where(Case.submitted_at.is_not(None)))
    for case_id in case_ids:
        client.get(f"/staff/cases/{case_id}")  # records personal_data.viewed

    entries = [e for i in case_ids for e in _timeline(client.get(f"/staff/cases/{i}").text)]

    with app.app_context():
        stmt = select(AuditEvent.action).where(AuditEvent.case_id.in_(case_ids))
        actions = set(db.session.scalars(stmt))
    assert {"case.submitted", "personal_data.viewed", "opinion.saved"} <= actions
    assert entries
    assert not [e for e in entries if CODE.match(e.strip())]
    assert "查看完整个人信息" in entries
    assert actions <= set(ACTION_LABELS)


def _csv_cells(body: str) -> list[str]:
    return [cell for row in csv.reader(StringIO(body.lstrip("\ufeff"))) for cell in row]


def _xlsx_cells(body: bytes) -> list[str]:
    book = load_workbook(BytesIO(body))
    return [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
            if c is not None]  # fmt: skip


def test_downloads_write_words_not_codes(app, client, login, staff, runner, case_in):
    runner.invoke(args=["demo", "load-year", "--cases", "60"])
    login(staff)
    _closed_case(app, client, case_in)

    cells = _csv_cells(client.get("/staff/cases/export?format=csv").text)
    cells += _xlsx_cells(client.get("/staff/cases/export?format=xlsx").data)
    cells += _csv_cells(client.get("/staff/stats/export?format=csv&from=2000-01-01").text)
    cells += _xlsx_cells(client.get("/staff/stats/export?format=xlsx&from=2000-01-01").data)

    assert "退车" in cells
    assert "已结案" in cells
    assert not sorted({c for c in cells if CODE.match(c)})


def test_staff_case_page_names_each_file_by_its_kind(client, login, staff, case_in, attach):
    case_id = case_in(CaseStatus.screening)
    attach(case_id, "单据.pdf", "repair_order", FAKE_PDF)
    login(staff)

    page = client.get(f"/staff/cases/{case_id}").text
    files = page.split('id="evidence-title"', 1)[1].split("</section>", 1)[0]

    assert "（维修单，" in files
    assert "repair_order" not in files
