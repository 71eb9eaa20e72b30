"""The opinion letter as a PDF (disputes/pdf.py building blocks): bureau heading, case number,
findings, legal consequences with citations (from the re-computed assessment), signature, digest.

Never the consumer's personal data: only the case's technical facts and the expert's findings.
"""

from __future__ import annotations

from typing import Any

from disputes import pdf
from disputes.assessment_words import REGIME_NAMES, REMEDY_NAMES
from disputes.cited_articles import appendix
from disputes.experts.findings import Findings, in_words
from disputes.experts.routing import SYSTEM_NAMES
from disputes.formatting import format_datetime


def citation(basis: str | None, article: str | None) -> str:
    """Return "依据《…》第…条（basis）" for one remedy or exclusion."""
    if not basis:
        return "不属于产品质量问题"
    return f"依据{REGIME_NAMES.get(basis.split('.')[0], '')}{article or ''}（{basis}）"


def finding_rows(facts: dict[str, Any], findings: dict[str, Any]) -> list[list[str]]:
    """Return the findings table: one row per problem."""
    rows = [["问题", "描述", "质量问题认定", "所属系统", "严重安全性能故障", "认定的维修记录"]]
    for p in _in_chinese(findings, facts).problems:
        visits = "、".join(f"第 {n} 次" for n in p.visits) or "—"
        system = p.system
        if p.needs_replacing:
            system += f"；经认定需要更换：{p.needs_replacing}总成"
        rows.append(
            [
                p.label,
                p.description,
                p.quality,
                system,
                "是" if p.serious_safety else "否",
                visits,
            ]
        )
    return rows


def _in_chinese(findings: dict[str, Any], facts: dict[str, Any]) -> Findings:
    """The findings in the letter's words (the msgids are the Chinese text)."""
    return in_words(findings, facts, translate=str, system_name=lambda s: SYSTEM_NAMES.get(s, "—"))


def consequences(assessment: dict[str, Any]) -> list[str]:
    """Return the legal consequences of the re-computed assessment, each with its citation."""
    lines = [
        f"{REMEDY_NAMES.get(r['remedy'], r['remedy'])}："
        f"{citation(r.get('basis'), r.get('article'))}。{r.get('because') or ''}"
        for r in assessment.get("remedies") or []
    ]
    lines += [
        f"{e.get('problem') or '整个案件'} 不承担三包责任：{citation(e.get('basis'), None)}。"
        f"{e.get('because') or ''}"
        for e in assessment.get("excluded") or []
    ]
    return lines or ["按专家认定的事实，目前没有可以主张的三包权利。"]


#: Column widths of the findings table (points): the description gets the room.
FINDING_WIDTHS = [40, 178, 70, 60, 50, 70]


def render_letter(*, opinion, case, facts, recomputed, bureau: str, **_ignored: Any) -> bytes:
    """Return the PDF bytes of the opinion letter."""
    findings = opinion.findings or {}
    words = _in_chinese(findings, facts)
    vehicle = facts.get("vehicle") or {}
    flow = [
        pdf.heading(bureau),
        pdf.heading("汽车三包争议技术咨询专家意见书"),
        pdf.text(f"案件编号：{case.number}    第 {opinion.version} 版"),
        pdf.text(
            f"车辆：{vehicle.get('brand', '')} {vehicle.get('model', '')}"
            f"  VIN {vehicle.get('vin', '')}"
        ),
        pdf.section("一、专家认定"),
        pdf.table(finding_rows(facts, findings), widths=FINDING_WIDTHS),
        pdf.spacer(2),
        pdf.text(f"维修记录是否支持所述事实：{words.records_support}"),
        pdf.text(f"是否需要检验鉴定：{words.inspection_needed}"),
        pdf.text(f"建议的处理方式：{words.remedy}"),
        pdf.section("二、分析意见和理由"),
        pdf.text(opinion.conclusion or "—"),
        pdf.section("三、按专家认定的事实得出的法律后果"),
        *[pdf.text(line) for line in consequences(recomputed)],
        pdf.section("四、签署"),
        pdf.text(f"专家：{opinion.signed_name or '（未签署）'}（{opinion.expert.code}）"),
        pdf.text(f"签署时间：{format_datetime(opinion.signed_at)}"),
        pdf.text("内容摘要（SHA-256）："),
        pdf.text(opinion.signature or "—", "small"),
        *appendix(recomputed),
    ]
    return pdf.render(
        f"专家意见书 {case.number}", flow, footer=f"{bureau} · {case.number} · v{opinion.version}"
    )
