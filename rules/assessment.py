"""Frozen output dataclasses (the trace ``Finding`` and the ``Assessment``) and ``to_dict``.

``Assessment.to_dict()`` is the only way out and produces exactly the contract's JSON.

Each class writes its ``__init__`` out with ``object.__setattr__``, as the generated one does:
mypyc compiles a written one to plain stores (~0.05 µs instead of ~1 µs per object; about 40
objects per assessment), while a generated one stays interpreted.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

#: 2: replaced-part items carry ``status`` (``replacement_needed``) and the optional
#: ``alternatives`` (the 2022 reading of a 2013 case reaching into 2022) joined the output.
CONTRACT_VERSION = 2


@dataclass(frozen=True, slots=True, init=False)
class Threshold:
    """What would open a further remedy: ``note`` names the sentence, ``values`` fill it."""

    remedy: str
    basis: str
    note: str
    values: tuple[tuple[str, Any], ...]

    def __init__(
        self, remedy: str, basis: str, note: str, values: tuple[tuple[str, Any], ...] = ()
    ) -> None:
        object.__setattr__(self, "remedy", remedy)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "note", note)
        object.__setattr__(self, "values", values)


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    """One rule's verdict in the trace; remedies, exclusions and sentences are built from it.

    ``kind`` is ``remedy``, ``exclusion`` (one problem) or ``case_exclusion`` (the whole case).
    ``grants`` lists ``(remedy, free)`` pairs opened when ``holds``.
    """

    basis: str | None
    holds: bool
    kind: str
    note: str
    grants: tuple[tuple[str, bool], ...]
    events: tuple[int, ...]
    problem: str | None
    condition: str | None
    values: tuple[tuple[str, Any], ...]
    pending: tuple[Threshold, ...]

    def __init__(
        self,
        basis: str | None,
        holds: bool,
        kind: str,
        note: str,
        grants: tuple[tuple[str, bool], ...] = (),
        events: tuple[int, ...] = (),
        problem: str | None = None,
        condition: str | None = None,
        values: tuple[tuple[str, Any], ...] = (),
        pending: tuple[Threshold, ...] = (),
    ) -> None:
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "holds", holds)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "note", note)
        object.__setattr__(self, "grants", grants)
        object.__setattr__(self, "events", events)
        object.__setattr__(self, "problem", problem)
        object.__setattr__(self, "condition", condition)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "pending", pending)


@dataclass(frozen=True, slots=True, init=False)
class Period:
    """A window: ``ends_on`` is its last day, ``km_limit`` None where it has none."""

    start: date
    ends_on: date
    km_limit: int | None
    status: str
    name: str | None

    def __init__(
        self, start: date, ends_on: date, km_limit: int | None, status: str, name: str | None = None
    ) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "ends_on", ends_on)
        object.__setattr__(self, "km_limit", km_limit)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "name", name)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's period object (a wear part's starts with its ``name``)."""
        start, ends_on = iso_date(self.start), iso_date(self.ends_on)
        if self.name is None:
            return {
                "start": start,
                "ends_on": ends_on,
                "km_limit": self.km_limit,
                "status": self.status,
            }
        return {
            "name": self.name,
            "start": start,
            "ends_on": ends_on,
            "km_limit": self.km_limit,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True, init=False)
class Counts:
    """Counted visits, cumulative repair days and replacement tallies."""

    repairs_by_problem: tuple[tuple[str, int], ...]
    repair_days_total: int
    serious_safety_repairs: int
    assembly_replacements: tuple[tuple[str, int], ...]
    main_part_replacements: tuple[tuple[str, int], ...]

    def __init__(
        self,
        repairs_by_problem: tuple[tuple[str, int], ...] = (),
        repair_days_total: int = 0,
        serious_safety_repairs: int = 0,
        assembly_replacements: tuple[tuple[str, int], ...] = (),
        main_part_replacements: tuple[tuple[str, int], ...] = (),
    ) -> None:
        object.__setattr__(self, "repairs_by_problem", repairs_by_problem)
        object.__setattr__(self, "repair_days_total", repair_days_total)
        object.__setattr__(self, "serious_safety_repairs", serious_safety_repairs)
        object.__setattr__(self, "assembly_replacements", assembly_replacements)
        object.__setattr__(self, "main_part_replacements", main_part_replacements)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's counts object."""
        return {
            "repairs_by_problem": dict(self.repairs_by_problem),
            "repair_days_total": self.repair_days_total,
            "serious_safety_repairs": self.serious_safety_repairs,
            "assembly_replacements": dict(self.assembly_replacements),
            "main_part_replacements": dict(self.main_part_replacements),
        }


