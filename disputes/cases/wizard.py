"""The filing wizard's seven steps: their page forms, built from the shared fact pieces.

Forms check shape only; what the facts mean is rules/'s business (via cases/facts.py). Binding a
step to its saved values and merging the steps into facts is cases/wizard_state.py's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from disputes.calendar import local_day
from disputes.cases.forms import (
    AsOfForm,
    ClaimForm,
    FactsPiece,
    ProblemBasicsForm,
    RepairEventForm,
    Required,
    VehiclePurchaseForm,
    WarrantyCardForm,
    check_problem_references,
    prepare_problem_choices,
)
from disputes.cases.vocabulary import ATTACHMENT_KIND_LABELS, AttachmentKind
from disputes.forms import BaseForm, options
from disputes.i18n import lazy_gettext as _l

__all__ = [
    "BY_KIND",
    "LAST_STEP",
    "STEPS",
    "Step",
    "StepKind",
    "check_vin",
    "exclusion_of",
    "step_numbered",
    "vin_check_digit",
]


# --- VIN (ISO 3779 / GB 16735) check digit --------------------------------------------------------

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_SHAPE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


def vin_check_digit(vin: str) -> str | None:
    """Return the check digit (position 9) `vin` should carry, or None if it is not VIN-shaped."""
    vin = vin.upper()
    if not _VIN_SHAPE.match(vin):
        return None
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def fails_check_digit(vin: str | None) -> bool:
    """True for a well-formed VIN whose 9th character is not its check digit."""
    vin = (vin or "").strip().upper().replace(" ", "")
    expected = vin_check_digit(vin)
    return expected is not None and vin[8] != expected


class CheckDigitMismatch(ValidationError):
    """The VIN is well formed but its 9th character is not the ISO 3779 check digit."""


def check_vin(field) -> None:
    """Raise ValidationError with a consumer's explanation when `field` is not a valid VIN."""
    vin = (field.data or "").strip().upper().replace(" ", "")
    field.data = vin
    if len(vin) != 17:
        raise ValidationError(_l("车辆识别代号是 17 位，您填了 %(n)s 位", n=len(vin)))
    if set(vin) & set("IOQ"):
        raise ValidationError(_l("车辆识别代号里没有字母 I、O、Q，请检查是不是数字 1 或 0"))
    expected = vin_check_digit(vin)
    if expected is None:
        raise ValidationError(_l("车辆识别代号只能包含数字和大写字母"))
    if vin[8] != expected:
        raise CheckDigitMismatch(
            _l(
                "车辆识别代号第 9 位校验位不对，请对照行驶证逐位核对（可能有一位抄错了）；"
                "如果核对后与行驶证完全一致，请勾选下方的确认框"
            )
        )


# --- step 1: vehicle and purchase ---------------------------------------------------------------


