"""The computation behind an assessment, for an auditor to follow (``--trace``, ``?trace=1``).

``trace(facts)`` runs the engine's own steps (``rules.engine``) and returns them as plain JSON
data: each window with the reading that ended it, each visit with its days and the rule that
counted or left it out, each threshold with its inputs, every rule's finding and the deadlines.
It decides nothing the engine does not: tests hold its numbers equal to the assessment's.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from rules.articles import basis_for
from rules.assessment import Finding, Period
from rules.context import Context, Visit
from rules.engine import _evaluate, alternative_regime
from rules.facts import Facts
from rules.params import Params
from rules.periods import ENDED_BY_KM, ENDED_BY_TIME, Note, card_term
from rules.regimes import REGIMES, Regime, select_regime
from rules.workdays import YearCalendar


def trace(facts: Facts, *, holidays: Mapping[int, YearCalendar] | None = None) -> dict[str, Any]:
    """Return the computation of ``assess(facts)`` step by step; when the assessment carries the
    2022 reading of a 2013 case (``alternatives``), its computation comes under the same key."""
    regime, _reason = select_regime(facts)
    if regime is None:
        return {"regime": None, "periods": [], "visits": [], "thresholds": [], "rules": []}
    out = _trace_under(facts, regime, holidays)
    if alternative_regime(facts, regime) is not None:
        out["alternatives"] = [_trace_under(facts, REGIMES["2022"], holidays)]
    return out


def _trace_under(
    facts: Facts, regime: Regime, holidays: Mapping[int, YearCalendar] | None
) -> dict[str, Any]:
    notes: list[Note] = []
    ctx, findings, named, wear = _evaluate(facts, regime, notes)
    answer, completion = regime.deadlines(facts, holidays, notes)
    return {
        "regime": regime.id,
        "periods": _periods(facts, regime, named, wear),
        "visits": [_visit(ctx, v) for v in ctx.visits],
        "thresholds": _thresholds(ctx, regime),
        "rules": [_finding(f) for f in ctx.exclusions + findings],
        "deadlines": _deadlines(facts, regime, answer, completion),
    }


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _readings(facts: Facts) -> list[tuple[str, date, int]]:
    """Every dated odometer reading with where it comes from, in date order."""
    found = [
        (f"events[{i}]", e.start.date() if isinstance(e.start, datetime) else e.start, km)
        for i, e in enumerate(facts.events)
        if (km := e.odometer_km) is not None
    ]
    found.append(("as_of", facts.as_of.date, facts.as_of.odometer_km))
    return sorted(found, key=lambda r: r[1])


def _terms(facts: Facts, p: Params) -> dict[str, dict[str, int | None]]:
    """The length of each named window: the law's minimum, raised by the card."""
    card = facts.warranty_card
    scratch: list[Note] = []  # the engine has already warned about raised terms
    rw = card_term(card.repair_warranty, p.repair_warranty_years, p.repair_warranty_km, "", scratch)
    tg = card_term(card.three_guarantee, p.three_guarantee_years, p.three_guarantee_km, "", scratch)
    return {
        "repair_warranty": {"years": rw[0], "km": rw[1]},
        "three_guarantee": {"years": tg[0], "km": tg[1]},
        "early": {"days": p.early_days, "km": p.early_km},
        "first_week": {"days": p.first_week_days, "km": None},
    }


def _period(
    name: str, period: Period, term: dict[str, int | None], basis: tuple[str, ...],
    readings: list[tuple[str, date, int]], as_of: date,
) -> dict[str, Any]:  # fmt: skip
    """One window and what ended it: the first reading past its km limit, or the date."""
    ended_by = None
    if period.status == ENDED_BY_KM and period.km_limit is not None:
        source, day, km = next(
            r for r in readings if r[1] <= period.ends_on and r[2] > period.km_limit
        )
        ended_by = {"by": "km", "reading": source, "date": day.isoformat(), "odometer_km": km}
    elif period.status == ENDED_BY_TIME:
        ended_by = {"by": "date", "reading": "as_of", "date": as_of.isoformat()}
    return {
        "name": name,
        "basis": list(basis),
        "start": period.start.isoformat(),
        "term": term,
        "ends_on": period.ends_on.isoformat(),
        "km_limit": period.km_limit,
        "status": period.status,
        "ended_by": ended_by,
    }


def _periods(
    facts: Facts, regime: Regime, named: tuple[tuple[str, Period], ...], wear: tuple[Period, ...]
) -> list[dict[str, Any]]:
    readings, as_of = _readings(facts), facts.as_of.date
    terms = _terms(facts, regime.params)
    out = [
        _period(key, p, terms[key], basis_for(regime.id, key), readings, as_of) for key, p in named
    ]
    months = {w.name: w.months for w in facts.warranty_card.wear_parts}
    for p in wear:
        term: dict[str, int | None] = {"months": months.get(p.name or ""), "km": p.km_limit}
        row = _period("wear_part", p, term, basis_for(regime.id, "wear_parts"), readings, as_of)
        out.append(row | {"part": p.name})
    return out


