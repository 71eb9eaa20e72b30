"""Personal data the experts tests file on a consumer's case and look for on experts' pages."""

from __future__ import annotations

#: Consumer personal data that must never reach an expert's page or file.
PERSONAL = {
    "contact_name": "欧阳秘密",
    "contact_phone": "13812345678",
    "contact_id_number": "110101199003071234",
    "contact_address": "保密市隐私区个人路 99 号",
}
