"""The mediation room's forms: shape only (required, lengths, ranges, dates); what the case's
state allows is checked by the services."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    FileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l
from disputes.mediation.models import (
    ACTION_LABELS,
    MODE_LABELS,
    PARTY_LABELS,
    PAYER_LABELS,
    TERMINATION_REASONS,
    AgreementAction,
)
from disputes.params import FIRST_DAY, LAST_DAY

#: The largest amount a Numeric(12, 2) column holds, with room to spare.
MAX_YUAN = Decimal("9999999999.99")


def _labels(mapping: dict) -> list:
    return options((key.value, _l(label)) for key, label in mapping.items())


class _InRange:
    """A date between the app's first and last day (older or later ones are typing errors)."""

    def __call__(self, form, field) -> None:
        value = field.data
        value = value.date() if hasattr(value, "date") else value
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(
                _l(
                    "请填写 %(first)s 年到 %(last)s 年之间的日期",
                    first=FIRST_DAY.year,
                    last=LAST_DAY.year,
                )
            )


class _ArticleItem:
    """A choice label "21(3) <the reason in the reader's language>", translated when shown."""

    def __init__(self, item: str, text: str) -> None:
        self.item, self.text = item, text

    def __str__(self) -> str:
        return f"{self.item} {gettext(self.text)}"

    def __html__(self) -> str:
        return str(self)


def _yes_no(label: str) -> RadioField:
    return RadioField(
        label,
        choices=options([("yes", _l("是")), ("no", _l("否"))]),
        validators=[InputRequired(_l("请选择。"))],
    )


def _fen(form, field) -> None:
    """Yuan with at most two decimals (to the fen)."""
    value = field.data
    if value is not None and value.is_finite() and value.as_tuple().exponent < -2:
        raise ValidationError(_l("金额最多保留两位小数。"))


def _needed_for_compensation(form, field) -> None:
    """Compensation needs its amount; other undertakings may name one (Optional stops there)."""
    empty = not "".join(field.raw_data or []).strip()
    if form.action.data == AgreementAction.compensation.value and empty:
        raise StopValidation(_l("赔偿须写明金额（元）。"))


class ConsentForm(BaseForm):
    """A party agrees or refuses to mediate (Order 20 Art. 16)."""

    answer = RadioField(
        _l("是否同意调解"),
        choices=options([("agree", _l("同意调解")), ("refuse", _l("不同意调解"))]),
        validators=[InputRequired(_l("请选择是否同意调解。"))],
    )
    reason = TextAreaField(_l("说明（选填）"), validators=[Optional(), Length(max=2000)])

    @property
    def agrees(self) -> bool:
        return self.answer.data == "agree"


class StaffConsentForm(ConsentForm):
    """Staff record a party's answer on its behalf (phone, paper)."""

    party = SelectField(_l("当事人"), choices=_labels(PARTY_LABELS), validators=[DataRequired()])