class VehicleStepForm(BaseForm):
    """Step 1: the car and its purchase."""

    purchase = FormField(VehiclePurchaseForm)
    #: Reading: a check-digit mismatch is almost always a typo, but the document is what counts:
    #: the consumer may confirm a VIN that matches the vehicle licence exactly.
    vin_confirmed = BooleanField(_l("我已对照行驶证逐位核对，车辆识别代号与行驶证完全一致"))

    #: Field ids in the order the page shows them, where it differs from the declaration order.
    page_order = ("purchase-brand", "purchase-model", "purchase-vin", "vin_confirmed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: True when the page must offer the confirmation box (a check-digit mismatch).
        self.asks_vin_confirmation = bool(self.vin_confirmed.data) or fails_check_digit(
            self.purchase.form.vin.data
        )
        for name in ("brand", "model", "vin"):
            self.purchase.form[name].flags.required = True  # filing needs them; self-check not

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        p = self.purchase.form
        for name, message in (("brand", _l("请填写品牌")), ("model", _l("请填写车型"))):
            if not (p[name].data or "").strip():
                p[name].errors = [*p[name].errors, message]
                ok = False
        if not p.vin.errors:
            try:
                check_vin(p.vin)
            except CheckDigitMismatch as error:
                self.asks_vin_confirmation = True
                if not self.vin_confirmed.data:
                    p.vin.errors = [*p.vin.errors, str(error)]
                    ok = False
            except ValidationError as error:
                p.vin.errors = [*p.vin.errors, str(error)]
                ok = False
        invoice, delivery = p.invoice_date.data, p.delivery_date.data
        if invoice and delivery and delivery < invoice:
            p.delivery_date.errors = [*p.delivery_date.errors, _l("交车日期不能早于发票日期")]
            ok = False
        if invoice and invoice > local_day():
            p.invoice_date.errors = [*p.invoice_date.errors, _l("发票日期不能晚于今天")]
            ok = False
        return ok


# --- step 2: warranty card ----------------------------------------------------------------------


class WarrantyStepForm(BaseForm):
    """Step 2: the terms printed on the warranty card."""

    warranty = FormField(WarrantyCardForm)


#: The legal minimums shown prefilled on step 2 (both the 2013 and the 2022 rules).
WARRANTY_DEFAULTS = {
    "warranty": {
        "repair_warranty_years": 3,
        "repair_warranty_km": 60000,
        "three_guarantee_years": 2,
        "three_guarantee_km": 50000,
        "wear_parts": [{}],
    }
}


# --- step 3: problems and repair visits ---------------------------------------------------------


class ProblemsStepForm(BaseForm):
    """Step 3: the problems and every repair visit."""

    problems = FieldList(
        FormField(ProblemBasicsForm), label=_l("出现的问题"), min_entries=1, max_entries=20
    )
    events = FieldList(
        FormField(RepairEventForm), label=_l("维修记录"), min_entries=1, max_entries=60
    )

    def prepare(self) -> None:
        prepare_problem_choices(self.problems, self.events)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = check_problem_references(self.problems, self.events) and ok
        if all(entry.form.is_blank() for entry in self.problems):
            first = self.problems.entries[0].form.description
            first.errors = [*first.errors, _l("请至少描述一个问题")]
            ok = False
        return check_odometer_order(self.events) and ok


def check_odometer_order(events: FieldList) -> bool:
    """Flag a visit whose odometer reads less than an earlier visit's; False when flagged."""
    visits = [
        e.form
        for e in events
        if not e.form.is_blank() and e.form.start_date.data and e.form.odometer_km.data is not None
    ]
    visits.sort(key=lambda f: (f.start_date.data, f.start_time.data or date.min))
    ok, highest, when = True, None, None
    for f in visits:
        if highest is not None and f.odometer_km.data < highest:
            f.odometer_km.errors = [
                *f.odometer_km.errors,
                _l(
                    "里程不能倒退：%(day)s 那次维修时已经是 %(km)s 公里，请核对维修单",
                    day=when.isoformat(),
                    km=highest,
                ),
            ]
            ok = False
        else:
            highest, when = f.odometer_km.data, f.start_date.data
    return ok


# --- step 4: the exclusion questions ------------------------------------------------------------

YES_NO = options([("no", _l("否，没有")), ("yes", _l("是，有"))])
#: Every declaration is the consumer's own answer: none is preset, and each must be given.
ANSWER_NEEDED = _l("请选择“是”或“否”")


def _declaration(question) -> RadioField:
    return RadioField(question, [Required(ANSWER_NEEDED)], choices=YES_NO)


class ExclusionAnswersForm(FactsPiece):
    """Step 4, one problem: plain questions whose answers become `exclusion`/`quality_problem`."""

    label = HiddenField()
    disclosed = _declaration(
        _l("买车时，商家有没有书面告诉过您车有这个毛病（写在合同、发票或告知书上）？")
    )
    modified = _declaration(_l("您有没有自己改装、调整或拆卸过出问题的部件？"))
    accident = _declaration(_l("这个问题是不是交通事故、碰撞、泡水等意外造成的？"))
    misuse = _declaration(
        _l("这个问题是不是因为使用或保养不符合说明书的要求，或者问题出现后自己处理不当造成的？")
    )


class ExclusionStepForm(BaseForm):
    """Step 4: the exclusion questions, per problem, plus commercial use of the car."""

    commercial = RadioField(
        _l("这辆车有没有用于营运（出租车、网约车、租赁、拉货挣钱等）？"),
        [Required(ANSWER_NEEDED)],
        choices=YES_NO,
        description=_l("营运车辆不适用家用汽车三包规定，但仍可以按合同和其他法律要求商家负责。"),
    )
    answers = FieldList(FormField(ExclusionAnswersForm), min_entries=0, max_entries=20)


def exclusion_of(answers: dict[str, Any]) -> tuple[str | None, bool]:
    """Return (contract exclusion, quality_problem) for one problem's answers."""
    exclusion = None
    for key, value in (
        ("disclosed", "disclosed_defect"),
        ("modified", "modification"),
        ("misuse", "improper_use_or_maintenance"),
    ):
        if answers.get(key) == "yes":
            exclusion = value
            break
    return exclusion, answers.get("accident") != "yes"


# --- step 5: claim, the business, the consumer --------------------------------------------------

BUSINESS_ROLE_CHOICES = options(
    [
        ("seller", _l("销售者（4S 店、经销商）")),
        ("manufacturer", _l("生产者（汽车厂家）")),
        ("repairer", _l("修理者（维修站）")),
    ]
)


class BusinessContactForm(FactsPiece):
    """The business disputed and how to reach the consumer (not contract facts)."""

    business_name = StringField(
        _l("商家名称"),
        [Required(_l("请填写您要投诉的商家名称")), Length(max=200)],
        description=_l("发票或合同上的名称，例如 某某汽车销售服务有限公司。"),
    )
    business_role = SelectField(_l("商家是"), choices=BUSINESS_ROLE_CHOICES, default="seller")
    business_contact = StringField(
        _l("商家联系方式"),
        [Optional(), Length(max=200)],
        description=_l("电话或地址，知道就填。"),
    )
    contact_name = StringField(_l("您的姓名"), [Required(_l("请填写您的姓名")), Length(max=100)])
    contact_phone = StringField(
        _l("您的手机号"),
        [
            Required(_l("请填写手机号，我们会用它联系您")),
            Regexp(r"^1\d{10}$", message=_l("请填写 11 位手机号，例如 13912345678")),
        ],
    )
    contact_id_number = StringField(
        _l("身份证号"),
        [
            Optional(),
            Regexp(r"^\d{17}[\dXx]$", message=_l("身份证号是 18 位，最后一位可能是 X")),
        ],
        description=_l("可以不填；只有工作人员能看到。"),
    )
    contact_address = StringField(_l("通讯地址"), [Optional(), Length(max=200)])
    claim_text = TextAreaField(
        _l("用您自己的话说说您的要求"),
        [Optional(), Length(max=4000)],
        description=_l("例如：变速器修了四次还顿挫，要求退车。"),
    )


class ClaimStepForm(BaseForm):
    """Step 5: what the consumer asks for, from whom, and how to reach them."""

    claim = FormField(ClaimForm)
    as_of = FormField(AsOfForm)
    details = FormField(BusinessContactForm)

    #: The highest odometer reading of the repair visits (set by the view from step 3).
    last_visit_km: int | None = None
    #: The request in the consumer's words is shown with the claim, before the assessment date.
    page_order = (
        "claim-claim",
        "claim-replacement_available",
        "claim-written_request_date",
        "details-claim_text",
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        km = self.as_of.form.odometer_km
        if self.last_visit_km is not None and km.data is not None and km.data < self.last_visit_km:
            km.errors = [
                *km.errors,
                _l("里程不能倒退：最后一次维修时已经是 %(km)s 公里", km=self.last_visit_km),
            ]
            ok = False
        return ok


# --- step 6: evidence, step 7: review -----------------------------------------------------------

KIND_CHOICES = options((k.value, _l(ATTACHMENT_KIND_LABELS[k])) for k in AttachmentKind)


class EvidenceStepForm(BaseForm):
    """Step 6: upload invoice, warranty card, repair orders, photos."""

    kind = SelectField(_l("这是什么材料"), choices=KIND_CHOICES, default="repair_order")
    #: Its hint names the configured limits (set by the view).
    files = MultipleFileField(
        _l("选择文件"),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )


class ReviewStepForm(BaseForm):
    """Step 7: the consent to the expert panel, then submit."""

    consent = BooleanField(
        _l(
            "我同意由技术咨询专家参与处理这起争议，并同意专家查阅本案的车辆和维修材料（不含我的个人信息）"
        ),
        [InputRequired(_l("提交前请勾选同意专家参与；不同意就无法安排技术咨询"))],
    )


# --- the step table -----------------------------------------------------------------------------


class StepKind(StrEnum):
    """What a step asks for; code names steps by kind, URLs and saved drafts by number."""

    vehicle = "vehicle"
    warranty = "warranty"
    problems = "problems"
    answers = "answers"
    claim = "claim"
    evidence = "evidence"
    review = "review"


@dataclass(frozen=True, slots=True)
class Step:
    """One wizard step: its number (in URLs and a draft's saved data), kind, name and page form."""

    number: int
    kind: StepKind
    name: Any
    form_class: type[BaseForm]
    #: Its lists have add/remove buttons, which save the step and show it again.
    has_rows: bool = False
    #: Its saved values must pass their checks before the case can be filed.
    checked_at_review: bool = True

    @property
    def key(self) -> str:
        """The key of its values in a draft's saved data."""
        return str(self.number)


STEPS: tuple[Step, ...] = (
    Step(1, StepKind.vehicle, _l("车辆和购买"), VehicleStepForm),
    Step(2, StepKind.warranty, _l("三包凭证"), WarrantyStepForm, has_rows=True),
    Step(3, StepKind.problems, _l("问题和维修"), ProblemsStepForm, has_rows=True),
    Step(4, StepKind.answers, _l("使用情况"), ExclusionStepForm),
    Step(5, StepKind.claim, _l("要求和联系方式"), ClaimStepForm),
    Step(6, StepKind.evidence, _l("上传材料"), EvidenceStepForm, checked_at_review=False),
    Step(7, StepKind.review, _l("核对并提交"), ReviewStepForm, checked_at_review=False),
)
LAST_STEP = len(STEPS)
#: The steps by kind.
BY_KIND: dict[StepKind, Step] = {step.kind: step for step in STEPS}


def step_numbered(number: int) -> Step:
    """Return the step with this number (1 to LAST_STEP)."""
    return STEPS[number - 1]


_GO_TO = re.compile(r"^go_to-(\d+)$")


def step_of_go_to(action: str) -> int | None:
    """Return the step a "go_to-<n>" button leads to (the step is saved first), or None."""
    match = _GO_TO.match(action or "")
    if match is None or not 1 <= int(match.group(1)) <= LAST_STEP:
        return None
    return int(match.group(1))
