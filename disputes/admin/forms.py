"""Forms of the admin room: opening an account, changing its role, confirming an action (shape
only; who may be changed to what is decided in services)."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l

#: The roles an admin gives to bureau accounts (consumers register themselves and own cases).
STAFF_ROLE_CHOICES = options(
    [("staff", _l("工作人员")), ("admin", _l("管理员")), ("expert", _l("专家"))]
)

#: How a new account reaches its owner (values of invitations.Handover).
HANDOVER_CHOICES = options(
    [
        ("link", _l("一次性链接：本人打开链接自行设置密码（限期有效，只能用一次）")),
        ("temporary_password", _l("临时密码：本人首次登录时须修改")),
    ]
)


class AccountForm(BaseForm):
    """An admin opens a staff, admin or expert account (optionally linked to a panel profile)."""

    role = SelectField(
        _l("角色"), choices=STAFF_ROLE_CHOICES, validators=[DataRequired(_l("请选择角色。"))]
    )
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=100)])
    email = StringField(
        _l("电子邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。")),
        ],
        description=_l("手机号与电子邮箱至少填写一项，用于登录。"),
    )
    mobile = StringField(
        _l("手机号"),
        validators=[Optional(), Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。"))],
        render_kw={"inputmode": "numeric"},
    )
    handover = RadioField(
        _l("账号交付方式"), choices=HANDOVER_CHOICES, default="link", validators=[DataRequired()]
    )
    #: Choices (panel profiles without a usable account) come from the view.
    expert_id = SelectField(_l("关联专家档案（仅专家）"), coerce=int, choices=[], default=0)

    def validate_expert_id(self, field: SelectField) -> None:
        if field.data and self.role.data != "expert":
            raise ValidationError(_l("只有专家账号可以关联专家档案。"))


class ConfirmForm(BaseForm):
    """A second, deliberate step before an action that cannot be undone from the page."""

    confirm = BooleanField(
        _l("我已核实这是要操作的账户"), validators=[DataRequired(_l("请勾选确认后再操作。"))]
    )


class RoleChangeForm(BaseForm):
    """An admin moves a bureau account between staff, admin and expert, confirming it."""

    role = SelectField(
        _l("新角色"), choices=STAFF_ROLE_CHOICES, validators=[DataRequired(_l("请选择角色。"))]
    )
    confirm = BooleanField(
        _l("我已核实这是要更改角色的账户"), validators=[DataRequired(_l("请勾选确认后再操作。"))]
    )
