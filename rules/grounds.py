"""Ground predicates shared by both regimes, parameterised by ``Params``.

Each returns a ``Finding`` for the basis id its caller (a rule in regime_2013/regime_2022) names.
"""

from typing import Any, Final

from rules.assessment import Finding, Period, Threshold
from rules.context import Context, Scope, Visit, part_key
from rules.facts import Replacement, day_of, is_done
from rules.periods import is_inside

Grants = tuple[tuple[str, bool], ...]

FREE_REPLACE_RETURN: Final[Grants] = (("vehicle_replacement", True), ("vehicle_return", True))
PAID_REPLACE_RETURN: Final[Grants] = (("vehicle_replacement", False), ("vehicle_return", False))
PAID_REPLACE: Final[Grants] = (("vehicle_replacement", False),)


def _ids(visits: list[Visit] | tuple[Visit, ...]) -> tuple[int, ...]:
    return tuple(sorted({v.index for v in visits})) if visits else ()


def _remedy(
    basis: str,
    holds: bool,
    note: str,
    grants: Grants,
    events: tuple[int, ...] = (),
    values: dict[str, Any] | None = None,
    pending: tuple[Threshold, ...] = (),
) -> Finding:
    if not (events or values or pending):
        return bare_remedy(basis, holds, note, grants)
    items = tuple(values.items()) if values else ()
    return Finding(basis, holds, "remedy", note, grants, events, None, None, items, pending)


#: the bare findings built so far (``bare_remedy``); the rules name a few dozen combinations.
#: Keyed without the grants, whose nested tuple costs more to hash than the rest: they are compared
#: instead (each key comes with the same grants in the rules; another replaces the entry).
_BARE: Final[dict[tuple[str, bool, str], Finding]] = {}


def bare_remedy(basis: str, holds: bool, note: str, grants: Grants) -> Finding:
    """Return a remedy finding that carries no events, values or thresholds.

    Most rules come out this way on most cases. The Finding is immutable and depends on these four
    arguments only (all constants in the rules), so it is built once, not once per assessment (a
    dict: an ``lru_cache`` costs as much again per call, in its bookkeeping).
    """
    key = (basis, holds, note)
    found = _BARE.get(key)
    if found is None or found.grants != grants:
        found = _BARE[key] = Finding(basis, holds, "remedy", note, grants)
    return found


def _needs_tg(
    ctx: Context, basis: str, note: str, grants: Grants, events: tuple[int, ...], **values: Any
) -> Finding:
    """Return a holding finding, or a failing one when the three-guarantee period is over."""
    if ctx.tg_running:
        return _remedy(basis, True, note, grants, events=events, values=values)
    return _remedy(basis, False, "three_guarantee_over", grants, events=events, values=values)


def _window(ctx: Context, name: str) -> dict[str, object]:
    period = ctx.scope.periods[name]
    return {"ends_on": period.ends_on, "km_limit": period.km_limit}


def free_repair(ctx: Context, basis: str) -> Finding:
    """Free repair inside the repair warranty for a problem that is not excluded."""
    grants = (("free_repair", True),)
    open_problems = [label for label in ctx.problems if label not in ctx.excluded_problems]
    open_problems = [lb for lb in open_problems if ctx.problems[lb].quality_problem]
    if not open_problems:
        return _remedy(basis, False, "nothing_to_repair", grants)
    events = _ids([v for v in ctx.visits if v.covered and v.in_repair_warranty])
    note = "free_repair" if ctx.rw_running else "repair_warranty_over"
    values = _window(ctx, "repair_warranty")
    return _remedy(basis, ctx.rw_running, note, grants, events=events, values=values)


