"""Form pieces for the contract's facts, shared by the public self-check page and the filing wizard.

Each piece is a section (purchase, warranty card, one problem, one repair visit, ...) that a page
form composes with FormField/FieldList; CSRF sits on the page form only. Turning a form into
facts is cases/facts.py's job; forms check shape, never legal meaning.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError

from disputes.cases.choices import (
    CATEGORY_CHOICES,
    CLAIM_CHOICES,
    DIAGNOSED_BY_CHOICES,
    EXCLUSION_CHOICES,
    FAILURE_CHOICES,
    PART_STATUS_CHOICES,
    POWERTRAIN_CHOICES,
    REPLACEMENT_CHOICES,
    SYSTEM_OR_NONE_CHOICES,
    USE_CHOICES,
)
from disputes.cases.uploads import FILE_LIMIT_MB
from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l

#: Characters a consumer may type around a number ("168,800 元", "2.3万" is not accepted).
_NUMBER_NOISE = re.compile(r"[,，\s元公里kmKM%％]")


def _is_empty(field) -> bool:
    """True when the consumer typed nothing into `field` (and nothing failed to parse)."""
    raw = [v for v in (field.raw_data or []) if isinstance(v, str) and v.strip()]
    return not raw and field.data in (None, "", [])


class Required:
    """DataRequired that names the problem in Chinese and stays quiet on a row left blank."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if getattr(form, "is_blank", None) and form.is_blank():
            field.errors[:] = []
            raise StopValidation()
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            if field.process_errors:
                raise StopValidation()  # keep the "could not read this" message
            field.errors[:] = []
            raise StopValidation(self.message)


class RequiredInRow(Required):
    """Required once the row is used, in a list whose rows may all stay empty: the field carries
    no "必填" marker, since leaving the whole row empty is fine."""

    field_flags: dict[str, bool] = {}


#: Years a date of the facts may fall in (the rules refuse others: rules/fields.py).
FIRST_YEAR, LAST_YEAR = 1900, 2100
#: Largest price the cases' NUMERIC(12, 2) column holds.
MAX_PRICE = Decimal("9999999999.99")


