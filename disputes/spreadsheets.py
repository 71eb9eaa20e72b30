"""CSV and XLSX writers for downloads that a spreadsheet program opens: streamed, and no cell a
person typed can become a formula.

Spreadsheet programs run a cell as a formula when it starts with = + - @ (Excel and WPS also take
the full-width ＝ ＋ － ＠ an input method types), and a leading tab or carriage return hides what
follows. CSV has no types, so such a cell gets a leading apostrophe (what spreadsheet users type to
enter text); XLSX cells are typed, so text is stored as a string with its value unchanged and, when
it could be read as a formula, marked quote-prefixed so that editing the cell keeps it text.

Neither writer holds the rows: the CSV is yielded a batch at a time, the XLSX is written in
openpyxl's write-only mode into a temporary file.
"""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from io import StringIO
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: First characters (after NFKC, which folds the full-width and small forms) that start a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")
#: Rows written to the CSV between two chunks sent.
CSV_BATCH = 1000
#: Bytes of the XLSX file sent per chunk.
FILE_CHUNK = 64 * 1024

Rows = Iterable[Sequence[object]]


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet program could read `text` as a formula."""
    return unicodedata.normalize("NFKC", text[:1])[:1] in FORMULA_STARTS


def csv_cell(value: object) -> object:
    """Return the value as the CSV writes it: text that could start a formula gets a leading
    apostrophe, numbers and the rest are unchanged."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


def csv_chunks(header: Sequence[str], rows: Rows) -> Iterator[bytes]:
    """Yield UTF-8 CSV with a BOM (so spreadsheet programs read the Chinese), CSV_BATCH rows per
    chunk."""
    out = StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([csv_cell(v) for v in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_cell(v) for v in row])
        if n % CSV_BATCH == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def xlsx_cell(sheet: Any, value: object) -> object:
    """Return what the XLSX writes for `value`: numbers as numbers, text always as a string cell
    (never a formula or an error code), quote-prefixed when it could start a formula, without the
    control characters XML cannot hold."""
    if hasattr(value, "quantize"):
        return float(value)  # type: ignore[arg-type]
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if starts_formula(value):
        cell.quotePrefix = True
    return cell


def xlsx_file(sheets: dict[str, tuple[Sequence[str], Rows]]) -> IO[bytes]:
    """Write one sheet per entry (name → header, rows) to an unnamed temporary file and return it
    at its start (closing it deletes it)."""
    book = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([xlsx_cell(sheet, v) for v in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, v) for v in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the caller sends it, then closes it)
    book.save(file)
    file.seek(0)
    return file


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """Yield the file from where it stands in FILE_CHUNK pieces, closing it once read (or when the
    download is cut short)."""
    with file:
        while chunk := file.read(FILE_CHUNK):
            yield chunk
