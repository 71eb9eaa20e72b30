# ruff: noqa: E501  (wording tables: one sentence per line, so they can be searched)
"""The project's legal wording: every Chinese/English sentence template, as (zh, en) pairs.

Rendered only by ``rules.explain`` from the Findings trace; nothing here decides anything.
"""

from typing import Final

REMEDY_NAMES: Final = {
    "free_repair": ("免费修理", "free repair"),
    "wear_part_replacement": ("免费更换易损耗零部件", "free wear-part replacement"),
    "assembly_replacement": ("免费更换总成", "free assembly replacement"),
    "vehicle_replacement": ("换车", "vehicle replacement"),
    "vehicle_return": ("退车", "vehicle return"),
    "backup_vehicle": ("备用车或交通费用补偿", "backup car or transport compensation"),
}
FAILURE_NAMES: Final = {
    "steering_failure": ("转向系统失效", "steering failure"),
    "brake_failure": ("制动系统失效", "brake failure"),
    "body_crack": ("车身开裂", "body crack"),
    "fuel_leak": ("燃油泄漏", "fuel leak"),
    "battery_fire": ("动力蓄电池起火", "power-battery fire"),
}
EXCLUSION_NAMES: Final = {
    "disclosed_defect": ("购车时已书面告知的瑕疵", "a defect disclosed in writing at purchase"),
    "modification": (
        "违反使用说明书擅自改装、调整、拆卸造成的损坏",
        "damage from a forbidden modification",
    ),
    "improper_handling": (
        "发生质量问题后自行处置不当造成的损坏",
        "damage from improper handling of a fault",
    ),
    "improper_use_or_maintenance": (
        "未按使用说明书使用、维护、保养造成的损坏",
        "damage from use or maintenance against the manual",
    ),
    "force_majeure": ("不可抗力造成的损坏", "damage from force majeure"),
}
SYSTEM_NAMES: Final = {
    "engine": ("发动机", "engine"),
    "transmission": ("变速器", "transmission"),
    "steering": ("转向系统", "steering"),
    "brakes": ("制动系统", "brakes"),
    "suspension": ("悬架系统", "suspension"),
    "axle": ("前/后桥", "axle"),
    "body": ("车身", "body"),
    "fuel": ("燃油系统", "fuel system"),
    "electrical": ("电气系统", "electrical system"),
    "power_battery": ("动力蓄电池", "power battery"),
    "drive_motor": ("行驶驱动电机", "drive motor"),
    "drivetrain": ("传动系统", "drivetrain"),
    "emission_control": ("污染控制装置", "emission control"),
    "other": ("其他", "other"),
}
#: notes whose ``parts`` value holds ``assembly:part`` keys or whole-assembly names
PART_KEY_NOTES: Final = frozenset(
    {"early_assembly", "first_week", "main_part_replaced", "main_part_pending"}
)
TERM_NAMES: Final = {
    "repair_warranty": ("包修期", "repair warranty"),
    "three_guarantee": ("三包有效期", "three-guarantee period"),
}
UNIT_NAMES: Final = {"years": ("年", " years"), "km": (" 公里", " km")}
ACT_NAMES: Final = {
    "2013": (
        "《家用汽车产品修理、更换、退货责任规定》(2013)",
        "the 2013 Household Car Repair, Replacement and Return Rules",
    ),
    "2022": (
        "《家用汽车产品修理更换退货责任规定》(2022)",
        "the 2022 Household Car Repair, Replacement and Return Rules",
    ),
}