class DayField(DateField):
    """A YYYY-MM-DD date with a message a consumer understands."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("placeholder", "2024-05-18")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            raise ValueError(_l("请按“年-月-日”填写，例如 2024-05-18")) from None
        if not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(
                _l("请填写 %(first)s 年到 %(last)s 年之间的日期", first=FIRST_YEAR, last=LAST_YEAR)
            )


class ClockField(TimeField):
    """An optional HH:MM time of day."""

    def process_formdata(self, valuelist):
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            raise ValueError(_l("请按“时:分”填写，例如 09:30")) from None


class _CleanNumber:
    """Strip thousands separators and units before parsing."""

    def process_formdata(self, valuelist):
        cleaned = [_NUMBER_NOISE.sub("", v) if isinstance(v, str) else v for v in valuelist]
        if not cleaned or cleaned[0] in ("", None):
            self.data = None
            return
        try:
            super().process_formdata(cleaned)
        except ValueError:
            self.data = None
            raise ValueError(_l("请填写数字，例如 12000")) from None


class NumberField(_CleanNumber, DecimalField):
    """A decimal number (money, percentages)."""


class WholeField(_CleanNumber, IntegerField):
    """A whole number (km, years, months, days)."""


class FactsPiece(BaseForm):
    """A section of the facts. Inside a page form (FormField) it has no CSRF field of its own:
    the page form's token covers it; used alone as a page form it keeps BaseForm's CSRF."""

    def __init__(self, *args, **kwargs):
        meta = dict(kwargs.pop("meta", None) or {})
        if meta.get("_parent_form") is not None:
            meta["csrf"] = False
        super().__init__(*args, meta=meta, **kwargs)

    #: Field names whose emptiness makes a list row "left blank" (skipped, not an error).
    blank_fields: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        """Return True for a list row the consumer left empty."""
        return bool(self.blank_fields) and all(_is_empty(self[n]) for n in self.blank_fields)


def _km(label, required=None, **kwargs):
    checks = [Required(required)] if required else [Optional()]
    checks.append(NumberRange(min=0, message=_l("里程不能是负数")))
    checks.append(NumberRange(max=9_999_999, message=_l("里程不能超过 %(max)s 公里")))
    return WholeField(label, checks, **kwargs)


class VehiclePurchaseForm(FactsPiece):
    """Purchase and vehicle (contract: purchase.*, vehicle.*)."""

    invoice_date = DayField(
        _l("购车发票日期"),
        [Required(_l("请填写购车发票上的开票日期"))],
        description=_l("发票上的“开票日期”。三包期限一般从这一天算起。"),
    )
    delivery_date = DayField(
        _l("交车日期"),
        [Optional()],
        description=_l("您实际提车的日期；和发票日期相同可以不填。"),
    )
    price_yuan = NumberField(
        _l("车价款（元）"),
        [
            Required(_l("请填写发票上的车价款")),
            NumberRange(min=Decimal("0.01"), message=_l("车价款必须大于 0")),
            NumberRange(max=MAX_PRICE, message=_l("车价款不能超过 %(max)s 元")),
        ],
        places=2,
        description=_l("发票上的价税合计金额，例如 168800。"),
    )
    has_invoice = BooleanField(_l("我有购车发票"), default=True)
    has_warranty_card = BooleanField(
        _l("我有三包凭证"),
        default=True,
        description=_l("三包凭证一般随车交付，也可能印在保修手册里。"),
    )
    category = SelectField(_l("车辆类型"), choices=CATEGORY_CHOICES, default="passenger")
    use = SelectField(_l("车辆用途"), choices=USE_CHOICES, default="household")
    powertrain = SelectField(_l("动力类型"), choices=POWERTRAIN_CHOICES, default="ice")
    brand = StringField(_l("品牌"), [Optional(), Length(max=100)])
    model = StringField(_l("车型"), [Optional(), Length(max=100)])
    vin = StringField(
        _l("车辆识别代号（VIN）"),
        [Optional(), Length(max=17, message=_l("车辆识别代号是 17 位"))],
        description=_l("行驶证或发票上的 17 位代号；自助评估可以不填。"),
    )


class WearPartForm(FactsPiece):
    """One wear part declared on the warranty card, with its own guarantee."""

    blank_fields = ("name", "months", "km")

    name = StringField(
        _l("易损件名称"),
        [RequiredInRow(_l("请填写易损件名称")), Length(max=100)],
        render_kw={"placeholder": _l("例如 刹车片")},
    )
    months = WholeField(
        _l("质量保证期（月）"),
        [RequiredInRow(_l("请填写月数")), NumberRange(min=0, max=600, message=_l("月数不对"))],
    )
    km = _km(_l("质量保证里程（公里）"), description=_l("凭证没写里程就不填。"))


class WarrantyCardForm(FactsPiece):
    """Terms printed on the 三包凭证 (contract: warranty_card.*); blank means the legal minimum."""

    repair_warranty_years = WholeField(
        _l("包修期（年）"),
        [Optional(), NumberRange(min=0, max=50, message=_l("年数不对"))],
        render_kw={"placeholder": "3"},
        description=_l("法律规定至少 3 年或 6 万公里（以先到者为准）。凭证写得更长才需要填写。"),
    )
    repair_warranty_km = _km(_l("包修里程（公里）"), render_kw={"placeholder": "60000"})
    three_guarantee_years = WholeField(
        _l("三包有效期（年）"),
        [Optional(), NumberRange(min=0, max=50, message=_l("年数不对"))],
        render_kw={"placeholder": "2"},
        description=_l("法律规定至少 2 年或 5 万公里（以先到者为准）。凭证写得更长才需要填写。"),
    )
    three_guarantee_km = _km(_l("三包有效里程（公里）"), render_kw={"placeholder": "50000"})
    compensation_rate_percent = NumberField(
        _l("合理使用补偿系数（%）"),
        [Optional(), NumberRange(min=0, max=10, message=_l("请填写百分数，例如 0.5"))],
        places=None,
        description=_l("凭证上写“0.5%”就填 0.5。不知道可以不填，结果会给出法定范围。"),
    )
    wear_parts = FieldList(FormField(WearPartForm), min_entries=1, max_entries=30)
    special_parts = TextAreaField(
        _l("特殊零部件"),
        [Optional(), Length(max=2000)],
        description=_l("凭证上列出的特殊零部件，每行一个；没有可以不填。"),
    )


class ProblemBasicsForm(FactsPiece):
    """What went wrong (contract: problems.<label>, without the exclusion questions)."""

    blank_fields = ("description",)

    #: The contract's key ("P1", "P2", ...), kept stable while problems are added and removed.
    label = HiddenField()
    system = SelectField(
        _l("出问题的部位"),
        [Required(_l("请选择出问题的部位"))],
        choices=SYSTEM_OR_NONE_CHOICES,
        default="",
    )
    description = StringField(
        _l("问题描述"),
        [Required(_l("请用一句话描述这个问题")), Length(max=500)],
        render_kw={"placeholder": _l("例如 变速器低速顿挫、换挡冲击")},
    )
    serious_safety = BooleanField(
        _l("属于严重安全性能故障"),
        description=_l("维修单或检测报告写明危及人身安全的严重故障时勾选；最终由专家认定。"),
    )
    failure = SelectField(
        _l("是否属于下列情况"), choices=FAILURE_CHOICES, default="", validate_choice=True
    )
    wear_part = StringField(
        _l("涉及的易损件"),
        [Optional(), Length(max=100)],
        description=_l("只有问题出在三包凭证列明的易损件上时才填写，名称要和上面一致。"),
    )


class ExclusionQuestions(FactsPiece):
    """The exclusion questions about one problem, in plain words."""

    quality_problem = BooleanField(
        _l("这是车辆本身的质量问题"),
        default=True,
        description=_l("如果是交通事故、人为损坏等造成的，请取消勾选。"),
    )
    exclusion = SelectField(_l("下列哪种说法符合这个问题"), choices=EXCLUSION_CHOICES, default="")


class ProblemForm(ProblemBasicsForm, ExclusionQuestions):
    """One problem with its exclusion questions (the self-check page asks both at once)."""


class ReplacedPartForm(FactsPiece):
    """A part or assembly replaced during one visit, or found there to need replacing."""

    blank_fields = ("part",)

    assembly = SelectField(
        _l("所属总成/系统"),
        [Required(_l("请选择这个零件属于哪个总成或系统"))],
        choices=SYSTEM_OR_NONE_CHOICES,
        default="",
    )
    part = StringField(
        _l("更换的零件"),
        [Required(_l("请填写更换的零件名称")), Length(max=100)],
        render_kw={"placeholder": _l("例如 阀体；整个换掉就写 变速器总成")},
    )
    main_part = BooleanField(
        _l("是三包凭证列明的主要零件"),
        description=_l("三包凭证上有“主要零件”清单，这个零件在清单里就勾选。"),
    )
    whole_assembly = BooleanField(_l("整个总成都换了（发动机、变速器、电池或电机）"))
    status = SelectField(
        _l("是否已经更换"),
        choices=PART_STATUS_CHOICES,
        default="replaced",
        description=_l(
            "维修站说必须更换，但您没有同意更换或还在等零件的，选“认定需要更换，但还没有换”。"
        ),
    )
    diagnosed_date = DayField(
        _l("认定需要更换的日期"),
        [Optional()],
        description=_l("维修站或检验检测机构认定需要更换的那一天；不填就按这次送修的日期。"),
    )
    diagnosed_by = SelectField(_l("由谁认定需要更换"), choices=DIAGNOSED_BY_CHOICES, default="")

    def is_blank(self) -> bool:
        """A part row is blank when nothing was typed or ticked."""
        return super().is_blank() and not (self.main_part.data or self.whole_assembly.data)


class RepairEventForm(FactsPiece):
    """One repair visit (contract: an entry of `events`)."""

    blank_fields = ("start_date", "end_date", "odometer_km")

    problem = SelectField(_l("这次修的是哪个问题"), choices=[], validate_choice=False)
    start_date = DayField(
        _l("送修日期"),
        [Required(_l("请填写送修日期"))],
        description=_l("您和维修站在维修单上签字的日期。"),
    )
    start_time = ClockField(
        _l("送修时间"), [Optional()], description=_l("维修单上有时间就填，例如 09:30。")
    )
    end_date = DayField(
        _l("通知取车日期"),
        [],
        description=_l("维修站通知您取车的日期。"),
    )
    end_time = ClockField(_l("通知取车时间"), [Optional()])
    in_workshop = BooleanField(_l("车还在维修站，没有修好"))
    odometer_km = _km(_l("送修时的里程（公里）"), _l("请填写送修时的里程表读数"))
    fault_found = BooleanField(
        _l("维修站查出了故障"),
        default=True,
        description=_l("检查后说“未发现故障”的，请取消勾选：这一次不算修理。"),
    )
    resolved = BooleanField(
        _l("这次修好了"),
        default=True,
        description=_l("修完后问题仍然存在，请取消勾选。"),
    )
    replaced = FieldList(FormField(ReplacedPartForm), min_entries=0, max_entries=20)
    special_parts_transport_days = WholeField(
        _l("其中等待特殊零部件运输的天数"),
        [Optional(), NumberRange(min=0, max=999, message=_l("天数不能是负数"))],
        default=0,
    )
    rescue_travel_days = WholeField(
        _l("其中外出救援路途的天数"),
        [Optional(), NumberRange(min=0, max=999, message=_l("天数不能是负数"))],
        default=0,
    )
    battery_transport_days = WholeField(
        _l("其中动力蓄电池运输的天数"),
        [Optional(), NumberRange(min=0, max=999, message=_l("天数不能是负数"))],
        default=0,
    )

    def is_blank(self) -> bool:
        """A visit row is blank when no date, odometer or part was typed."""
        return super().is_blank() and not any(not e.form.is_blank() for e in self.replaced)

    def validate_problem(self, field):
        """The visit must point at one of the problems listed above."""
        if self.is_blank():
            return
        if not field.data or field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("请选择这次修的是哪个问题"))

    def validate_end_date(self, field):
        """A visit ends after it starts, or is still going on."""
        if self.is_blank():
            return
        if field.data is None and not self.in_workshop.data and not field.process_errors:
            raise ValidationError(_l("请填写通知取车日期；如果车还在维修站，请勾选下面的选项"))
        start = self.start_date.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("取车日期不能早于送修日期"))

    def validate_end_time(self, field):
        """On a same-day visit the pick-up time comes after the drop-off time."""
        same_day = self.end_date.data and self.end_date.data == self.start_date.data
        if same_day and field.data and self.start_time.data and field.data < self.start_time.data:
            raise ValidationError(_l("取车时间不能早于送修时间"))


class AsOfForm(FactsPiece):
    """The day and odometer at which the claim is assessed (contract: as_of)."""

    date = DayField(
        _l("评估日期"),
        [Required(_l("请填写评估日期"))],
        description=_l("一般填您向商家提出书面要求的日期；没有提出就填今天。"),
    )
    odometer_km = _km(_l("当天的里程（公里）"), _l("请填写当天的里程表读数"))


class ClaimForm(FactsPiece):
    """What the consumer asks for (contract: claim, written_request_date, replacement_available)."""

    written_request_date = DayField(
        _l("书面要求送达商家的日期"),
        [Optional()],
        description=_l("您以书面形式要求换车或退车、商家收到的日期；还没提就不填。"),
    )
    claim = SelectField(_l("您想要求"), choices=CLAIM_CHOICES, default="")
    replacement_available = SelectField(
        _l("商家现在有车可换吗"), choices=REPLACEMENT_CHOICES, default=""
    )


class SelfCheckForm(BaseForm):
    """The public self-check page: every section of the facts on one page."""

    purchase = FormField(VehiclePurchaseForm, label=_l("购车与车辆"))
    warranty = FormField(WarrantyCardForm, label=_l("三包凭证"))
    problems = FieldList(
        FormField(ProblemForm), label=_l("出现的问题"), min_entries=1, max_entries=20
    )
    events = FieldList(
        FormField(RepairEventForm), label=_l("维修记录"), min_entries=1, max_entries=60
    )
    as_of = FormField(AsOfForm, label=_l("评估时点"))
    claim = FormField(ClaimForm, label=_l("你的要求"))

    def prepare(self) -> None:
        """Give every problem a label and offer those labels in each visit's problem select."""
        prepare_problem_choices(self.problems, self.events)

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then that each visit's problem has been described."""
        fields_ok = super().validate(extra_validators)
        return check_problem_references(self.problems, self.events) and fields_ok


