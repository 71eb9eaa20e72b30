"""Request body limits, set before anything reads a body: MAX_CONTENT_LENGTH and MAX_FORM_PARTS
bound every request, and only multipart posts to views marked @takes_uploads may be larger.

A form body is read by hooks that run before the view (the NUL check, CSRF), and even for URLs
that match no view: the limits must hold there already, or one large urlencoded body keeps a
worker parsing it for many seconds.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

from flask import Flask, current_app, request
from flask import Request as FlaskRequest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

#: Attribute a @takes_uploads view carries: (the request limit, which URLs of the view).
UPLOADS_ATTR = "takes_uploads"

Limit = Callable[[], int]
Applies = Callable[[dict[str, Any]], bool]


def takes_uploads(limit: Limit, when: Applies | None = None) -> Callable:
    """Let multipart posts to this view carry `limit()` bytes (only URLs whose arguments
    satisfy `when`); put it right under the route decorator."""

    def mark(view: Callable) -> Callable:
        setattr(view, UPLOADS_ATTR, (limit, when or (lambda _values: True)))
        return view

    return mark


def upload_limit(endpoint: str | None, values: dict[str, Any] | None) -> int | None:
    """Return the upload limit of the view `endpoint` names for these URL values, or None."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    marked = getattr(view, UPLOADS_ATTR, None)
    if marked is None:
        return None
    limit, when = marked
    return limit() if when(values or {}) else None


def raise_limit_for_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Give a multipart post to an upload view its larger limit (any other body keeps the
    general one: a urlencoded body is read whole before it is parsed)."""
    if request.mimetype != "multipart/form-data":
        return
    limit = upload_limit(endpoint, values)
    if limit is not None:
        request.max_content_length = limit


class PartsLimitedFormDataParser(FormDataParser):
    """Werkzeug's parser, with max_form_parts applied to urlencoded bodies too (Werkzeug applies
    it to multipart only): counting separators costs little, parsing 100,000 fields a second."""

    def _parse_urlencoded(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict
    ) -> Any:
        body = stream.read()
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge()
        return super()._parse_urlencoded(io.BytesIO(body), mimetype, content_length, options)


class Request(FlaskRequest):
    """The app's request: form bodies parsed within MAX_FORM_PARTS whatever their encoding."""

    form_data_parser_class = PartsLimitedFormDataParser


def init_app(app: Flask) -> None:
    """Use the bounded request and register the hook before every other URL value hook."""
    app.request_class = Request
    app.url_value_preprocessors.setdefault(None, []).insert(0, raise_limit_for_uploads)
