"""The form of a complaint staff register (Order 20 Arts. 9-10): how and when it was received,
who the complainant is, and the authorised agent with the power of attorney. The case facts are
then filled in through the filing wizard's own step forms (staff/intake_views.py)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from disputes.calendar import local_day
from disputes.cases.models import IntakeChannel
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l
from disputes.params import FIRST_DAY

#: The channels staff register (online filings come through the wizard).
CHANNEL_LABELS = {
    IntakeChannel.phone: _l("电话"),
    IntakeChannel.letter: _l("信函"),
    IntakeChannel.in_person: _l("当面"),
}


class IntakeForm(BaseForm):
    """A complaint received by phone, letter or in person."""

    channel = SelectField(
        _l("投诉渠道"),
        choices=options([("", _l("请选择"))] + [(c.value, t) for c, t in CHANNEL_LABELS.items()]),
        validators=[AnyOf([c.value for c in CHANNEL_LABELS], message=_l("请选择收到投诉的渠道。"))],
        validate_choice=False,
    )
    received_on = DateField(
        _l("收到投诉的日期"),
        validators=[InputRequired(_l("请填写收到投诉的日期。"))],
        description=_l("受理期限（7 个工作日）从这一天起算。"),
    )
    mobile = StringField(
        _l("投诉人手机号"),
        validators=[
            InputRequired(_l("请填写投诉人的手机号。")),
            Regexp(r"^1\d{10}$", message=_l("请填写 11 位手机号，例如 13912345678")),
        ],
        description=_l("已有账号的按手机号找到；没有的，用姓名和手机号新建一个。"),
    )
    name = StringField(_l("投诉人姓名"), validators=[Length(max=100)])
    agent_name = StringField(_l("代理人姓名"), validators=[Length(max=100)])
    agent_id_number = StringField(
        _l("代理人身份证号"),
        validators=[
            Optional(),
            Regexp(r"^\d{17}[\dXx]$", message=_l("身份证号是 18 位，最后一位可能是 X")),
        ],
    )
    agent_relation = StringField(
        _l("代理人与投诉人的关系"), validators=[Length(max=50)], description=_l("例如：配偶、律师")
    )
    power_of_attorney = FileField(
        _l("授权委托书"), description=_l("投诉人签名的授权委托书原件扫描件：PDF、JPG 或 PNG。")
    )

    def validate_received_on(self, field: DateField) -> None:
        """A complaint cannot have been received after today, nor before the system's first day."""
        if field.data and field.data > local_day():
            raise ValidationError(_l("收到投诉的日期不能晚于今天。"))
        if field.data and field.data < FIRST_DAY:
            raise ValidationError(_l("日期太早了，请检查。"))

    def has_agent(self) -> bool:
        """Whether any of the agent's details or the power of attorney was given."""
        typed = (self.agent_name.data, self.agent_id_number.data, self.agent_relation.data)
        return any((v or "").strip() for v in typed) or bool(self.power_of_attorney.data)

    def validate(self, extra_validators=None) -> bool:
        """Check the fields; an agent needs a name, an ID number, a relation and the power of
        attorney (Order 20 Art. 10)."""
        valid = super().validate(extra_validators)
        if not self.has_agent():
            return valid
        required = {
            self.agent_name: _l("请填写代理人姓名。"),
            self.agent_id_number: _l("请填写代理人身份证号。"),
            self.agent_relation: _l("请填写代理人与投诉人的关系。"),
        }
        for field, message in required.items():
            if not (field.data or "").strip():
                field.errors = [*field.errors, message]
                valid = False
        if not self.power_of_attorney.data:
            self.power_of_attorney.errors = [_l("代理人投诉须附授权委托书。")]
            valid = False
        return valid
