"""One form field's markup (label, hint, control, errors): the render_field that templates import
from templates/_forms.html, written in Python. Not the controls themselves (WTForms' widgets)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

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
            f"{field(class_=_join_class(base, extra_class), **kwargs)}\n    "
            f"{_errors(errors, fid)}\n  </div>"
        )
    return Markup(html)
