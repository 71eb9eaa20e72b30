"""The evaluation context: visits placed in the windows, exclusions applied, counts tallied.

Built once per assessment by ``rules.engine``; the regime rules only read it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rules.assessment import Counts, Finding, Period
from rules.facts import Event, Facts, Problem, is_done, sort_key
from rules.params import Params
from rules.periods import RUNNING, is_inside
from rules.repair_days import excluded_days, net_days, visit_days

# Internal evaluation types (not part of the input or output): plain slots dataclasses, built
# once per assessment and only read afterwards. Frozen ones cost ~5x more to construct, and the
# ``__init__`` is written out because mypyc compiles a written one (a generated one stays
# interpreted: ~1 µs per object instead of ~0.05 µs).


@dataclass(slots=True, init=False)
class Scope:
    """What exclusion rules see: facts, params, windows and each problem's first repair visit."""

    facts: Facts
    p: Params
    periods: dict[str, Period]
    wear: dict[str, Period]
    #: problem label → index of its first visit with a fault found (chronological)
    first_visit: dict[str, int]

    def __init__(
        self,
        facts: Facts,
        p: Params,
        periods: dict[str, Period],
        wear: dict[str, Period],
        first_visit: dict[str, int],
    ) -> None:
        self.facts = facts
        self.p = p
        self.periods = periods
        self.wear = wear
        self.first_visit = first_visit


@dataclass(slots=True, init=False)
class Visit:
    """One event placed in the windows; ``counted`` per regulation.md §3."""

    index: int
    event: Event
    problem: Problem
    day: date
    days: int
    net_days: int
    timed: bool
    in_repair_warranty: bool
    in_three_guarantee: bool
    in_early: bool
    in_first_week: bool
    #: a repair (fault found) of a quality problem that is not excluded
    covered: bool
    #: covered and inside the three-guarantee period
    counted: bool

    def __init__(
        self,
        index: int,
        event: Event,
        problem: Problem,
        day: date,
        days: int,
        net_days: int,
        timed: bool,
        in_repair_warranty: bool,
        in_three_guarantee: bool,
        in_early: bool,
        in_first_week: bool,
        covered: bool,
        counted: bool,
    ) -> None:
        self.index = index
        self.event = event
        self.problem = problem
        self.day = day
        self.days = days
        self.net_days = net_days
        self.timed = timed
        self.in_repair_warranty = in_repair_warranty
        self.in_three_guarantee = in_three_guarantee
        self.in_early = in_early
        self.in_first_week = in_first_week
        self.covered = covered
        self.counted = counted


@dataclass(slots=True, init=False)
class Context:
    """Everything the remedy rules read."""

    scope: Scope
    visits: tuple[Visit, ...]  # chronological
    by_problem: dict[str, tuple[Visit, ...]]  # counted visits per problem, chronological
    problems: dict[str, Problem]
    excluded_problems: frozenset[str]
    exclusions: tuple[Finding, ...]
    counts: Counts
    rw_running: bool
    tg_running: bool
    #: findings already computed for this assessment, by basis (see ``grounds.time_or_count``)
    memo: dict[str, Finding]

    def __init__(
        self,
        scope: Scope,
        visits: tuple[Visit, ...],
        by_problem: dict[str, tuple[Visit, ...]],
        problems: dict[str, Problem],
        excluded_problems: frozenset[str],
        exclusions: tuple[Finding, ...],
        counts: Counts,
        rw_running: bool,
        tg_running: bool,
    ) -> None:
        self.scope = scope
        self.visits = visits
        self.by_problem = by_problem
        self.problems = problems
        self.excluded_problems = excluded_problems
        self.exclusions = exclusions
        self.counts = counts
        self.rw_running = rw_running
        self.tg_running = tg_running
        self.memo = {}

    @property
    def p(self) -> Params:
        """Return the regime's parameters."""
        return self.scope.p

    @property
    def facts(self) -> Facts:
        """Return the facts."""
        return self.scope.facts

    def counted(self) -> tuple[Visit, ...]:
        """Return the counted visits, chronological."""
        return tuple(v for v in self.visits if v.counted)

    def still_failing(self, visit: Visit) -> bool:
        """Tell whether the problem persisted: ``visit`` unresolved, or a later counted visit."""
        # Reading: "later" = later in time order (same start: the order given in the facts).
        if not visit.event.resolved:
            return True
        same = self.by_problem.get(visit.problem.label, ())
        for position, v in enumerate(same):
            if v.index == visit.index:
                return position + 1 < len(same)
        return False


