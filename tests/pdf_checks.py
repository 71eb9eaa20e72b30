"""What the tests check in the bureau's PDFs: every font embedded, the text a reader extracts."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def fonts(data: bytes) -> dict[str, bool]:
    """Return each font the pages use, by base name, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(BytesIO(data)).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[name] = any(key in descriptor for key in FONT_FILES)
    return found


def text(data: bytes) -> str:
    """Return the PDF's text with the white space taken out (CJK text is extracted in pieces)."""
    pages = PdfReader(BytesIO(data)).pages
    return "".join("".join(page.extract_text().split()) for page in pages)