def prepare_problem_choices(problems: FieldList, events: FieldList) -> None:
    """Label unlabelled problems P1, P2, ... and set each visit's choice of problem."""
    used = {e.form.label.data for e in problems if e.form.label.data}
    number = 1
    for entry in problems:
        if not entry.form.label.data:
            while f"P{number}" in used:
                number += 1
            entry.form.label.data = f"P{number}"
            used.add(entry.form.label.data)
    choices = [SelectChoice("", _l("请选择"))]
    for entry in problems:
        label, text = entry.form.label.data, (entry.form.description.data or "").strip()[:24]
        choices.append(SelectChoice(label, f"{label} {text}".strip()))
    for entry in events:
        entry.form.problem.choices = list(choices)
        if entry.form.problem.data is None and len(choices) > 1:
            entry.form.problem.data = choices[1].value


def check_problem_references(problems: FieldList, events: FieldList) -> bool:
    """Flag a problem left blank while a visit names it; return False when one was flagged."""
    named = {e.form.problem.data for e in events if not e.form.is_blank()}
    ok = True
    for entry in problems:
        if entry.form.is_blank() and entry.form.label.data in named:
            entry.form.description.errors = [_l("请用一句话描述这个问题（下面的维修记录选了它）")]
            ok = False
    if not ok:
        problems.errors = [entry.errors for entry in problems.entries]
    return ok


