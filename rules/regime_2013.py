"""The 2013 rules (AQSIQ Order No. 150), one function per basis id.

Docstrings quote the article texts of rules/articles_2013.py; numbers come from
``rules.params.P2013``.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from rules import grounds
from rules.assessment import Finding, Period, Threshold
from rules.context import Context, ExclusionRule, RemedyRule, Scope
from rules.facts import Facts
from rules.money import compensation_rate as _clamped_rate
from rules.params import P2013
from rules.periods import Note, Reading, build_periods
from rules.workdays import YearCalendar, request_deadlines

# --- periods, compensation, deadlines -----------------------------------------------------------


def periods(
    facts: Facts, readings: tuple[Reading, ...], notes: list[Note]
) -> tuple[tuple[tuple[str, Period], ...], tuple[Period, ...]]:
    """2013.17 — 第十七条.

    家用汽车产品包修期限不低于3年或者行驶里程60,000公里，以先到者为准；家用汽车产品三包有效期限不低于2年或者行驶里程50,000公里，以先到者为准。家用汽车产品包修期和三包有效期自销售者开具购车发票之日起计算。
    """
    # Reading (regulation.md §2): card terms only extend (2013.3); early = 60 days / 3,000 km.
    return build_periods(facts, P2013, readings, notes)


def compensation_rate(facts: Facts, notes: list[Note]) -> Decimal | None:
    """2013.25 — 第二十五条.

    使用补偿系数n由生产者根据家用汽车产品使用时间、使用状况等因素在0.5%至0.8%之间确定，并在三包凭证中明示。
    """
    return _clamped_rate(facts, P2013, notes)


def deadlines(
    facts: Facts, holidays: Mapping[int, YearCalendar] | None, notes: list[Note]
) -> tuple[date | None, date | None]:
    """2013.26 — 第二十六条 (reconstructed wording, marked R in rules/articles_2013.py).

    在家用汽车产品三包有效期内，消费者书面要求更换、退货的，销售者应当自收到消费者书面要求更换、退货之日起10个工作日内，作出书面答复。
    """
    return request_deadlines(
        facts, P2013.answer_working_days, P2013.completion_working_days, holidays, notes
    )


# --- whole-case and per-problem exclusions ------------------------------------------------------


def pickup_outside_scope(scope: Scope) -> tuple[Finding, ...]:
    """2013.2 — 第二条.

    本规定适用于在中华人民共和国境内生产和销售的家用汽车产品的三包。

    家用汽车产品: "消费者为生活消费需要而购买和使用的乘用车" — a pick-up is outside the 2013 rules.
    """
    if scope.facts.vehicle.category in scope.p.categories:
        return ()
    return (grounds.case_excluded("2013.2", "pickup_2013"),)


def commercial_use(scope: Scope) -> tuple[Finding, ...]:
    """2013.30.1.2 — 第三十条第一款第（二）项.

    （二）家用汽车产品用于出租或者其他营运目的的；
    """
    # Reading (regulation.md §1): commercial use excludes the whole case, not one problem.
    if scope.facts.vehicle.use != "commercial":
        return ()
    return (grounds.case_excluded("2013.30.1.2", "commercial_2013"),)


def no_invoice_or_card(scope: Scope) -> tuple[Finding, ...]:
    """2013.31 — 第三十一条.

    在家用汽车产品包修期和三包有效期内，无有效发票和三包凭证的，经营者可以不承担本规定所规定的三包责任。
    """
    # Reading (regulation.md §4): either one missing excludes; the engine warns that a lost card
    # is reissued within 10 working days (2013.27.1).
    purchase = scope.facts.purchase
    if purchase.has_invoice and purchase.has_warranty_card:
        return ()
    return (grounds.case_excluded("2013.31", "no_invoice_or_card"),)


def wear_part_expired(scope: Scope) -> tuple[Finding, ...]:
    """2013.29 — 第二十九条.

    易损耗零部件超出生产者明示的质量保证期出现产品质量问题的，经营者可以不承担本规定所规定的家用汽车产品三包责任。
    """
    return grounds.wear_parts_expired(scope, "2013.29")


def disclosed_defect(scope: Scope) -> tuple[Finding, ...]:
    """2013.30.1.1 — 第三十条第一款第（一）项.

    （一）消费者所购家用汽车产品已被书面告知存在瑕疵的；
    """
    return grounds.problems_excluded_as(scope, "2013.30.1.1", "disclosed_defect")


def modification(scope: Scope) -> tuple[Finding, ...]:
    """2013.30.1.3 — 第三十条第一款第（三）项.

    （三）使用说明书中明示不得改装、调整、拆卸，但消费者自行改装、调整、拆卸而造成损坏的；
    """
    return grounds.problems_excluded_as(scope, "2013.30.1.3", "modification")


def improper_handling(scope: Scope) -> tuple[Finding, ...]:
    """2013.30.1.4 — 第三十条第一款第（四）项.

    （四）发生产品质量问题，消费者自行处置不当而造成损坏的；
    """
    return grounds.problems_excluded_as(scope, "2013.30.1.4", "improper_handling")


def improper_use_or_maintenance(scope: Scope) -> tuple[Finding, ...]:
    """2013.30.1.5 — 第三十条第一款第（五）项.

    （五）因消费者未按照使用说明书要求正确使用、维护、修理产品，而造成损坏的；
    """
    return grounds.problems_excluded_as(scope, "2013.30.1.5", "improper_use_or_maintenance")


def force_majeure(scope: Scope) -> tuple[Finding, ...]:
    """2013.30.1.6 — 第三十条第一款第（六）项.

    （六）因不可抗力造成损坏的。
    """
    return grounds.problems_excluded_as(scope, "2013.30.1.6", "force_majeure")


def not_quality_problem(scope: Scope) -> tuple[Finding, ...]:
    """No basis — not a product-quality problem.

    2013.18.1 covers only "产品质量问题"; other damage is outside the three guarantees.
    """
    return grounds.not_quality_problems(scope)


EXCLUSIONS: tuple[ExclusionRule, ...] = (
    pickup_outside_scope,
    commercial_use,
    no_invoice_or_card,
    not_quality_problem,
    disclosed_defect,
    modification,
    improper_handling,
    improper_use_or_maintenance,
    force_majeure,
    wear_part_expired,
)

#: the systems of each main-part ground, looked up once (the rules below run with P2013)
_MAIN_PART_SYSTEMS = dict(P2013.main_part_grounds)

# --- remedies -----------------------------------------------------------------------------------


def free_repair_in_warranty(ctx: Context) -> Finding:
    """2013.18.1 — 第十八条第一款.

    在家用汽车产品包修期内，家用汽车产品出现产品质量问题，消费者凭三包凭证由修理者免费修理（包括工时费和材料费）。
    """
    return grounds.free_repair(ctx, "2013.18.1")


def early_engine_transmission_replacement(ctx: Context) -> Finding:
    """2013.18.2 — 第十八条第二款.

    家用汽车产品自销售者开具购车发票之日起60日内或者行驶里程3000公里之内（以先到者为准），发动机、变速器的主要零件出现产品质量问题的，消费者可以选择免费更换发动机、变速器。
    """
    # Reading 4 (regulation.md §6): stays open after day 60 while the three-guarantee period runs.
    return grounds.early_assembly(ctx, "2013.18.2")


def wear_part_replacement(ctx: Context) -> Finding:
    """2013.18.3 — 第十八条第三款.

    家用汽车产品的易损耗零部件在其质量保证期内出现产品质量问题的，消费者可以选择免费更换易损耗零部件。
    """
    return grounds.wear_part_replacement(ctx, "2013.18.3")


def backup_vehicle(ctx: Context) -> Finding:
    """2013.19 — 第十九条.

    在家用汽车产品包修期内，因产品质量问题每次修理时间（包括等待修理备用件时间）超过5日的，应当为消费者提供备用车，或者给予合理的交通费用补偿。
    """
    # Reading (regulation.md §3): excluded days never shorten a visit for this rule.
    return grounds.backup_vehicle(ctx, "2013.19")


def early_failure_replacement_or_return(ctx: Context) -> Finding:
    """2013.20.2 — 第二十条第二款.

    家用汽车产品自销售者开具购车发票之日起60日内或者行驶里程3000公里之内（以先到者为准），家用汽车产品出现转向系统失效、制动系统失效、车身开裂或燃油泄漏，消费者选择更换家用汽车产品或退货的，销售者应当负责免费更换或退货。
    """
    return grounds.early_failure(ctx, "2013.20.2")


def serious_safety_repeated(ctx: Context) -> Finding:
    """2013.20.3.1 — 第二十条第三款第（一）项.

    （一）因严重安全性能故障累计进行了2次修理，严重安全性能故障仍未排除或者又出现新的严重安全性能故障的；
    """
    # Reading (regulation.md §4): 3+ counted visits, or exactly 2 with the second unresolved.
    return grounds.serious_repeated(ctx, "2013.20.3.1")


def engine_transmission_replaced_twice(ctx: Context) -> Finding:
    """2013.20.3.2 — 第二十条第三款第（二）项.

    （二）发动机、变速器累计更换2次后，或者发动机、变速器的同一主要零件因其质量问题，累计更换2次后，仍不能正常使用的，发动机、变速器与其主要零件更换次数不重复计算；
    """
    # Reading (regulation.md §4): "仍不能正常使用" = the second replacement's visit left the
    # problem unresolved, or a later counted visit of the same problem exists.
    systems = _MAIN_PART_SYSTEMS["2013.20.3.2"]
    return grounds.assemblies_replaced(ctx, "2013.20.3.2", systems)


def chassis_main_part_replaced_twice(ctx: Context) -> Finding:
    """2013.20.3.3 — 第二十条第三款第（三）项.

    （三）转向系统、制动系统、悬架系统、前/后桥、车身的同一主要零件因其质量问题，累计更换2次后，仍不能正常使用的；
    """
    systems = _MAIN_PART_SYSTEMS["2013.20.3.3"]
    return grounds.main_parts_replaced(ctx, "2013.20.3.3", systems)


def repair_days_or_count_exceeded(ctx: Context) -> Finding:
    """2013.21.1 — 第二十一条第一款.

    在家用汽车产品三包有效期内，因产品质量问题修理时间累计超过35日的，或者因同一产品质量问题累计修理超过5次的，消费者可以凭三包凭证、购车发票，由销售者负责更换。
    """
    # Reading (regulation.md §4): replacement only; a return needs 2013.23.
    return grounds.time_or_count(ctx, "2013.21.1", grounds.PAID_REPLACE)


def return_without_replacement(ctx: Context) -> Finding:
    """2013.23 — 第二十三条.

    在家用汽车产品三包有效期内，符合更换条件，销售者无同品牌同型号家用汽车产品，也无不低于原车配置的家用汽车产品向消费者更换的，消费者可以选择退货，销售者应当负责为消费者退货。
    """
    grants = (("vehicle_return", False),)
    base = repair_days_or_count_exceeded(ctx)
    available = ctx.facts.replacement_available
    if not base.holds:
        return grounds.bare_remedy("2013.23", False, "no_replacement", grants)
    if available == "none":
        return Finding(
            "2013.23", True, "remedy", "no_replacement", grants, base.events,
            condition="no_replacement_available",
        )  # fmt: skip
    # Reading (contract): unknown availability is listed under next_thresholds, not as a remedy.
    pending = (Threshold("vehicle_return", "2013.23", "no_replacement_pending"),)
    return Finding(
        "2013.23", False, "remedy", "no_replacement", grants, base.events,
        condition="no_replacement_available", pending=pending if available is None else (),
    )  # fmt: skip


RULES: tuple[RemedyRule, ...] = (
    free_repair_in_warranty,
    early_engine_transmission_replacement,
    wear_part_replacement,
    backup_vehicle,
    early_failure_replacement_or_return,
    serious_safety_repeated,
    engine_transmission_replaced_twice,
    chassis_main_part_replaced_twice,
    repair_days_or_count_exceeded,
    return_without_replacement,
)
