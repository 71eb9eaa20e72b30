"""The repair-records form: the filing wizard's repair-visit rows (cases/forms.py) with the work
done and the work-order number, a covering note and the work orders' files.

Used by the business's page and by staff recording the same on the business's behalf.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from disputes.cases.forms import RepairEventForm, RequiredInRow, apply_list_action
from disputes.cases.models import Case
from disputes.cases.uploads import FILE_LIMIT_MB
from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l

#: The contract's excluded_days keys; the form fields are named <key>_days.
EXCLUDED_DAY_KINDS = ("special_parts_transport", "rescue_travel", "battery_transport")


class RecordLineForm(RepairEventForm):
    """One repair visit as the business's work order shows it."""

    work_done = TextAreaField(
        _l("维修作业内容"),
        [RequiredInRow(_l("请填写这次维修做了什么")), Length(max=2000)],
        description=_l("照派工单或结算单填写检查、维修和更换的内容。"),
    )
    repair_order_no = StringField(
        _l("派工单或结算单号"), [Optional(), Length(max=64)], render_kw={"autocomplete": "off"}
    )


class RepairRecordsForm(BaseForm):
    """The business's repair records for one case."""

    events = FieldList(
        FormField(RecordLineForm), label=_l("维修记录"), min_entries=1, max_entries=30
    )
    note = TextAreaField(
        _l("说明"),
        [Optional(), Length(max=2000)],
        description=_l("给市场监管部门的说明（消费者看不到）。"),
    )
    #: Flask-WTF's field: only uploaded files count (a text part named "files" is no file).
    files = MultipleFileField(
        _l("派工单、结算单"),
        description=_l(
            "PDF、JPG 或 PNG，每个文件不超过 %(mb)s MB；可以一次选多个。", mb=FILE_LIMIT_MB
        ),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )

    def offer_problems(self, case: Case) -> None:
        """Offer the case's problems in each visit's problem select."""
        choices = [SelectChoice("", _l("请选择"))] + [
            SelectChoice(p.label, f"{p.label} {(p.description or '')[:24]}".strip())
            for p in case.problems
        ]
        for entry in self.events:
            entry.form.problem.choices = list(choices)

    def apply_action(self, action: str, case: Case) -> bool:
        """Add or remove a visit or part row as the pressed button asks (False: no such button)."""
        if not apply_list_action(self, action):
            return False
        self.offer_problems(case)
        return True

    def chosen_files(self) -> list:
        """The files actually chosen (a browser posts an empty part when none is)."""
        return [f for f in self.files.data or [] if f and getattr(f, "filename", None)]

    def validate_events(self, field: FieldList) -> None:
        """At least one visit must be filled in."""
        if all(entry.form.is_blank() for entry in field):
            raise ValidationError(str(_l("请至少填写一次维修")))  # a str: see _records_form.html

    def lines(self) -> list[dict[str, Any]]:
        """Return the filled visits as contract events plus work_done and repair_order_no."""
        return [_line(e.form) for e in self.events if not e.form.is_blank()]


def _text(field) -> str:
    return (field.data or "").strip()


def _moment(day, clock) -> str | None:
    if day is None:
        return None
    return day.isoformat() if clock is None else f"{day.isoformat()}T{clock.strftime('%H:%M')}"


def _line(f: RecordLineForm) -> dict[str, Any]:
    return {
        "problem": f.problem.data,
        "start": _moment(f.start_date.data, f.start_time.data),
        "end": None if f.in_workshop.data else _moment(f.end_date.data, f.end_time.data),
        "odometer_km": f.odometer_km.data,
        "fault_found": bool(f.fault_found.data),
        "replaced": [
            {
                "assembly": r.form.assembly.data,
                "part": _text(r.form.part),
                "main_part": bool(r.form.main_part.data),
                "whole_assembly": bool(r.form.whole_assembly.data),
                "status": r.form.status.data or "replaced",
                "diagnosed_date": r.form.diagnosed_date.data
                and r.form.diagnosed_date.data.isoformat(),
                "diagnosed_by": r.form.diagnosed_by.data or None,
            }
            for r in f.replaced
            if not r.form.is_blank()
        ],
        "resolved": bool(f.resolved.data),
        "excluded_days": {k: f[f"{k}_days"].data or 0 for k in EXCLUDED_DAY_KINDS},
        "work_done": _text(f.work_done),
        "repair_order_no": _text(f.repair_order_no) or None,
    }


def posted_formdata() -> MultiDict | None:
    """The request's fields and files for RepairRecordsForm(formdata=...), None unless POST.

    Parts without a name are dropped: the visit lists look at every key's prefix."""
    if request.method != "POST":
        return None
    data = MultiDict([(k, v) for k, v in request.form.items(multi=True) if isinstance(k, str)])
    for key, file in request.files.items(multi=True):
        if isinstance(key, str):
            data.add(key, file)
    return data


class RecordsDecisionForm(BaseForm):
    """Staff merge the records, with an optional internal note."""

    note = TextAreaField(_l("内部备注"), [Optional(), Length(max=1000)])


class RecordsRejectForm(BaseForm):
    """Staff reject the records; the reason is required."""

    note = TextAreaField(
        _l("退回理由"),
        [DataRequired(_l("请写明退回的理由。")), Length(max=1000)],
    )