REASONS: Final = {
    "regime_2013": (
        "购车发票日期 {invoice_date} 在 {from_2013} 之后、{from_2022} 之前，适用{act}",
        "The purchase invoice is dated {invoice_date}, on or after {from_2013} and before {from_2022}: {act} apply",
    ),
    "regime_2022": (
        "购车发票日期 {invoice_date} 在 {from_2022} 或之后，适用{act}",
        "The purchase invoice is dated {invoice_date}, on or after {from_2022}: {act} apply",
    ),
    "regime_none": (
        "购车发票日期 {invoice_date} 早于 {from_2013}，不适用汽车三包规定；可依据《中华人民共和国产品质量法》和"
        "《中华人民共和国消费者权益保护法》向经营者主张权利",
        "The purchase invoice is dated {invoice_date}, before {from_2013}: no three-guarantee rules apply; the "
        "consumer may rely on the Product Quality Law and the Consumer Rights Protection Law",
    ),
    "regime_forced": (
        "按指定适用{act}（购车发票日期 {invoice_date}）",
        "{act} apply as requested (purchase invoice dated {invoice_date})",
    ),
    "regime_2022_alternative": (
        "按 2022 年规定：购车发票日期 {invoice_date} 在 {from_2022} 之前，但故障、维修或书面要求在 {from_2022} 或之后，有的法院适用{act}",
        "Under the 2022 text: the purchase invoice is dated {invoice_date}, before {from_2022}, but the failure, "
        "repair or request came on or after {from_2022}, and some courts apply {act}",
    ),
}

DELIVERY_START: Final = (
    "；三包有效期和包修期自交付日期 {delivery} 起算",
    "; the periods run from the delivery date {delivery}",
)
CLAIM_NAMES: Final = {
    "repair": ("免费修理", "free repair"),
    "part_replacement": ("更换零部件", "part replacement"),
    "assembly_replacement": ("更换总成", "assembly replacement"),
    "replace": ("换车", "vehicle replacement"),
    "return": ("退车", "vehicle return"),
}
#: which remedies answer which claim (for the sentence only; the remedies are already decided)
CLAIM_REMEDIES: Final = {
    "repair": frozenset({"free_repair"}),
    "part_replacement": frozenset({"wear_part_replacement", "free_repair"}),
    "assembly_replacement": frozenset({"assembly_replacement"}),
    "replace": frozenset({"vehicle_replacement"}),
    "return": frozenset({"vehicle_return"}),
}
#: keyed by (audience, supported): the consumer reads 您 / you, staff and experts the consumer
CLAIM_SENTENCES: Final = {
    ("consumer", True): (
        "您主张的“{claim}”目前有依据（{bases}）。",
        "Your claim ({claim}) is supported now ({bases}).",
    ),
    ("consumer", False): (
        "您主张的“{claim}”目前没有依据。",
        "Your claim ({claim}) is not supported now.",
    ),
    ("official", True): (
        "消费者主张的“{claim}”目前有依据（{bases}）。",
        "The consumer's claim ({claim}) is supported now ({bases}).",
    ),
    ("official", False): (
        "消费者主张的“{claim}”目前没有依据。",
        "The consumer's claim ({claim}) is not supported now.",
    ),
}