def wear_part_replacement(ctx: Context, basis: str) -> Finding:
    """Free wear-part replacement: the problem's first visit falls inside the part's guarantee."""
    # Reading: the part's own guarantee need not still run at as_of; the first visit decides.
    grants = (("wear_part_replacement", True),)
    hits: list[Visit] = []
    for v in ctx.visits:
        wear = v.problem.wear_part
        if wear is None or not v.covered or ctx.scope.first_visit.get(v.problem.label) != v.index:
            continue
        period = ctx.scope.wear.get(wear)
        if period is not None and is_inside(period, v.day, v.event.odometer_km):
            hits.append(v)
    parts = "、".join(dict.fromkeys([v.problem.wear_part or "" for v in hits]))
    return _remedy(
        basis, bool(hits), "wear_part", grants, events=_ids(hits), values={"parts": parts}
    )


def _needed_inside(visit: Visit, r: Replacement, window: Period, visit_inside: bool) -> bool:
    """Tell whether the need to replace ``r`` arose inside ``window``.

    Reading: "需要更换" (2013.18.2, 2022.20, 2022.22) arises at the visit's start (the repair
    order, diagnosis included, regulation.md §3) or on the recorded diagnosis date when that is
    earlier (a part diagnosed at one visit and replaced at a later one); the visit's odometer
    places it. A diagnosis opens these grounds as a done replacement does.
    """
    day = r.diagnosed_date
    if day is None or day >= visit.day:
        return visit_inside
    return is_inside(window, day, visit.event.odometer_km)


def _needed_in_window(
    ctx: Context, name: str, assemblies: frozenset[str]
) -> tuple[list[Visit], list[str]]:
    """Return the covered visits whose main part or assembly of ``assemblies`` was replaced or
    diagnosed as needing replacement inside window ``name``, and what it was."""
    window = ctx.scope.periods[name]
    hits, what = [], []
    for v in ctx.visits:
        if not (v.covered and v.event.replaced):
            continue
        visit_inside = v.in_first_week if name == "first_week" else v.in_early
        for r in v.event.replaced:
            if r.assembly not in assemblies or not (r.main_part or r.whole_assembly):
                continue
            if _needed_inside(v, r, window, visit_inside):
                hits.append(v)
                what.append(r.assembly if r.whole_assembly else part_key(r.assembly, r.part))
    return hits, what


def early_assembly(ctx: Context, basis: str) -> Finding:
    """Free assembly replacement: a main part or whole assembly replaced, or diagnosed as needing
    replacement, inside the early window."""
    grants = (("assembly_replacement", True),)
    hits, what = _needed_in_window(ctx, "early", ctx.p.early_assemblies)
    if not hits:
        return _remedy(basis, False, "early_assembly", grants)
    return _needs_tg(
        ctx, basis, "early_assembly", grants, _ids(hits), parts="、".join(dict.fromkeys(what)),
        **_window(ctx, "early"),
    )  # fmt: skip


def backup_vehicle(ctx: Context, basis: str) -> Finding:
    """Backup car or transport compensation: one visit in the repair warranty over N days."""
    # Reading: a past long visit still entitles (transport compensation), whatever as_of is.
    limit = ctx.p.backup_days_over
    hits = [v for v in ctx.visits if v.covered and v.in_repair_warranty and v.days > limit]
    longest = max([v.days for v in hits], default=0)
    values = {"longest": longest, "limit": limit}
    return _remedy(
        basis,
        bool(hits),
        "backup_vehicle",
        (("backup_vehicle", True),),
        events=_ids(hits),
        values=values,
    )


def early_failure(ctx: Context, basis: str) -> Finding:
    """Free replacement or return: a listed failure's first visit falls in the early window."""
    failures = ctx.p.early_failures
    hits = [
        v
        for v in ctx.visits
        if v.covered
        and v.in_early
        and v.problem.failure in failures
        and ctx.scope.first_visit.get(v.problem.label) == v.index
    ]
    if not hits:
        return _remedy(basis, False, "early_failure", FREE_REPLACE_RETURN)
    names = ",".join(dict.fromkeys([v.problem.failure or "" for v in hits]))
    return _needs_tg(
        ctx, basis, "early_failure", FREE_REPLACE_RETURN, _ids(hits), failures=names,
        **_window(ctx, "early"),
    )  # fmt: skip