ExclusionRule = Callable[[Scope], tuple[Finding, ...]]
RemedyRule = Callable[[Context], Finding]


def chronological(events: tuple[Event, ...]) -> list[int]:
    """Return event indices sorted by start (ties keep the given order)."""
    return sorted(range(len(events)), key=lambda i: sort_key(events[i].start))


def build_context(
    facts: Facts,
    p: Params,
    periods: dict[str, Period],
    wear: dict[str, Period],
    exclusion_rules: tuple[ExclusionRule, ...],
    order: list[int],
    event_days: list[date],
) -> Context:
    """Place the visits (``order``: see ``chronological``; ``event_days``: each event's day, in the
    given order), run the exclusions, tally the counts."""
    events, as_of = facts.events, facts.as_of.date
    problems = {pr.label: pr for pr in facts.problems}
    # Reading: a problem's "first visit" (2013.18.3, 2013.20.2, 2013.29) is its first visit with a
    # fault found; a visit that found nothing is not a repair (regulation.md §3).
    first_visit: dict[str, int] = {}
    for i in order:
        if events[i].fault_found and events[i].problem not in first_visit:
            first_visit[events[i].problem] = i
    scope = Scope(facts, p, periods, wear, first_visit)
    exclusions = tuple(f for rule in exclusion_rules for f in rule(scope) if f.holds)
    excluded = frozenset(f.problem for f in exclusions if f.problem is not None)
    rw, tg, early = periods["repair_warranty"], periods["three_guarantee"], periods["early"]
    week = periods.get("first_week")
    kinds = p.excluded_day_kinds
    visits = []
    for i in order:
        ev = events[i]
        problem = problems.get(ev.problem) or Problem(label=ev.problem, system="other")
        day, km = event_days[i], ev.odometer_km
        days, timed = visit_days(ev, as_of)
        in_tg = is_inside(tg, day, km)
        covered = ev.fault_found and problem.quality_problem and problem.label not in excluded
        visits.append(
            Visit(
                index=i,
                event=ev,
                problem=problem,
                day=day,
                days=days,
                net_days=net_days(days, excluded_days(ev, kinds)),
                timed=timed,
                in_repair_warranty=is_inside(rw, day, km),
                in_three_guarantee=in_tg,
                in_early=is_inside(early, day, km),
                in_first_week=week is not None and is_inside(week, day, km),
                covered=covered,
                counted=covered and in_tg,
            )
        )
    by_problem: dict[str, list[Visit]] = {}
    for v in visits:
        if v.counted:
            by_problem.setdefault(v.problem.label, []).append(v)
    return Context(
        scope=scope,
        visits=tuple(visits),
        by_problem={k: tuple(v) for k, v in by_problem.items()},
        problems=problems,
        excluded_problems=excluded,
        exclusions=exclusions,
        counts=_counts(visits, problems, by_problem),
        rw_running=rw.status == RUNNING,
        tg_running=tg.status == RUNNING,
    )


def _counts(
    visits: list[Visit], problems: dict[str, Problem], by_problem: dict[str, list[Visit]]
) -> Counts:
    # Reading: an entry marked both whole_assembly and main_part counts as an assembly only; a part
    # only diagnosed as needing replacement is not a replacement until it is done.
    assemblies: dict[str, int] = {}
    main_parts: dict[str, int] = {}
    total = serious = 0
    for v in visits:
        if not v.counted:
            continue
        total += v.net_days
        serious += v.problem.serious_safety
        for r in v.event.replaced:
            if not is_done(r):
                continue
            if r.whole_assembly:
                assemblies[r.assembly] = assemblies.get(r.assembly, 0) + 1
            elif r.main_part:
                key = part_key(r.assembly, r.part)
                main_parts[key] = main_parts.get(key, 0) + 1
    return Counts(
        repairs_by_problem=tuple(
            (label, len(by_problem[label])) for label in problems if label in by_problem
        ),
        repair_days_total=total,
        serious_safety_repairs=serious,
        assembly_replacements=tuple(assemblies.items()),
        main_part_replacements=tuple(main_parts.items()),
    )


def part_key(assembly: str, part: str | None) -> str:
    """Return the ``assembly:part`` key that identifies "the same main part"."""
    return f"{assembly}:{part or ''}"
