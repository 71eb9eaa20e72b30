"""The 2022 rules (SAMR Order No. 43) as text: every article a 2022 basis id cites.

The repository's copy of the wording, taken from the complete official text (so every article is
marked V, verbatim; an elided lead-in is shown as "……").
"""

ACT = "《家用汽车产品修理更换退货责任规定》"
ACT_EN = "Provisions on Liability for the Repair, Replacement and Return of Household Automobiles"
ORDER = "国家市场监督管理总局令第43号"
ORDER_EN = "SAMR Order No. 43"
PUBLISHED = "2021-07-22"
IN_FORCE = "2022-01-01"

_CH24_1 = (
    "家用汽车产品在三包有效期内出现下列情形之一，消费者凭购车发票、三包凭证选择更换家用汽车产品"
    "或者退货的，销售者应当更换或者退货："
)
_CH32 = "包修期内家用汽车产品有下列情形之一的，可以免除经营者对下列质量问题承担的三包责任："

#: (basis id, Chinese text, English gloss, confidence mark)
ARTICLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "2022.4",
        "……但不得侵害消费者合法权益，不得免除或者减轻本规定所规定的质量义务和三包责任。鼓励经营者"
        "作出严于本规定、更有利于保护消费者合法权益的三包承诺。承诺一经作出，应当依法履行。",
        "Operators may not reduce the duties of these rules; a promise more favourable to the "
        "consumer binds once made, so warranty-card terms may only extend the legal minimum.",
        "V",
    ),
    (
        "2022.18",
        "家用汽车产品的三包有效期不得低于2年或者行驶里程50,000公里，以先到者为准；包修期不得低于"
        "3年或者行驶里程60,000公里，以先到者为准。三包有效期和包修期自销售者开具购车发票之日起"
        "计算；开具购车发票日期与交付家用汽车产品日期不一致的，自交付之日起计算。",
        "Three-guarantee period at least 2 years or 50,000 km, repair warranty at least 3 years "
        "or 60,000 km, whichever comes first; both run from the invoice date, or from the "
        "delivery date when the two differ.",
        "V",
    ),
    (
        "2022.19.1",
        "家用汽车产品在包修期内出现质量问题或者易损耗零部件在其质量保证期内出现质量问题的，"
        "消费者可以凭三包凭证选择修理者免费修理（包括免除工时费和材料费）。",
        "A quality problem within the repair warranty, or of a wear part within its own "
        "guarantee, is repaired free of charge (labour and materials) on the warranty card.",
        "V",
    ),
    (
        "2022.19.2",
        "修理者能够通过查询相关信息系统等方式核实购买信息的，应当免除消费者提供三包凭证的义务。",
        "A repairer that can verify the purchase (for instance in an information system) must "
        "not ask for the warranty card.",
        "V",
    ),
    (
        "2022.20",
        "家用汽车产品自三包有效期起算之日起60日内或者行驶里程3000公里之内（以先到者为准），因"
        "发动机、变速器、动力蓄电池、行驶驱动电机的主要零部件出现质量问题的，消费者可以凭三包凭证"
        "选择更换发动机、变速器、动力蓄电池、行驶驱动电机。修理者应当免费更换。",
        "Within 60 days or 3,000 km of the start of the three-guarantee period, whichever comes "
        "first, a quality problem of a main part of the engine, transmission, power battery or "
        "drive motor lets the consumer choose a free replacement of that assembly.",
        "V",
    ),
    (
        "2022.21",
        "家用汽车产品在包修期内因质量问题单次修理时间超过5日（包括等待修理零部件时间）的，修理者"
        "应当自第6日起为消费者提供备用车，或者向消费者支付合理的交通费用补偿。经营者与消费者另有"
        "约定的，按照约定的方式予以补偿。",
        "Within the repair warranty, when one repair of a quality problem (waiting for parts "
        "included) takes more than 5 days, the repairer provides a backup car or reasonable "
        "transport compensation from day 6, or as otherwise agreed.",
        "V",
    ),
    (
        "2022.22",
        "家用汽车产品自三包有效期起算之日起7日内，因质量问题需要更换发动机、变速器、动力蓄电池、"
        "行驶驱动电机或者其主要零部件的，消费者可以凭购车发票、三包凭证选择更换家用汽车产品或者"
        "退货。销售者应当免费更换或者退货。",
        "Within 7 days of the start of the three-guarantee period, when a quality problem needs "
        "the engine, transmission, power battery, drive motor or one of their main parts "
        "replaced, the consumer may choose a free vehicle replacement or return.",
        "V",
    ),
    (
        "2022.23",
        "家用汽车产品自三包有效期起算之日起60日内或者行驶里程3000公里之内（以先到者为准），因质量"
        "问题出现转向系统失效、制动系统失效、车身开裂、燃油泄漏或者动力蓄电池起火的，消费者可以凭"
        "购车发票、三包凭证选择更换家用汽车产品或者退货。销售者应当免费更换或者退货。",
        "Within 60 days or 3,000 km of the start of the three-guarantee period, whichever comes "
        "first, steering failure, brake failure, a cracked body, a fuel leak or a power-battery "
        "fire entitle the consumer to a free replacement or return.",
        "V",
    ),
    (
        "2022.24.1.1",
        _CH24_1 + "（一）因严重安全性能故障累计进行2次修理，但仍未排除该故障或者出现新的严重"
        "安全性能故障的；",
        "Within the three-guarantee period, replacement or return when, after 2 repairs for "
        "serious safety faults, the fault persists or a new one appears.",
        "V",
    ),
    (
        "2022.24.1.2",
        _CH24_1 + "（二）发动机、变速器、动力蓄电池、行驶驱动电机因其质量问题累计更换2次，"
        "仍不能正常使用的；",
        "Within the three-guarantee period, replacement or return when the engine, transmission, "
        "power battery or drive motor has been replaced twice and still does not work.",
        "V",
    ),
    (
        "2022.24.1.3",
        _CH24_1 + "（三）发动机、变速器、动力蓄电池、行驶驱动电机、转向系统、制动系统、悬架系统、"
        "传动系统、污染控制装置、车身的同一主要零部件因其质量问题累计更换2次，仍不能正常使用的；",
        "Within the three-guarantee period, replacement or return when the same main part of the "
        "engine, transmission, power battery, drive motor, steering, brakes, suspension, "
        "drivetrain, emission control or body has been replaced twice and still does not work.",
        "V",
    ),
    (
        "2022.24.1.4",
        _CH24_1 + "（四）因质量问题累计修理时间超过30日，或者因同一质量问题累计修理超过4次的。",
        "Within the three-guarantee period, replacement or return after more than 30 days of "
        "cumulative repair time, or more than 4 repairs of the same quality problem.",
        "V",
    ),
    (
        "2022.24.2",
        "发动机、变速器、动力蓄电池、行驶驱动电机的更换次数与其主要零部件的更换次数不重复计算。",
        "Replacements of an assembly and of its main parts are not added together.",
        "V",
    ),
    (
        "2022.24.3",
        "需要根据车辆识别代号（VIN）等定制的防盗系统、全车主线束等特殊零部件和动力蓄电池的运输"
        "时间，以及外出救援路途所占用的时间，不计入本条第一款第（四）项规定的修理时间。",
        "Not counted in the cumulative repair time: transport of VIN-customised special parts and "
        "of the power battery, and travel time of an outside rescue.",
        "V",
    ),
    (
        "2022.27",
        "消费者依照本规定第二十四条第一款规定更换家用汽车产品或者退货的，应当向销售者支付家用汽车"
        "产品使用补偿费。补偿费的计算方式为：补偿费=车价款（元）×行驶里程（公里）/1000（公里）×n。"
        "使用补偿系数n由生产者确定并明示在三包凭证上。使用补偿系数n不得高于0.5%。",
        "Usage compensation is paid only for replacements and returns under Article 24(1): price "
        "(yuan) × km ÷ 1000 × n, with n declared on the card and at most 0.5 %.",
        "V",
    ),
    (
        "2022.28",
        "三包有效期内销售者收到消费者提出的更换家用汽车产品或者退货要求的，应当自收到相关要求之日起"
        "10个工作日内向消费者作出答复。不符合更换或者退货条件的，应当在答复中说明理由。\n"
        "符合更换或者退货条件的，销售者应当自消费者提出更换或者退货要求之日起20个工作日内为消费者"
        "完成更换或者退货，并出具换车证明或者退车证明；20个工作日内不能完成家用汽车产品更换的，"
        "消费者可以要求退货，但因消费者原因造成的延迟除外。",
        "The seller answers a request for replacement or return within 10 working days of "
        "receiving it, and completes a due replacement or return within 20 working days of the "
        "request.",
        "V",
    ),
    (
        "2022.28.1",
        "三包有效期内销售者收到消费者提出的更换家用汽车产品或者退货要求的，应当自收到相关要求之日起"
        "10个工作日内向消费者作出答复。不符合更换或者退货条件的，应当在答复中说明理由。",
        "The seller answers a request for replacement or return within 10 working days of "
        "receiving it, giving reasons when it refuses.",
        "V",
    ),
    (
        "2022.28.2",
        "符合更换或者退货条件的，销售者应当自消费者提出更换或者退货要求之日起20个工作日内为消费者"
        "完成更换或者退货，并出具换车证明或者退车证明；20个工作日内不能完成家用汽车产品更换的，"
        "消费者可以要求退货，但因消费者原因造成的延迟除外。",
        "A due replacement or return is completed within 20 working days of the request; if a "
        "replacement cannot be completed in time the consumer may ask for a return.",
        "V",
    ),
    (
        "2022.32.1.1",
        _CH32 + "（一）消费者购买时已经被书面告知家用汽车产品存在不违反法律、法规或者强制性国家标准"
        "的瑕疵；",
        "Relieved for the problem concerned: the consumer was told in writing at purchase of a "
        "defect that breaks no law or mandatory standard.",
        "V",
    ),
    (
        "2022.32.1.2",
        _CH32 + "（二）消费者未按照使用说明书或者三包凭证要求，使用、维护、保养家用汽车产品而造成的"
        "损坏；",
        "Relieved for the problem concerned: damage from not using, maintaining or servicing the "
        "car as the manual or warranty card requires.",
        "V",
    ),
    (
        "2022.32.1.3",
        _CH32 + "（三）使用说明书明示不得对家用汽车产品进行改装、调整、拆卸，但消费者仍然改装、"
        "调整、拆卸而造成的损坏；",
        "Relieved for the problem concerned: damage from a modification, adjustment or "
        "disassembly the manual forbids.",
        "V",
    ),
    (
        "2022.32.1.4",
        _CH32 + "（四）发生质量问题，消费者自行处置不当而造成的损坏；",
        "Relieved for the problem concerned: damage from the consumer's own improper handling of "
        "a quality problem.",
        "V",
    ),
    (
        "2022.32.1.5",
        _CH32 + "（五）因不可抗力造成的损坏。",
        "Relieved for the problem concerned: damage by force majeure.",
        "V",
    ),
    (
        "2022.40",
        "家用汽车产品，指消费者为生活消费需要而购买和使用的乘用车和皮卡车。乘用车，指按照有关国家"
        "标准规定的除专用乘用车以外的乘用车。",
        "A household car is a passenger car or pick-up bought and used for personal consumption: "
        "a car in commercial use is not one.",
        "V",
    ),
)

#: what else an assessment shows rests on these articles: each window, count and deadline
CITED_FOR: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("repair_warranty", ("2022.18",)),
    ("three_guarantee", ("2022.18",)),
    ("early", ("2022.20", "2022.23")),
    ("first_week", ("2022.22",)),
    ("wear_parts", ("2022.19.1",)),
    ("repair_days_total", ("2022.24.1.4", "2022.24.3")),
    ("repairs_by_problem", ("2022.24.1.4",)),
    ("single_repair_days", ("2022.21",)),
    ("serious_safety_repairs", ("2022.24.1.1",)),
    ("assembly_replacements", ("2022.24.1.2", "2022.24.2")),
    ("compensation", ("2022.27",)),
    ("written_answer_due", ("2022.28.1",)),
    ("completion_due", ("2022.28.2",)),
)
