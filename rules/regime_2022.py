"""The 2022 rules (SAMR Order No. 43), one function per basis id.

Docstrings quote the article texts of rules/articles_2022.py; numbers come from
``rules.params.P2022``.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from rules import grounds
from rules.assessment import Finding, Period
from rules.context import Context, ExclusionRule, RemedyRule, Scope
from rules.facts import Facts
from rules.money import compensation_rate as _clamped_rate
from rules.params import P2022
from rules.periods import Note, Reading, build_periods
from rules.workdays import YearCalendar, request_deadlines

# --- periods, compensation, deadlines -----------------------------------------------------------


def periods(
    facts: Facts, readings: tuple[Reading, ...], notes: list[Note]
) -> tuple[tuple[tuple[str, Period], ...], tuple[Period, ...]]:
    """2022.18 — 第十八条.

    三包有效期和包修期自销售者开具购车发票之日起计算；开具购车发票日期与交付家用汽车产品日期不一致的，自交付之日起计算。
    """
    # Reading (regulation.md §2): card terms only extend (2022.4); early = 60 days / 3,000 km
    # (2022.20, 2022.23); first week = 7 days from the same start, no km limit (2022.22).
    return build_periods(facts, P2022, readings, notes)


def compensation_rate(facts: Facts, notes: list[Note]) -> Decimal | None:
    """2022.27 — 第二十七条.

    使用补偿系数n由生产者确定并明示在三包凭证上。使用补偿系数n不得高于0.5%。
    """
    return _clamped_rate(facts, P2022, notes)


def deadlines(
    facts: Facts, holidays: Mapping[int, YearCalendar] | None, notes: list[Note]
) -> tuple[date | None, date | None]:
    """2022.28 — 第二十八条 (2022.28.1 answer, 2022.28.2 completion).

    三包有效期内销售者收到消费者提出的更换家用汽车产品或者退货要求的，应当自收到相关要求之日起10个工作日内向消费者作出答复。
    符合更换或者退货条件的，销售者应当自消费者提出更换或者退货要求之日起20个工作日内为消费者完成更换或者退货，并出具换车证明或者退车证明；
    """
    return request_deadlines(
        facts, P2022.answer_working_days, P2022.completion_working_days, holidays, notes
    )


# --- whole-case and per-problem exclusions ------------------------------------------------------


def commercial_use(scope: Scope) -> tuple[Finding, ...]:
    """2022.40 — 第四十条.

    家用汽车产品，指消费者为生活消费需要而购买和使用的乘用车和皮卡车。
    """
    # Reading (regulation.md §1): a car in commercial use is not a household car: whole case.
    if scope.facts.vehicle.use != "commercial":
        return ()
    return (grounds.case_excluded("2022.40", "commercial_2022"),)


def wear_part_expired(scope: Scope) -> tuple[Finding, ...]:
    """2022.19.1 — 第十九条第一款.

    家用汽车产品在包修期内出现质量问题或者易损耗零部件在其质量保证期内出现质量问题的，消费者可以凭三包凭证选择修理者免费修理（包括免除工时费和材料费）。
    """
    # Reading (regulation.md §5): past its own guarantee a wear part is not covered by 19.1.
    return grounds.wear_parts_expired(scope, "2022.19.1")


def disclosed_defect(scope: Scope) -> tuple[Finding, ...]:
    """2022.32.1.1 — 第三十二条第一款第（一）项.

    （一）消费者购买时已经被书面告知家用汽车产品存在不违反法律、法规或者强制性国家标准的瑕疵；
    """
    return grounds.problems_excluded_as(scope, "2022.32.1.1", "disclosed_defect")


def improper_use_or_maintenance(scope: Scope) -> tuple[Finding, ...]:
    """2022.32.1.2 — 第三十二条第一款第（二）项.

    （二）消费者未按照使用说明书或者三包凭证要求，使用、维护、保养家用汽车产品而造成的损坏；
    """
    return grounds.problems_excluded_as(scope, "2022.32.1.2", "improper_use_or_maintenance")


def modification(scope: Scope) -> tuple[Finding, ...]:
    """2022.32.1.3 — 第三十二条第一款第（三）项.

    （三）使用说明书明示不得对家用汽车产品进行改装、调整、拆卸，但消费者仍然改装、调整、拆卸而造成的损坏；
    """
    return grounds.problems_excluded_as(scope, "2022.32.1.3", "modification")


def improper_handling(scope: Scope) -> tuple[Finding, ...]:
    """2022.32.1.4 — 第三十二条第一款第（四）项.

    （四）发生质量问题，消费者自行处置不当而造成的损坏；
    """
    return grounds.problems_excluded_as(scope, "2022.32.1.4", "improper_handling")


def force_majeure(scope: Scope) -> tuple[Finding, ...]:
    """2022.32.1.5 — 第三十二条第一款第（五）项.

    （五）因不可抗力造成的损坏。
    """
    return grounds.problems_excluded_as(scope, "2022.32.1.5", "force_majeure")


def not_quality_problem(scope: Scope) -> tuple[Finding, ...]:
    """No basis — not a quality problem.

    2022.19.1 covers only "质量问题"; other damage is outside the three guarantees.
    """
    return grounds.not_quality_problems(scope)


EXCLUSIONS: tuple[ExclusionRule, ...] = (
    commercial_use,
    not_quality_problem,
    disclosed_defect,
    improper_use_or_maintenance,
    modification,
    improper_handling,
    force_majeure,
    wear_part_expired,
)

#: the systems of each main-part ground, looked up once (the rules below run with P2022)
_MAIN_PART_SYSTEMS = dict(P2022.main_part_grounds)

# --- remedies -----------------------------------------------------------------------------------


def free_repair_in_warranty(ctx: Context) -> Finding:
    """2022.19.1 — 第十九条第一款.

    家用汽车产品在包修期内出现质量问题或者易损耗零部件在其质量保证期内出现质量问题的，消费者可以凭三包凭证选择修理者免费修理（包括免除工时费和材料费）。
    """
    return grounds.free_repair(ctx, "2022.19.1")


def wear_part_replacement(ctx: Context) -> Finding:
    """2022.19.1 — 第十九条第一款.

    家用汽车产品在包修期内出现质量问题或者易损耗零部件在其质量保证期内出现质量问题的，消费者可以凭三包凭证选择修理者免费修理（包括免除工时费和材料费）。
    """
    return grounds.wear_part_replacement(ctx, "2022.19.1")


def early_assembly_replacement(ctx: Context) -> Finding:
    """2022.20 — 第二十条.

    家用汽车产品自三包有效期起算之日起60日内或者行驶里程3000公里之内（以先到者为准），因发动机、变速器、动力蓄电池、行驶驱动电机的主要零部件出现质量问题的，消费者可以凭三包凭证选择更换发动机、变速器、动力蓄电池、行驶驱动电机。修理者应当免费更换。
    """
    # Reading 4 (regulation.md §6): stays open after day 60 while the three-guarantee period runs.
    return grounds.early_assembly(ctx, "2022.20")


def backup_vehicle(ctx: Context) -> Finding:
    """2022.21 — 第二十一条.

    家用汽车产品在包修期内因质量问题单次修理时间超过5日（包括等待修理零部件时间）的，修理者应当自第6日起为消费者提供备用车，或者向消费者支付合理的交通费用补偿。
    """
    return grounds.backup_vehicle(ctx, "2022.21")


def first_week_replacement_or_return(ctx: Context) -> Finding:
    """2022.22 — 第二十二条.

    家用汽车产品自三包有效期起算之日起7日内，因质量问题需要更换发动机、变速器、动力蓄电池、行驶驱动电机或者其主要零部件的，消费者可以凭购车发票、三包凭证选择更换家用汽车产品或者退货。销售者应当免费更换或者退货。
    """
    # Reading 4 (regulation.md §6) applied to the 7-day window as to the 60-day one.
    return grounds.first_week(ctx, "2022.22")


def early_failure_replacement_or_return(ctx: Context) -> Finding:
    """2022.23 — 第二十三条.

    家用汽车产品自三包有效期起算之日起60日内或者行驶里程3000公里之内（以先到者为准），因质量问题出现转向系统失效、制动系统失效、车身开裂、燃油泄漏或者动力蓄电池起火的，消费者可以凭购车发票、三包凭证选择更换家用汽车产品或者退货。销售者应当免费更换或者退货。
    """
    return grounds.early_failure(ctx, "2022.23")


def serious_safety_repeated(ctx: Context) -> Finding:
    """2022.24.1.1 — 第二十四条第一款第（一）项.

    （一）因严重安全性能故障累计进行2次修理，但仍未排除该故障或者出现新的严重安全性能故障的；
    """
    return grounds.serious_repeated(ctx, "2022.24.1.1")


def assemblies_replaced_twice(ctx: Context) -> Finding:
    """2022.24.1.2 — 第二十四条第一款第（二）项.

    （二）发动机、变速器、动力蓄电池、行驶驱动电机因其质量问题累计更换2次，仍不能正常使用的；
    """
    # 2022.24.2 (assembly and main-part counts are never added):
    # "发动机、变速器、动力蓄电池、行驶驱动电机的更换次数与其主要零部件的更换次数不重复计算。"
    return grounds.assemblies_replaced(ctx, "2022.24.1.2", frozenset())


def main_part_replaced_twice(ctx: Context) -> Finding:
    """2022.24.1.3 — 第二十四条第一款第（三）项.

    （三）发动机、变速器、动力蓄电池、行驶驱动电机、转向系统、制动系统、悬架系统、传动系统、污染控制装置、车身的同一主要零部件因其质量问题累计更换2次，仍不能正常使用的；
    """
    systems = _MAIN_PART_SYSTEMS["2022.24.1.3"]
    return grounds.main_parts_replaced(ctx, "2022.24.1.3", systems)


def repair_days_or_count_exceeded(ctx: Context) -> Finding:
    """2022.24.1.4 — 第二十四条第一款第（四）项.

    （四）因质量问题累计修理时间超过30日，或者因同一质量问题累计修理超过4次的。
    """
    return grounds.time_or_count(ctx, "2022.24.1.4", grounds.PAID_REPLACE_RETURN)


RULES: tuple[RemedyRule, ...] = (
    free_repair_in_warranty,
    wear_part_replacement,
    early_assembly_replacement,
    backup_vehicle,
    first_week_replacement_or_return,
    early_failure_replacement_or_return,
    serious_safety_repeated,
    assemblies_replaced_twice,
    main_part_replaced_twice,
    repair_days_or_count_exceeded,
)
