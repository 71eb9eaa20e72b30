"""One form field's markup (label, hint, control, errors): the render_field that templates import
from templates/_forms.html, written in Python. Not the controls themselves (WTForms' widgets)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms.fields import SelectField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.widgets import core

from disputes.i18n import catalog

_CHOICE_TYPES = frozenset({"RadioField", "MultiCheckboxField"})
_FILE_TYPES = frozenset({"FileField", "MultipleFileField"})
_HIDDEN_TYPES = frozenset({"HiddenField", "CSRFTokenField"})

#: The "（必填）" and "（选填）" markers by catalog (one per language for the process's life).
_MARKERS: dict[int, tuple[Any, Markup, Markup]] = {}


def _markers() -> tuple[Markup, Markup]:
    """The required and optional markers in this request's language, as the templates' newstyle
    gettext gives them (the translation taken as markup, "%%" as "%")."""
    translations = catalog()
    kept = _MARKERS.get(id(translations))
    if kept is None or kept[0] is not translations:
        required = Markup(
            '<span class="field__required" aria-hidden="true">*</span>'
            '<span class="visually-hidden">{}</span>'
        ).format(Markup(translations.ugettext("（必填）")) % {})
        optional = Markup('<span class="field__optional">{}</span>').format(
            Markup(translations.ugettext("（选填）")) % {}
        )
        kept = _MARKERS[id(translations)] = (translations, required, optional)
    return kept[1], kept[2]


#: The <option>s of plain SelectFields, rendered, by (catalog, choice objects, selected ones).
#: Each entry keeps its catalog and choices, so a key's ids always name the same live objects.
_OPTIONS: dict[tuple, tuple[Any, tuple, str]] = {}
_OPTIONS_KEPT = 1024


def _is_plain_select(field: Any) -> bool:
    """Whether `field` renders as WTForms' SelectField does out of the box."""
    return (
        type(field.widget) is core.Select
        and not field.widget.multiple
        and field.render_kw is None
        and type(field).iter_choices is SelectField.iter_choices
        and type(field).has_groups is SelectField.has_groups
        and type(field.meta).render_field is DefaultMeta.render_field
    )


def _control(field: Any, kwargs: dict[str, Any]) -> Markup:
    """field(**kwargs): a plain SelectField's options are rendered by WTForms once per language
    and choice of selected option instead of on every page (the fact forms show dozens of
    selects whose translated options never change)."""
    choices = field.choices if _is_plain_select(field) else None
    if type(choices) is not list or not all(
        type(c) is SelectChoice and c.optgroup is None and not c.render_kw for c in choices
    ):
        return field(**kwargs)
    data, coerce = field.data, field.coerce
    selected = tuple(i for i, c in enumerate(choices) if coerce(c.value) == data)
    translations = catalog()
    key = (id(translations), tuple(map(id, choices)), selected)
    kept = _OPTIONS.get(key)
    if (
        kept is None
        or kept[0] is not translations
        or any(a is not b for a, b in zip(kept[1], choices, strict=True))
    ):
        html = "".join(
            core.Select.render_option(Choice(c.value, c.label, i in selected, c.render_kw))
            for i, c in enumerate(choices)
        )
        if len(_OPTIONS) >= _OPTIONS_KEPT:
            _OPTIONS.clear()
        kept = _OPTIONS[key] = (translations, tuple(choices), html)
    # What Select.__call__ does around the options.
    kwargs.setdefault("id", field.id)
    flags = field.flags
    for name in dir(flags):
        if name in field.widget.validation_attrs and name not in kwargs:
            kwargs[name] = getattr(flags, name)
    return Markup(f"<select {core.html_params(name=field.name, **kwargs)}>{kept[2]}</select>")


def _join_class(base: str, extra: Any) -> Any:
    """Jinja's ("base " ~ extra) | trim: markup when `extra` is markup."""
    if hasattr(extra, "__html__"):
        return (Markup(base) + extra).strip()
    return (base + str(extra)).strip()


def _errors(errors: Any, fid: Any) -> str:
    if not errors:
        return ""
    items = "".join(f"\n    <li>{escape(error)}</li>" for error in errors)
    return f'\n  <ul class="field__errors" id="{escape(fid)}-error">{items}\n  </ul>'


def render_field(field: Any, **kwargs: Any) -> Markup:
    """Render `field` with its label, hint, "*"/"选填" marker and errors; extra keywords go to
    the control as attributes (class_ is added to "input"). Special keywords: hint (overrides
    field.description), optional_marker (show "选填" on an optional field)."""
    hint = kwargs.pop("hint", field.description)
    optional_marker = kwargs.pop("optional_marker", False)
    extra_class = kwargs.pop("class_", "")
    # An id= given (a form shown twice on a page) names the control for its label too.
    fid = kwargs.get("id", field.id)
    errors = field.errors
    required = field.flags.required
    described = " ".join(([f"{fid}-hint"] if hint else []) + ([f"{fid}-error"] if errors else []))
    if described:
        kwargs["aria-describedby"] = described = escape(described)
    if errors:
        kwargs["aria-invalid"] = "true"
    if required:
        kwargs["aria-required"] = "true"

    kind = field.type
    if kind in _HIDDEN_TYPES:
        return field(**kwargs)
    if kind == "SubmitField":
        return field(class_=_join_class("btn btn--primary ", extra_class), **kwargs)

    required_marker, optional_text = _markers()
    marker = required_marker if required else optional_text if optional_marker else ""
    invalid = " field--invalid" if errors else ""
    efid = escape(fid)
    hint_html = f'<span class="field__hint" id="{efid}-hint">{escape(hint)}</span>' if hint else ""
    label = escape(field.label.text)
    if kind == "BooleanField":
        if extra_class:
            kwargs["class_"] = extra_class
        html = (
            f'<div class="field field--check{invalid}">\n    <div class="check">\n      '
            f'{field(**kwargs)}\n      <label for="{efid}">{label}'
            f"{required_marker if required else ''}</label>\n    </div>{hint_html}\n    "
            f"{_errors(errors, fid)}\n  </div>"
        )
    elif kind in _CHOICE_TYPES:
        aria = f' aria-describedby="{described}"' if described else ""
        options = "".join(
            f'\n      <div class="check">\n        '
            f"{option(class_=extra_class) if extra_class else option()}\n        "
            f'<label for="{escape(option.id)}">{escape(option.label.text)}</label>\n      </div>'
            for option in field
        )
        html = (
            f'<fieldset class="field field--choices{invalid}" id="{efid}"{aria}>\n    '
            f'<legend class="field__label">{label}{marker}</legend>{hint_html}\n    '
            f'<div class="choices">{options}\n    </div>\n    {_errors(errors, fid)}\n  </fieldset>'
        )
    else:
        base = "input input--file " if kind in _FILE_TYPES else "input "
        html = (
            f'<div class="field{invalid}">\n    <label class="field__label" for="{efid}">'
            f"{label}{marker}</label>{hint_html}\n    "
            f"{_control(field, {'class_': _join_class(base, extra_class), **kwargs})}\n    "
            f"{_errors(errors, fid)}\n  </div>"
        )
    return Markup(html)
