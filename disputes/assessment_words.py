"""The assessment's remedies and regulations in words, for the bureau's documents (the opinion
letter and the case file). The msgids are the Chinese text the documents print."""

from __future__ import annotations

from disputes.cases.vocabulary import N_

REMEDY_NAMES: dict[str, str] = {
    "free_repair": N_("免费修理"),
    "wear_part_replacement": N_("免费更换易损件"),
    "assembly_replacement": N_("免费更换总成或其主要零件"),
    "vehicle_replacement": N_("换车"),
    "vehicle_return": N_("退车"),
    "backup_vehicle": N_("提供备用车或交通费用补偿"),
}
REGIME_NAMES: dict[str, str] = {
    "2013": N_("《家用汽车产品修理、更换、退货责任规定》（2013 年施行）"),
    "2022": N_("《家用汽车产品修理更换退货责任规定》（2022 年施行）"),
}