@dataclass(frozen=True, slots=True, init=False)
class Remedy:
    """One (remedy, basis) the consumer is entitled to now."""

    remedy: str
    basis: str
    article: str
    free: bool
    condition: str | None
    events: tuple[int, ...]
    because: str

    def __init__(
        self,
        remedy: str,
        basis: str,
        article: str,
        free: bool,
        condition: str | None,
        events: tuple[int, ...],
        because: str,
    ) -> None:
        object.__setattr__(self, "remedy", remedy)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "article", article)
        object.__setattr__(self, "free", free)
        object.__setattr__(self, "condition", condition)
        object.__setattr__(self, "events", events)
        object.__setattr__(self, "because", because)

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


@dataclass(frozen=True, slots=True, init=False)
class Compensation:
    """Usage compensation (合理使用补偿); money as 2-decimal strings, rates as numbers."""

    price_yuan: str
    odometer_km: int
    rate: float | None
    rate_range: tuple[float, float]
    amount_yuan: str | None
    amount_range_yuan: tuple[str, str]
    formula: str

    def __init__(
        self,
        price_yuan: str,
        odometer_km: int,
        rate: float | None,
        rate_range: tuple[float, float],
        amount_yuan: str | None,
        amount_range_yuan: tuple[str, str],
        formula: str,
    ) -> None:
        object.__setattr__(self, "price_yuan", price_yuan)
        object.__setattr__(self, "odometer_km", odometer_km)
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "rate_range", rate_range)
        object.__setattr__(self, "amount_yuan", amount_yuan)
        object.__setattr__(self, "amount_range_yuan", amount_range_yuan)
        object.__setattr__(self, "formula", formula)

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


@dataclass(frozen=True, slots=True, init=False)
class Excluded:
    """A problem (or, with ``problem`` None, the whole case) relieved of liability."""

    problem: str | None
    basis: str | None
    because: str

    def __init__(self, problem: str | None, basis: str | None, because: str) -> None:
        object.__setattr__(self, "problem", problem)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "because", because)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's excluded object."""
        return {"problem": self.problem, "basis": self.basis, "because": self.because}


@dataclass(frozen=True, slots=True, init=False)
class NextThreshold:
    """What would open a further remedy, in words."""

    remedy: str
    basis: str
    needs: str

    def __init__(self, remedy: str, basis: str, needs: str) -> None:
        object.__setattr__(self, "remedy", remedy)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "needs", needs)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's next-threshold object."""
        return {"remedy": self.remedy, "basis": self.basis, "needs": self.needs}