def first_week(ctx: Context, basis: str) -> Finding:
    """Free replacement or return: a main part or assembly replaced, or diagnosed as needing
    replacement, inside the first week."""
    hits, what = _needed_in_window(ctx, "first_week", ctx.p.first_week_assemblies)
    if not hits:
        return _remedy(basis, False, "first_week", FREE_REPLACE_RETURN)
    parts = "、".join(dict.fromkeys(what))
    window = _window(ctx, "first_week")
    return _needs_tg(
        ctx, basis, "first_week", FREE_REPLACE_RETURN, _ids(hits), parts=parts, **window
    )


def _pending(
    ctx: Context, basis: str, grants: Grants, note: str, **values: Any
) -> tuple[Threshold, ...]:
    if not ctx.tg_running:
        return ()
    values |= _window(ctx, "three_guarantee")
    items = tuple(values.items())
    return tuple(Threshold(remedy, basis, note, items) for remedy, _free in grants)


def serious_repeated(ctx: Context, basis: str) -> Finding:
    """Compensated replacement or return: serious-safety repairs 2 (still failing) or more."""
    need = ctx.p.serious_repairs
    visits = [v for v in ctx.visits if v.counted and v.problem.serious_safety]
    n = len(visits)
    holds = n > need or (n == need and not visits[need - 1].event.resolved)
    if holds:
        return _needs_tg(ctx, basis, "serious_repeated", PAID_REPLACE_RETURN, _ids(visits), count=n)
    pending = _pending(ctx, basis, PAID_REPLACE_RETURN, "serious_pending", count=n) if n else ()
    return _remedy(basis, False, "serious_repeated", PAID_REPLACE_RETURN, pending=pending)


def assemblies_replaced(ctx: Context, basis: str, with_main_parts: frozenset[str]) -> Finding:
    """Compensated replacement or return: pooled whole-assembly replacements N times, still failing.

    ``with_main_parts``: systems whose same main part replaced N times also counts (2013.20.3.2).
    Assembly and main-part replacements are never added together.
    """
    need, pooled = ctx.p.replacements, ctx.p.pooled_assemblies
    seen, nth, used = 0, None, []
    for v in ctx.visits:
        if not v.counted:
            continue
        for r in v.event.replaced:
            if r.whole_assembly and r.assembly in pooled and is_done(r):
                seen += 1
                used.append(v)
                if seen == need:
                    nth = v
    if nth is not None and ctx.still_failing(nth):
        return _needs_tg(
            ctx, basis, "assemblies_replaced", PAID_REPLACE_RETURN, _ids(used), count=seen
        )
    if with_main_parts:
        found = main_parts_replaced(ctx, basis, with_main_parts)
        if found.holds or found.pending:
            return found
    pending: tuple[Threshold, ...] = ()
    if seen and nth is None:
        pending = _pending(ctx, basis, PAID_REPLACE_RETURN, "assembly_pending", count=seen)
    return _remedy(basis, False, "assemblies_replaced", PAID_REPLACE_RETURN, pending=pending)


def main_parts_replaced(ctx: Context, basis: str, systems: frozenset[str]) -> Finding:
    """Compensated replacement or return: the same main part replaced N times, still failing."""
    need = ctx.p.replacements
    tally: dict[str, int] = {}
    nth: dict[str, Visit] = {}
    used: dict[str, list[Visit]] = {}
    for v in ctx.visits:
        if not v.counted:
            continue
        for r in v.event.replaced:
            if r.main_part and not r.whole_assembly and r.assembly in systems and is_done(r):
                key = part_key(r.assembly, r.part)
                tally[key] = tally.get(key, 0) + 1
                used.setdefault(key, []).append(v)
                if tally[key] == need:
                    nth[key] = v
    failing = [key for key, v in nth.items() if ctx.still_failing(v)]
    if failing:
        keys = "、".join(failing)
        events = _ids([v for key in failing for v in used[key]])
        return _needs_tg(
            ctx, basis, "main_part_replaced", PAID_REPLACE_RETURN, events, parts=keys, times=need
        )
    once = [key for key, n in tally.items() if n < need]
    pending: tuple[Threshold, ...] = ()
    if once:
        pending = _pending(
            ctx, basis, PAID_REPLACE_RETURN, "main_part_pending", parts="、".join(once)
        )
    return _remedy(basis, False, "main_part_replaced", PAID_REPLACE_RETURN, pending=pending)


