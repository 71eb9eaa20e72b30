"""One form field's markup (label, hint, control, errors): the render_field that templates import
from templates/_forms.html, written in Python. Not the controls themselves (WTForms' widgets)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from wtforms.fields import Field, SelectField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.widgets import core

from disputes.i18n import catalog, translate

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


#: Plain SelectFields' choices by (catalog, choice objects): _Options. Each entry keeps its catalog
#: and choices, so a key's ids always name the same live objects.
_OPTIONS: dict[tuple, _Options] = {}
_OPTIONS_KEPT = 1024


class _Options:
    """The <option>s of one list of choices in one language: where each coerced value sits, and
    the options rendered by WTForms, by the positions of the selected ones."""

    __slots__ = ("translations", "choices", "coerce", "positions", "html")

    def __init__(self, translations: Any, choices: list[SelectChoice], coerce: Any) -> None:
        self.translations = translations
        self.choices = tuple(choices)
        self.coerce = coerce
        self.positions: dict[Any, tuple[int, ...]] | None = {}
        try:
            for i, choice in enumerate(choices):
                value = coerce(choice.value)
                self.positions[value] = (*self.positions.get(value, ()), i)
        except TypeError:  # an unhashable value: compared one by one
            self.positions = None
        self.html: dict[tuple[int, ...], str] = {}

    def selected(self, data: Any) -> tuple[int, ...]:
        """Positions of the choices whose coerced value equals `data` (SelectField's test)."""
        if self.positions is not None:
            try:
                return self.positions.get(data, ())
            except TypeError:
                pass
        return tuple(i for i, c in enumerate(self.choices) if self.coerce(c.value) == data)

    def render(self, selected: tuple[int, ...]) -> str:
        html = self.html.get(selected)
        if html is None:
            html = self.html[selected] = "".join(
                core.Select.render_option(Choice(c.value, c.label, i in selected, c.render_kw))
                for i, c in enumerate(self.choices)
            )
        return html


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
    """field(**kwargs): a plain SelectField's options are rendered by WTForms once per language,
    choices and selected option instead of on every page (the fact forms show dozens of selects
    whose translated options never change)."""
    choices = field.choices if _is_plain_select(field) else None
    if type(choices) is not list:
        return field(**kwargs)
    translations = catalog()
    key = (id(translations), *map(id, choices))
    kept = _OPTIONS.get(key)
    if (
        kept is None
        or kept.translations is not translations
        or kept.coerce is not field.coerce
        or not all(map(operator.is_, kept.choices, choices))
    ):
        if not all(
            type(c) is SelectChoice and c.optgroup is None and not c.render_kw for c in choices
        ):
            return field(**kwargs)
        if len(_OPTIONS) >= _OPTIONS_KEPT:
            _OPTIONS.clear()
        kept = _OPTIONS[key] = _Options(translations, choices, field.coerce)
    options = kept.render(kept.selected(field.data))
    # What Select.__call__ does around the options (dir(flags) holds no other validation
    # attribute than the flags set on the field).
    kwargs.setdefault("id", field.id)
    flags = vars(field.flags)
    for name in field.widget.validation_attrs:
        if name in flags and name not in kwargs:
            kwargs[name] = flags[name]
    return Markup(f"<select {core.html_params(name=field.name, **kwargs)}>{options}</select>")


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
    field.description), optional_marker (show "选填" on an optional field).

    A field without errors is filled into its markup kept from an earlier page (see _key): the
    fact forms render a hundred fields whose markup differs only in their values."""
    try:
        key = _key(field, kwargs)
    except (_NotKeyable, TypeError):
        key = None
    if key is None:
        return _render(field, kwargs, _control)
    kept = _FIELDS.get(key)
    if kept is None:
        if len(_FIELDS) >= _FIELDS_KEPT:
            _FIELDS.clear()
        kept = _FIELDS[key] = _template(field, kwargs)
    html, control_kwargs = kept
    if control_kwargs is not None:
        return Markup(html.replace(_CONTROL, _control(field, dict(control_kwargs))))
    value = field._value()
    if type(value) is not str:
        return _render(field, kwargs, _control)
    return Markup(html.replace(_VALUE, escape(value)))


def _render(field: Any, kwargs: dict[str, Any], control: Callable[..., Any]) -> Markup:
    """render_field's markup, the control drawn by control(field, attributes)."""
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
            f'{control(field, kwargs)}\n      <label for="{efid}">{label}'
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
            f"{control(field, {'class_': _join_class(base, extra_class), **kwargs})}\n    "
            f"{_errors(errors, fid)}\n  </div>"
        )
    return Markup(html)