@dataclass(frozen=True, slots=True, init=False)
class Difference:
    """One way the other regime's reading differs (``what``), with its value under each."""

    what: str
    before: Any
    after: Any
    text: str

    def __init__(self, what: str, before: Any, after: Any, text: str) -> None:
        object.__setattr__(self, "what", what)
        object.__setattr__(self, "before", before)
        object.__setattr__(self, "after", after)
        object.__setattr__(self, "text", text)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's difference object (its lists copied: one Difference serves
        every assessment of the same two regimes, see ``rules.engine._differences``)."""
        before = list(self.before) if isinstance(self.before, list) else self.before
        after = list(self.after) if isinstance(self.after, list) else self.after
        return {"what": self.what, "from": before, "to": after, "text": self.text}


def iso_day(d: date | None) -> str | None:
    """Return ``d`` as ``YYYY-MM-DD``, None for None."""
    return None if d is None else iso_date(d)


#: "00" to "99": a date's month and day as text, looked up instead of printed
_TWO_DIGITS: Final = tuple(f"{n:02d}" for n in range(100))
#: each plain date's text, written once per process: reading a date's three fields costs more
#: than its (cached) hash and one lookup, and cases share most of their days
_ISO_TEXT: Final[dict[date, str]] = {}
#: the most days kept (parsed dates lie in 1900-2100, so about 73,000 could ever be asked)
_ISO_TEXT_MAX: Final = 1 << 17


def iso_date(d: date) -> str:
    """Return ``d.isoformat()``; for a plain date of a four-digit year, without ``printf``.

    ``isoformat`` goes through C ``printf`` (a few thousand instructions); about ten dates are
    written per assessment (periods, deadlines, sentences).
    """
    if type(d) is not date:
        return d.isoformat()
    text = _ISO_TEXT.get(d)
    if text is None:
        year = d.year
        if year < 1000:
            return d.isoformat()
        text = f"{year}-{_TWO_DIGITS[d.month]}-{_TWO_DIGITS[d.day]}"
        if len(_ISO_TEXT) < _ISO_TEXT_MAX:
            _ISO_TEXT[d] = text
    return text


@dataclass(frozen=True, slots=True, init=False)
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
    trace: tuple[Finding, ...]
    #: the same facts read under another regime, with what differs (see ``rules.transition``)
    alternatives: tuple[tuple["Assessment", tuple[Difference, ...]], ...]

    def __init__(
        self,
        regime: str | None,
        regime_reason: str,
        periods: tuple[tuple[str, Period], ...],
        wear_periods: tuple[Period, ...],
        counts: Counts,
        remedies: tuple[Remedy, ...],
        compensation: Compensation | None,
        excluded: tuple[Excluded, ...],
        written_answer_due: date | None,
        completion_due: date | None,
        warnings: tuple[str, ...],
        next_thresholds: tuple[NextThreshold, ...],
        explanation: str,
        trace: tuple[Finding, ...] = (),
        alternatives: tuple[tuple["Assessment", tuple[Difference, ...]], ...] = (),
    ) -> None:
        object.__setattr__(self, "regime", regime)
        object.__setattr__(self, "regime_reason", regime_reason)
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "wear_periods", wear_periods)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "remedies", remedies)
        object.__setattr__(self, "compensation", compensation)
        object.__setattr__(self, "excluded", excluded)
        object.__setattr__(self, "written_answer_due", written_answer_due)
        object.__setattr__(self, "completion_due", completion_due)
        object.__setattr__(self, "warnings", warnings)
        object.__setattr__(self, "next_thresholds", next_thresholds)
        object.__setattr__(self, "explanation", explanation)
        object.__setattr__(self, "trace", trace)
        object.__setattr__(self, "alternatives", alternatives)

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the contract's assessment JSON (as plain dicts, lists and scalars)."""
        out: dict[str, Any] = {"contract": CONTRACT_VERSION}
        out.update(self._body())
        if self.alternatives:
            out["alternatives"] = [
                a._body() | {"differences": [d.to_dict() for d in diffs]}
                for a, diffs in self.alternatives
            ]
        return out

    def _body(self) -> dict[str, Any]:
        """Return the assessment's fields after ``contract`` (an alternative has them too)."""
        periods: dict[str, Any] = {}
        if self.regime is not None:
            for key, p in self.periods:
                periods[key] = p.to_dict()
            periods["wear_parts"] = [p.to_dict() for p in self.wear_periods]
        return {
            "regime": self.regime,
            "regime_reason": self.regime_reason,
            "periods": periods,
            "counts": self.counts.to_dict(),
            "remedies": [r.to_dict() for r in self.remedies],
            "compensation": None if self.compensation is None else self.compensation.to_dict(),
            "excluded": [e.to_dict() for e in self.excluded],
            "deadlines": {
                "written_answer_due": iso_day(self.written_answer_due),
                "completion_due": iso_day(self.completion_due),
            },
            "warnings": list(self.warnings),
            "next_thresholds": [t.to_dict() for t in self.next_thresholds],
            "explanation": self.explanation,
        }