#: The list-editing buttons: value of the submit button named "action" → (list path, verb).
ACTION_PATTERN = re.compile(r"^(add|remove)_(problem|event|wear_part|part)(?:-(\d+))?(?:-(\d+))?$")


def apply_list_action(form, action: str) -> bool:
    """Add or remove one row as the pressed button asks; return False for an unknown action.

    Buttons are `<button name="action" value="add_event">`, `remove_event-2`, `add_part-1`
    (a part on visit 1), `remove_part-1-0`, `add_wear_part`, `remove_wear_part-0`, ...
    Works on any form with the same field names (self-check page, wizard steps).
    """
    match = ACTION_PATTERN.match(action or "")
    if not match:
        return False
    verb, what, first, second = match.groups()
    target = _list_of(form, what, first)
    index = second if what == "part" else first
    if target is None:
        return False
    if verb == "add":
        if target.max_entries and len(target.entries) >= target.max_entries:
            return True
        target.append_entry()
    else:
        if index is None or int(index) >= len(target.entries):
            return False
        removed = target.pop_entry(int(index))
        if what == "problem":
            _forget_problem(form, removed.form.label.data)
        while len(target.entries) < target.min_entries:
            target.append_entry()
    if hasattr(form, "prepare"):
        form.prepare()
    return True


