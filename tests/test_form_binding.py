"""disputes/forms.py binds each field as a copy of one built once: every form still gets fields
of its own, and a form class made per request is not kept alive by the copies."""

from __future__ import annotations

import gc
import weakref

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from disputes.experts.forms import opinion_form_for
from disputes.forms import BaseForm, options


class _Pair(BaseForm):
    name = StringField("名称", validators=[DataRequired()])
    kind = SelectField("类别", choices=options([("a", "甲"), ("b", "乙")]))


def test_each_form_gets_fields_of_its_own(app):
    with app.test_request_context("/", method="POST", data={"name": "一", "kind": "a"}):
        first, second = _Pair(meta={"csrf": False}), _Pair(meta={"csrf": False})
        first.name.flags.required = False
        first.name.render_kw = {"placeholder": "x"}
        first.kind.choices.extend(options([("c", "丙")]))
        first.name.label.text = "改过"

        assert second.name.flags.required
        assert second.name.render_kw is None
        assert [choice.value for choice in second.kind.choices] == ["a", "b"]
        assert second.name.label.text == "名称"
        assert first.name.data == second.name.data == "一"
        assert first.name._form is first
        assert second.name._form is second


def test_a_form_class_made_per_request_is_not_kept(app):
    with app.test_request_context("/"):
        form = opinion_form_for(["发动机异响"], ["2024-01-05 维修"], data={})
        made = weakref.ref(type(form))
        del form
        gc.collect()

        assert made() is None
