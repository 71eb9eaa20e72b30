"""The expert's findings in words, per problem: what the opinion letter (PDF, always Chinese) and
the consumer's case page show. The labels are msgids; the Chinese msgid is the letter's text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from disputes.formatting import N_, system_label

QUALITY = {
    "yes": N_("是产品质量问题"),
    "no": N_("不是产品质量问题"),
    "unknown": N_("须经检验才能判断"),
}
SUPPORT = {"yes": N_("支持"), "partly": N_("部分支持"), "no": N_("不支持")}
INSPECTION = {True: N_("需要"), False: N_("不需要")}
REMEDY = {
    "repair": N_("免费修理"),
    "part_replacement": N_("更换零部件"),
    "assembly_replacement": N_("更换总成或其主要零件"),
    "replace": N_("换车"),
    "return": N_("退车"),
    "none": N_("不属于三包责任"),
    "inspection_first": N_("先行检验鉴定"),
}


@dataclass(frozen=True, slots=True)
class ProblemFinding:
    """One problem as the expert found it: which visits belong to it and what it is."""

    label: str
    description: str
    quality: str
    system: str
    serious_safety: bool
    #: The repair visits (1-based) the expert grouped under this problem.
    visits: tuple[int, ...]
    #: The assembly the expert found needed replacing (its name), or None.
    needs_replacing: str | None = None


@dataclass(frozen=True, slots=True)
class Findings:
    """The whole opinion's findings in words."""

    problems: tuple[ProblemFinding, ...]
    records_support: str
    inspection_needed: str
    remedy: str


def in_words(
    findings: dict[str, Any],
    facts: dict[str, Any],
    translate: Callable[[str], str] = gettext,
    system_name: Callable[[Any], str] = system_label,
) -> Findings:
    """Return the findings in words (`translate` turns a msgid into the reader's language)."""
    regrouped = findings.get("visits") or {}
    visits = {
        i: regrouped.get(str(i), event.get("problem"))
        for i, event in enumerate(facts.get("events") or [])
    }
    found = findings.get("problems") or {}

    def word(table: dict, key: Any) -> str:
        return translate(table[key]) if key in table else "—"

    problems = tuple(
        ProblemFinding(
            label=label,
            description=problem.get("description") or "",
            quality=word(QUALITY, found.get(label, {}).get("quality")),
            system=system_name(found.get(label, {}).get("system") or problem.get("system")),
            serious_safety=bool(found.get(label, {}).get("serious_safety")),
            visits=tuple(i + 1 for i, p in visits.items() if p == label),
            needs_replacing=_needs(found.get(label, {}).get("needs_replacing"), system_name),
        )
        for label, problem in (facts.get("problems") or {}).items()
    )
    return Findings(
        problems=problems,
        records_support=word(SUPPORT, findings.get("records_support")),
        inspection_needed=word(INSPECTION, findings.get("inspection_needed")),
        remedy=word(REMEDY, findings.get("remedy")),
    )


def _needs(assembly: str | None, system_name: Callable[[Any], str]) -> str | None:
    return None if not assembly else system_name(assembly)