#: Fields rendered without errors, by everything their markup depends on but their value (_key):
#: (markup, None) with _VALUE where the value goes, or (markup, the control's attributes) with
#: _CONTROL where the control drawn for each page goes (selects: their options are _OPTIONS').
_FIELDS: dict[tuple, tuple[str, dict[str, Any] | None]] = {}
_FIELDS_KEPT = 4096
#: Holes no rendered text holds (NUL is refused in every request: forms.refuse_nul_characters).
_VALUE = "\x00value\x00"
_CONTROL = "\x00control\x00"
#: Widgets whose control is <input ... value="field._value()"> and, for a checkbox, "checked".
_VALUE_WIDGETS = frozenset(
    {
        core.TextInput,
        core.CheckboxInput,
        core.NumberInput,
        core.DateInput,
        core.TimeInput,
        core.EmailInput,
        core.TelInput,
        core.URLInput,
        core.SearchInput,
    }
)
_PLAIN = frozenset({Markup, int, float, bool, Decimal, type(None)})
_NOT_KEPT_TYPES = _HIDDEN_TYPES | _CHOICE_TYPES | {"SubmitField"}


class _NotKeyable(Exception):
    """A value the markup depends on that cannot stand in a key (render the field in full)."""


def _frozen(value: Any) -> Any:
    """`value` as a key part: text as itself, other plain values with their type (True is not 1,
    markup is not text), a lazy translation by its message (the catalog is in the key)."""
    kind = type(value)
    if kind is str:
        return value
    if kind in _PLAIN:
        return kind, value
    if kind is LazyString and value._func is translate:
        return value._args, tuple(value._kwargs.items())
    raise _NotKeyable


def _frozen_items(values: dict[str, Any] | None) -> tuple | None:
    """A dict as a key part, in its own order (the same call site gives the same order; another
    order only keeps a second copy of the same markup)."""
    if not values:
        return None
    return tuple([(name, _frozen(value)) for name, value in values.items()])


def _key(field: Any, kwargs: dict[str, Any]) -> tuple | None:
    """What the markup of `field` without errors depends on besides its value, or None when
    it cannot be kept: the language, the field's kind, widget, id, name, label, description,
    attributes and flags, the template's keywords and, for a checkbox, whether it is ticked."""
    if (
        field.errors
        or field.type in _NOT_KEPT_TYPES
        or type(field).__call__ is not Field.__call__
        or type(field.meta).render_field is not DefaultMeta.render_field
    ):
        return None
    widget = field.widget
    checked = None
    if type(widget) in _VALUE_WIDGETS:
        if (
            "value" in kwargs
            or (field.render_kw and "value" in field.render_kw)
            or getattr(field, "_datalist", None) is not None
        ):
            return None
        checked = bool(getattr(field, "checked", field.data))
    return (
        catalog(),
        type(field),
        widget,
        field.id,
        field.name,
        _frozen(field.label.text),
        _frozen(field.description),
        _frozen_items(field.render_kw),
        _frozen_items(vars(field.flags)),
        _frozen_items(kwargs),
        checked,
    )


def _template(field: Any, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The markup of `field` with a hole for its value, or for its control with the control's
    attributes."""
    if type(field.widget) in _VALUE_WIDGETS:
        html = _render(field, dict(kwargs), lambda f, kw: _control(f, {**kw, "value": _VALUE}))
        return str(html), None
    asked: list[dict[str, Any]] = []
    html = _render(field, dict(kwargs), lambda f, kw: asked.append(dict(kw)) or _CONTROL)
    return str(html), asked[0]
