"""Forms of the experts room: the expert's reasons and the opinion.

The opinion form is built per case (one group of fields per problem and one choice per visit) by
`opinion_form_for`; `findings_from_form` and `form_data_from_findings` translate both ways.
"""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    StopValidation,
    ValidationError,
)

from disputes.cases.choices import SYSTEM_CHOICES
from disputes.cases.vocabulary import SYSTEM_LABELS, VehicleSystem
from disputes.experts.findings import (
    INSPECTION,
    QUALITY,
    REMEDY,
    SUPPORT,
    ProblemEntry,
    StoredFindings,
)
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l

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
# The findings' words are findings.py's, shared with the letter and the consumer's case page.
QUALITY_CHOICES = options((value, _l(label)) for value, label in QUALITY.items())
YES_NO_PARTLY = options((value, _l(label)) for value, label in SUPPORT.items())
NEEDED_CHOICES = options([("no", _l(INSPECTION[False])), ("yes", _l(INSPECTION[True]))])
REMEDY_CHOICES = options((value, _l(label)) for value, label in REMEDY.items())


class ReasonForm(BaseForm):
    """A reason (decline, recusal, revision request)."""

    reason = TextAreaField(_l("理由"), validators=[DataRequired(), Length(max=2000)])
    recuse = BooleanField(_l("属于回避（与本案有利害关系）"))


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
        _l("是否需要检验鉴定"), choices=NEEDED_CHOICES, validators=[needed_to_sign()]
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
    return StoredFindings(
        problems=tuple(
            ProblemEntry(
                label,
                quality=form[f"quality_{i}"].data,
                system=form[f"system_{i}"].data,
                serious_safety=bool(form[f"safety_{i}"].data),
                needs_replacing=form[f"needs_{i}"].data or None,
            )
            for i, label in enumerate(labels)
        ),
        visits=tuple((i, form[f"visit_{i}"].data) for i in range(n_visits)),
        records_support=form.records_support.data,
        inspection_needed={"yes": True, "no": False}.get(form.inspection_needed.data),
        remedy=form.remedy.data or None,
    ).to_dict()


def form_data_from_findings(
    findings: dict[str, Any], conclusion: str, facts: dict[str, Any]
) -> dict[str, Any]:
    """Return form data for the opinion form: the expert's findings so far. What the expert has
    not decided stays unset; only the system, the safety flag and the visits start as filed."""
    stored = StoredFindings.from_dict(findings)
    inspection = stored.inspection_needed
    data: dict[str, Any] = {
        "records_support": stored.records_support,
        "inspection_needed": None if inspection is None else ("yes" if inspection else "no"),
        "remedy": stored.remedy or "",
        "reasoning": conclusion,
    }
    for i, (label, problem) in enumerate((facts.get("problems") or {}).items()):
        found = stored.problem(label)
        data[f"quality_{i}"] = found.quality
        data[f"system_{i}"] = found.entered("system", problem.get("system"))
        data[f"safety_{i}"] = found.entered("serious_safety", bool(problem.get("serious_safety")))
        data[f"needs_{i}"] = found.needs_replacing or ""
    for i, event in enumerate(facts.get("events") or []):
        data[f"visit_{i}"] = stored.visit(i, event.get("problem"))
    return data
