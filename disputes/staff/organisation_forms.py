"""Forms of the staff room's organisation pages: vetting, inviting a business user, linking a
case to an organisation, and creating one for a case whose business has no account (shape only).
"""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from disputes.auth.organisations import OrganisationStatus
from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.business.account_forms import OrganisationFieldsMixin
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l

DECISION_CHOICES = options(
    [
        (OrganisationStatus.approved.value, _l("审核通过")),
        (OrganisationStatus.rejected.value, _l("不予通过")),
        (OrganisationStatus.suspended.value, _l("暂停")),
    ]
)


class OrganisationDecisionForm(BaseForm):
    """Approve, reject or suspend an organisation; a refusal or suspension says why."""

    decision = SelectField(
        _l("审核决定"), choices=DECISION_CHOICES, validators=[DataRequired(_l("请选择审核决定。"))]
    )
    note = TextAreaField(
        _l("说明"),
        validators=[Length(max=500)],
        description=_l("不予通过或暂停时必须写明理由，经营者的用户可以看到。"),
    )

    def validate_note(self, field: TextAreaField) -> None:
        if self.decision.data != OrganisationStatus.approved and not (field.data or "").strip():
            raise ValidationError(_l("不予通过或暂停时必须写明理由。"))


class BusinessUserInviteForm(BaseForm):
    """A business user to invite: a name and a mobile number or e-mail address to log in with."""

    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=100)])
    mobile = StringField(
        _l("手机号"),
        validators=[Optional(), Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。"))],
        description=_l("手机号与电子邮箱至少填写一项，可用于登录。"),
    )
    email = StringField(
        _l("电子邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。")),
        ],
    )

    def validate_mobile(self, field: StringField) -> None:
        if not field.data and not self.email.data:
            raise ValidationError(_l("请填写手机号或电子邮箱。"))


class CaseOrganisationLinkForm(BaseForm):
    """The organisation a case is against."""

    organisation_id = IntegerField(
        _l("经营者"),
        validators=[
            DataRequired(_l("请选择经营者。")),
            NumberRange(min=1, max=2**31 - 1, message=_l("请选择经营者。")),
        ],
    )


class CaseOrganisationNewForm(OrganisationFieldsMixin, BusinessUserInviteForm):
    """For a case whose business has no account: the organisation (approved at once) and the
    first user to invite."""
