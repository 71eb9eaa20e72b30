"""The facts of one case: vocabularies, frozen input dataclasses and ``FactsError``.

``rules.parsing.parse_facts`` builds them from the contract's JSON; nothing here decides anything.

Each dataclass writes its ``__init__`` out with ``object.__setattr__``, as the generated one does:
mypyc compiles a written one to plain stores, a generated one stays interpreted.

Adding a field touches: the class and its written ``__init__`` (tests/rules/test_inits.py checks
they agree), its reading in ``rules/parsing.py``, rules/CONTRACT.md, and the Case's columns in
disputes/cases/contract.py (with a migration). The compiled engine (``rules/native.py``) is set
aside as soon as a source changes, so the pure engine runs until ``make native`` rebuilds it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

SYSTEMS: Final = frozenset(
    {
        "engine", "transmission", "steering", "brakes", "suspension", "axle", "body", "fuel",
        "electrical", "power_battery", "drive_motor", "drivetrain", "emission_control", "other",
    }
)  # fmt: skip
FAILURES: Final = frozenset(
    {"steering_failure", "brake_failure", "body_crack", "fuel_leak", "battery_fire"}
)
EXCLUSIONS: Final = frozenset(
    {
        "disclosed_defect", "modification", "improper_handling",
        "improper_use_or_maintenance", "force_majeure",
    }
)  # fmt: skip
CATEGORIES: Final = frozenset({"passenger", "pickup"})
USES: Final = frozenset({"household", "commercial"})
POWERTRAINS: Final = frozenset({"ice", "hev", "phev", "erev", "bev", "fcev"})
CLAIMS: Final = frozenset(
    {"repair", "part_replacement", "assembly_replacement", "replace", "return"}
)
AVAILABILITY: Final = frozenset({"same_model", "comparable", "none"})
REGIMES: Final = frozenset({"2013", "2022"})
#: a replaced-part item's status (contract 2): done, or diagnosed as needing it ("需要更换")
REPLACED: Final = "replaced"
REPLACEMENT_NEEDED: Final = "replacement_needed"
REPLACEMENT_STATUSES: Final = frozenset({REPLACED, REPLACEMENT_NEEDED})
#: who found that a part needs replacing: the repairer, or an inspection (检验检测机构)
DIAGNOSED_BY: Final = frozenset({"repairer", "inspection"})
#: the contract versions a facts document may declare; the assessment is always the latest
CONTRACT_VERSIONS: Final = frozenset({1, 2})
EXCLUDED_DAY_KINDS: Final = ("special_parts_transport", "rescue_travel", "battery_transport")


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


@dataclass(frozen=True, slots=True, init=False)
class Purchase:
    """购车: invoice date, delivery date, price on the invoice, invoice and card present."""

    invoice_date: date
    price_yuan: Decimal
    delivery_date: date | None
    has_invoice: bool
    has_warranty_card: bool

    def __init__(
        self,
        invoice_date: date,
        price_yuan: Decimal,
        delivery_date: date | None = None,
        has_invoice: bool = True,
        has_warranty_card: bool = True,
    ) -> None:
        object.__setattr__(self, "invoice_date", invoice_date)
        object.__setattr__(self, "price_yuan", price_yuan)
        object.__setattr__(self, "delivery_date", delivery_date)
        object.__setattr__(self, "has_invoice", has_invoice)
        object.__setattr__(self, "has_warranty_card", has_warranty_card)


@dataclass(frozen=True, slots=True, init=False)
class Vehicle:
    """The car: category, use and powertrain decide scope; the rest is for people."""

    category: str
    use: str
    powertrain: str
    brand: str | None
    model: str | None
    vin: str | None

    def __init__(
        self,
        category: str = "passenger",
        use: str = "household",
        powertrain: str = "ice",
        brand: str | None = None,
        model: str | None = None,
        vin: str | None = None,
    ) -> None:
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "use", use)
        object.__setattr__(self, "powertrain", powertrain)
        object.__setattr__(self, "brand", brand)
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "vin", vin)


_DEFAULT_VEHICLE: Final = Vehicle()  # frozen: one shared default serves every instance


@dataclass(frozen=True, slots=True, init=False)
class Term:
    """A period printed on the warranty card; None takes the legal minimum."""

    years: int | None
    km: int | None

    def __init__(self, years: int | None = None, km: int | None = None) -> None:
        object.__setattr__(self, "years", years)
        object.__setattr__(self, "km", km)


_DEFAULT_TERM: Final = Term()  # frozen: one shared default serves every instance


@dataclass(frozen=True, slots=True, init=False)
class WearPart:
    """A declared wear part (易损耗零部件) with its own guarantee."""

    name: str
    months: int
    km: int | None

    def __init__(self, name: str, months: int, km: int | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "km", km)


@dataclass(frozen=True, slots=True, init=False)
class WarrantyCard:
    """Terms printed on the 三包凭证."""

    repair_warranty: Term
    three_guarantee: Term
    compensation_rate: Decimal | None
    wear_parts: tuple[WearPart, ...]
    special_parts: tuple[str, ...]

    def __init__(
        self,
        repair_warranty: Term = _DEFAULT_TERM,
        three_guarantee: Term = _DEFAULT_TERM,
        compensation_rate: Decimal | None = None,
        wear_parts: tuple[WearPart, ...] = (),
        special_parts: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "repair_warranty", repair_warranty)
        object.__setattr__(self, "three_guarantee", three_guarantee)
        object.__setattr__(self, "compensation_rate", compensation_rate)
        object.__setattr__(self, "wear_parts", wear_parts)
        object.__setattr__(self, "special_parts", special_parts)


_DEFAULT_CARD: Final = WarrantyCard()  # frozen: one shared default serves every instance


@dataclass(frozen=True, slots=True, init=False)
class Problem:
    """One distinct problem (the same smallest part failing), keyed by ``label``."""

    label: str
    system: str
    description: str
    quality_problem: bool
    serious_safety: bool
    failure: str | None
    wear_part: str | None
    exclusion: str | None

    def __init__(
        self,
        label: str,
        system: str,
        description: str = "",
        quality_problem: bool = True,
        serious_safety: bool = False,
        failure: str | None = None,
        wear_part: str | None = None,
        exclusion: str | None = None,
    ) -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "system", system)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "quality_problem", quality_problem)
        object.__setattr__(self, "serious_safety", serious_safety)
        object.__setattr__(self, "failure", failure)
        object.__setattr__(self, "wear_part", wear_part)
        object.__setattr__(self, "exclusion", exclusion)


@dataclass(frozen=True, slots=True, init=False)
class Replacement:
    """A part or assembly replaced during a visit, or diagnosed there as needing replacement.

    ``status`` is ``replaced`` (done; every contract-1 item) or ``replacement_needed``: the
    repairer or an inspection (``diagnosed_by``) found on ``diagnosed_date`` that the part
    "需要更换". 2013.18.2, 2022.20 and 2022.22 open on that need as on a replacement; the counted
    replacements of 2013.20.3.x and 2022.24.1.2/3 take only done ones (see ``is_done``).
    """

    assembly: str
    part: str | None
    main_part: bool
    whole_assembly: bool
    status: str
    diagnosed_date: date | None
    diagnosed_by: str | None

    def __init__(
        self,
        assembly: str,
        part: str | None = None,
        main_part: bool = False,
        whole_assembly: bool = False,
        status: str = REPLACED,
        diagnosed_date: date | None = None,
        diagnosed_by: str | None = None,
    ) -> None:
        object.__setattr__(self, "assembly", assembly)
        object.__setattr__(self, "part", part)
        object.__setattr__(self, "main_part", main_part)
        object.__setattr__(self, "whole_assembly", whole_assembly)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "diagnosed_date", diagnosed_date)
        object.__setattr__(self, "diagnosed_by", diagnosed_by)


def is_done(r: Replacement) -> bool:
    """Tell whether the replacement was carried out (a diagnosis alone is not a replacement)."""
    return r.status == REPLACED


@dataclass(frozen=True, slots=True, init=False)
class ExcludedDays:
    """Days of a visit not counted in the cumulative repair time."""

    special_parts_transport: int
    rescue_travel: int
    battery_transport: int

    def __init__(
        self, special_parts_transport: int = 0, rescue_travel: int = 0, battery_transport: int = 0
    ) -> None:
        object.__setattr__(self, "special_parts_transport", special_parts_transport)
        object.__setattr__(self, "rescue_travel", rescue_travel)
        object.__setattr__(self, "battery_transport", battery_transport)


_DEFAULT_EXCLUDED_DAYS: Final = ExcludedDays()  # frozen: one shared default serves every instance


@dataclass(frozen=True, slots=True, init=False)
class Event:
    """One repair visit; ``start``/``end`` are dates or datetimes; ``end`` None = still there."""

    problem: str
    start: date | datetime
    end: date | datetime | None
    odometer_km: int | None
    fault_found: bool
    replaced: tuple[Replacement, ...]
    resolved: bool
    excluded_days: ExcludedDays

    def __init__(
        self,
        problem: str,
        start: date | datetime,
        end: date | datetime | None = None,
        odometer_km: int | None = None,
        fault_found: bool = True,
        replaced: tuple[Replacement, ...] = (),
        resolved: bool = True,
        excluded_days: ExcludedDays = _DEFAULT_EXCLUDED_DAYS,
    ) -> None:
        object.__setattr__(self, "problem", problem)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "odometer_km", odometer_km)
        object.__setattr__(self, "fault_found", fault_found)
        object.__setattr__(self, "replaced", replaced)
        object.__setattr__(self, "resolved", resolved)
        object.__setattr__(self, "excluded_days", excluded_days)


_Day = date  # inside AsOf, the field ``date`` hides the type


@dataclass(frozen=True, slots=True, init=False)
class AsOf:
    """The day and odometer at which the claim is assessed."""

    date: date
    odometer_km: int

    def __init__(self, date: _Day, odometer_km: int) -> None:
        object.__setattr__(self, "date", date)
        object.__setattr__(self, "odometer_km", odometer_km)


@dataclass(frozen=True, slots=True, init=False)
class Facts:
    """Everything ``assess`` needs; build it with ``parse_facts`` or directly."""

    purchase: Purchase
    as_of: AsOf
    vehicle: Vehicle
    warranty_card: WarrantyCard
    problems: tuple[Problem, ...]
    events: tuple[Event, ...]
    written_request_date: date | None
    claim: str | None
    replacement_available: str | None
    regime: str | None

    def __init__(
        self,
        purchase: Purchase,
        as_of: AsOf,
        vehicle: Vehicle = _DEFAULT_VEHICLE,
        warranty_card: WarrantyCard = _DEFAULT_CARD,
        problems: tuple[Problem, ...] = (),
        events: tuple[Event, ...] = (),
        written_request_date: date | None = None,
        claim: str | None = None,
        replacement_available: str | None = None,
        regime: str | None = None,
    ) -> None:
        object.__setattr__(self, "purchase", purchase)
        object.__setattr__(self, "as_of", as_of)
        object.__setattr__(self, "vehicle", vehicle)
        object.__setattr__(self, "warranty_card", warranty_card)
        object.__setattr__(self, "problems", problems)
        object.__setattr__(self, "events", events)
        object.__setattr__(self, "written_request_date", written_request_date)
        object.__setattr__(self, "claim", claim)
        object.__setattr__(self, "replacement_available", replacement_available)
        object.__setattr__(self, "regime", regime)


def day_of(moment: date | datetime) -> date:
    """Return the calendar day of a date or datetime."""
    return moment.date() if isinstance(moment, datetime) else moment


def sort_key(moment: date | datetime) -> datetime:
    """Return a sortable datetime for a date (midnight) or a datetime."""
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day)