BECAUSE: Final = {
    "free_repair": (
        "包修期（至 {ends_on}{km}）仍在进行，且有未被免责的产品质量问题，可凭三包凭证免费修理（含工时费和材料费）。",
        "The repair warranty (until {ends_on}{km}) is running and a quality problem is not excluded: repairs are "
        "free (labour and materials).",
    ),
    "wear_part": (
        "易损耗零部件（{parts}）在其质量保证期内出现质量问题，可免费更换。",
        "The wear part ({parts}) failed inside its own guarantee: it is replaced free of charge.",
    ),
    "early_assembly": (
        "在起算后的早期窗口内（至 {ends_on}{km}）主要零件或总成（{parts}）已更换或经诊断需要更换，三包有效期仍在进行，可选择免费更换该总成。",
        "A main part or assembly ({parts}) was replaced, or found to need replacing, inside the early window "
        "(until {ends_on}{km}) and the three-guarantee period is running: the assembly may be replaced free of "
        "charge.",
    ),
    "backup_vehicle": (
        "包修期内单次修理时间超过 {limit} 日（最长一次 {longest} 日，含等待零部件时间），应提供备用车或合理的交通费用补偿。",
        "A single repair in the repair warranty took more than {limit} days (longest {longest} days, waiting "
        "for parts included): a backup car or reasonable transport compensation is due.",
    ),
    "early_failure": (
        "在早期窗口内（至 {ends_on}{km}）首次出现{failures}，三包有效期仍在进行，可选择免费换车或退车。",
        "{failures} first occurred inside the early window (until {ends_on}{km}) and the three-guarantee period "
        "is running: free replacement or return.",
    ),
    "first_week": (
        "在首周窗口内（至 {ends_on}）需要更换{parts}，三包有效期仍在进行，可选择免费换车或退车。",
        "{parts} had to be replaced inside the first week (until {ends_on}) and the three-guarantee period is "
        "running: free replacement or return.",
    ),
    "serious_repeated": (
        "严重安全性能故障在三包有效期内已累计修理 {count} 次，仍未排除或又出现新的严重安全性能故障，可选择换车或退车（需支付合理使用补偿）。",
        "Serious safety faults were repaired {count} times in the three-guarantee period and the fault persists "
        "or a new one appeared: replacement or return, with usage compensation.",
    ),
    "assemblies_replaced": (
        "总成在三包有效期内累计更换 {count} 次后仍不能正常使用，可选择换车或退车（需支付合理使用补偿）。",
        "Assemblies were replaced {count} times in the three-guarantee period and the car still does not work "
        "properly: replacement or return, with usage compensation.",
    ),
    "main_part_replaced": (
        "同一主要零件（{parts}）在三包有效期内累计更换 {times} 次后仍不能正常使用，可选择换车或退车（需支付合理使用补偿）。",
        "The same main part ({parts}) was replaced {times} times in the three-guarantee period and the car still "
        "does not work properly: replacement or return, with usage compensation.",
    ),
    "time_or_count_days": (
        "三包有效期内因质量问题累计修理时间 {total} 日，超过 {days_over} 日。",
        "Cumulative repair time in the three-guarantee period is {total} days, more than {days_over}.",
    ),
    "time_or_count_repairs": (
        "同一质量问题累计修理超过 {repairs_over} 次（{problems}）。",
        "The same quality problem was repaired more than {repairs_over} times ({problems}).",
    ),
    "time_or_count_replace": (
        "可由销售者换车（需支付合理使用补偿）。",
        "The seller must replace the car (usage compensation applies).",
    ),
    "time_or_count_both": (
        "可选择换车或退车（需支付合理使用补偿）。",
        "Replacement or return may be chosen (usage compensation applies).",
    ),
    "no_replacement": (
        "符合更换条件，但销售者既无同品牌同型号、也无不低于原车配置的车辆可换，可选择退车（需支付合理使用补偿）。",
        "Replacement is due but the seller has neither the same model nor one of no lower configuration: the "
        "consumer may return the car (usage compensation applies).",
    ),
}

EXCLUDED: Final = {
    "pickup_2013": (
        "2013 年规定只适用于家用乘用车，皮卡车不在三包范围内。",
        "The 2013 rules cover passenger cars only; a pick-up is outside them.",
    ),
    "commercial_2013": (
        "车辆用于出租或其他营运目的，经营者可以不承担三包责任。",
        "The car is used for hire or other commercial purposes: the seller may refuse three-guarantee liability.",
    ),
    "no_invoice_or_card": (
        "无有效发票或三包凭证，经营者可以不承担三包责任；遗失三包凭证的可申请补办后继续享有权利。",
        "There is no valid invoice or warranty card: the seller may refuse liability; a lost card can be "
        "reissued, after which the rights continue.",
    ),
    "commercial_2022": (
        "营运车辆不属于 2022 年规定所称的家用汽车产品，不适用三包责任。",
        "A car in commercial use is not a household car under the 2022 rules: no three-guarantee liability.",
    ),
    "problem_exclusion": (
        "问题 {problem}：{exclusion}，经营者对该问题可以不承担三包责任。",
        "Problem {problem}: {exclusion}; the seller may refuse liability for it.",
    ),
    "not_quality_problem": (
        "问题 {problem} 不属于产品质量问题，不适用三包责任。",
        "Problem {problem} is not a product-quality problem: no three-guarantee liability.",
    ),
    "wear_part_expired": (
        "问题 {problem}：易损耗零部件（{part}）首次修理时已超出其质量保证期。",
        "Problem {problem}: the wear part ({part}) was first repaired after its own guarantee had ended.",
    ),
}

