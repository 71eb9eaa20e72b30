"""The masking policy: pure functions that hide personal data, registered as Jinja filters.

Who sees what (issue 7, "masking everywhere except where needed"):
- the consumer sees their own data unmasked (case page, receipt, data download);
- experts see the vehicle and technical facts (VIN included) but no consumer identity at all;
- staff lists, the dashboard and default exports show masked names, phones, ID numbers and VINs;
- the staff case page shows full contact details (needed to mediate), audited as
  personal_data.viewed; an export with contact details is audited as personal_data.exported.
"""

from __future__ import annotations

MASK = "*"


def mask_phone(phone: str | None) -> str:
    """Return 139****0001 for 13900000001 (first 3 and last 4 digits kept)."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return MASK * len(phone)
    return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]


def mask_name(name: str | None) -> str:
    """Return 陈** for 陈小明: the first character (the surname, usually) and one star per other."""
    if not name:
        return ""
    name = name.strip()
    if len(name) <= 1:
        return MASK * len(name)
    return name[0] + MASK * (len(name) - 1)


def mask_id(number: str | None) -> str:
    """Return 110101********1234 for an 18-digit ID number: the date of birth is hidden."""
    if not number:
        return ""
    if len(number) <= 10:
        return MASK * len(number)
    return number[:6] + MASK * (len(number) - 10) + number[-4:]


def mask_vin(vin: str | None) -> str:
    """Return ***********123456 for a VIN: the last 6 characters (the serial) are kept."""
    if not vin:
        return ""
    if len(vin) <= 6:
        return MASK * len(vin)
    return MASK * (len(vin) - 6) + vin[-6:]


def mask_email(email: str | None) -> str:
    """Return u***@example.com for user@example.com (first character and domain kept)."""
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not at:
        return mask_name(email)
    return (local[:1] or MASK) + MASK * 3 + "@" + domain


#: Filter name → function, registered on the app by the privacy blueprint.
FILTERS = {
    "mask_phone": mask_phone,
    "mask_name": mask_name,
    "mask_id": mask_id,
    "mask_vin": mask_vin,
    "mask_email": mask_email,
}
