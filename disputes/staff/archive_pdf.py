"""The archive copy of a case as PDF: facts, assessment, routing, opinions, outcome, timeline."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from disputes import pdf
from disputes.assessment_words import REGIME_NAMES, REMEDY_NAMES
from disputes.audit import AuditEvent
from disputes.cases.models import Case, CaseOutcome
from disputes.cases.outcomes import OUTCOME_LABELS
from disputes.cited_articles import appendix
from disputes.formatting import (
    N_,
    action_label,
    assignment_status_label,
    attachment_kind_label,
    format_date,
    format_datetime,
    format_money,
    opinion_status_label,
    status_label,
    system_label,
)
from disputes.privacy.masking import mask_id, mask_name, mask_phone, mask_vin
from disputes.staff.intake import intake_rows
from disputes.staff.queries import CaseFile


def render_case_pdf(case: Case, file: CaseFile, assessment: dict[str, Any] | None, *, full: bool):
    """Return the PDF bytes of the case file (name, phone, ID and VIN masked unless `full`)."""
    title = f"案件档案 {case.number}"
    out: list = [
        pdf.heading(title),
        *_basics(case, full=full),
        *_problems_and_repairs(case),
        pdf.section("规则评估"),
        *_assessment(assessment),
        *_assignments(file),
        *_opinions(file),
        *_outcome(file),
        *_timeline(file),
        *appendix(assessment),
    ]
    return pdf.render(title, out, footer=title)


def _basics(case: Case, *, full: bool) -> list:
    """The case, the consumer and the vehicle; personal details masked unless `full`."""
    name = case.contact_name if full else mask_name(case.contact_name)
    phone = case.contact_phone if full else mask_phone(case.contact_phone)
    id_number = (case.contact_id_number or "") if full else mask_id(case.contact_id_number)
    vin = case.vin if full else mask_vin(case.vin)
    return [
        pdf.section("基本情况"),
        pdf.table(
            [
                ["项目", "内容"],
                ["案件编号", case.number],
                ["状态", status_label(case.status)],
                ["提交时间", format_datetime(case.submitted_at)],
                *intake_rows(case, full=full),
                ["消费者", name],
                ["联系电话", phone],
                ["身份证号", id_number or "—"],
                ["车辆", f"{case.brand} {case.model}"],
                ["VIN", vin],
                ["购车发票日期", format_date(case.invoice_date)],
                ["车价", format_money(case.price_yuan)],
                ["经营者", case.business_name],
                ["消费者诉求", case.claim_text],
            ],
            widths=[90, 380],
        ),
    ]


def _problems_and_repairs(case: Case) -> list:
    """The problems claimed, then the repair visits in order."""
    return [
        pdf.section("故障与维修"),
        pdf.table(
            [["问题", "系统", "描述"]]
            + [[p.label, system_label(p.system), p.description] for p in case.problems],
            widths=[50, 90, 330],
        ),
        pdf.spacer(2),
        pdf.table(
            [["序号", "问题", "开始", "结束", "里程(km)"]]
            + [
                [
                    e.position + 1,
                    e.problem.label,
                    format_date(e.start_date),
                    format_date(e.end_date),
                    e.odometer_km,
                ]
                for e in case.repair_events
            ],
        ),
    ]


def _assignments(file: CaseFile) -> list:
    """Every expert the case was assigned to, with the assignment's status and reason."""
    return [
        pdf.section("专家分派"),
        pdf.table(
            [["专家", "状态", "分派时间", "理由"]]
            + [
                [
                    a.expert.code,
                    assignment_status_label(a.status),
                    format_datetime(a.assigned_at),
                    a.reason,
                ]
                for a in file.assignments
            ],
            widths=[50, 60, 90, 270],
        ),
    ]


def _opinions(file: CaseFile) -> list:
    """One line per opinion version: who, which version, its status, when signed, conclusion."""
    return [pdf.section("专家意见")] + [
        pdf.text(
            f"{o.expert.code} 第 {o.version} 版（{opinion_status_label(o.status)}，签署 "
            f"{format_datetime(o.signed_at)}）：{o.conclusion}"
        )
        for o in file.opinions
    ]


def _outcome(file: CaseFile) -> list:
    """The recorded outcome, or nothing while the case has none."""
    r = file.outcome
    if not r:
        return []
    return [
        pdf.section("处理结果"),
        pdf.text(
            f"{OUTCOME_LABELS[r.outcome]}；{r.remedy_text}；"
            f"赔偿 {format_money(r.compensation_yuan)}；"
            f"结案 {format_date(r.closed_on)}，历时 {r.working_days} 个工作日"
        ),
    ]


def _timeline(file: CaseFile) -> list:
    """The audit trail: when, what, who (the system when nobody), and its details in words."""
    return [
        pdf.section("办理过程"),
        pdf.table(
            [["时间", "操作", "人员", "内容"]]
            + [
                [
                    format_datetime(e.at),
                    action_label(e.action),
                    u.name if u else "系统",
                    _summary(e),
                ]
                for e, u in file.timeline
            ],
            widths=[90, 130, 70, 180],
        ),
    ]


def _assessment(assessment: dict[str, Any] | None) -> list:
    if not assessment:
        return [pdf.text("（事实不完整，无法评估）")]
    rows = [["救济", "依据", "条款"]]
    for r in assessment.get("remedies") or []:
        rows.append(
            [_word(REMEDY_NAMES, r.get("remedy")), r.get("basis", ""), r.get("article", "")]
        )
    deadlines = assessment.get("deadlines") or {}
    regime = assessment.get("regime")
    return [
        pdf.text(assessment.get("explanation") or ""),
        pdf.text(
            f"适用规定：{_word(REGIME_NAMES, regime) if regime else '不适用三包规定'}；"
            f"经营者书面答复期限：{deadlines.get('written_answer_due') or '—'}"
        ),
        pdf.table(rows),
    ]


def _word(table: dict[str, str], code: str | None) -> str:
    return gettext(table[code]) if code in table else (code or "")


#: What the timeline's audit details are called (the rest are shown by value only).
DETAIL_NAMES = {
    "reason": N_("理由"),
    "reasons": N_("理由"),
    "version": N_("版本"),
    "expert_code": N_("专家"),
    "sha256": "SHA-256",
    "outcome": N_("结果"),
    "summary": N_("内容"),
    "channel": N_("方式"),
    "responded_on": N_("答复日期"),
    "kind": N_("类别"),
    "party": N_("提出方"),
    "body": N_("备注"),
}


def _summary(event: AuditEvent) -> str:
    """The audit event's details in words: a status change as "from → to：reason"."""
    after = event.after or {}
    if event.action == "case.status_changed":
        before = (event.before or {}).get("status")
        moved = f"{status_label(before)} → {status_label(after.get('status'))}"
        return moved + (f"：{after['reason']}" if after.get("reason") else "")
    return "；".join(
        f"{gettext(DETAIL_NAMES[k])}：{_value(k, v)}" if k in DETAIL_NAMES else str(v)
        for k, v in after.items()
        if v not in (None, "", [], {})
    )


def _value(key: str, value: Any) -> str:
    if key == "outcome" and value in {o.value for o in OUTCOME_LABELS}:
        return gettext(OUTCOME_LABELS[CaseOutcome(value)])
    if key == "kind":
        return attachment_kind_label(value)
    return str(value)
