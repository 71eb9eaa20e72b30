"""Staff forms of the expert panel: a member's record and login account, and leave or return."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.cases.choices import SYSTEM_CHOICES
from disputes.experts.models import AFFILIATION_LABELS
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l

#: The affiliation kinds by the Chinese word staff type.
AFFILIATION_WORDS = {label: str(kind) for kind, label in AFFILIATION_LABELS.items()}


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one multiple choice (specialties)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


#: How the panel form sets the expert's login ("link" and "temporary_password" open a new
#: account: they are invitations.Handover values).
ACCOUNT_CHOICES = {
    "keep": _l("保持不变"),
    "none": _l("暂不开通（没有账号的专家无法登录处理案件）"),
    "existing": _l("关联已有的专家账号"),
    "link": _l("开通新账号，生成一次性链接，由本人自行设置密码"),
    "temporary_password": _l("开通新账号，生成临时密码，本人首次登录时须修改"),
}
NEW_ACCOUNT = frozenset({"link", "temporary_password"})


def account_choices(editing: bool) -> list:
    """The account options of the panel form: "keep" when editing, "none" when adding."""
    keys = ["keep" if editing else "none", "existing", "link", "temporary_password"]
    return options((key, ACCOUNT_CHOICES[key]) for key in keys)


class ExpertForm(BaseForm):
    """Add or edit a panel member, and set their login account."""

    code = StringField(_l("专家编号"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=100)])
    title = StringField(_l("职称"), validators=[Optional(), Length(max=100)])
    organisation = StringField(_l("工作单位"), validators=[Optional(), Length(max=200)])
    capacity = IntegerField(
        _l("同时在办上限（件）"), validators=[InputRequired(), NumberRange(min=0, max=50)]
    )
    specialties = MultiCheckboxField(_l("专业领域"), choices=SYSTEM_CHOICES)
    affiliations = TextAreaField(
        _l("关联单位"),
        description=_l("每行一个，格式「类型：名称」，类型为 品牌、生产者、经销商 或 修理者。"),
        validators=[Optional()],
    )
    relationships = TextAreaField(
        _l("申报的与消费者的关系"),
        description=_l("每行一个，格式「消费者手机号或邮箱：关系说明」。"),
        validators=[Optional()],
    )

    #: Choices come from the view (account_choices); replacing a login keeps the old account.
    account = RadioField(_l("登录账号"), choices=[])
    #: Choices (active expert accounts no profile holds) come from the view.
    account_user_id = SelectField(_l("已有的专家账号"), coerce=int, choices=[], default=0)
    account_email = StringField(
        _l("新账号的电子邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。")),
        ],
        description=_l("开通新账号时填写；电子邮箱与手机号至少一项，用于登录。"),
    )
    account_mobile = StringField(
        _l("新账号的手机号"),
        validators=[Optional(), Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。"))],
        render_kw={"inputmode": "numeric"},
    )

    def validate_affiliations(self, field) -> None:
        parse_affiliations(field.data or "")

    def validate_account_user_id(self, field) -> None:
        if self.account.data == "existing" and not field.data:
            raise ValidationError(_l("请选择要关联的专家账号。"))

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that a new account has a login (both fields are optional)."""
        valid = super().validate(extra_validators)
        new = self.account.data in NEW_ACCOUNT
        if new and not self.account_email.data and not self.account_mobile.data:
            self.account_email.errors.append(_l("开通新账号须填写电子邮箱或手机号。"))
            return False
        return valid

    def validate_relationships(self, field) -> None:
        parse_relationships(field.data or "")


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.replace(":", "：").partition("：")
        if not sep or not key.strip() or not value.strip():
            raise ValidationError(_l("格式不对：%(line)s", line=line.strip()))
        out.append((key.strip(), value.strip()))
    return out


def parse_affiliations(text: str) -> list[tuple[str, str]]:
    """Return (kind, name) from lines "类型：名称" (raises ValidationError)."""
    pairs = []
    for kind, name in _pairs(text):
        key = AFFILIATION_WORDS.get(kind, kind)
        if key not in AFFILIATION_WORDS.values():
            raise ValidationError(_l("不认识的关联类型：%(kind)s", kind=kind))
        pairs.append((key, name))
    return pairs


def parse_relationships(text: str) -> list[tuple[str, str]]:
    """Return (consumer login, note) from lines "手机号或邮箱：说明"."""
    return _pairs(text)


class LeaveForm(BaseForm):
    """Put an expert on leave or back on duty; the reason is required only for leave."""

    reason = TextAreaField(_l("理由"), validators=[DataRequired(), Length(max=2000)])
    #: The label is set by the view: "also deactivate" or "also reactivate" the login.
    with_account = BooleanField(_l("同时停用其登录账号（离任）"))
