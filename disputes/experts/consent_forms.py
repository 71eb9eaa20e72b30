"""The consent form (consent to the routed expert, or object with a reason): one form for the
consumer, the business and staff on either party's behalf. Not named forms.py so that the
business and staff rooms may use it."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from disputes.experts.consent import DECISION_LABELS, ConsentDecision, ConsentParty
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l


class ConsentForm(BaseForm):
    """A party's decision on the routed expert (the assignment it was shown)."""

    assignment_id = HiddenField(validators=[Optional()])
    decision = RadioField(
        _l("对分派的专家"),
        choices=options((d.value, _l(label)) for d, label in DECISION_LABELS.items()),
        validators=[InputRequired(_l("请选择同意或提出异议。"))],
    )
    reason = TextAreaField(
        _l("异议理由"),
        validators=[Length(max=2000)],
        description=_l("提出异议时必须写明理由。"),
    )

    def validate_reason(self, field: TextAreaField) -> None:
        """An objection gives its reason."""
        if self.decision.data == ConsentDecision.object and not (field.data or "").strip():
            raise ValidationError(_l("提出异议时必须写明理由。"))

    def assignment_number(self) -> int | None:
        """Return the posted assignment id, or None when it is not a number."""
        try:
            return int(self.assignment_id.data)
        except (TypeError, ValueError):
            return None


class StaffConsentForm(ConsentForm):
    """The same decision, recorded by staff for the party named."""

    party = HiddenField(
        validators=[
            AnyOf([p.value for p in ConsentParty], message=_l("请选择当事人。")),
        ]
    )
