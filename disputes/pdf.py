"""PDF documents of the bureau (opinion letters, case files): one look, Chinese text.

The Chinese font is embedded (subset), so every reader shows the same glyphs: WenQuanYi Zen Hei
from Debian's fonts-wqy-zenhei (`make setup` and CI install it). ReportLab embeds TrueType
outlines only, which rules out the Noto CJK collection (CFF outlines). Without the font file the
documents fall back to ReportLab's built-in STSong-Light, which readers must supply themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

#: The embedded Chinese font: (file, index of the face in a TrueType collection).
FONT_FILE = (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0)


#: The document font's name: the embedded one when installed.
FONT = "WenQuanYiZenHei" if FONT_FILE[0].is_file() else "STSong-Light"


@cache
def _register_font() -> None:
    """Register FONT with ReportLab, on the first document: reading the font file takes a fifth
    of a second, which every process importing this module (each app worker, each command) would
    pay at start otherwise."""
    if FONT == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    else:
        path, face = FONT_FILE
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=face))


#: The text width of every page: A4 less the 20 mm side margins of `render` and the frame's
#: 6 pt padding on each side.
MARGIN = 20 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN - 2 * 6

STYLES = {
    "heading": ParagraphStyle(
        "heading", fontName=FONT, fontSize=16, leading=22, alignment=1, spaceAfter=4 * mm
    ),
    "title": ParagraphStyle(
        "title", fontName=FONT, fontSize=13, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm
    ),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK"),
    "small": ParagraphStyle(
        "small",
        fontName=FONT,
        fontSize=8.5,
        leading=12,
        wordWrap="CJK",
        textColor=colors.HexColor("#444444"),
    ),
}


def text(value: object, style: str = "body") -> Paragraph:
    """Return a paragraph of plain text (escaped: user input never becomes markup)."""
    _register_font()
    return Paragraph(
        escape("" if value is None else str(value)).replace("\n", "<br/>"), STYLES[style]
    )


def heading(value: str) -> Paragraph:
    """Return the document's centred heading."""
    return text(value, "heading")


def section(value: str) -> Paragraph:
    """Return a section title."""
    return text(value, "title")


def table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None) -> Table:
    """Return a bordered table of plain-text cells; the first row is the header.

    A row may split across pages (`splitInRow`): a cell holding a long text (a 4,000-character
    claim, a note) can be taller than a page, and must continue on the next one. Without
    `widths` the columns share the page's width: widths measured from long texts overflow it.
    """
    cells = [[text(cell, "small") for cell in row] for row in rows]
    if widths is None:
        widths = [FRAME_WIDTH / len(rows[0])] * len(rows[0])
    out = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
    out.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF2F6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return out


def spacer(height_mm: float = 4) -> Spacer:
    """Return vertical space."""
    return Spacer(1, height_mm * mm)


def render(title: str, flowables: Iterable[Flowable], *, footer: str = "") -> bytes:
    """Lay out `flowables` on A4 pages with a page-number footer and return the PDF bytes."""
    _register_font()
    buffer = BytesIO()

    def _footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{footer}  第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        initialFontName=FONT,
    )
    doc.build(list(flowables), onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
