"""The faster form rendering gives the same HTML as what it replaced: disputes/forms.py's
html_params as WTForms' own, disputes/field_html.py's render_field as the _forms.html macro."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FileField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from disputes import field_html, forms
from disputes.cases.forms import SelfCheckForm
from disputes.forms import BaseForm
from disputes.staff.panel_forms import MultiCheckboxField

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


# --- render_field: disputes/field_html.py against the _forms.html macro it replaced -------------

MACRO = Path(__file__).parent / "support" / "render_field_macro.html"

HOSTILE = '"><img src=x onerror=alert(1)> & <script>'


class EveryKindForm(BaseForm):
    """One field of every kind render_field tells apart, with hostile labels and descriptions."""

    name = StringField("姓名 <b>", validators=[DataRequired()], description="写全名 " + HOSTILE)
    note = TextAreaField(HOSTILE, validators=[Optional()])
    price = DecimalField("价格", validators=[DataRequired()])
    when = DateField("日期", validators=[Optional()], description=Markup("<em>年-月-日</em>"))
    agree = BooleanField("同意", validators=[DataRequired()], description="勾选")
    maybe = BooleanField("可选")
    pick = RadioField(
        "选一个",
        choices=forms.options([("a", "甲 <i>"), ("b", HOSTILE)]),
        validators=[DataRequired()],
    )
    many = MultiCheckboxField(
        "多选", choices=forms.options([("x", "X"), ("y", "Y")]), description="可多选"
    )
    kind = SelectField(
        "种类", choices=forms.options([("", "—"), ("k", "K & L")]), validators=[Optional()]
    )
    upload = FileField("文件", description="PDF")
    uploads = MultipleFileField("多个文件", validators=[Optional()])
    secret = HiddenField(validators=[DataRequired()])
    go = SubmitField("提交 <b>")


#: (keywords passed to render_field, as templates pass them)
CALLS = [
    {},
    {"optional_marker": True},
    {"hint": "另一条提示 " + HOSTILE, "optional_marker": True},
    {"hint": None},
    {"class_": "wide", "autocomplete": "off", "inputmode": "numeric"},
    {"id": "other-id", "rows": 2, "type": "date", "autofocus": True},
    {"class_": Markup("a&amp;b"), "multiple": True, "data_x": HOSTILE},
]


def _leaf_fields(form):
    for field in form:
        if field.type == "FormField":
            yield from _leaf_fields(field.form)
        elif field.type == "FieldList":
            for entry in field.entries:
                yield from _leaf_fields(entry.form) if hasattr(entry, "form") else [entry]
        else:
            yield field


@functools.cache
def _macro_template(environment):
    return environment.from_string(MACRO.read_text() + "{{ render_field(field, **kwargs) }}")


def _through_both(app, field, kwargs):
    macro = _macro_template(app.jinja_env).render(field=field, kwargs=dict(kwargs))
    ours = field_html.render_field(field, **kwargs)
    return ours, macro


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("posted", [False, True], ids=["empty", "invalid"])
def test_render_field_gives_the_macros_markup_for_every_kind_of_field(app, lang, posted):
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"price": "x" + HOSTILE, "when": "2024-13-01", "pick": "c", "many": ["z"]}
    with app.test_request_context(
        f"/?lang={lang}", method="POST" if posted else "GET", data=data if posted else None
    ):
        form = EveryKindForm()
        if posted:
            assert not form.validate()
        assert {f.type for f in form} >= {"CSRFTokenField", "RadioField", "MultiCheckboxField"}
        for field in form:
            for kwargs in CALLS:
                ours, macro = _through_both(app, field, kwargs)
                assert isinstance(ours, Markup)
                assert ours == macro, (field.name, kwargs)
                assert "<script>" not in ours
                assert "<img" not in ours


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_render_field_gives_the_macros_markup_for_the_self_check_form(app, lang):
    posted = {
        "purchase-brand": HOSTILE,
        "purchase-invoice_date": "2024-99-01",
        "purchase-price_yuan": HOSTILE,
        "problems-0-description": HOSTILE,
        "events-0-odometer_km": "-1",
        "events-0-replaced-0-part": HOSTILE,
        "warranty-wear_parts-0-months": "x",
    }
    with app.test_request_context(f"/?lang={lang}", method="POST", data=posted):
        form = SelfCheckForm()
        form.prepare()
        assert not form.validate()
        fields = list(_leaf_fields(form))
        assert len(fields) > 40
        assert any(field.errors for field in fields)
        for field in fields:
            for kwargs in ({}, {"optional_marker": True, "inputmode": "numeric"}):
                ours, macro = _through_both(app, field, kwargs)
                assert ours == macro, (field.name, kwargs)


def test_a_select_shows_its_own_choice_after_another_was_shown(app):
    with app.test_request_context("/"):
        for chosen in ("", "k", ""):
            field = EveryKindForm(data={"kind": chosen}).kind
            ours, macro = _through_both(app, field, {})
            assert ours == macro
            assert ('<option selected value="k">' in ours) == (chosen == "k")


def test_a_field_kept_from_an_earlier_page_shows_this_pages_value(app):
    """render_field keeps a field's markup without its value: each page still shows its own
    value, tick, language and errors."""
    pages = [
        ("zh", {"purchase-brand": "甲", "purchase-has_invoice": "y"}),
        ("zh", {"purchase-brand": HOSTILE}),
        ("en", {"purchase-brand": "乙", "purchase-has_invoice": "y"}),
        ("zh", {"purchase-brand": "", "purchase-price_yuan": "x"}),
    ]
    for lang, posted in pages:
        with app.test_request_context(f"/?lang={lang}", method="POST", data=posted):
            form = SelfCheckForm()
            form.prepare()
            form.validate()
            purchase = form.purchase.form
            for field in (purchase.brand, purchase.has_invoice, purchase.price_yuan):
                for kwargs in ({}, {"optional_marker": True}):
                    ours, macro = _through_both(app, field, kwargs)
                    assert ours == macro, (lang, field.name, kwargs)
            assert escape(posted["purchase-brand"]) in field_html.render_field(purchase.brand)


class NumberedForm(BaseForm):
    size = SelectField(
        "大小", choices=forms.options([("1", "一"), ("2", "二"), ("2", "又二")]), coerce=int
    )


def test_a_select_with_coerced_values_shows_the_choices_equal_to_its_data(app):
    with app.test_request_context("/"):
        for chosen in (None, 1, 2, 3):
            field = NumberedForm(data={"size": chosen}).size
            ours, macro = _through_both(app, field, {})
            assert ours == macro
            assert ours.count("<option selected") == {1: 1, 2: 2}.get(chosen, 0)
