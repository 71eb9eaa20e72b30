"""The faster form rendering of disputes/forms.py gives the same HTML as WTForms' own."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from disputes import forms

ATTRIBUTES = [
    {"name": "purchase-price_yuan", "id": "purchase-price_yuan", "class_": "input", "value": ""},
    {"value": 'he said "hi" <b>&', "aria_describedby": "x-hint x-error", "aria_invalid": "true"},
    {"checked": True, "readonly": False, "required": True, "type": "checkbox", "for_": "f"},
    {"data_row_index": 3, "value": None, "placeholder": Markup("例如 <b>刹车片</b>")},
    {"value": Markup('a"b'), "autofocus": True, "multiple": False, "rows": 2},
    {},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_html_params_gives_wtforms_output(attributes):
    ours = forms.html_params(**attributes)
    theirs = forms.WTFORMS_HTML_PARAMS(**attributes)

    assert ours == theirs
    assert isinstance(ours, Markup)


def test_every_widget_uses_it(app):
    from wtforms import widgets
    from wtforms.widgets import core

    assert core.html_params is forms.html_params
    assert widgets.html_params is forms.html_params
    assert core.Input.html_params is forms.html_params
    assert core.Button.html_params is forms.html_params
