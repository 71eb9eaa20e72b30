"""Forms of the experts room: the panel record, reasons, overrides, objections and the opinion.

The opinion form is built per case (one group of fields per problem and one choice per visit) by
`opinion_form_for`; `findings_from_form` and `form_data_from_findings` translate both ways.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
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
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.cases.vocabulary import SYSTEM_LABELS, VehicleSystem
from disputes.forms import BaseForm, options

SYSTEM_CHOICES = options((s.value, _l(SYSTEM_LABELS[s])) for s in VehicleSystem)
#: The assemblies whose need of replacement opens the early remedies (2013.18.2, 2022.20, 2022.22).
NEEDS_REPLACING = (
    VehicleSystem.engine,
    VehicleSystem.transmission,
    VehicleSystem.power_battery,
    VehicleSystem.drive_motor,
)
NEEDS_REPLACING_CHOICES = options(
    [("", _l("没有认定需要更换总成"))] + [(s.value, _l(SYSTEM_LABELS[s])) for s in NEEDS_REPLACING]
)
QUALITY_CHOICES = options(
    [
        ("yes", _l("是产品质量问题")),
        ("no", _l("不是产品质量问题")),
        ("unknown", _l("须经检验才能判断")),
    ]
)
YES_NO_PARTLY = options([("yes", _l("支持")), ("partly", _l("部分支持")), ("no", _l("不支持"))])
YES_NO = options([("no", _l("不需要")), ("yes", _l("需要"))])
REMEDY_CHOICES = options(
    [
        ("repair", _l("免费修理")),
        ("part_replacement", _l("更换零部件")),
        ("assembly_replacement", _l("更换总成或其主要零件")),
        ("replace", _l("换车")),
        ("return", _l("退车")),
        ("none", _l("不属于三包责任")),
        ("inspection_first", _l("先行检验鉴定")),
    ]
)
PARTY_CHOICES = options([("consumer", _l("消费者")), ("business", _l("经营者"))])
AFFILIATION_WORDS = {
    "品牌": "brand",
    "生产者": "manufacturer",
    "经销商": "dealer",
    "修理者": "repairer",
}


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


class ReasonForm(BaseForm):
    """A reason (decline, recusal, revision request)."""

    reason = TextAreaField(_l("理由"), validators=[DataRequired(), Length(max=2000)])
    recuse = BooleanField(_l("属于回避（与本案有利害关系）"))


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


class NeededToSign:
    """Optional while the opinion is a draft; required, with `message`, when the expert signs
    (the form's `signer` is set)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and (not isinstance(field.data, str) or field.data.strip()):
            return
        field.errors[:] = []
        raise StopValidation(self.message if form.signer is not None else None)


def needed_to_sign() -> NeededToSign:
    """A finding the expert must make before signing."""
    return NeededToSign(_l("签署前请作出这一项认定。"))


class OpinionBase(BaseForm):
    """The case-wide part of the opinion; per-problem fields are added by opinion_form_for.

    Every finding starts unset: the expert decides each one, nothing is copied from the claim."""

    #: The expert signing with this submission (None for a draft or a re-assessment).
    signer: Any = None

    records_support = RadioField(
        _l("维修记录是否支持所述事实"), choices=YES_NO_PARTLY, validators=[needed_to_sign()]
    )
    inspection_needed = RadioField(
        _l("是否需要检验鉴定"), choices=YES_NO, validators=[needed_to_sign()]
    )
    remedy = SelectField(
        _l("建议的处理方式"),
        choices=options([("", _l("请选择"))]) + REMEDY_CHOICES,
        validators=[needed_to_sign()],
    )
    reasoning = TextAreaField(
        _l("分析意见和理由"),
        validators=[NeededToSign(_l("签署前请写明分析意见和理由。")), Length(max=10000)],
    )
    confirm = BooleanField(
        _l("我确认以上意见是本人依据案件材料独立作出的专业判断，签署后意见锁定，不能再修改。"),
        validators=[NeededToSign(_l("签署前请勾选确认。"))],
    )
    password = PasswordField(
        _l("登录密码"),
        description=_l("签署时请再次输入您的登录密码。"),
        validators=[NeededToSign(_l("签署前请输入登录密码。"))],
    )

    def validate_password(self, field) -> None:
        if self.signer is not None and not self.signer.check_password(field.data or ""):
            raise ValidationError(_l("密码不正确，意见没有签署。"))


def opinion_form_for(
    labels: list[str], visits: list[str], formdata: Any = None, data=None, signer: Any = None
):
    """Return an opinion form with fields for problems `labels` and visits (text per visit);
    with `signer`, validating it checks everything signing needs."""

    class OpinionForm(OpinionBase):
        pass

    label_choices = options((label, label) for label in labels)
    for i, label in enumerate(labels):
        setattr(
            OpinionForm,
            f"quality_{i}",
            RadioField(
                _l("%(p)s 是否属于产品质量问题", p=label),
                choices=QUALITY_CHOICES,
                validators=[needed_to_sign()],
            ),
        )
        setattr(
            OpinionForm,
            f"system_{i}",
            SelectField(_l("%(p)s 所属系统", p=label), choices=SYSTEM_CHOICES),
        )
        setattr(OpinionForm, f"safety_{i}", BooleanField(_l("%(p)s 属于严重安全性能故障", p=label)))
        setattr(
            OpinionForm,
            f"needs_{i}",
            SelectField(
                _l("%(p)s 经认定需要更换的总成", p=label),
                choices=NEEDS_REPLACING_CHOICES,
                default="",
                description=_l(
                    "认定该问题首次送修时就需要更换整个总成（尚未更换）的，选择该总成。"
                ),
            ),
        )
    for i, text in enumerate(visits):
        setattr(OpinionForm, f"visit_{i}", SelectField(text, choices=label_choices))
    form = OpinionForm(formdata=formdata, data=data)
    form.signer = signer
    return form


def findings_from_form(form, labels: list[str], n_visits: int) -> dict[str, Any]:
    """Return the findings dict (stored on the Opinion) from a bound opinion form."""
    return {
        "problems": {
            label: {
                "quality": form[f"quality_{i}"].data,
                "system": form[f"system_{i}"].data,
                "serious_safety": bool(form[f"safety_{i}"].data),
                "needs_replacing": form[f"needs_{i}"].data or None,
            }
            for i, label in enumerate(labels)
        },
        "visits": {str(i): form[f"visit_{i}"].data for i in range(n_visits)},
        "records_support": form.records_support.data,
        "inspection_needed": {"yes": True, "no": False}.get(form.inspection_needed.data),
        "remedy": form.remedy.data or None,
    }


def form_data_from_findings(
    findings: dict[str, Any], conclusion: str, facts: dict[str, Any]
) -> dict[str, Any]:
    """Return form data for the opinion form: the expert's findings so far. What the expert has
    not decided stays unset; only the system, the safety flag and the visits start as filed."""
    problems = facts.get("problems") or {}
    inspection = findings.get("inspection_needed")
    data: dict[str, Any] = {
        "records_support": findings.get("records_support"),
        "inspection_needed": None if inspection is None else ("yes" if inspection else "no"),
        "remedy": findings.get("remedy") or "",
        "reasoning": conclusion,
    }
    for i, (label, problem) in enumerate(problems.items()):
        found = (findings.get("problems") or {}).get(label, {})
        data[f"quality_{i}"] = found.get("quality")
        data[f"system_{i}"] = found.get("system", problem.get("system"))
        data[f"safety_{i}"] = found.get("serious_safety", bool(problem.get("serious_safety")))
        data[f"needs_{i}"] = found.get("needs_replacing") or ""
    for i, event in enumerate(facts.get("events") or []):
        data[f"visit_{i}"] = (findings.get("visits") or {}).get(str(i), event.get("problem"))
    return data