def _why(ctx: Context, v: Visit) -> tuple[str, str | None]:
    """The rule that counted the visit or left it out, with its basis (regulation.md §3)."""
    regime = ctx.p.regime
    if not v.event.fault_found:
        return "no_fault_found", None
    if not v.problem.quality_problem:
        return "not_quality_problem", None
    for f in ctx.exclusions:
        if f.problem == v.problem.label:
            return "problem_excluded", f.basis
    counting = basis_for(regime, "repairs_by_problem")[0]
    if not v.in_three_guarantee:
        return "outside_three_guarantee", counting
    return "counted", counting


def _visit(ctx: Context, v: Visit) -> dict[str, Any]:
    rule, basis = _why(ctx, v)
    ev = v.event
    inside = {
        "repair_warranty": v.in_repair_warranty,
        "three_guarantee": v.in_three_guarantee,
        "early": v.in_early,
    }
    if ctx.p.first_week_days is not None:
        inside["first_week"] = v.in_first_week
    return {
        "event": v.index,
        "problem": v.problem.label,
        "start": _json(ev.start),
        "end": _json(ev.end),
        "odometer_km": ev.odometer_km,
        "days": v.days,
        "days_by": "hours" if v.timed else "calendar_days",
        "excluded_days": v.days - v.net_days if v.days > v.net_days else 0,
        "net_days": v.net_days,
        "inside": inside,
        "counted": v.counted,
        "rule": rule,
        "basis": basis,
    }


def _thresholds(ctx: Context, regime: Regime) -> list[dict[str, Any]]:
    """Each number a ground compares with its limit, with the visits it is made of."""
    p, counts, rid = ctx.p, ctx.counts, regime.id
    counted = ctx.counted()
    out: list[dict[str, Any]] = [
        {
            "name": "repair_days_total",
            "basis": list(basis_for(rid, "repair_days_total")),
            "inputs": [{"event": v.index, "net_days": v.net_days} for v in counted],
            "value": counts.repair_days_total,
            "over": p.repair_days_over,
            "met": counts.repair_days_total > p.repair_days_over,
        }
    ]
    for label, visits in ctx.by_problem.items():
        out.append(
            {
                "name": "repairs_by_problem",
                "basis": list(basis_for(rid, "repairs_by_problem")),
                "problem": label,
                "inputs": [{"event": v.index} for v in visits],
                "value": len(visits),
                "over": p.repeat_repairs_over,
                "met": len(visits) > p.repeat_repairs_over,
            }
        )
    longest = [v for v in ctx.visits if v.covered and v.in_repair_warranty]
    out.append(
        {
            "name": "single_repair_days",
            "basis": list(basis_for(rid, "single_repair_days")),
            "inputs": [{"event": v.index, "days": v.days} for v in longest],
            "value": max((v.days for v in longest), default=0),
            "over": p.backup_days_over,
            "met": any(v.days > p.backup_days_over for v in longest),
        }
    )
    serious = [v for v in counted if v.problem.serious_safety]
    out.append(
        {
            "name": "serious_safety_repairs",
            "basis": list(basis_for(rid, "serious_safety_repairs")),
            "inputs": [{"event": v.index, "resolved": v.event.resolved} for v in serious],
            "value": counts.serious_safety_repairs,
            "need": p.serious_repairs,
        }
    )
    assemblies = dict(counts.assembly_replacements)
    out.append(
        {
            "name": "assembly_replacements",
            "basis": list(basis_for(rid, "assembly_replacements")),
            "inputs": assemblies,
            "value": sum(n for a, n in assemblies.items() if a in p.pooled_assemblies),
            "need": p.replacements,
        }
    )
    for key, n in counts.main_part_replacements:
        system = key.partition(":")[0]
        bases = [b for b, systems in p.main_part_grounds if system in systems]
        out.append(
            {"name": "main_part_replacements", "basis": bases, "part": key, "value": n,
             "need": p.replacements}
        )  # fmt: skip
    return out


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "basis": f.basis,
        "kind": f.kind,
        "holds": f.holds,
        "note": f.note,
        "problem": f.problem,
        "events": list(f.events),
        "values": {k: _json(v) for k, v in f.values},
        "pending": [
            {"remedy": t.remedy, "values": {k: _json(v) for k, v in t.values}} for t in f.pending
        ],
    }


def _deadlines(
    facts: Facts, regime: Regime, answer: date | None, completion: date | None
) -> dict[str, Any]:
    request = facts.written_request_date
    p, rid = regime.params, regime.id
    out: dict[str, Any] = {}
    if answer is not None and request is not None:
        out["written_answer_due"] = {
            "basis": list(basis_for(rid, "written_answer_due")),
            "from": request.isoformat(),
            "working_days": p.answer_working_days,
            "due": answer.isoformat(),
        }
    if completion is not None and request is not None:
        out["completion_due"] = {
            "basis": list(basis_for(rid, "completion_due")),
            "from": request.isoformat(),
            "working_days": p.completion_working_days,
            "due": completion.isoformat(),
        }
    return out
