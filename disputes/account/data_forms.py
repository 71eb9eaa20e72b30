"""The "my data" page's forms: the download, correcting contact details, closing the account."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l


class DataExportForm(BaseForm):
    """Ask for the ZIP of one's own data (the box must be ticked)."""

    confirm = BooleanField(
        _l("我知道下载的文件包含我的全部个人信息，会妥善保管"),
        [DataRequired(_l("请勾选确认后再下载"))],
    )


class ContactDetailsForm(BaseForm):
    """Correct one's name, mobile and e-mail (at least one of the last two, as at registration)."""

    name = StringField(_l("姓名"), [DataRequired(_l("请填写姓名。")), Length(max=100)])
    mobile = StringField(
        _l("手机号"),
        [Optional(), Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。"))],
        render_kw={"autocomplete": "tel", "inputmode": "numeric"},
    )
    email = StringField(
        _l("电子邮箱"),
        [Optional(), Length(max=254), Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。"))],
        render_kw={"autocomplete": "email"},
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.mobile.data or "").strip() and not (self.email.data or "").strip():
            message = _l("手机号和电子邮箱至少保留一项，用于登录。")
            self.mobile.errors = [*self.mobile.errors, message]
            return False
        return ok


class AccountCloseForm(BaseForm):
    """Close one's account: the password again, and a confirmation."""

    password = PasswordField(
        _l("当前密码"),
        [DataRequired(_l("请输入当前密码。"))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("我确认注销账户，撤回对处理个人信息的同意"),
        [DataRequired(_l("请勾选确认后再注销。"))],
    )
