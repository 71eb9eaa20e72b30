"""The registry of regimes and ``select_regime``: which rules govern a purchase (§1)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from rules import regime_2013, regime_2022
from rules.assessment import Period
from rules.context import ExclusionRule, RemedyRule
from rules.facts import Facts
from rules.params import P2013, P2022, Params
from rules.periods import Note


@dataclass(frozen=True, slots=True)
class Regime:
    """One regime: its parameters, exclusion rules and remedy rules."""

    id: str
    params: Params
    exclusions: tuple[ExclusionRule, ...]
    rules: tuple[RemedyRule, ...]
    #: the regime's period rule, compensation-coefficient rule and request-deadline rule
    periods: Callable[..., tuple[tuple[tuple[str, Period], ...], tuple[Period, ...]]]
    compensation_rate: Callable[[Facts, list[Note]], Decimal | None]
    deadlines: Callable[..., tuple[date | None, date | None]]


REGIMES: Final = MappingProxyType(
    {
        "2013": Regime(
            "2013",
            P2013,
            regime_2013.EXCLUSIONS,
            regime_2013.RULES,
            regime_2013.periods,
            regime_2013.compensation_rate,
            regime_2013.deadlines,
        ),
        "2022": Regime(
            "2022",
            P2022,
            regime_2022.EXCLUSIONS,
            regime_2022.RULES,
            regime_2022.periods,
            regime_2022.compensation_rate,
            regime_2022.deadlines,
        ),
    }
)


def select_regime(facts: Facts) -> tuple[Regime | None, Note]:
    """Return the regime for ``facts`` (None before 2013-10-01) and the reason as a note."""
    invoice = facts.purchase.invoice_date
    values = (("invoice_date", invoice),)
    if facts.regime is not None:
        forced = str(facts.regime)  # directly built Facts may carry the number 2013
        return REGIMES[forced], ("regime_forced", values + (("regime", forced),))
    if invoice >= P2022.effective_from:
        return REGIMES["2022"], ("regime_2022", values)
    if invoice >= P2013.effective_from:
        return REGIMES["2013"], ("regime_2013", values)
    return None, ("regime_none", values)
