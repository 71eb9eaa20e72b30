"""BaseForm for every form of the app; CSRF protection comes from Flask-WTF."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, abort, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms.fields.choices import SelectChoice

csrf = CSRFProtect()


class BaseForm(FlaskForm):
    """Every form subclasses this, so CSRF is on everywhere."""


def options(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into the SelectChoice objects WTForms 3.3 wants."""
    return [SelectChoice(value, label) for value, label in pairs]


#: The bodies Werkzeug parses into request.form (any other body leaves it empty).
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def refuse_nul_characters() -> None:
    """Refuse (400) a path, form or query values holding NUL: no browser sends one, and
    PostgreSQL text cannot hold it, so it would otherwise fail as a 500 deep inside a query.

    request.form is only looked at for form bodies: for others (the JSON API) it is empty anyway,
    and building the empty form costs as much as a small assessment's parsing."""
    if "\x00" in request.path:
        abort(400, description="NUL character in the path")
    sources = [request.args]
    if request.mimetype in FORM_MIMETYPES:
        sources.append(request.form)
    for values in sources:
        if any("\x00" in value for _key, value in values.items(multi=True)):
            abort(400, description="NUL character in the submitted values")


def init_app(app: Flask) -> None:
    """Protect every POST of the app, including those not built from a form."""
    csrf.init_app(app)
    app.before_request(refuse_nul_characters)
