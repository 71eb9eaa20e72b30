"""Decimal money helpers: yuan rounded half-up to the fen (0.01), printed with 2 decimals."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Final

from rules.facts import Facts
from rules.params import Params
from rules.periods import Note

FEN: Final = Decimal("0.01")
_THOUSAND: Final = Decimal(1000)


def to_fen(amount: Decimal) -> Decimal:
    """Round ``amount`` half-up to 0.01 yuan."""
    return amount.quantize(FEN, ROUND_HALF_UP)  # by position: a keyword costs a dict per call


def yuan(amount: Decimal) -> str:
    """Format ``amount`` as yuan with exactly 2 decimals ("2175.00")."""
    return str(to_fen(amount))


def usage_compensation(price_yuan: Decimal, odometer_km: int, rate: Decimal) -> Decimal:
    """Return price × km ÷ 1000 × n, rounded half-up to the fen (2013.25, 2022.27)."""
    return to_fen(price_yuan * odometer_km * rate / _THOUSAND)


@lru_cache(maxsize=256)
def percent(rate: Decimal) -> str:
    """Format a coefficient as a percentage without trailing zeros (0.005 → "0.5%").

    Cached: a handful of coefficients (the cards' and the regimes' bounds) recur in every case.
    """
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"


def as_decimal(value: object) -> Decimal:
    """Return ``value`` as a Decimal (directly built Facts may carry an int or a float)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def compensation_rate(facts: Facts, p: Params, notes: list[Note]) -> Decimal | None:
    """Return the card's coefficient n, clamped into the regime's range (with a warning)."""
    rate = facts.warranty_card.compensation_rate
    if rate is None:
        return None
    rate = as_decimal(rate)
    used = min(max(rate, p.rate_min), p.rate_max)
    if used != rate:
        values = (
            ("rate", percent(rate)),
            ("low", percent(p.rate_min)),
            ("high", percent(p.rate_max)),
        )
        notes.append(("rate_clamped", (*values, ("used", percent(used)))))
    return used
