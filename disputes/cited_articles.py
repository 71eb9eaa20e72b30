"""The law beside a PDF's conclusions: an appendix with the text of every article the assessment
cites (the rules' own data, rules/articles_2013.py and rules/articles_2022.py)."""

from __future__ import annotations

from typing import Any

import rules
from disputes import pdf


def appendix(assessment: dict[str, Any] | None, title: str = "附：引用的条文") -> list:
    """Return the PDF flowables listing each cited article's number, text and source."""
    texts = rules.article_texts(assessment or {})
    if not texts:
        return []
    out: list = [pdf.section(title)]
    for basis, article in texts.items():
        out += [
            pdf.text(f"{article['act']}{article['article']}（{basis}）"),
            pdf.text(article["text"], "small"),
            pdf.text(f"出处：{article['source']}", "small"),
        ]
    return out