class SessionForm(BaseForm):
    """Schedule a session (Art. 17): on site with a place, or off site."""

    mode = SelectField(_l("调解方式"), choices=_labels(MODE_LABELS), validators=[DataRequired()])
    place = StringField(_l("调解地点（现场调解必填）"), validators=[Length(max=200)])
    starts_at = DateTimeLocalField(
        _l("调解时间"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[InputRequired(_l("请填写调解时间。")), _InRange()],
    )
    mediators = StringField(
        _l("调解人员"), validators=[DataRequired(_l("请填写调解人员。")), Length(max=200)]
    )

    def validate_place(self, field: StringField) -> None:
        """Art. 17: the parties are told the place of an on-site session in advance."""
        if self.mode.data == "on_site" and not (field.data or "").strip():
            raise ValidationError(_l("现场调解必须写明地点。"))


class SessionRecordForm(BaseForm):
    """What happened at a session: attendees, whether each party came, the minutes."""

    attendees = TextAreaField(
        _l("参加人员"), validators=[DataRequired(_l("请填写参加人员。")), Length(max=2000)]
    )
    consumer_attended = _yes_no(_l("投诉人是否到场"))
    business_attended = _yes_no(_l("经营者是否到场"))
    minutes = TextAreaField(
        _l("调解记录"), validators=[DataRequired(_l("请填写调解记录。")), Length(max=8000)]
    )


class WithdrawalForm(BaseForm):
    """A party applies for a mediator's withdrawal (Art. 19)."""

    mediator = StringField(
        _l("申请回避的调解人员"),
        validators=[DataRequired(_l("请填写调解人员姓名。")), Length(max=100)],
    )
    reason = TextAreaField(
        _l("申请回避的理由"),
        validators=[DataRequired(_l("请写明申请回避的理由。")), Length(max=2000)],
    )


class StaffWithdrawalForm(WithdrawalForm):
    party = SelectField(_l("申请人"), choices=_labels(PARTY_LABELS), validators=[DataRequired()])


class WithdrawalDecisionForm(BaseForm):
    """The bureau decides: the mediator withdraws (another takes over) or not (with a reason)."""

    decision = RadioField(
        _l("决定"),
        choices=options([("granted", _l("回避")), ("refused", _l("不予回避"))]),
        validators=[InputRequired(_l("请选择决定。"))],
    )
    new_mediator = StringField(_l("更换后的调解人员"), validators=[Length(max=100)])
    reason = TextAreaField(_l("理由"), validators=[Length(max=2000)])

    def validate_new_mediator(self, field: StringField) -> None:
        if self.decision.data == "granted" and not (field.data or "").strip():
            raise ValidationError(_l("决定回避时请指定新的调解人员。"))

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "refused" and not (field.data or "").strip():
            raise ValidationError(_l("不予回避请写明理由。"))


class InspectionForm(BaseForm):
    """An inspection or appraisal both parties agreed on (Art. 20)."""

    institution = StringField(
        _l("检测鉴定机构"),
        validators=[DataRequired(_l("请填写双方约定的机构。")), Length(max=200)],
    )
    subject = TextAreaField(
        _l("检测鉴定事项"), validators=[DataRequired(_l("请填写检测事项。")), Length(max=2000)]
    )
    cost_yuan = DecimalField(
        _l("费用（元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写费用（元）。")),
            NumberRange(min=0, max=MAX_YUAN, message=_l("请填写有效的金额。")),
            _fen,
        ],
    )
    payer = SelectField(_l("费用承担"), choices=_labels(PAYER_LABELS), validators=[DataRequired()])
    started_on = DateField(
        _l("开始日期"), validators=[InputRequired(_l("请填写开始日期。")), _InRange()]
    )


class InspectionResultForm(BaseForm):
    finished_on = DateField(
        _l("结束日期"), validators=[InputRequired(_l("请填写结束日期。")), _InRange()]
    )
    result = TextAreaField(
        _l("检测鉴定结论"), validators=[DataRequired(_l("请填写结论。")), Length(max=4000)]
    )
    report = FileField(_l("检测鉴定报告（选填）"))


class TerminationForm(BaseForm):
    """Terminate mediation for one of Art. 21's seven reasons."""

    reason = SelectField(
        _l("终止调解的情形"),
        choices=options(
            (reason.value, _ArticleItem(item, text))
            for reason, (item, text) in TERMINATION_REASONS.items()
        ),
        validators=[DataRequired()],
    )
    details = TextAreaField(_l("具体情况"), validators=[Optional(), Length(max=2000)])


class AgreementForm(BaseForm):
    """The terms of the 调解书: what the business does, by when, and any compensation."""

    action = SelectField(
        _l("经营者的义务"), choices=_labels(ACTION_LABELS), validators=[DataRequired()]
    )
    compensation_yuan = DecimalField(
        _l("金额（元）"),
        places=2,
        validators=[
            _needed_for_compensation,
            Optional(),
            NumberRange(min=0, max=MAX_YUAN, message=_l("请填写有效的金额。")),
            _fen,
        ],
    )
    perform_by_date = DateField(
        _l("履行期限"), validators=[InputRequired(_l("请填写履行期限。")), _InRange()]
    )
    terms = TextAreaField(_l("其他约定"), validators=[Optional(), Length(max=4000)])


class PerformedForm(AgreementForm):
    """An agreement performed at once: no 调解书, a mediation record instead (Art. 22)."""

    perform_by_date = DateField(_l("履行日期"), validators=[Optional(), _InRange()])
    record = TextAreaField(
        _l("调解记录"), validators=[DataRequired(_l("请填写调解记录。")), Length(max=8000)]
    )


class PaperSignatureForm(BaseForm):
    """Staff record a party's signature of the 调解书 on paper."""

    party = SelectField(_l("当事人"), choices=_labels(PARTY_LABELS), validators=[DataRequired()])


class EmptyForm(BaseForm):
    """A button (CSRF only)."""
