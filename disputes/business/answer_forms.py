"""The answer form's fields (accept / offer / reject), shared by the business's own form and the
one staff fill in on its behalf (disputes/staff/forms.py)."""

from __future__ import annotations

from decimal import Decimal

from wtforms import DecimalField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from disputes.business.answers import (
    ANSWER_KIND_LABELS,
    OFFER_REMEDY_LABELS,
    AnswerData,
    AnswerKind,
    OfferRemedy,
)
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l


class AnswerForm(BaseForm):
    """What the business answers: accept the claim, offer something, or reject with reasons."""

    kind = RadioField(
        _l("答复"),
        choices=options((k.value, _l(label)) for k, label in ANSWER_KIND_LABELS.items()),
        validators=[InputRequired(_l("请选择答复。"))],
    )
    offer_remedy = SelectField(
        _l("提出的处理方式"),
        choices=options(
            [("", _l("（不适用）"))]
            + [(r.value, _l(label)) for r, label in OFFER_REMEDY_LABELS.items()]
        ),
        default="",
    )
    offer_yuan = DecimalField(
        _l("赔偿金额（元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=100_000_000)],
    )
    summary = TextAreaField(
        _l("答复内容与理由"),
        validators=[Length(max=4000)],
        description=_l("拒绝时必须写明理由。"),
    )

    def validate_offer_remedy(self, field: SelectField) -> None:
        """An offer says what is offered; any other answer leaves it empty."""
        if self.kind.data == AnswerKind.offer and not field.data:
            raise ValidationError(_l("请选择提出的处理方式。"))
        if field.data and field.data not in OfferRemedy._value2member_map_:
            raise ValidationError(_l("请选择提出的处理方式。"))

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then ask an offer of compensation for its amount (an empty
        amount stops the field's own validators)."""
        valid = super().validate(extra_validators)
        compensation = (
            self.kind.data == AnswerKind.offer
            and self.offer_remedy.data == OfferRemedy.compensation
        )
        if compensation and self.offer_yuan.data is None and not self.offer_yuan.errors:
            self.offer_yuan.errors = [_l("请填写赔偿金额。")]
            return False
        return valid

    def validate_summary(self, field: TextAreaField) -> None:
        """A rejection gives its reasons."""
        if self.kind.data == AnswerKind.reject and not (field.data or "").strip():
            raise ValidationError(_l("拒绝时必须写明理由。"))

    def answer_data(self) -> AnswerData:
        """Return the validated answer."""
        kind = AnswerKind(self.kind.data)
        offer = kind == AnswerKind.offer
        remedy = OfferRemedy(self.offer_remedy.data) if offer and self.offer_remedy.data else None
        amount: Decimal | None = self.offer_yuan.data if offer else None
        return AnswerData(kind, self.summary.data or "", remedy, amount)