NEEDS: Final = {
    "time_or_count_pending": (
        "在 {ends_on} 之前且里程不超过 {km_limit} 公里：{what}",
        "Before {ends_on} and within {km_limit} km: {what}",
    ),
    "serious_pending": (
        "在 {ends_on} 之前且里程不超过 {km_limit} 公里：严重安全性能故障再次修理后仍未排除（目前已计 {count} 次修理）",
        "Before {ends_on} and within {km_limit} km: another serious-safety repair after which the fault persists "
        "(now {count} counted repairs)",
    ),
    "assembly_pending": (
        "在 {ends_on} 之前且里程不超过 {km_limit} 公里：总成再更换一次后仍不能正常使用（目前已更换 {count} 次）",
        "Before {ends_on} and within {km_limit} km: one more assembly replacement after which the car still does "
        "not work (now {count})",
    ),
    "main_part_pending": (
        "在 {ends_on} 之前且里程不超过 {km_limit} 公里：同一主要零件（{parts}）再更换一次后仍不能正常使用",
        "Before {ends_on} and within {km_limit} km: the same main part ({parts}) replaced once more and the car "
        "still does not work",
    ),
    "no_replacement_pending": (
        "销售者确认既无同品牌同型号、也无不低于原车配置的车辆可供更换",
        "The seller confirms it has neither the same model nor one of no lower configuration to supply",
    ),
}

WARNINGS: Final = {
    "term_raised": (
        "三包凭证上的{term}（{card}{unit}）低于法定最低标准，已按 {law}{unit} 计算。",
        "The card's {term} ({card}{unit}) is below the legal minimum; {law}{unit} is used.",
    ),
    "rate_clamped": (
        "三包凭证上的使用补偿系数 {rate} 超出法定范围 {low}–{high}，已按 {used} 计算。",
        "The card's compensation rate {rate} is outside the legal range {low}–{high}; {used} is used.",
    ),
    "events_out_of_order": (
        "维修记录未按时间顺序排列，已按开始时间排序计算。",
        "The repair visits were not in chronological order; they were sorted by start.",
    ),
    "event_before_purchase": (
        "维修记录 events[{i}] 的开始日期 {day} 早于购车发票日期。",
        "Visit events[{i}] starts on {day}, before the purchase invoice.",
    ),
    "event_outside_periods": (
        "维修记录 {which} 不在任何三包期间内。",
        "Visits {which} fall outside every period.",
    ),
    "event_after_as_of": (
        "维修记录 events[{i}] 开始于评估日 {as_of} 之后。",
        "Visit events[{i}] starts after the assessment date {as_of}.",
    ),
    "times_missing": (
        "维修记录 {which} 缺少具体时刻，按日历日（首尾两日均计）计算修理时间。",
        "Visits {which} have no times: repair time counted in calendar days, both ends included.",
    ),
    "still_in_workshop": (
        "维修记录 {which} 尚未完成修理，修理时间计算至评估日 {as_of}。",
        "Visits {which} are not finished: repair time counted up to {as_of}.",
    ),
    "odometer_missing": (
        "维修记录 {which} 没有里程读数，仅按日期判断所属期间。",
        "Visits {which} have no odometer reading: placed in periods by date only.",
    ),
    "delivery_in_2022": (
        "发票日期适用 2013 年规定，但交车日期 {delivery} 已在 2022 年规定施行之后，请核实。",
        "The invoice date selects the 2013 rules but the car was delivered on {delivery}, under the 2022 rules: check.",
    ),
    "delivery_before_invoice": (
        "交车日期 {delivery} 早于发票日期，请核实。",
        "The delivery date {delivery} is before the invoice date: check.",
    ),
    "lost_card_2013": (
        "遗失三包凭证的，销售者、生产者应在接到申请后 10 个工作日内补办，补办后可继续享有三包权利（2013 年规定第二十七条第一款）。",
        "A lost warranty card must be reissued within 10 working days of the request, and the rights then "
        "continue (2013 rules, art. 27(1)).",
    ),
    "no_invoice_2022": (
        "缺少发票或三包凭证不是 2022 年规定的免责事由；修理者能核实购买信息的应当免除提供三包凭证的义务（第十九条第二款），但换车、退车仍须凭购车发票、三包凭证。",
        "A missing invoice or card is not an exclusion under the 2022 rules; the repairer must waive the card "
        "where it can verify the purchase (art. 19(2)), but replacement and return still need invoice and card.",
    ),
    "as_of_before_purchase": (
        "评估日 {as_of} 早于购车发票日期，请核实。",
        "The assessment date {as_of} is before the invoice date: check.",
    ),
    "holiday_data_missing": (
        "{years} 年没有法定节假日数据，按周一至周五计算工作日。",
        "No holiday data for {years}: working days counted Monday to Friday.",
    ),
    "transition_2022": (
        "购车发票日期适用 2013 年规定，但{what} 在 {since} 或之后。2022 年规定没有过渡条款：有的法院对这类情形适用 2022 年规定，调解通常适用 2013 年规定。本评估按 2013 年规定作出，另附“按 2022 年规定”的评估供对照。",
        "The invoice date selects the 2013 rules, but {what} on or after {since}. The 2022 rules have no "
        "transitional clause: some courts apply the 2022 rules to such cases, mediators usually the 2013 "
        "rules. This assessment follows the 2013 rules; the reading under the 2022 text is given beside it.",
    ),
    "transition_visits": ("维修记录 {which}", "visits {which}"),
    "transition_request": ("书面要求日期 {request}", "the written request of {request}"),
    "battery_transport_2013": (
        "2013 年规定不扣除动力蓄电池运输时间（{which}）。",
        "The 2013 rules do not exclude power-battery transport time ({which}).",
    ),
}

