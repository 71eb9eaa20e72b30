"""The expert's findings: their stored shape (`StoredFindings`, `Opinion.findings`) and the same
findings in words, per problem, as the opinion letter (PDF, always Chinese) and the consumer's case
page show them. The labels are msgids; the Chinese msgid is the letter's text."""

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


#: The keys of one problem's entry and of the whole findings, in the order they are stored.
PROBLEM_KEYS = ("quality", "system", "serious_safety", "needs_replacing")
FINDINGS_KEYS = ("problems", "visits", "records_support", "inspection_needed", "remedy")


@dataclass(frozen=True, slots=True)
class ProblemEntry:
    """What the expert found about one filed problem; None is "not decided" (filed value stands)."""

    label: str
    quality: str | None = None
    system: str | None = None
    serious_safety: bool | None = None
    #: The assembly the expert found needed replacing on the problem's first visit.
    needs_replacing: str | None = None
    #: The keys the stored entry has, in order, so that a stored entry is written back unchanged.
    keys: tuple[str, ...] = PROBLEM_KEYS

    @classmethod
    def from_dict(cls, label: str, entry: dict[str, Any]) -> ProblemEntry:
        keys = tuple(k for k in entry if k in PROBLEM_KEYS)
        return cls(label, **{k: entry[k] for k in keys}, keys=keys)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.keys}

    def entered(self, field: str, filed: Any) -> Any:
        """The entry's `field` as the expert entered it (even None), else `filed`."""
        return getattr(self, field) if field in self.keys else filed


@dataclass(frozen=True, slots=True)
class StoredFindings:
    """`Opinion.findings` as stored: per-problem entries, the visits regrouped (0-based index →
    problem label) and the three overall answers. The only module that spells its keys."""

    problems: tuple[ProblemEntry, ...] = ()
    visits: tuple[tuple[int, str | None], ...] = ()
    records_support: str | None = None
    inspection_needed: bool | None = None
    remedy: str | None = None
    #: The keys the stored findings have, in order, so that they are written back unchanged.
    keys: tuple[str, ...] = FINDINGS_KEYS

    @classmethod
    def from_dict(cls, findings: dict[str, Any] | None) -> StoredFindings:
        findings = findings or {}
        keys = tuple(k for k in findings if k in FINDINGS_KEYS)
        return cls(
            problems=tuple(
                ProblemEntry.from_dict(label, entry)
                for label, entry in (findings.get("problems") or {}).items()
            ),
            visits=tuple((int(i), label) for i, label in (findings.get("visits") or {}).items()),
            records_support=findings.get("records_support"),
            inspection_needed=findings.get("inspection_needed"),
            remedy=findings.get("remedy"),
            keys=keys,
        )

    def to_dict(self) -> dict[str, Any]:
        values = {
            "problems": {p.label: p.to_dict() for p in self.problems},
            "visits": {str(i): label for i, label in self.visits},
            "records_support": self.records_support,
            "inspection_needed": self.inspection_needed,
            "remedy": self.remedy,
        }
        return {k: values[k] for k in self.keys}

    def problem(self, label: str) -> ProblemEntry:
        """The entry for `label` (an empty one when the expert has none for it)."""
        return next((p for p in self.problems if p.label == label), ProblemEntry(label, keys=()))

    def visit(self, index: int, filed: str | None) -> str | None:
        """The problem visit `index` (0-based) belongs to: as regrouped, else `filed`."""
        return dict(self.visits).get(index, filed)


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
    stored = StoredFindings.from_dict(findings)
    visits = {
        i: stored.visit(i, event.get("problem"))
        for i, event in enumerate(facts.get("events") or [])
    }

    def word(table: dict, key: Any) -> str:
        return translate(table[key]) if key in table else "—"

    problems = tuple(
        ProblemFinding(
            label=label,
            description=problem.get("description") or "",
            quality=word(QUALITY, stored.problem(label).quality),
            system=system_name(stored.problem(label).system or problem.get("system")),
            serious_safety=bool(stored.problem(label).serious_safety),
            visits=tuple(i + 1 for i, p in visits.items() if p == label),
            needs_replacing=_needs(stored.problem(label).needs_replacing, system_name),
        )
        for label, problem in (facts.get("problems") or {}).items()
    )
    return Findings(
        problems=problems,
        records_support=word(SUPPORT, stored.records_support),
        inspection_needed=word(INSPECTION, stored.inspection_needed),
        remedy=word(REMEDY, stored.remedy),
    )


def _needs(assembly: str | None, system_name: Callable[[Any], str]) -> str | None:
    return None if not assembly else system_name(assembly)