def _list_of(form, what: str, visit: str | None) -> FieldList | None:
    """Return the list a list button edits ("part" lists are per visit), or None."""
    if what == "part":
        if visit is None or int(visit) >= len(form.events.entries):
            return None
        return form.events.entries[int(visit)].form.replaced
    if what == "wear_part":
        warranty = getattr(form, "warranty", None)
        return warranty.form.wear_parts if warranty is not None else None
    return getattr(form, {"problem": "problems", "event": "events"}[what], None)


def added_row(form, action: str) -> BaseForm | None:
    """Return the row an "add_…" button appended (the last of its list), or None."""
    match = ACTION_PATTERN.match(action or "")
    if not match or match.group(1) != "add":
        return None
    target = _list_of(form, match.group(2), match.group(3))
    return target.entries[-1].form if target is not None and target.entries else None


def focus_first_field(row: BaseForm | None) -> None:
    """Put the keyboard focus on the first field of `row` once the page shows it (autofocus)."""
    for field in row or ():
        if field.type not in ("HiddenField", "CSRFTokenField"):
            field.render_kw = {**(field.render_kw or {}), "autofocus": True}
            return


def _forget_problem(form, label: str | None) -> None:
    """Visits that pointed at a removed problem must be reassigned by the consumer."""
    for entry in getattr(form, "events", []):
        if entry.form.problem.data == label:
            entry.form.problem.data = ""


class EvidenceForm(BaseForm):
    """Files a consumer adds to a filed case, of one kind, with a note (choices from the view)."""

    kind = SelectField(_l("这是什么材料"), choices=[], default="other")
    note = TextAreaField(
        _l("说明"),
        [Optional(), Length(max=1000)],
        description=_l("例如：三包凭证原件的照片，提交申请时还没有拍。"),
    )
    #: Flask-WTF's field: only uploaded files count (a text part named "files" is no file).
    files = MultipleFileField(
        _l("选择文件"),
        description=_l(
            "PDF、JPG 或 PNG，每个文件不超过 %(mb)s MB；可以一次选多个。", mb=FILE_LIMIT_MB
        ),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )

    def chosen_files(self) -> list:
        """The files actually chosen (a browser posts an empty part when none is)."""
        return [f for f in self.files.data or [] if f and f.filename]

    def validate_files(self, field: MultipleFileField) -> None:
        if not self.chosen_files():
            raise ValidationError(_l("请选择要上传的文件"))
