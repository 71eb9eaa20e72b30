"""Downloads for staff: the rows of the case list and of the statistics (written as CSV/XLSX by
disputes/spreadsheets.py).

Exports mask name, phone, ID number and VIN (policy: disputes/privacy/masking.py) unless the staff
member ticked "导出完整个人信息" (the view audits that as personal_data.exported).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from flask_babel import gettext

from disputes.calendar import utc_offset
from disputes.cases.models import CaseOutcome
from disputes.cases.outcomes import OUTCOME_LABELS
from disputes.formatting import N_, status_label, system_label
from disputes.privacy.masking import mask_id, mask_name, mask_phone, mask_vin
from disputes.staff.business_stats import BusinessView, Settlement
from disputes.staff.search import ExportRow
from disputes.staff.stats import OVERALL, Statistics

CASE_COLUMNS = (
    "案件编号",
    "状态",
    "提交日期",
    "消费者",
    "联系电话",
    "身份证号",
    "品牌",
    "车型",
    "VIN",
    "经营者",
    "处理结果",
)


def case_rows(cases: Iterable[ExportRow], *, full: bool) -> Iterable[list[str]]:
    """Yield one row per case in CASE_COLUMNS order (masked unless `full`).

    A download may hold every case: each status is translated once and the bureau's offset
    from UTC read once, not per row (the two took most of a row's time).
    """
    status = functools.cache(status_label)
    offset = utc_offset()
    for c in cases:
        yield [
            c.number,
            status(c.status),
            (c.submitted_at + offset).date().isoformat(),
            c.contact_name if full else mask_name(c.contact_name),
            c.contact_phone if full else mask_phone(c.contact_phone),
            (c.contact_id_number or "") if full else mask_id(c.contact_id_number),
            c.brand,
            c.model,
            c.vin if full else mask_vin(c.vin),
            c.business_name,
            _outcome_label(c.outcome),
        ]


STATS_HEADER = ("表", "项目", "指标", "数值")
#: Names of the measures in the statistics download (msgids).
MEASURES = {
    "cases": N_("案件数"),
    "closed": N_("已结案"),
    "compensation_yuan": N_("赔偿金额合计（元）"),
    "mean_working_days": N_("平均工作日"),
    "closed_cases": N_("结案数"),
    "median_working_days": N_("中位数（工作日）"),
    "p90_working_days": N_("第 90 百分位（工作日）"),
    "active": N_("在办"),
    "total": N_("累计分派"),
    "opinions_done": N_("已出具意见"),
    "on_time": N_("按期"),
    "settled": N_("和解结案"),
    "settlement_rate": N_("和解率"),
    "answered": N_("已答复案件"),
    "mean_answer_days": N_("平均答复工作日"),
    "median_answer_days": N_("答复工作日中位数"),
    "p90_answer_days": N_("答复工作日第 90 百分位"),
}


def stats_rows(stats: Statistics) -> list[tuple[str, str, str, object]]:
    """Flatten every figure of the statistics page into (table, item, measure, value) rows,
    every state, system, outcome and measure in words."""
    m = {key: gettext(label) for key, label in MEASURES.items()}
    rows: list[tuple[str, str, str, object]] = []
    for month, counts in stats.months.items():
        for status, n in sorted(counts.items()):
            rows.append(("按月份和状态", month, status_label(status), n))
    for brand, n, closed in stats.brands:
        rows += [("按品牌", brand, m["cases"], n), ("按品牌", brand, m["closed"], closed)]
    for system, n in stats.systems:
        rows.append(("按系统", system_label(system), m["cases"], n))
    for outcome, n, paid, mean in stats.outcomes:
        name = _outcome_label(outcome)
        rows += [
            ("处理结果", name, m["cases"], n),
            ("处理结果", name, m["compensation_yuan"], paid),
        ]
        rows.append(("处理结果", name, m["mean_working_days"], mean))
    for d in stats.durations:
        label = gettext(d.label) if d.label == OVERALL else d.label
        rows += [("办理时长", label, m["closed_cases"], d.count)]
        rows += [("办理时长", label, m["median_working_days"], d.median)]
        rows += [("办理时长", label, m["p90_working_days"], d.p90)]
    for e in stats.experts:
        for measure in ("active", "total", "opinions_done", "on_time"):
            rows.append(("专家工作量", f"{e.code} {e.name}", m[measure], getattr(e, measure)))
    return rows


def _outcome_label(outcome: object) -> str:
    """Translate a CaseOutcome (or its value) into words; empty for none."""
    if not outcome:
        return ""
    label = OUTCOME_LABELS.get(CaseOutcome(str(getattr(outcome, "value", outcome))))
    return gettext(label) if label else str(outcome)


def business_rows(view: BusinessView) -> list[tuple[str, str, str, object]]:
    """Flatten the business view (every business, every brand) into the download's rows."""
    m = {key: gettext(label) for key, label in MEASURES.items()}
    rows: list[tuple[str, str, str, object]] = []
    for f in view.businesses:
        s, a = f.settlement, f.answers
        rows += [("按经营者", s.label, m[k], v) for k, v in _settlement(s)]
        rows += [
            ("按经营者", s.label, m["answered"], a.answered),
            ("按经营者", s.label, m["median_answer_days"], a.median),
            ("按经营者", s.label, m["p90_answer_days"], a.p90),
            ("按经营者", s.label, m["mean_answer_days"], a.mean),
        ]
    for s in view.brands:
        rows += [("品牌和解率", s.label, m[k], v) for k, v in _settlement(s)]
    return rows


def _settlement(s: Settlement) -> list[tuple[str, object]]:
    rate = None if s.rate is None else round(s.rate * 100, 1)
    return [
        ("cases", s.cases),
        ("closed", s.closed),
        ("settled", s.settled),
        ("settlement_rate", rate),
    ]
