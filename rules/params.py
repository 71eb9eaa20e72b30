"""Each regime's numbers as dated data (OpenFisca-style parameters).

Code reads ``p.early_days``, never a literal ``60``. Nothing here decides anything.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

ENGINE_TRANSMISSION: Final = frozenset({"engine", "transmission"})
FOUR_ASSEMBLIES: Final = frozenset({"engine", "transmission", "power_battery", "drive_motor"})


@dataclass(frozen=True, slots=True)
class Params:
    """The numbers and lists of one regime, in force from ``effective_from``."""

    regime: str
    effective_from: date
    #: 包修期 / 三包有效期 legal minimum (years, km); whichever comes first.
    repair_warranty_years: int
    repair_warranty_km: int
    three_guarantee_years: int
    three_guarantee_km: int
    #: the 60-day / 3,000 km window ("之内": the number itself is inside).
    early_days: int
    early_km: int
    #: the 2022 7-day window (no km limit); None where the regime has none.
    first_week_days: int | None
    #: 2022.18: periods start at the delivery date when it differs from the invoice date.
    start_from_delivery: bool
    #: "超过N日/次": these are the N; a ground needs strictly more.
    backup_days_over: int
    repair_days_over: int
    repeat_repairs_over: int
    #: "累计进行了2次修理" / "累计更换2次".
    serious_repairs: int
    replacements: int
    #: usage-compensation coefficient n, inclusive range.
    rate_min: Decimal
    rate_max: Decimal
    answer_working_days: int
    completion_working_days: int | None
    #: assemblies whose main part or whole replacement opens the early / first-week remedies.
    early_assemblies: frozenset[str]
    first_week_assemblies: frozenset[str]
    #: whole-assembly replacements pooled for 2013.20.3.2 / 2022.24.1.2.
    pooled_assemblies: frozenset[str]
    #: systems whose same main part replaced twice opens a ground, as (basis, systems).
    main_part_grounds: tuple[tuple[str, frozenset[str]], ...]
    early_failures: frozenset[str]
    #: kinds of ``excluded_days`` that do not count towards the cumulative repair time.
    excluded_day_kinds: tuple[str, ...]
    #: vehicle categories inside the scope.
    categories: frozenset[str]
    #: problem ``exclusion`` → basis id.
    exclusion_bases: Mapping[str, str]
    wear_part_exclusion_basis: str


P2013: Final = Params(
    regime="2013",
    effective_from=date(2013, 10, 1),
    repair_warranty_years=3,
    repair_warranty_km=60000,
    three_guarantee_years=2,
    three_guarantee_km=50000,
    early_days=60,
    early_km=3000,
    first_week_days=None,
    start_from_delivery=False,
    backup_days_over=5,
    repair_days_over=35,
    repeat_repairs_over=5,
    serious_repairs=2,
    replacements=2,
    rate_min=Decimal("0.005"),
    rate_max=Decimal("0.008"),
    answer_working_days=10,
    completion_working_days=None,
    early_assemblies=ENGINE_TRANSMISSION,
    first_week_assemblies=frozenset(),
    pooled_assemblies=ENGINE_TRANSMISSION,
    main_part_grounds=(
        ("2013.20.3.2", ENGINE_TRANSMISSION),
        ("2013.20.3.3", frozenset({"steering", "brakes", "suspension", "axle", "body"})),
    ),
    early_failures=frozenset({"steering_failure", "brake_failure", "body_crack", "fuel_leak"}),
    excluded_day_kinds=("special_parts_transport", "rescue_travel"),
    categories=frozenset({"passenger"}),
    exclusion_bases=MappingProxyType(
        {
            "disclosed_defect": "2013.30.1.1",
            "modification": "2013.30.1.3",
            "improper_handling": "2013.30.1.4",
            "improper_use_or_maintenance": "2013.30.1.5",
            "force_majeure": "2013.30.1.6",
        }
    ),
    wear_part_exclusion_basis="2013.29",
)

P2022: Final = Params(
    regime="2022",
    effective_from=date(2022, 1, 1),
    repair_warranty_years=3,
    repair_warranty_km=60000,
    three_guarantee_years=2,
    three_guarantee_km=50000,
    early_days=60,
    early_km=3000,
    first_week_days=7,
    start_from_delivery=True,
    backup_days_over=5,
    repair_days_over=30,
    repeat_repairs_over=4,
    serious_repairs=2,
    replacements=2,
    rate_min=Decimal("0"),
    rate_max=Decimal("0.005"),
    answer_working_days=10,
    completion_working_days=20,
    early_assemblies=FOUR_ASSEMBLIES,
    first_week_assemblies=FOUR_ASSEMBLIES,
    pooled_assemblies=FOUR_ASSEMBLIES,
    main_part_grounds=(
        (
            "2022.24.1.3",
            FOUR_ASSEMBLIES
            | frozenset(
                {"steering", "brakes", "suspension", "drivetrain", "emission_control", "body"}
            ),
        ),
    ),
    early_failures=frozenset(
        {"steering_failure", "brake_failure", "body_crack", "fuel_leak", "battery_fire"}
    ),
    excluded_day_kinds=("special_parts_transport", "rescue_travel", "battery_transport"),
    categories=frozenset({"passenger", "pickup"}),
    exclusion_bases=MappingProxyType(
        {
            "disclosed_defect": "2022.32.1.1",
            "improper_use_or_maintenance": "2022.32.1.2",
            "modification": "2022.32.1.3",
            "improper_handling": "2022.32.1.4",
            "force_majeure": "2022.32.1.5",
        }
    ),
    wear_part_exclusion_basis="2022.19.1",
)
