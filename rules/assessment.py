"""Frozen output dataclasses (the trace ``Finding`` and the ``Assessment``) and ``to_dict``.

``Assessment.to_dict()`` is the only way out and produces exactly the contract's JSON.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

CONTRACT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Threshold:
    """What would open a further remedy: ``note`` names the sentence, ``values`` fill it."""

    remedy: str
    basis: str
    note: str
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict in the trace; remedies, exclusions and sentences are built from it.

    ``kind`` is ``remedy``, ``exclusion`` (one problem) or ``case_exclusion`` (the whole case).
    ``grants`` lists ``(remedy, free)`` pairs opened when ``holds``.
    """

    basis: str | None
    holds: bool
    kind: str
    note: str
    grants: tuple[tuple[str, bool], ...] = ()
    events: tuple[int, ...] = ()
    problem: str | None = None
    condition: str | None = None
    values: tuple[tuple[str, Any], ...] = ()
    pending: tuple[Threshold, ...] = ()


@dataclass(frozen=True, slots=True)
class Period:
    """A window: ``ends_on`` is its last day, ``km_limit`` None where it has none."""

    start: date
    ends_on: date
    km_limit: int | None
    status: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's period object."""
        d: dict[str, Any] = {} if self.name is None else {"name": self.name}
        d["start"] = self.start.isoformat()
        d["ends_on"] = self.ends_on.isoformat()
        d["km_limit"] = self.km_limit
        d["status"] = self.status
        return d


@dataclass(frozen=True, slots=True)
class Counts:
    """Counted visits, cumulative repair days and replacement tallies."""

    repairs_by_problem: tuple[tuple[str, int], ...] = ()
    repair_days_total: int = 0
    serious_safety_repairs: int = 0
    assembly_replacements: tuple[tuple[str, int], ...] = ()
    main_part_replacements: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's counts object."""
        return {
            "repairs_by_problem": dict(self.repairs_by_problem),
            "repair_days_total": self.repair_days_total,
            "serious_safety_repairs": self.serious_safety_repairs,
            "assembly_replacements": dict(self.assembly_replacements),
            "main_part_replacements": dict(self.main_part_replacements),
        }


@dataclass(frozen=True, slots=True)
class Remedy:
    """One (remedy, basis) the consumer is entitled to now."""

    remedy: str
    basis: str
    article: str
    free: bool
    condition: str | None
    events: tuple[int, ...]
    because: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's remedy object."""
        return {
            "remedy": self.remedy,
            "basis": self.basis,
            "article": self.article,
            "free": self.free,
            "condition": self.condition,
            "events": list(self.events),
            "because": self.because,
        }


@dataclass(frozen=True, slots=True)
class Compensation:
    """Usage compensation (合理使用补偿); money as 2-decimal strings, rates as numbers."""

    price_yuan: str
    odometer_km: int
    rate: float | None
    rate_range: tuple[float, float]
    amount_yuan: str | None
    amount_range_yuan: tuple[str, str]
    formula: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's compensation object."""
        return {
            "price_yuan": self.price_yuan,
            "odometer_km": self.odometer_km,
            "rate": self.rate,
            "rate_range": list(self.rate_range),
            "amount_yuan": self.amount_yuan,
            "amount_range_yuan": list(self.amount_range_yuan),
            "formula": self.formula,
        }


@dataclass(frozen=True, slots=True)
class Excluded:
    """A problem (or, with ``problem`` None, the whole case) relieved of liability."""

    problem: str | None
    basis: str | None
    because: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's excluded object."""
        return {"problem": self.problem, "basis": self.basis, "because": self.because}


@dataclass(frozen=True, slots=True)
class NextThreshold:
    """What would open a further remedy, in words."""

    remedy: str
    basis: str
    needs: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's next-threshold object."""
        return {"remedy": self.remedy, "basis": self.basis, "needs": self.needs}


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of ``assess``; ``trace`` keeps every Finding the rules produced."""

    regime: str | None
    regime_reason: str
    periods: tuple[tuple[str, Period], ...]
    wear_periods: tuple[Period, ...]
    counts: Counts
    remedies: tuple[Remedy, ...]
    compensation: Compensation | None
    excluded: tuple[Excluded, ...]
    written_answer_due: date | None
    completion_due: date | None
    warnings: tuple[str, ...]
    next_thresholds: tuple[NextThreshold, ...]
    explanation: str
    trace: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the contract's assessment JSON (as plain dicts, lists and scalars)."""
        periods: dict[str, Any] = {}
        if self.regime is not None:
            for key, p in self.periods:
                periods[key] = p.to_dict()
            periods["wear_parts"] = [p.to_dict() for p in self.wear_periods]
        return {
            "contract": CONTRACT_VERSION,
            "regime": self.regime,
            "regime_reason": self.regime_reason,
            "periods": periods,
            "counts": self.counts.to_dict(),
            "remedies": [r.to_dict() for r in self.remedies],
            "compensation": None if self.compensation is None else self.compensation.to_dict(),
            "excluded": [e.to_dict() for e in self.excluded],
            "deadlines": {
                "written_answer_due": _iso(self.written_answer_due),
                "completion_due": _iso(self.completion_due),
            },
            "warnings": list(self.warnings),
            "next_thresholds": [t.to_dict() for t in self.next_thresholds],
            "explanation": self.explanation,
        }
