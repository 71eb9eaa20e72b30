"""The choice lists of the shared fact forms, in plain words for consumers (msgids in Chinese)."""

from __future__ import annotations

from disputes.cases.vocabulary import SYSTEM_LABELS, VehicleSystem
from disputes.forms import options
from disputes.i18n import lazy_gettext as _l

SYSTEM_CHOICES = options((s.value, _l(SYSTEM_LABELS[s])) for s in VehicleSystem)
#: The systems after an empty "请选择": nothing is asserted until the consumer picks one.
SYSTEM_OR_NONE_CHOICES = options([("", _l("请选择"))]) + SYSTEM_CHOICES
FAILURE_CHOICES = options(
    [
        ("", _l("都不是")),
        ("steering_failure", _l("转向系统失效（方向失灵）")),
        ("brake_failure", _l("制动系统失效（刹车失灵）")),
        ("body_crack", _l("车身开裂")),
        ("fuel_leak", _l("燃油泄漏")),
        ("battery_fire", _l("动力蓄电池起火")),
    ]
)
EXCLUSION_CHOICES = options(
    [
        ("", _l("以上都不是：正常使用中出现的问题")),
        ("disclosed_defect", _l("买车时商家已经书面告诉我有这个瑕疵")),
        ("modification", _l("我改装、调整或拆卸过相关部件，而说明书写明不能这样做")),
        ("improper_handling", _l("问题出现后，我自己处理不当造成了损坏")),
        ("improper_use_or_maintenance", _l("没有按说明书要求使用、保养或维修造成的损坏")),
        ("force_majeure", _l("地震、洪水等不可抗力造成的损坏")),
    ]
)
CATEGORY_CHOICES = options(
    [
        ("passenger", _l("乘用车（轿车、SUV、MPV 等）")),
        ("pickup", _l("皮卡车")),
    ]
)
USE_CHOICES = options(
    [
        ("household", _l("家庭自用")),
        ("commercial", _l("营运（出租车、网约车、租赁等）")),
    ]
)
POWERTRAIN_CHOICES = options(
    [
        ("ice", _l("燃油车")),
        ("hev", _l("油电混合动力（不能外接充电）")),
        ("phev", _l("插电式混合动力")),
        ("erev", _l("增程式电动车")),
        ("bev", _l("纯电动车")),
        ("fcev", _l("燃料电池车")),
    ]
)
CLAIM_CHOICES = options(
    [
        ("", _l("还没想好")),
        ("repair", _l("修理")),
        ("part_replacement", _l("更换零部件")),
        ("assembly_replacement", _l("更换总成（发动机、变速器、动力蓄电池、驱动电机）")),
        ("replace", _l("换车")),
        ("return", _l("退车")),
    ]
)
PART_STATUS_CHOICES = options(
    [
        ("replaced", _l("已经更换")),
        ("replacement_needed", _l("认定需要更换，但还没有换")),
    ]
)
DIAGNOSED_BY_CHOICES = options(
    [
        ("", _l("不清楚")),
        ("repairer", _l("维修站（修理者）")),
        ("inspection", _l("检验检测机构")),
    ]
)
REPLACEMENT_CHOICES = options(
    [
        ("", _l("不清楚")),
        ("same_model", _l("有同品牌同型号的车可以换")),
        ("comparable", _l("有配置不低于原车的车可以换")),
        ("none", _l("没有可以换的车")),
    ]
)
