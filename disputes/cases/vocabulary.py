"""The rules contract's vocabularies as StrEnums (stored by value), and zh labels of the systems
and of the evidence kinds.

Shared by the Case model, the forms and the expert panel; no database or Flask code here.
"""

from __future__ import annotations

from enum import StrEnum


def N_(message: str) -> str:
    """Mark `message` for the catalog; it is translated where it is shown."""
    return message


class VehicleSystem(StrEnum):
    """The contract's 14 vehicle systems (problem.system, replaced.assembly, expert specialties)."""

    engine = "engine"
    transmission = "transmission"
    steering = "steering"
    brakes = "brakes"
    suspension = "suspension"
    axle = "axle"
    body = "body"
    fuel = "fuel"
    electrical = "electrical"
    power_battery = "power_battery"
    drive_motor = "drive_motor"
    drivetrain = "drivetrain"
    emission_control = "emission_control"
    other = "other"


#: Chinese names of the vehicle systems (msgids; the English catalog translates them).
SYSTEM_LABELS: dict[VehicleSystem, str] = {
    VehicleSystem.engine: N_("发动机"),
    VehicleSystem.transmission: N_("变速器"),
    VehicleSystem.steering: N_("转向系统"),
    VehicleSystem.brakes: N_("制动系统"),
    VehicleSystem.suspension: N_("悬架系统"),
    VehicleSystem.axle: N_("前/后桥"),
    VehicleSystem.body: N_("车身"),
    VehicleSystem.fuel: N_("燃油系统"),
    VehicleSystem.electrical: N_("电气系统"),
    VehicleSystem.power_battery: N_("动力蓄电池"),
    VehicleSystem.drive_motor: N_("驱动电机"),
    VehicleSystem.drivetrain: N_("传动系统"),
    VehicleSystem.emission_control: N_("排放控制系统"),
    VehicleSystem.other: N_("其他"),
}


class VehicleCategory(StrEnum):
    """vehicle.category: 乘用车 or 皮卡车."""

    passenger = "passenger"
    pickup = "pickup"


class VehicleUse(StrEnum):
    """vehicle.use: household, or commercial (taxi, ride-hailing, rental, any 营运 use)."""

    household = "household"
    commercial = "commercial"


class Powertrain(StrEnum):
    """vehicle.powertrain."""

    ice = "ice"
    hev = "hev"
    phev = "phev"
    erev = "erev"
    bev = "bev"
    fcev = "fcev"


class Claim(StrEnum):
    """claim: what the consumer asks for."""

    repair = "repair"
    part_replacement = "part_replacement"
    assembly_replacement = "assembly_replacement"
    replace = "replace"
    #: "return" is a Python keyword, hence the trailing underscore on the member name.
    return_ = "return"


class ReplacementAvailability(StrEnum):
    """replacement_available: whether the same or a comparable car can be supplied."""

    same_model = "same_model"
    comparable = "comparable"
    none = "none"


class ReplacementStatus(StrEnum):
    """replaced[].status: the part was replaced, or only found to need replacing (需要更换)."""

    replaced = "replaced"
    replacement_needed = "replacement_needed"


class DiagnosedBy(StrEnum):
    """replaced[].diagnosed_by: who found that the part needs replacing."""

    repairer = "repairer"
    inspection = "inspection"


class BusinessRole(StrEnum):
    """The part the disputed business played."""

    seller = "seller"
    manufacturer = "manufacturer"
    repairer = "repairer"


class Failure(StrEnum):
    """problems.*.failure: the named serious failures."""

    steering_failure = "steering_failure"
    brake_failure = "brake_failure"
    body_crack = "body_crack"
    fuel_leak = "fuel_leak"
    battery_fire = "battery_fire"


class Exclusion(StrEnum):
    """problems.*.exclusion: why the seller may be relieved of liability."""

    disclosed_defect = "disclosed_defect"
    modification = "modification"
    improper_handling = "improper_handling"
    improper_use_or_maintenance = "improper_use_or_maintenance"
    force_majeure = "force_majeure"


class AttachmentKind(StrEnum):
    """What an uploaded document is."""

    invoice = "invoice"
    warranty_card = "warranty_card"
    repair_order = "repair_order"
    photo = "photo"
    #: The complainant's power of attorney for an agent (Order 20 Art. 10).
    power_of_attorney = "power_of_attorney"
    other = "other"


#: Chinese names of the evidence kinds, wherever a file's kind is shown (msgids).
ATTACHMENT_KIND_LABELS: dict[AttachmentKind, str] = {
    AttachmentKind.invoice: N_("购车发票"),
    AttachmentKind.warranty_card: N_("三包凭证"),
    AttachmentKind.repair_order: N_("维修单"),
    AttachmentKind.photo: N_("照片"),
    AttachmentKind.power_of_attorney: N_("授权委托书"),
    AttachmentKind.other: N_("其他材料"),
}
