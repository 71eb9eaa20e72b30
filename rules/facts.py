"""The facts of one case: vocabularies, frozen input dataclasses and ``FactsError``.

``rules.parsing.parse_facts`` builds them from the contract's JSON; nothing here decides anything.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

SYSTEMS = frozenset(
    {
        "engine", "transmission", "steering", "brakes", "suspension", "axle", "body", "fuel",
        "electrical", "power_battery", "drive_motor", "drivetrain", "emission_control", "other",
    }
)  # fmt: skip
FAILURES = frozenset(
    {"steering_failure", "brake_failure", "body_crack", "fuel_leak", "battery_fire"}
)
EXCLUSIONS = frozenset(
    {
        "disclosed_defect", "modification", "improper_handling",
        "improper_use_or_maintenance", "force_majeure",
    }
)  # fmt: skip
CATEGORIES = frozenset({"passenger", "pickup"})
USES = frozenset({"household", "commercial"})
POWERTRAINS = frozenset({"ice", "hev", "phev", "erev", "bev", "fcev"})
CLAIMS = frozenset({"repair", "part_replacement", "assembly_replacement", "replace", "return"})
AVAILABILITY = frozenset({"same_model", "comparable", "none"})
REGIMES = frozenset({"2013", "2022"})
EXCLUDED_DAY_KINDS = ("special_parts_transport", "rescue_travel", "battery_transport")


class FactsError(ValueError):
    """Invalid facts: ``field`` is the path of the culprit, ``message`` says what is wrong."""

    def __init__(self, field: str, message: str, message_zh: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.message_zh = message_zh or message

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Return the contract's error body ``{"error": {"field", "message"}}``."""
        return {
            "error": {
                "field": self.field,
                "message": self.message_zh if lang == "zh" else self.message,
            }
        }


@dataclass(frozen=True, slots=True)
class Purchase:
    """购车: invoice date, delivery date, price on the invoice, invoice and card present."""

    invoice_date: date
    price_yuan: Decimal
    delivery_date: date | None = None
    has_invoice: bool = True
    has_warranty_card: bool = True


@dataclass(frozen=True, slots=True)
class Vehicle:
    """The car: category, use and powertrain decide scope; the rest is for people."""

    category: str = "passenger"
    use: str = "household"
    powertrain: str = "ice"
    brand: str | None = None
    model: str | None = None
    vin: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A period printed on the warranty card; None takes the legal minimum."""

    years: int | None = None
    km: int | None = None


@dataclass(frozen=True, slots=True)
class WearPart:
    """A declared wear part (易损耗零部件) with its own guarantee."""

    name: str
    months: int
    km: int | None = None


@dataclass(frozen=True, slots=True)
class WarrantyCard:
    """Terms printed on the 三包凭证."""

    repair_warranty: Term = field(default_factory=Term)
    three_guarantee: Term = field(default_factory=Term)
    compensation_rate: Decimal | None = None
    wear_parts: tuple[WearPart, ...] = ()
    special_parts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One distinct problem (the same smallest part failing), keyed by ``label``."""

    label: str
    system: str
    description: str = ""
    quality_problem: bool = True
    serious_safety: bool = False
    failure: str | None = None
    wear_part: str | None = None
    exclusion: str | None = None


@dataclass(frozen=True, slots=True)
class Replacement:
    """A part or assembly replaced during a visit."""

    assembly: str
    part: str | None = None
    main_part: bool = False
    whole_assembly: bool = False


@dataclass(frozen=True, slots=True)
class ExcludedDays:
    """Days of a visit not counted in the cumulative repair time."""

    special_parts_transport: int = 0
    rescue_travel: int = 0
    battery_transport: int = 0


@dataclass(frozen=True, slots=True)
class Event:
    """One repair visit; ``start``/``end`` are dates or datetimes; ``end`` None = still there."""

    problem: str
    start: date | datetime
    end: date | datetime | None = None
    odometer_km: int | None = None
    fault_found: bool = True
    replaced: tuple[Replacement, ...] = ()
    resolved: bool = True
    excluded_days: ExcludedDays = field(default_factory=ExcludedDays)


@dataclass(frozen=True, slots=True)
class AsOf:
    """The day and odometer at which the claim is assessed."""

    date: date
    odometer_km: int


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything ``assess`` needs; build it with ``parse_facts`` or directly."""

    purchase: Purchase
    as_of: AsOf
    vehicle: Vehicle = field(default_factory=Vehicle)
    warranty_card: WarrantyCard = field(default_factory=WarrantyCard)
    problems: tuple[Problem, ...] = ()
    events: tuple[Event, ...] = ()
    written_request_date: date | None = None
    claim: str | None = None
    replacement_available: str | None = None
    regime: str | None = None


def day_of(moment: date | datetime) -> date:
    """Return the calendar day of a date or datetime."""
    return moment.date() if isinstance(moment, datetime) else moment


def sort_key(moment: date | datetime) -> datetime:
    """Return a sortable datetime for a date (midnight) or a datetime."""
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day)