def time_or_count(ctx: Context, basis: str, grants: Grants) -> Finding:
    """Compensated replacement (2022: or return): repair days or same-problem repairs exceeded.

    Computed once per assessment: 2013.23 asks again for the finding of 2013.21.1.
    """
    found = ctx.memo.get(basis)
    if found is None:
        found = ctx.memo[basis] = _time_or_count(ctx, basis, grants)
    return found


def _time_or_count(ctx: Context, basis: str, grants: Grants) -> Finding:
    p = ctx.p
    total = ctx.counts.repair_days_total
    over = {label: vs for label, vs in ctx.by_problem.items() if len(vs) > p.repeat_repairs_over}
    events: list[Visit] = [v for vs in over.values() for v in vs]
    if total > p.repair_days_over:
        events += [v for v in ctx.visits if v.counted]
    values: dict[str, Any] = {
        "total": total,
        "days_over": p.repair_days_over,
        "repairs_over": p.repeat_repairs_over,
    }
    if events:
        values["problems"] = "、".join(f"{k}×{len(vs)}" for k, vs in over.items())
        return _needs_tg(ctx, basis, "time_or_count", grants, _ids(events), **values)
    pending: tuple[Threshold, ...] = ()
    if ctx.by_problem:
        label, counted = max(ctx.by_problem.items(), key=lambda kv: len(kv[1]))
        pending = _pending(
            ctx, basis, grants, "time_or_count_pending", problem=label,
            more_repairs=p.repeat_repairs_over + 1 - len(counted),
            more_days=p.repair_days_over + 1 - total,
        )  # fmt: skip
    return _remedy(basis, False, "time_or_count", grants, pending=pending)


# --- exclusions -------------------------------------------------------------------------------


def _excluded(
    basis: str | None, label: str | None, note: str, kind: str = "exclusion", **values: Any
) -> Finding:
    return Finding(basis, True, kind, note, problem=label, values=tuple(values.items()))


def case_excluded(basis: str, note: str) -> Finding:
    """Return a whole-case exclusion (``problem`` None)."""
    return _excluded(basis, None, note, kind="case_exclusion")


def problems_excluded_as(scope: Scope, basis: str, exclusion: str) -> tuple[Finding, ...]:
    """Exclude every problem whose ``exclusion`` fact is ``exclusion``."""
    # a plain loop: on most cases nothing is excluded and no generator is worth it
    found: tuple[Finding, ...] = ()
    for pr in scope.facts.problems:
        if pr.exclusion == exclusion:
            found += (_excluded(basis, pr.label, "problem_exclusion", exclusion=exclusion),)
    return found


def not_quality_problems(scope: Scope) -> tuple[Finding, ...]:
    """List every problem judged not to be a quality problem (basis null)."""
    # Reading: a problem that is also under an `exclusion` is listed twice (null and that basis).
    found: tuple[Finding, ...] = ()
    for pr in scope.facts.problems:
        if not pr.quality_problem:
            found += (_excluded(None, pr.label, "not_quality_problem"),)
    return found


def wear_parts_expired(scope: Scope, basis: str) -> tuple[Finding, ...]:
    """Exclude a wear-part problem whose first repair visit is past that part's guarantee."""
    found = []
    for pr in scope.facts.problems:
        first = scope.first_visit.get(pr.label)
        period = scope.wear.get(pr.wear_part or "")
        if first is None or period is None:
            continue
        event = scope.facts.events[first]
        if not is_inside(period, day_of(event.start), event.odometer_km):
            found.append(_excluded(basis, pr.label, "wear_part_expired", part=pr.wear_part))
    return tuple(found)
