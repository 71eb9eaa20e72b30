"""BaseForm for every form of the app (CSRF protection comes from Flask-WTF) and the error list
the long facts forms show above themselves."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from babel import support
from flask import Flask, abort, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields import Field
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import Flags, Label, UnboundField
from wtforms.i18n import messages_path
from wtforms.widgets import core

from disputes import cookieless, field_html

csrf = CSRFProtect()


class BaseForm(FlaskForm):
    """Every form subclasses this, so CSRF is on everywhere."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            """WTForms' bind_field, as a copy of a field built once (bound_copy)."""
            return bound_copy(form, unbound_field, options)

        def get_translations(self, form):  # noqa: ARG002
            """WTForms' own messages in the page's language, as Flask-WTF gives them, from a
            catalog read once per process and language (Flask-WTF reads it from disk again on
            every request that builds a form)."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return wtforms_translations(str(get_locale()))


@cache
def wtforms_translations(locale: str) -> support.Translations:
    """WTForms' catalog of its built-in messages for `locale` (the package's files never change
    while the process runs)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


#: Fields of the forms' classes as first built, by (unbound field, name, prefix, translations):
#: (the unbound field and translations, kept so that their ids name the same live objects; the
#: field; the names of its lists and dicts, which each copy gets copies of).
_BOUND: dict[tuple[int, str, str, str | None, int], tuple[UnboundField, Any, Field, tuple]] = {}
_BOUND_KEPT = 8192
#: The options BaseForm and FieldList bind fields with (others are bound as WTForms binds them).
_OPTIONS = frozenset({"name", "prefix", "id", "translations", "_meta"})
#: Attributes a bound field shares with the others of its unbound field, as WTForms' own
#: construction shares them (the objects passed to the field's constructor).
_SHARED = frozenset({"validators", "filters", "default"})


def bound_copy(form, unbound_field: UnboundField, options: dict) -> Field:
    """`unbound_field` bound to `form` as unbound_field.bind() binds it, copied from a field built
    once per name, prefix and language: WTForms' Field constructor (labels, flags from the
    validators, choices) was a quarter of the long fact forms' requests, which build a hundred
    fields each. What a page may change on its field (flags, label, attributes, choices) is
    the field's own; the field is never processed before it is copied."""
    # A form class made per request (the expert's opinion form) is bound as WTForms binds it:
    # keeping its fields, or even its class, would keep every request's class alive.
    per_request = "<locals>" in type(form).__qualname__
    if per_request or "csrf_impl" in unbound_field.kwargs or not options.keys() <= _OPTIONS:
        return unbound_field.bind(form=form, **options)
    meta = options.get("_meta")
    translations = options.get("translations")
    key = (
        id(unbound_field),
        options["name"],
        options.get("prefix", ""),
        options.get("id"),
        id(translations),
    )
    kept = _BOUND.get(key)
    if kept is None or kept[0] is not unbound_field or kept[1] is not translations:
        if len(_BOUND) >= _BOUND_KEPT:
            _BOUND.clear()
        first = unbound_field.bind(form=form, **options)
        own = tuple(
            name
            for name, value in vars(first).items()
            if type(value) in (list, dict) and name not in _SHARED
        )
        kept = _BOUND[key] = (unbound_field, translations, first, own)
    first, own = kept[2], kept[3]
    state = first.__dict__.copy()
    for name in own:
        state[name] = state[name].copy()
    state["meta"] = form.meta if meta is None else meta
    state["_form"] = form
    state["flags"] = flags = Flags()
    flags.__dict__.update(first.flags.__dict__)
    state["label"] = Label(first.label.field_id, first.label.text)
    field = object.__new__(type(first))
    field.__dict__ = state
    return field


def options(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into the SelectChoice objects WTForms 3.3 wants."""
    return [SelectChoice(value, label) for value, label in pairs]


def error_items(form) -> list[tuple[str | None, str, str]]:
    """List (field id, where, message) for every error, rows named as the page names them."""
    items: list[tuple[str | None, str, str]] = [(None, "", str(e)) for e in form.form_errors]
    _collect_errors(form, "", items)
    return items


def _collect_errors(form, where: str, items: list) -> None:
    """Add the errors of `form`'s fields; a list row is named only when it has errors (naming it
    is a translation, and most rows of a long form have none)."""
    for field in form:
        if field.type == "FormField":
            _collect_errors(field.form, where, items)
        elif field.type == "FieldList":
            for i, entry in enumerate(field.entries):
                found: list = []
                _collect_errors(entry.form, "", found)
                if found:
                    row = where + _row_name(field.short_name, i, entry.form)
                    items.extend((fid, row + place, message) for fid, place, message in found)
        elif field.type != "CSRFTokenField" and field.errors:
            items.extend((field.id, where + str(field.label.text), str(e)) for e in field.errors)


def _row_name(list_name: str, index: int, row) -> str:
    if list_name == "problems":
        return _("问题 %(label)s · ", label=row.label.data)
    if list_name == "events":
        return _("第 %(n)s 次维修 · ", n=index + 1)
    if list_name == "replaced":
        return _("更换零件 %(n)s · ", n=index + 1)
    return _("第 %(n)s 项 · ", n=index + 1)


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


#: Attribute names as html_params writes them, by keyword (a few dozen for the whole app).
_ATTRIBUTE_NAMES: dict[str, str] = {}


def html_params(**kwargs) -> Markup:
    """WTForms' html_params with the same output, a few times faster.

    WTForms formats every attribute of every control and <option> through Markup.format (a
    string.Formatter walk); on the long fact forms that was a third of the page's rendering.
    Same rules: keys sorted, cleaned (trailing "_" dropped; "data_"/"aria_" → "data-"/"aria-")
    and escaped, True gives the bare attribute, False none, values escaped with '"' as &quot;
    (escaping leaves a '"' only in values that are markup already).
    """
    params = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = _ATTRIBUTE_NAMES.get(key)
        if name is None:
            name = _ATTRIBUTE_NAMES[key] = str(escape(core.clean_key(key)))
        if value is True:
            params.append(name)
        elif hasattr(value, "__html__"):
            quoted = str(escape(value)).replace('"', "&quot;")
            params.append(f'{name}="{quoted}"')
        else:
            params.append(f'{name}="{escape(value)}"')
    return Markup(" ".join(params))


#: WTForms' own html_params, kept for the test that compares the two.
WTFORMS_HTML_PARAMS = core.html_params


def use_fast_html_params() -> None:
    """Make every WTForms widget build its attributes with html_params above (the module's
    function, which Select and TextArea call, and the copies Input, Button and Label hold)."""
    core.html_params = widgets.html_params = html_params
    core.Input.html_params = core.Button.html_params = staticmethod(html_params)


def init_app(app: Flask) -> None:
    """Protect every POST of the app, including those not built from a form; render form
    controls with the faster html_params, and fields through field_html.render_field (the
    render_field templates/_forms.html hands out)."""
    csrf.init_app(app)
    app.jinja_env.globals["field_html"] = field_html.render_field
    app.before_request(refuse_nul_characters)
    cookieless.every_request(app, refuse_nul_characters)
    use_fast_html_params()
