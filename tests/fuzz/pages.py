"""Read the POST forms of a rendered page as a browser sees them: action, fields, choices.

The fuzz tests post to a form's own fields (so a field added to a template is fuzzed too) and
keep the page's CSRF token when CSRF is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class PageForm:
    """One <form method="post">: where it posts, what a browser sends, and the offered choices."""

    action: str
    #: (name, value) pairs a browser submits unchanged (checked boxes, selected options, text).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    #: name → every value the page offers (options, radio and checkbox values, buttons).
    choices: dict[str, list[str]] = field(default_factory=dict)
    #: Names of <input type="file"> fields.
    files: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """Return every field name of the form, in page order, without duplicates."""
        seen = [n for n, _v in self.pairs] + list(self.choices) + self.files
        return list(dict.fromkeys(seen))


class _Reader(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._chosen: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = PageForm(urlsplit(a.get("action") or self.url).path)
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            if tag == "option" and form is not None and self._select:
                self._option(a)
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind == "file":
            form.files.append(name)
        elif tag in ("input", "button") and kind in ("submit", "button"):
            form.choices.setdefault(name, []).append(a.get("value", ""))
        elif tag == "input" and kind in ("checkbox", "radio"):
            form.choices.setdefault(name, []).append(a.get("value") or "on")
            if "checked" in a:
                form.pairs.append((name, a.get("value") or "on"))
        elif tag == "input":
            form.pairs.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._chosen, self._first = name, None, None
            form.choices.setdefault(name, [])
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def _option(self, a: dict[str, str]) -> None:
        value = a.get("value", "")
        assert self._form is not None
        assert self._select is not None
        self._form.choices[self._select].append(value)
        if self._first is None:
            self._first = value
        if "selected" in a:
            self._chosen = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "form":
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select:
            chosen = self._chosen if self._chosen is not None else self._first
            self._form.pairs.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._form.pairs.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def post_forms(html: str, url: str) -> list[PageForm]:
    """Return every POST form of the page at `url` (an empty action posts to `url`)."""
    reader = _Reader(urlsplit(url).path)
    reader.feed(html)
    reader.close()
    return reader.forms


def forms_posting_to(forms: list[PageForm], target: str) -> list[PageForm]:
    """Return the forms (of post_forms) whose action is the path of `target`."""
    path = urlsplit(target).path
    return [f for f in forms if f.action == path]


def csrf_token_of(forms: list[PageForm]) -> str | None:
    """Return the CSRF token of any of a page's forms (one token per session), or None."""
    for form in forms:
        for name, value in form.pairs:
            if name == "csrf_token" and value:
                return value
    return None
