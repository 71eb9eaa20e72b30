"""Staff downloads mask name, phone, ID number and VIN unless contact details are asked for."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from disputes.audit import AuditEvent
from disputes.db import db
from tests.privacy.case_data import PERSONAL
from tests.support.data import VIN

MASKED = ("陈**", "137****5678", "110101********1234", "***********123458")
FULL = (PERSONAL["contact_name"], PERSONAL["contact_phone"], PERSONAL["contact_id_number"], VIN)


def exported(app) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).where(AuditEvent.action == "personal_data.exported")
        return list(db.session.scalars(stmt))


def xlsx_text(body: bytes) -> str:
    sheet = load_workbook(BytesIO(body)).active
    return "\n".join(
        ",".join(str(v or "") for v in row) for row in sheet.iter_rows(values_only=True)
    )


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


def test_csv_and_xlsx_are_masked_by_default_and_not_audited(
    app, client, login, staff, personal_case
):
    login(staff)

    csv = client.get("/staff/cases/export?format=csv").get_data(as_text=True)
    xlsx = xlsx_text(client.get("/staff/cases/export?format=xlsx").data)

    for text in (csv, xlsx):
        assert all(value in text for value in MASKED)
        assert not any(value in text for value in FULL)
    assert exported(app) == []


def test_csv_with_contact_details_is_full_and_audited(app, client, login, staff, personal_case):
    login(staff)

    csv = client.get("/staff/cases/export?format=csv&full=1").get_data(as_text=True)

    assert all(value in csv for value in FULL)
    assert [(e.actor_id, e.after["export"]) for e in exported(app)] == [(staff.id, "case_list")]


def test_case_file_pdf_masks_the_name_and_vin_too_unless_asked(
    app, client, login, staff, personal_case
):
    login(staff)

    masked = pdf_text(client.get(f"/staff/cases/{personal_case}/case-file.pdf").data)
    full = pdf_text(client.get(f"/staff/cases/{personal_case}/case-file.pdf?full=1").data)

    assert "陈**" in masked
    assert PERSONAL["contact_name"] not in masked
    assert VIN not in masked
    assert PERSONAL["contact_name"] in full
    assert VIN in full
    assert [e.case_id for e in exported(app)] == [personal_case]
