"""Routing as pure functions: rank the panel for one case and explain the choice in words.

No Flask, no SQL, no clock: services.py builds the frozen inputs from the database and stores
the result. The rules follow issue 5: eligibility (active, capacity, no conflict, no objection),
then preference (exact system > related group > generalist), lowest load, longest idle, code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from disputes.cases.vocabulary import SYSTEM_LABELS

#: Systems that count as "related" for a specialty match (chassis, powertrain, electric drive).
GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"brakes", "steering", "suspension", "axle"}),
    frozenset({"engine", "transmission", "drivetrain", "fuel", "emission_control"}),
    frozenset({"power_battery", "drive_motor", "electrical"}),
    frozenset({"body"}),
)

#: Chinese names of the systems, for the reasons (msgids of cases/vocabulary.py).
SYSTEM_NAMES = {system.value: label for system, label in SYSTEM_LABELS.items()}

#: Match quality, best first.
EXACT, RELATED, GENERALIST = 0, 1, 2

_AFFILIATION_WORDS = {
    "brand": "该品牌",
    "manufacturer": "该生产者",
    "dealer": "该品牌经销商",
    "repairer": "该修理者",
}


@dataclass(frozen=True, slots=True)
class CaseInput:
    """What routing needs to know about one case (no personal data beyond the consumer's id)."""

    case_id: int
    systems: tuple[str, ...]
    consumer_id: int
    brand: str = ""
    manufacturer: str = ""
    dealer: str = ""
    repairers: tuple[str, ...] = ()
    #: Expert ids a party objected to (回避申请 recorded by staff).
    objected: frozenset[int] = frozenset()
    #: Expert ids who declined or recused themselves from this case before.
    recused: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ExpertInput:
    """One panel member as routing sees them."""

    id: int
    code: str
    name: str
    organisation: str = ""
    active: bool = True
    capacity: int = 3
    open_count: int = 0
    specialties: tuple[str, ...] = ()
    #: (kind, name) with kind brand | manufacturer | dealer | repairer.
    affiliations: tuple[tuple[str, str], ...] = ()
    #: Consumer (user) ids the expert declared a relationship with.
    related_consumers: frozenset[int] = frozenset()
    last_assigned_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    """One expert's place in the ranking, with the reasons in words."""

    expert: ExpertInput
    eligible: bool
    reasons: tuple[str, ...]
    match: int = GENERALIST
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Routing:
    """The whole ranking (eligible first, best first) and the chosen expert, if any."""

    ranking: tuple[Ranked, ...]
    chosen: Ranked | None

    def summary(self) -> str:
        """Return the timeline sentence: the choice and its reasons, then who was excluded why."""
        parts = []
        if self.chosen is not None:
            e = self.chosen.expert
            focus = "、".join(SYSTEM_NAMES.get(s, s) for s in self.chosen.matched)
            head = f"分派给 {e.code} {e.name}" + (f"（{focus}）" if focus else "")
            parts.append(head + "：" + "、".join(self.chosen.reasons))
        else:
            parts.append("没有符合条件的专家，转入人工分派")
        excluded = [r for r in self.ranking if not r.eligible and r.expert.active]
        parts += [
            f"排除 {r.expert.code}：" + "、".join(x.removeprefix("排除：") for x in r.reasons)
            for r in excluded
        ]
        return "；".join(parts)


def _norm(value: str) -> str:
    return "".join(value.split()).casefold()


def _same(a: str, b: str) -> bool:
    return bool(_norm(a)) and _norm(a) == _norm(b)


def conflicts(case: CaseInput, expert: ExpertInput) -> list[str]:
    """Return the reasons `expert` is not eligible for `case` (empty: eligible)."""
    out: list[str] = []
    if not expert.active:
        out.append("排除：不在岗（已停用或休假）")
    if expert.open_count >= expert.capacity:
        out.append(f"排除：在办 {expert.open_count} 件，已达上限 {expert.capacity} 件")
    parties = {
        "brand": (case.brand,),
        "manufacturer": (case.manufacturer,),
        "dealer": (case.dealer,),
        "repairer": case.repairers,
    }
    for _kind, name in expert.affiliations:
        # Any tie to any party of the case counts, whatever kind it was declared as.
        for party_kind, names in parties.items():
            if any(_same(name, n) for n in names):
                out.append(f"排除：与{_AFFILIATION_WORDS[party_kind]}存在关联（{name}）")
                break
    if case.consumer_id in expert.related_consumers:
        out.append("排除：申报与该消费者存在利害关系")
    if expert.id in case.recused:
        out.append("排除：曾就本案拒绝或回避")
    if any(_same(expert.organisation, r) for r in case.repairers):
        out.append("排除：与修理者为同一单位")
    if expert.id in case.objected:
        out.append("排除：当事人已申请其回避")
    return out


def specialty_match(case: CaseInput, expert: ExpertInput) -> tuple[int, tuple[str, ...]]:
    """Return (EXACT | RELATED | GENERALIST, the expert's specialties that matched)."""
    mine = set(expert.specialties)
    exact = tuple(s for s in case.systems if s in mine)
    if exact:
        return EXACT, exact
    related = tuple(
        s for s in expert.specialties if any(s in g and set(case.systems) & g for g in GROUPS)
    )
    if related:
        return RELATED, related
    return GENERALIST, ()


def _assess(case: CaseInput, expert: ExpertInput) -> Ranked:
    excluded = conflicts(case, expert)
    match, matched = specialty_match(case, expert)
    if excluded:
        return Ranked(expert, False, tuple(excluded), match, matched)
    names = "、".join(SYSTEM_NAMES.get(s, s) for s in matched)
    first = {
        EXACT: f"专业对口（{names}）",
        RELATED: f"相关专业（{names}）",
        GENERALIST: "无对口专业，按通用专家分派",
    }[match]
    return Ranked(expert, True, (first, f"当前在办 {expert.open_count} 件"), match, matched)


def _sort_key(r: Ranked) -> tuple:
    idle = r.expert.last_assigned_at
    # Never assigned = idle the longest: sorts before every real timestamp.
    return (
        not r.eligible,
        r.match,
        r.expert.open_count,
        idle is not None,
        idle or datetime.min,
        r.expert.code,
    )


def rank(case: CaseInput, panel: tuple[ExpertInput, ...] | list[ExpertInput]) -> Routing:
    """Rank `panel` for `case`: eligible first, best first; choose the first eligible one."""
    ranking = tuple(sorted((_assess(case, e) for e in panel), key=_sort_key))
    chosen = ranking[0] if ranking and ranking[0].eligible else None
    return Routing(ranking, chosen)
