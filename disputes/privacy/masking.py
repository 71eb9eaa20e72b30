"""The masking policy: pure functions that hide personal data, registered as Jinja filters.

Who sees what (masked everywhere except where the reader needs the data):
- the consumer sees their own data unmasked (case page, receipt, data download);
- experts see the vehicle and technical facts but no consumer identity at all: the VIN only as far
  as it describes the model (`mask_vin_model`), free text screened (`screen_text`), evidence
  under neutral names, stripped of metadata, and without the files staff withheld;
- staff lists, the dashboard and default exports show masked names, phones, ID numbers and VINs;
- the staff case page shows full contact details (needed to mediate), audited as
  personal_data.viewed; an export with contact details is audited as personal_data.exported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


def mask_vin_model(vin: str | None) -> str:
    """Return LFV2A21K*N******* for LFV2A21K6N3123458: what an expert needs, not which car.

    Kept: the manufacturer (WMI, 1-3), the vehicle descriptor (4-8: model, body, engine,
    restraints) and the model year (10). Hidden: the check digit (9, computed from the whole
    VIN), the plant (11) and the serial number (12-17), which single out the one vehicle.
    """
    if not vin:
        return ""
    if len(vin) != 17:
        return MASK * len(vin)
    return vin[:8] + MASK + vin[9] + MASK * 7


def mask_email(email: str | None) -> str:
    """Return u***@example.com for user@example.com (first character and domain kept)."""
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not at:
        return mask_name(email)
    return (local[:1] or MASK) + MASK * 3 + "@" + domain


#: What `screen_text` looks for in free text. A match stands alone (no digit, and for ID
#: numbers and VINs no letter, right before or after it): a part number is not a phone number.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_VIN = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9A-Za-z]*[A-Za-z])[A-HJ-NPR-Za-hj-npr-z0-9]{17}(?![0-9A-Za-z])"
)
#: How a consumer may be addressed by surname: 陈先生, 陈女士, 陈小姐.
_ADDRESSED = ("先生", "女士", "小姐")
#: What the consumer's name becomes in screened text.
CONSUMER = "消费者"


def screen_text(text: str | None, names: Iterable[str] = ()) -> str:
    """Return free text with the consumer's identity masked, for readers who must not learn it.

    ID numbers (18 digits) → mask_id, VINs → mask_vin_model, mobiles → 139****5678,
    landlines → 021****4567, e-mail addresses → mask_email, and each of `names` (the
    consumer's; also as 陈先生 / 陈女士 / 欧阳小姐 when the name has a surname) → 消费者.
    """
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda m: mask_id(m.group()), text)
    text = _VIN.sub(lambda m: mask_vin_model(m.group()), text)
    text = _MOBILE.sub(lambda m: m[1] + MASK * 4 + m[3], text)
    text = _LANDLINE.sub(lambda m: mask_phone(m[1] + m[2]), text)
    text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True
    ):
        text = text.replace(name, CONSUMER)
        # The surname is the first character, or the first two (欧阳, 司马) in longer names.
        for surname in {name[:1], name[:2]} if len(name) > 2 else {name[:1]}:
            for form in _ADDRESSED:
                text = text.replace(surname + form, CONSUMER)
    return text


#: Filter name → function, registered on the app by the privacy blueprint.
FILTERS = {
    "mask_phone": mask_phone,
    "mask_name": mask_name,
    "mask_id": mask_id,
    "mask_vin": mask_vin,
    "mask_email": mask_email,
    "mask_vin_model": mask_vin_model,
    "screen_text": screen_text,
}
