"""``assess``: select the regime, run its rules and build the Assessment from the trace.

Pure: no I/O, no clock; ``as_of`` comes from the facts and holiday tables come as an argument.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Final

from rules import explain, transition
from rules.assessment import (
    Assessment,
    Compensation,
    Counts,
    Difference,
    Excluded,
    Finding,
    NextThreshold,
    Period,
    Remedy,
    iso_day,
)
from rules.context import Context, build_context, chronological
from rules.facts import Facts, day_of
from rules.money import as_decimal, percent, usage_compensation, yuan
from rules.params import P2013, P2022, Params
from rules.periods import Note, period_start, readings_of
from rules.regimes import REGIMES, Regime, select_regime
from rules.workdays import YearCalendar

_RANK: Final = {
    "vehicle_return": 0,
    "vehicle_replacement": 1,
    "assembly_replacement": 2,
    "wear_part_replacement": 3,
    "backup_vehicle": 4,
    "free_repair": 5,
}
_BOUNDARIES: Final = (("from_2013", P2013.effective_from), ("from_2022", P2022.effective_from))


def assess(
    facts: Facts,
    *,
    lang: str = "zh",
    holidays: Mapping[int, YearCalendar] | None = None,
    audience: str = "consumer",
) -> Assessment:
    """Assess ``facts`` under the regime that governs them; explanations in ``lang`` (zh or en),
    addressed to the consumer or, with ``audience`` "official", about the consumer."""
    regime, reason_note = select_regime(facts)
    reason = explain.reason(reason_note, lang, None if regime is None else regime.id, _BOUNDARIES)
    if regime is None:
        return _outside_regimes(reason, lang)
    notes: list[Note] = []
    alternatives: tuple[tuple[Assessment, tuple[Difference, ...]], ...] = ()
    crossing = alternative_regime(facts, regime)
    if crossing is not None:
        notes.append(crossing)
        later = REGIMES["2022"]
        note = ("regime_2022_alternative", reason_note[1])
        other = _assess_under(
            facts, later, explain.reason(note, lang, later.id, _BOUNDARIES), [], lang, holidays,
            audience,
        )  # fmt: skip
        alternatives = ((other, _differences(regime.id, later.id, lang)),)
    return _assess_under(facts, regime, reason, notes, lang, holidays, audience, alternatives)


def alternative_regime(facts: Facts, regime: Regime) -> Note | None:
    """Return the transition warning when a 2013 case is also read under the 2022 rules (its
    dates reach into 2022 and no regime was forced), else None."""
    if regime.id != "2013" or facts.regime is not None:
        return None
    return transition.crossing(facts, P2022.effective_from)


def _assess_under(
    facts: Facts,
    regime: Regime,
    reason: str,
    notes: list[Note],
    lang: str,
    holidays: Mapping[int, YearCalendar] | None,
    audience: str,
    alternatives: tuple[tuple[Assessment, tuple[Difference, ...]], ...] = (),
) -> Assessment:
    """Assess ``facts`` under ``regime``; ``notes`` may already hold warnings to report first."""
    start = period_start(facts, regime.params)
    if start != facts.purchase.invoice_date:
        reason += explain.delivery_start(start, lang)
    ctx, findings, named, wear = _evaluate(facts, regime, notes)
    whole_case = any(f.kind == "case_exclusion" for f in ctx.exclusions)
    remedies = () if whole_case else _remedies(findings, lang)
    rate = regime.compensation_rate(facts, notes)
    compensation = _compensation(facts, regime.params, rate, remedies, lang)
    answer, completion = regime.deadlines(facts, holidays, notes)
    thresholds = () if whole_case else _thresholds(findings, remedies, lang)
    excluded = tuple(Excluded(f.problem, f.basis, explain.because(f, lang)) for f in ctx.exclusions)
    text = explain.explanation(
        reason,
        remedies,
        [e.because for e in excluded],
        None if compensation is None else compensation.formula,
        (iso_day(answer), iso_day(completion)),
        len(thresholds),
        lang,
        facts.claim,
        audience,
    )
    return Assessment(
        regime=regime.id,
        regime_reason=reason,
        periods=named,
        wear_periods=wear,
        counts=ctx.counts,
        remedies=remedies,
        compensation=compensation,
        excluded=excluded,
        written_answer_due=answer,
        completion_due=completion,
        warnings=tuple(explain.warning(n, lang) for n in notes),
        next_thresholds=thresholds,
        explanation=text,
        trace=ctx.exclusions + findings,
        alternatives=alternatives,
    )


@lru_cache(maxsize=8)
def _differences(old: str, new: str, lang: str) -> tuple[Difference, ...]:
    """Return what reading a case under regime ``new`` instead of ``old`` changes, in words.

    Cached: it depends on the two regimes' parameters only, never on the facts.
    """
    return tuple(
        Difference(what, before, after, explain.difference(what, before, after, lang))
        for what, before, after in transition.differences(REGIMES[old].params, REGIMES[new].params)
    )


def _evaluate(
    facts: Facts, regime: Regime, notes: list[Note]
) -> tuple[Context, tuple[Finding, ...], tuple[tuple[str, Period], ...], tuple[Period, ...]]:
    """Place the facts in the regime's windows and run its rules: the trace."""
    p = regime.params
    order = chronological(facts.events)
    days = [day_of(ev.start) for ev in facts.events]  # each visit's day, read once for all
    _fact_notes(facts, p, order, days, notes)
    named, wear = regime.periods(facts, readings_of(facts, days), notes)
    wear_by_name = {w.name: w for w in wear if w.name is not None}  # every wear window is named
    ctx = build_context(facts, p, dict(named), wear_by_name, regime.exclusions, order, days)
    _visit_notes(ctx, notes)
    return ctx, tuple(rule(ctx) for rule in regime.rules), named, wear


