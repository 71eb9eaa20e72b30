"""The one PDF template of every notice (disputes/pdf.py building blocks): the bureau header,
the number, the addressees, the case and its parties, the text, the article, the date and the
seal line. Always in Chinese, whatever the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from disputes import pdf


@dataclass(frozen=True, slots=True)
class NoticeText:
    """Everything a notice prints."""

    bureau: str
    title: str
    number: str
    case_number: str
    complainant: str
    business: str
    to_consumer: bool
    to_business: bool
    paragraphs: Sequence[str]
    rows: Sequence[tuple[str, str]]
    article: str
    issued_on: date


def addressees(notice: NoticeText) -> list[str]:
    """Return the addressee lines ("致：张三（投诉人）")."""
    lines = []
    if notice.to_consumer:
        lines.append(f"致：{notice.complainant or '投诉人'}（投诉人）")
    if notice.to_business:
        lines.append(f"致：{notice.business or '被投诉人'}（被投诉人）")
    return lines


def render_notice(notice: NoticeText) -> bytes:
    """Return the PDF bytes of one notice."""
    flow = [
        pdf.heading(notice.bureau),
        pdf.heading(notice.title),
        pdf.text(f"文书编号：{notice.number}"),
        pdf.spacer(2),
        *[pdf.text(line) for line in addressees(notice)],
        pdf.spacer(2),
        pdf.text(f"案件编号：{notice.case_number}"),
        pdf.text(f"投诉人：{notice.complainant or '—'}"),
        pdf.text(f"被投诉人：{notice.business or '—'}"),
        pdf.spacer(2),
        *[pdf.text(paragraph) for paragraph in notice.paragraphs],
    ]
    if notice.rows:
        flow += [pdf.spacer(2), pdf.table([("事项", "内容"), *notice.rows], widths=[120, 343])]
    if notice.article:
        flow += [pdf.spacer(2), pdf.text(f"依据：{notice.article}")]
    flow += [
        pdf.spacer(10),
        pdf.text(f"{notice.bureau}（盖章）"),
        pdf.text(f"日期：{notice.issued_on.isoformat()}"),
    ]
    return pdf.render(
        f"{notice.title} {notice.number}", flow, footer=f"{notice.bureau} · {notice.number}"
    )
