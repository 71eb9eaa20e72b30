"""The business's registration form: the organisation, then its first user (shape only).

The user part is the consumer registration form of the auth room (same fields, password rules and
messages), with the organisation's fields added.
"""

from __future__ import annotations

import re

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from disputes.auth.forms import RegistrationForm
from disputes.auth.organisations import OrganisationRole
from disputes.auth.services import EMAIL_RE
from disputes.business import queries
from disputes.business.credit_code import is_valid, normalise
from disputes.forms import options
from disputes.i18n import lazy_gettext as _l

#: The roles a business plays, as the forms offer them.
ROLE_CHOICES = options(
    [
        (OrganisationRole.seller.value, _l("销售者（经销商）")),
        (OrganisationRole.manufacturer.value, _l("生产者（厂家）")),
        (OrganisationRole.repairer.value, _l("修理者（维修站）")),
    ]
)
#: A phone number as people write it: mobile or landline, with area code, hyphens or spaces.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,18}[0-9]$")


def credit_code_field() -> StringField:
    """The unified social credit code, checked by its check character (GB 32100-2015)."""
    return StringField(
        _l("统一社会信用代码"),
        validators=[DataRequired(_l("请填写统一社会信用代码。")), Length(max=40)],
        description=_l("18 位，见营业执照。"),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


def check_credit_code(field: StringField) -> None:
    """Refuse a malformed code or one whose check character is wrong; keep it normalised."""
    code = normalise(field.data)
    if not is_valid(code):
        raise ValidationError(
            _l("统一社会信用代码不正确：应为 18 位数字或大写字母，最后一位是校验码。")
        )
    field.data = code


class OrganisationFieldsMixin:
    """The organisation's own fields, shared by registration and staff's forms."""

    organisation_name = StringField(
        _l("经营者名称"),
        validators=[DataRequired(_l("请填写经营者名称。")), Length(max=200)],
        description=_l("与营业执照上的名称一致。"),
    )
    credit_code = credit_code_field()
    organisation_role = SelectField(
        _l("经营者类型"),
        choices=ROLE_CHOICES,
        validators=[DataRequired(_l("请选择经营者类型。"))],
    )
    contact_name = StringField(
        _l("联系人"), validators=[DataRequired(_l("请填写联系人。")), Length(max=100)]
    )
    contact_phone = StringField(
        _l("联系电话"),
        validators=[
            DataRequired(_l("请填写联系电话。")),
            Regexp(PHONE_RE.pattern, message=_l("联系电话格式不正确。")),
        ],
        render_kw={"autocomplete": "tel"},
    )
    contact_email = StringField(
        _l("联系邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。")),
        ],
        render_kw={"autocomplete": "email"},
    )

    def validate_credit_code(self, field: StringField) -> None:
        check_credit_code(field)
        if queries.get_organisation_by_credit_code(field.data) is not None:
            raise ValidationError(_l("该统一社会信用代码已有经营者注册。"))


class OrganisationRegistrationForm(OrganisationFieldsMixin, RegistrationForm):
    """A business registers: its organisation (vetted by the bureau) and its first user."""
