"""Read a rendered page's POST form back as a browser would submit it (the public pages' tests
post the self-check form they were shown)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collect the (name, value) pairs a browser sends for the first POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and not self.pairs:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value") or "on"))
            else:
                self.pairs.append((name, a.get("value") or ""))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_chosen = value
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            chosen = self._select_chosen if self._select_chosen is not None else self._select_first
            self.pairs.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.pairs.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def form_pairs(html: str) -> dict[str, str]:
    """Return the page's POST form as {name: value}, as a browser would submit it."""
    reader = _FormReader()
    reader.feed(html)
    return dict(reader.pairs)