SENTENCES: Final = {
    "remedies": ("您目前可以主张：{items}。", "You may now claim: {items}."),
    "remedies_official": ("消费者目前可以主张：{items}。", "The consumer may now claim: {items}."),
    "item": ("{name}（{article}，{cost}）", "{name} ({basis}, {cost})"),
    "free": ("免费", "free"),
    "paid": ("需支付合理使用补偿", "with usage compensation"),
    "none": ("目前没有可以主张的三包救济。", "No three-guarantee remedy is open now."),
    "compensation": ("合理使用补偿：{formula}。", "Usage compensation: {formula}."),
    "answer": (
        "销售者应在 {due} 前答复消费者的要求。",
        "The seller must answer the request by {due}.",
    ),
    "completion": (
        "符合条件的换车或退车应在 {due} 前完成。",
        "A replacement or return must be completed by {due}.",
    ),
    "pending": (
        "另有 {n} 项救济可能在条件满足后开启，详见“还差什么才能主张更多权利”。",
        "{n} further remedies could open later: see 'What would open further rights'.",
    ),
    "pending_one": (
        "另有 {n} 项救济可能在条件满足后开启，详见“还差什么才能主张更多权利”。",
        "1 further remedy could open later: see 'What would open further rights'.",
    ),
}

#: what reading a 2013 case under the 2022 text changes (``rules.transition.differences``)
DIFFERENCES: Final = {
    "repair_days": (
        "累计修理时间达到 {before} 日可换车 → 达到 {after} 日可换车或退车",
        "Cumulative repair time that opens replacement: {before} days → {after} days",
    ),
    "repeat_repairs": (
        "同一质量问题修理达到 {before} 次可换车 → 达到 {after} 次可换车或退车",
        "Repairs of the same problem that open replacement: {before} → {after}",
    ),
    "time_or_count_return": (
        "修理时间或次数超限：只能换车（无车可换才能退车）→ 可选择换车或退车",
        "Repair time or count exceeded: replacement only (return only without a car to supply) → "
        "replacement or return",
    ),
    "first_week_days": (
        "新增：{after} 日内需要更换发动机、变速器、动力蓄电池、行驶驱动电机或其主要零部件的，可免费换车或退车",
        "Added: a need to replace the engine, transmission, power battery, drive motor or a main part "
        "within {after} days opens free replacement or return",
    ),
    "early_assemblies": (
        "60 日或 3000 公里内免费更换的总成：{before} → {after}",
        "Assemblies replaced free within 60 days or 3,000 km: {before} → {after}",
    ),
    "rate_range": (
        "使用补偿系数：{before} → {after}",
        "Usage compensation rate: {before} → {after}",
    ),
    "completion_working_days": (
        "新增：符合条件的换车、退车应在书面要求后 {after} 个工作日内完成",
        "Added: a replacement or return must be completed within {after} working days of the request",
    ),
    "start_from_delivery": (
        "期间起算：购车发票日期 → 交车日期（与发票日期不同时）",
        "Periods run from: the invoice date → the delivery date (when it differs)",
    ),
}
