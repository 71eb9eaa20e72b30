"""Routing as pure functions: rank the panel for one case and explain the choice in words.

No Flask, no SQL, no clock: services.py builds the frozen inputs from the database and stores
the result. Eligibility comes first (active, a usable login, capacity, no conflict,
no objection), then preference for the specialty of the problem the claim rests on (exact system
> related group > another listed problem's system > generalist), lowest load, longest idle, code.

Reasons are codes with parameters (``Reason``), stored as such and put into words when shown, so
a page reads in its own language; ``Reason.text`` renders them with a translation function
(Chinese as written when none is given).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from disputes.cases.vocabulary import N_, SYSTEM_LABELS

#: Systems that count as "related" for a specialty match (chassis, powertrain, electric drive).
GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"brakes", "steering", "suspension", "axle"}),
    frozenset({"engine", "transmission", "drivetrain", "fuel", "emission_control"}),
    frozenset({"power_battery", "drive_motor", "electrical"}),
    frozenset({"body"}),
)

#: Chinese names of the systems, for the reasons (msgids of cases/vocabulary.py).
SYSTEM_NAMES = {system.value: label for system, label in SYSTEM_LABELS.items()}

#: Match quality, best first: the deciding problem's system, its group, another problem's.
EXACT, RELATED, OTHER_PROBLEM, GENERALIST = 0, 1, 2, 3

#: The parties an expert may be tied to, as the reasons name them.
PARTY_WORDS = {
    "brand": N_("该品牌"),
    "manufacturer": N_("该生产者"),
    "dealer": N_("该品牌经销商"),
    "repairer": N_("该修理者"),
}

#: Reason code → sentence (a Chinese msgid; the parameters fill its placeholders).
MESSAGES: dict[str, str] = {
    "decided.claim": N_("依据问题 %(label)s（%(system)s）：所请求的处理以此问题为依据"),
    "decided.serious": N_("依据问题 %(label)s（%(system)s）：所列问题中最严重"),
    "decided.only": N_("依据问题 %(label)s（%(system)s）"),
    "match.exact": N_("专业对口（%(systems)s）"),
    "match.related": N_("相关专业（%(systems)s）"),
    "match.other": N_("对口其他问题（%(systems)s）"),
    "match.none": N_("无对口专业，按通用专家分派"),
    "load": N_("当前在办 %(n)s 件"),
    "excluded.inactive": N_("不在岗（已停用或休假）"),
    "excluded.no_account": N_("无登录账号（或账号已停用）"),
    "excluded.full": N_("在办 %(n)s 件，已达上限 %(capacity)s 件"),
    "excluded.tie": N_("与%(party)s存在关联（%(name)s）"),
    "excluded.consumer": N_("申报与该消费者存在利害关系"),
    "excluded.recused": N_("曾就本案拒绝或回避"),
    "excluded.same_org": N_("与修理者为同一单位"),
    "excluded.objected": N_("当事人已申请其回避"),
    "assigned": N_("分派给 %(code)s %(name)s"),
    "assigned.for": N_("分派给 %(code)s %(name)s（%(systems)s）"),
    "nobody": N_("没有符合条件的专家，转入人工分派"),
    "excluded_expert": N_("排除 %(code)s"),
    "override": N_("工作人员改派：%(text)s"),
    "declined": N_("专家拒绝：%(text)s"),
    "recused": N_("专家回避：%(text)s"),
}

#: How a reason is joined to the reasons that explain it (default: "head：a、b").
BECAUSE = {"override": N_("%(head)s（%(list)s）")}
EXCLUDED = N_("排除：%(reason)s")
BECAUSE_DEFAULT = N_("%(head)s：%(list)s")
LIST_SEPARATOR = N_("、")
SENTENCE_SEPARATOR = N_("；")


def _as_written(message: str) -> str:
    return message


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason as a code with parameters, and the reasons that explain it (``because``)."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()
    because: tuple[Reason, ...] = ()

    @property
    def excludes(self) -> bool:
        """True for a reason that makes the expert ineligible."""
        return self.code.startswith("excluded.")

    def text(self, translate: Callable[[str], str] = _as_written, *, bare: bool = False) -> str:
        """Put the reason into words with `translate` (gettext); `bare` drops the "排除：" mark."""
        values = {key: _word(key, value, translate) for key, value in self.params}
        message = MESSAGES.get(self.code)
        head = translate(message) % values if message else self.code
        if self.excludes and not bare:
            head = translate(EXCLUDED) % {"reason": head}
        if not self.because:
            return head
        items = [r.text(translate, bare=self.code == "excluded_expert") for r in self.because]
        pattern = translate(BECAUSE.get(self.code, BECAUSE_DEFAULT))
        return pattern % {"head": head, "list": translate(LIST_SEPARATOR).join(items)}

    def to_dict(self) -> dict[str, Any]:
        """Return the reason as JSON (lists for tuples) for storing."""
        out: dict[str, Any] = {"code": self.code}
        if self.params:
            out["params"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}
        if self.because:
            out["because"] = [r.to_dict() for r in self.because]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        """Read a reason stored by ``to_dict``."""
        params = tuple(
            (k, tuple(v) if isinstance(v, list) else v) for k, v in data.get("params", {}).items()
        )
        because = tuple(cls.from_dict(r) for r in data.get("because", ()))
        return cls(data["code"], params, because)


def _word(key: str, value: Any, translate: Callable[[str], str]) -> Any:
    if key == "system":
        return translate(SYSTEM_NAMES.get(value, value))
    if key == "systems":
        return translate(LIST_SEPARATOR).join(translate(SYSTEM_NAMES.get(s, s)) for s in value)
    if key == "party":
        return translate(PARTY_WORDS.get(value, value))
    return value


def sentences_text(reasons: Iterable[Reason], translate: Callable[[str], str] = _as_written) -> str:
    """Put a stored routing note (its sentences) into words."""
    return translate(SENTENCE_SEPARATOR).join(r.text(translate) for r in reasons)


@dataclass(frozen=True, slots=True)
class ProblemInput:
    """One problem of the case as routing weighs it."""

    label: str
    system: str
    #: The problem grounds the remedy the consumer claims (from the case's assessment).
    grounds_claim: bool = False
    serious_safety: bool = False
    #: Main parts and whole assemblies replaced for it.
    replacements: int = 0
    repairs: int = 0


@dataclass(frozen=True, slots=True)
class CaseInput:
    """What routing needs to know about one case (no personal data beyond the consumer's id)."""

    case_id: int
    problems: tuple[ProblemInput, ...]
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
    #: The expert has an active login (without one they never see the case).
    has_account: bool = True
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
    """One expert's place in the ranking, with the reasons."""

    expert: ExpertInput
    eligible: bool
    reasons: tuple[Reason, ...]
    match: int = GENERALIST
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Routing:
    """The whole ranking (eligible first, best first), the chosen expert, if any, and the
    problem whose specialty decided."""

    ranking: tuple[Ranked, ...]
    chosen: Ranked | None
    decided: Reason | None = None

    def sentences(self) -> tuple[Reason, ...]:
        """Return the timeline note: the choice and its reasons, then who was excluded why."""
        parts = []
        if self.chosen is not None:
            e = self.chosen.expert
            params: tuple[tuple[str, Any], ...] = (("code", e.code), ("name", e.name))
            code = "assigned"
            if self.chosen.matched:
                code, params = "assigned.for", (*params, ("systems", self.chosen.matched))
            decided = (self.decided,) if self.decided is not None else ()
            parts.append(Reason(code, params, decided + self.chosen.reasons))
        else:
            parts.append(Reason("nobody"))
        parts += [
            Reason("excluded_expert", (("code", r.expert.code),), r.reasons)
            for r in self.ranking
            if not r.eligible and r.expert.active
        ]
        return tuple(parts)

    def summary(self) -> str:
        """Return the timeline note in Chinese (the audit trail's wording)."""
        return sentences_text(self.sentences())


def deciding_problem(problems: tuple[ProblemInput, ...]) -> tuple[ProblemInput, str] | None:
    """Return the problem whose specialty decides, and why ("claim", "serious" or "only").

    The claim rests on the problems that ground the remedy asked for; among them (or among all
    when none does) the most serious wins: safety first, then replaced main parts or assemblies,
    then repairs, then the order of filing.
    """
    if not problems:
        return None
    if len(problems) == 1:
        return problems[0], "only"
    grounding = [p for p in problems if p.grounds_claim]
    pool = grounding or list(problems)
    best = min(pool, key=lambda p: (not p.serious_safety, -p.replacements, -p.repairs))
    return best, "claim" if grounding else "serious"


def _norm(value: str) -> str:
    return "".join(value.split()).casefold()


def _same(a: str, b: str) -> bool:
    return bool(_norm(a)) and _norm(a) == _norm(b)


def conflicts(case: CaseInput, expert: ExpertInput) -> list[Reason]:
    """Return the reasons `expert` is not eligible for `case` (empty: eligible)."""
    out: list[Reason] = []
    if not expert.active:
        out.append(Reason("excluded.inactive"))
    if not expert.has_account:
        out.append(Reason("excluded.no_account"))
    if expert.open_count >= expert.capacity:
        out.append(
            Reason("excluded.full", (("n", expert.open_count), ("capacity", expert.capacity)))
        )
    out += _ties(case, expert)
    if case.consumer_id in expert.related_consumers:
        out.append(Reason("excluded.consumer"))
    if expert.id in case.recused:
        out.append(Reason("excluded.recused"))
    if any(_same(expert.organisation, r) for r in case.repairers):
        out.append(Reason("excluded.same_org"))
    if expert.id in case.objected:
        out.append(Reason("excluded.objected"))
    return out


def _ties(case: CaseInput, expert: ExpertInput) -> list[Reason]:
    """Return a reason for each of the expert's affiliations that names a party of the case:
    any tie to any party counts, whatever kind it was declared as."""
    parties = {
        "brand": (case.brand,),
        "manufacturer": (case.manufacturer,),
        "dealer": (case.dealer,),
        "repairer": case.repairers,
    }
    ties = []
    for _kind, name in expert.affiliations:
        for party_kind, names in parties.items():
            if any(_same(name, n) for n in names):
                ties.append(Reason("excluded.tie", (("party", party_kind), ("name", name))))
                break
    return ties


def _related(specialties: tuple[str, ...], systems: set[str]) -> tuple[str, ...]:
    return tuple(s for s in specialties if any(s in g and systems & g for g in GROUPS))


def specialty_match(
    system: str | None, others: set[str], expert: ExpertInput
) -> tuple[int, tuple[str, ...]]:
    """Return (EXACT | RELATED | OTHER_PROBLEM | GENERALIST, the specialties that matched) for
    the deciding problem's `system` and the `others` systems of the case."""
    if system is None:
        return GENERALIST, ()
    if system in expert.specialties:
        return EXACT, (system,)
    if related := _related(expert.specialties, {system}):
        return RELATED, related
    if other := tuple(s for s in expert.specialties if s in others) or _related(
        expert.specialties, others
    ):
        return OTHER_PROBLEM, other
    return GENERALIST, ()


_MATCH_CODES = {
    EXACT: "match.exact",
    RELATED: "match.related",
    OTHER_PROBLEM: "match.other",
    GENERALIST: "match.none",
}


def _assess(case: CaseInput, expert: ExpertInput, system: str | None) -> Ranked:
    excluded = conflicts(case, expert)
    others = {p.system for p in case.problems} - {system}
    match, matched = specialty_match(system, others, expert)
    if excluded:
        return Ranked(expert, False, tuple(excluded), match, matched)
    first = Reason(_MATCH_CODES[match], (("systems", matched),) if matched else ())
    load = Reason("load", (("n", expert.open_count),))
    return Ranked(expert, True, (first, load), match, matched)


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
    decided = deciding_problem(case.problems)
    system = decided[0].system if decided else None
    ranking = tuple(sorted((_assess(case, e, system) for e in panel), key=_sort_key))
    chosen = ranking[0] if ranking and ranking[0].eligible else None
    reason = None
    if decided is not None:
        problem, why = decided
        reason = Reason(f"decided.{why}", (("label", problem.label), ("system", problem.system)))
    return Routing(ranking, chosen, reason)