def _thresholds(
    findings: tuple[Finding, ...], remedies: tuple[Remedy, ...], lang: str
) -> tuple[NextThreshold, ...]:
    """Render the pending thresholds whose (remedy, basis) is not already granted."""
    granted = {(r.remedy, r.basis) for r in remedies}
    # One ground's thresholds (one per remedy it would open) share their sentence: render it once.
    texts: dict[tuple[str, tuple[tuple[str, object], ...]], str] = {}
    found = []
    for f in findings:
        for t in f.pending:
            if (t.remedy, t.basis) in granted:
                continue
            text = texts.get((t.note, t.values))
            if text is None:
                text = texts[t.note, t.values] = explain.needs(t, lang)
            found.append(NextThreshold(t.remedy, t.basis, text))
    return tuple(found)


def _outside_regimes(reason: str, lang: str) -> Assessment:
    text = explain.explanation(reason, (), (), None, (None, None), 0, lang)
    return Assessment(
        regime=None,
        regime_reason=reason,
        periods=(),
        wear_periods=(),
        counts=Counts(),
        remedies=(),
        compensation=None,
        excluded=(),
        written_answer_due=None,
        completion_due=None,
        warnings=(),
        next_thresholds=(),
        explanation=text,
    )


def _remedies(findings: tuple[Finding, ...], lang: str) -> tuple[Remedy, ...]:
    seen: dict[tuple[str, str], Remedy] = {}
    for f in findings:
        if not f.holds or f.basis is None:
            continue
        text = explain.because(f, lang)
        for remedy, free in f.grants:
            if (remedy, f.basis) not in seen:
                seen[remedy, f.basis] = Remedy(
                    remedy, f.basis, _article(f.basis), free, f.condition, f.events, text
                )
    return tuple(sorted(seen.values(), key=lambda r: (_RANK[r.remedy], r.basis)))


#: each basis id's citation, written once per process (a few dozen basis ids exist)
_ARTICLES: Final[dict[str, str]] = {}


def _article(basis: str) -> str:
    text = _ARTICLES.get(basis)
    if text is None:
        text = _ARTICLES[basis] = explain.article(basis)
    return text


def _compensation(
    facts: Facts, p: Params, rate: Decimal | None, remedies: tuple[Remedy, ...], lang: str
) -> Compensation | None:
    """Return the usage compensation when a non-free replacement or return is open."""
    if not any(
        not r.free and r.remedy in ("vehicle_replacement", "vehicle_return") for r in remedies
    ):
        return None
    price, km = as_decimal(facts.purchase.price_yuan), facts.as_of.odometer_km
    price_yuan = yuan(price)
    low = yuan(usage_compensation(price, km, p.rate_min))
    high = yuan(usage_compensation(price, km, p.rate_max))
    amount = None if rate is None else yuan(usage_compensation(price, km, rate))
    shown_rate = None if rate is None else percent(rate)
    return Compensation(
        price_yuan=price_yuan,
        odometer_km=km,
        rate=None if rate is None else float(rate),
        rate_range=(float(p.rate_min), float(p.rate_max)),
        amount_yuan=amount,
        amount_range_yuan=(low, high),
        formula=explain.formula(price_yuan, km, shown_rate, amount, low, high, lang),
    )


def _fact_notes(
    facts: Facts, p: Params, order: list[int], days: list[date], notes: list[Note]
) -> None:
    """Warn about facts that look wrong: order, dates before the purchase or after ``as_of``."""
    purchase = facts.purchase
    if order != sorted(order):
        notes.append(("events_out_of_order", ()))
    for i, day in enumerate(days):
        if day < purchase.invoice_date:
            notes.append(("event_before_purchase", (("i", i), ("day", day))))
        # Reading: a visit after as_of is reported but still counted (the facts are the facts).
        if day > facts.as_of.date:
            notes.append(("event_after_as_of", (("i", i), ("as_of", facts.as_of.date))))
    if facts.as_of.date < purchase.invoice_date:
        notes.append(("as_of_before_purchase", (("as_of", facts.as_of.date),)))
    delivery = purchase.delivery_date
    if delivery is not None and delivery < purchase.invoice_date:
        notes.append(("delivery_before_invoice", (("delivery", delivery),)))
    if p.regime == "2013" and delivery is not None and delivery >= P2022.effective_from:
        notes.append(("delivery_in_2022", (("delivery", delivery),)))
    if p.regime == "2013" and not purchase.has_warranty_card:
        notes.append(("lost_card_2013", ()))
    if p.regime == "2022" and not (purchase.has_invoice and purchase.has_warranty_card):
        notes.append(("no_invoice_2022", ()))


def _visit_notes(ctx: Context, notes: list[Note]) -> None:
    """Warn about visits measured by dates only, still open, unplaced or without odometer."""
    as_of = ctx.facts.as_of.date
    wear = tuple(ctx.scope.wear.values())
    battery_ignored = "battery_transport" not in ctx.p.excluded_day_kinds
    found: dict[str, list[int]] = {}
    for v in sorted(ctx.visits, key=lambda v: v.index):
        codes = []
        if v.event.end is None:
            codes.append("still_in_workshop")
        elif not v.timed:
            codes.append("times_missing")
        if v.event.odometer_km is None:
            codes.append("odometer_missing")
        if not v.in_repair_warranty and not any(w.start <= v.day <= w.ends_on for w in wear):
            codes.append("event_outside_periods")
        if battery_ignored and v.event.excluded_days.battery_transport:
            codes.append("battery_transport_2013")
        for code in codes:
            found.setdefault(code, []).append(v.index)
    for code, indices in found.items():
        which = ", ".join(f"events[{i}]" for i in indices)
        notes.append((code, (("which", which), ("as_of", as_of))))
