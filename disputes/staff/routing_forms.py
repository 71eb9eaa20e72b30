"""Staff forms of the routing page: routing a case by hand, a party's objection to an expert, and
asking the expert to revise a signed opinion."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l

PARTY_CHOICES = options([("consumer", _l("消费者")), ("business", _l("经营者"))])


def expert_id_or_none(value: object) -> int | None:
    """Coerce a chosen expert's id; the empty "请选择专家" choice gives None."""
    return None if value in ("", None) else int(value)  # type: ignore[call-overload]


#: The first choice of an expert select: nobody chosen yet.
NO_EXPERT = ("", _l("请选择专家"))


class OverrideForm(BaseForm):
    """Staff route a case to a chosen expert."""

    expert_id = SelectField(
        _l("改派给"),
        coerce=expert_id_or_none,
        validators=[InputRequired(message=_l("请选择专家。"))],
    )
    reason = TextAreaField(
        _l("改派理由"),
        validators=[DataRequired(message=_l("请写明改派理由。")), Length(max=2000)],
    )


class ObjectionForm(BaseForm):
    """Staff record a party's 回避申请 against an expert."""

    expert_id = SelectField(
        _l("申请回避的专家"),
        coerce=expert_id_or_none,
        validators=[InputRequired(message=_l("请选择专家。"))],
    )
    party = SelectField(_l("提出方"), choices=PARTY_CHOICES, validators=[InputRequired()])
    reason = TextAreaField(_l("理由"), validators=[DataRequired(), Length(max=2000)])


class RevisionRequestForm(BaseForm):
    """Staff ask the expert for a new version of a signed opinion, with a reason."""

    reason = TextAreaField(_l("理由"), validators=[DataRequired(), Length(max=2000)])
