"""Staff forms; every form that changes a case carries the case's version (optimistic lock)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    SelectField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from disputes.business.answer_forms import AnswerForm
from disputes.business.answers import STAFF_CHANNELS
from disputes.calendar import local_day
from disputes.cases.models import CaseOutcome
from disputes.cases.outcomes import OUTCOME_LABELS
from disputes.cases.states import Move
from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l
from disputes.notices.decisions import GROUNDS
from disputes.params import FIRST_DAY, LAST_DAY


class CaseVersionForm(BaseForm):
    """Base of every case-changing form: the version the page was rendered with."""

    version = HiddenField(validators=[InputRequired()])

    def version_number(self) -> int | None:
        """Return the posted version as an int, or None when it is not a number."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class TransitionForm(CaseVersionForm):
    to = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("理由"), validators=[Length(max=2000)])
    confirm = BooleanField()
    #: Not accepting: the Order 20 Art. 15 situation (staff/acceptance.py).
    ground = SelectField(
        _l("不予受理的法定情形"),
        choices=[SelectChoice("", _l("请选择"))]
        + [
            SelectChoice(g.value, _l("第十五条第（%(item)s）项：%(text)s", item=i, text=_l(text)))
            for g, (i, text) in GROUNDS.items()
        ],
        validate_choice=False,
    )
    #: Accepting beside an open complaint about the same vehicle, business and system.
    duplicate_confirm = BooleanField()

    def validate_for(self, move: Move | None, *, duplicate: bool = False) -> bool:
        """Validate, and check what `move` needs: a reason, and its confirmation when it has one
        (the errors are shown next to that action's fields); not accepting needs its Art. 15
        ground, and accepting beside an open `duplicate` complaint a tick."""
        extra: dict[str, list] = {}
        if self.to.data == "not_accepted":
            extra["ground"] = [
                AnyOf([g.value for g in GROUNDS], message=_l("请选择不予受理的法定情形。"))
            ]
        if duplicate:
            extra["duplicate_confirm"] = [DataRequired(_l("请勾选确认后再提交。"))]
        if move is not None and move.needs_reason:
            extra["reason"] = [DataRequired(_l("请写明理由。"))]
        if move is not None and move.confirm:
            extra["confirm"] = [DataRequired(_l("请勾选确认后再提交。"))]
        return self.validate(extra_validators=extra)


class RevisionRequestForm(BaseForm):
    """Staff ask the expert for a new version of a signed opinion, saying what to change."""

    reason = TextAreaField(
        _l("要求修改的理由"),
        validators=[DataRequired(_l("请写明要求修改的理由。")), Length(max=2000)],
    )


class NoteForm(CaseVersionForm):
    body = TextAreaField(_l("内部备注"), validators=[DataRequired(), Length(max=4000)])


class WithholdFromExpertsForm(BaseForm):
    """Withhold a file from the case's experts (it shows who the consumer is), or show it again."""

    withheld = HiddenField(
        validators=[AnyOf(("0", "1"), message=_l("请选择是否向专家提供该文件。"))]
    )


class BusinessResponseForm(CaseVersionForm, AnswerForm):
    """The business's answer as staff record it on its behalf (the answer's fields, business/
    answer_forms.py, with the day and the way it was received)."""

    responded_on = DateField(_l("答复日期"), validators=[InputRequired()])
    channel = SelectField(
        _l("答复方式"),
        choices=[SelectChoice(c, _l(c)) for c in STAFF_CHANNELS],
    )
    summary = TextAreaField(_l("答复内容与理由"), validators=[DataRequired(), Length(max=4000)])

    def validate_responded_on(self, field: DateField) -> None:
        """An answer cannot have been given after today (the bureau's calendar day)."""
        if field.data and field.data > local_day():
            raise ValidationError(_l("答复日期不能晚于今天"))


class OutcomeForm(CaseVersionForm):
    outcome = SelectField(
        _l("处理结果"),
        choices=[SelectChoice(o.value, _l(label)) for o, label in OUTCOME_LABELS.items()],
        validators=[DataRequired()],
    )
    remedy_text = TextAreaField(
        _l("消费者获得的处理"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("例如：免费更换变速器阀体并延长质保一年"),
    )
    compensation_yuan = DecimalField(
        _l("赔偿金额（元）"), places=2, validators=[Optional(), NumberRange(min=0)]
    )

    def outcome_value(self) -> CaseOutcome:
        return CaseOutcome(self.outcome.data)


class PeriodDateField(DateField):
    """An optional YYYY-MM-DD day of the statistics period, with a message staff understand."""

    def process_formdata(self, valuelist):
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            raise ValueError(_l("请按“年-月-日”填写日期，例如 2026-01-31")) from None
        if not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(
                _l(
                    "请填写 %(first)s 年到 %(last)s 年之间的日期",
                    first=FIRST_DAY.year,
                    last=LAST_DAY.year,
                )
            )


class StatsPeriodForm(BaseForm):
    """The statistics page's submission-day range (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    start = PeriodDateField(_l("提交日期自"), validators=[Optional()], name="from")
    end = PeriodDateField(_l("至"), validators=[Optional()], name="to")

    def validate_end(self, field: PeriodDateField) -> None:
        """Refuse a range that ends before it starts (it would be read as several periods)."""
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("结束日期不能早于开始日期"))
