"""The 2013 rules (AQSIQ Order No. 150) as text: every article a 2013 basis id cites.

The repository's copy of the wording, each article with its confidence mark: V verbatim, Q quoted,
P partial (number or exact wording inferred), R reconstructed (not confirmed by any source).
"""

ACT = "《家用汽车产品修理、更换、退货责任规定》"
ACT_EN = "Provisions on Liability for the Repair, Replacement and Return of Household Automobiles"
ORDER = "国家质量监督检验检疫总局令第150号"
ORDER_EN = "AQSIQ Order No. 150"
PUBLISHED = "2012-12-29"
IN_FORCE = "2013-10-01"

_CH30 = (
    "在家用汽车产品包修期和三包有效期内，存在下列情形之一的，经营者对所涉及产品质量问题，"
    "可以不承担本规定所规定的三包责任："
)
_CH20_3 = (
    "在家用汽车产品三包有效期内，发生下列情况之一，消费者选择更换或退货的，"
    "销售者应当负责更换或退货："
)

#: (basis id, Chinese text, English gloss, confidence mark)
ARTICLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "2013.2",
        "本规定适用于在中华人民共和国境内生产和销售的家用汽车产品的三包。",
        "These rules apply to the three guarantees of household cars produced and sold in the "
        "PRC. A household car is a passenger car bought and used for personal consumption: "
        "pick-ups are outside the 2013 rules.",
        "P",
    ),
    (
        "2013.3",
        "本规定是家用汽车产品三包责任的基本要求。鼓励家用汽车产品经营者做出更有利于维护消费者"
        "合法权益的三包承诺；承诺一经作出，应当依法履行。",
        "The rules are a floor; a promise more favourable to the consumer binds once made, so "
        "warranty-card terms may only extend the legal minimum.",
        "P",
    ),
    (
        "2013.17",
        "家用汽车产品包修期限不低于3年或者行驶里程60,000公里，以先到者为准；家用汽车产品三包"
        "有效期限不低于2年或者行驶里程50,000公里，以先到者为准。家用汽车产品包修期和三包有效期"
        "自销售者开具购车发票之日起计算。",
        "Repair warranty at least 3 years or 60,000 km, whichever comes first; three-guarantee "
        "period at least 2 years or 50,000 km, whichever comes first; both run from the day the "
        "seller issues the purchase invoice.",
        "V",
    ),
    (
        "2013.18.1",
        "在家用汽车产品包修期内，家用汽车产品出现产品质量问题，消费者凭三包凭证由修理者免费修理"
        "（包括工时费和材料费）。",
        "Within the repair warranty, a product-quality problem is repaired free of charge "
        "(labour and materials) on the warranty card.",
        "V",
    ),
    (
        "2013.18.2",
        "家用汽车产品自销售者开具购车发票之日起60日内或者行驶里程3000公里之内（以先到者为准），"
        "发动机、变速器的主要零件出现产品质量问题的，消费者可以选择免费更换发动机、变速器。"
        "发动机、变速器的主要零件的种类范围由生产者明示在三包凭证上，其种类范围应当符合国家相关"
        "标准或规定，具体要求由国家质检总局另行规定。",
        "Within 60 days of the invoice or 3,000 km, whichever comes first, a quality problem of a "
        "main part of the engine or transmission lets the consumer choose a free replacement of "
        "the engine or transmission. The main parts are listed on the warranty card.",
        "V",
    ),
    (
        "2013.18.3",
        "家用汽车产品的易损耗零部件在其质量保证期内出现产品质量问题的，消费者可以选择免费更换"
        "易损耗零部件。易损耗零部件的种类范围及其质量保证期由生产者明示在三包凭证上。生产者明示的"
        "易损耗零部件的种类范围应当符合国家相关标准或规定，具体要求由国家质检总局另行规定。",
        "A wear part with a quality problem within its own guarantee (declared on the card) may "
        "be replaced free of charge.",
        "V",
    ),
    (
        "2013.19",
        "在家用汽车产品包修期内，因产品质量问题每次修理时间（包括等待修理备用件时间）超过5日的，"
        "应当为消费者提供备用车，或者给予合理的交通费用补偿。修理时间自消费者与修理者确定修理"
        "之时起，至完成修理之时止。一次修理占用时间不足24小时的，以1日计。",
        "Within the repair warranty, when one repair of a quality problem (waiting for parts "
        "included) takes more than 5 days, a backup car or reasonable transport compensation is "
        "due. Repair time runs from agreeing the repair to completing it; under 24 hours counts "
        "as 1 day.",
        "V",
    ),
    (
        "2013.20.1",
        "在家用汽车产品三包有效期内，符合本规定更换、退货条件的，消费者凭三包凭证、购车发票等由"
        "销售者更换、退货。",
        "Within the three-guarantee period, a car meeting the conditions is replaced or taken "
        "back by the seller against the warranty card and invoice.",
        "V",
    ),
    (
        "2013.20.2",
        "家用汽车产品自销售者开具购车发票之日起60日内或者行驶里程3000公里之内（以先到者为准），"
        "家用汽车产品出现转向系统失效、制动系统失效、车身开裂或燃油泄漏，消费者选择更换家用汽车"
        "产品或退货的，销售者应当负责免费更换或退货。",
        "Within 60 days of the invoice or 3,000 km, whichever comes first, steering failure, "
        "brake failure, a cracked body or a fuel leak entitle the consumer to a free replacement "
        "or return.",
        "V",
    ),
    (
        "2013.20.3.1",
        _CH20_3
        + "（一）因严重安全性能故障累计进行了2次修理，严重安全性能故障仍未排除或者又出现新的严重"
        "安全性能故障的；",
        "Within the three-guarantee period, the consumer may choose replacement or return when, "
        "after 2 repairs for serious safety faults, the fault persists or a new one appears.",
        "V",
    ),
    (
        "2013.20.3.2",
        _CH20_3
        + "（二）发动机、变速器累计更换2次后，或者发动机、变速器的同一主要零件因其质量问题，累计"
        "更换2次后，仍不能正常使用的，发动机、变速器与其主要零件更换次数不重复计算；",
        "Within the three-guarantee period, the consumer may choose replacement or return when "
        "the engine or transmission, or the same main part of either, has been replaced twice "
        "and still does not work; assembly and main-part replacements are not added together.",
        "V",
    ),
    (
        "2013.20.3.3",
        _CH20_3
        + "（三）转向系统、制动系统、悬架系统、前/后桥、车身的同一主要零件因其质量问题，累计更换"
        "2次后，仍不能正常使用的；",
        "Within the three-guarantee period, the consumer may choose replacement or return when "
        "the same main part of the steering, brakes, suspension, front/rear axle or body has been "
        "replaced twice and still does not work.",
        "V",
    ),
    (
        "2013.21.1",
        "在家用汽车产品三包有效期内，因产品质量问题修理时间累计超过35日的，或者因同一产品质量"
        "问题累计修理超过5次的，消费者可以凭三包凭证、购车发票，由销售者负责更换。",
        "Within the three-guarantee period, more than 35 days of cumulative repair time, or more "
        "than 5 repairs of the same quality problem, entitle the consumer to a replacement.",
        "V",
    ),
    (
        "2013.21.2",
        "下列情形所占用的时间不计入前款规定的修理时间：（一）需要根据车辆识别代号（VIN）等定制的"
        "防盗系统、全车线束等特殊零部件的运输时间；特殊零部件的种类范围由生产者明示在三包凭证上；"
        "（二）外出救援路途所占用的时间。",
        "Not counted in that repair time: transport of special parts ordered by VIN (anti-theft "
        "system, wiring harness, as listed on the card) and travel time of an outside rescue.",
        "V",
    ),
    (
        "2013.23",
        "在家用汽车产品三包有效期内，符合更换条件，销售者无同品牌同型号家用汽车产品，也无不低于"
        "原车配置的家用汽车产品向消费者更换的，消费者可以选择退货，销售者应当负责为消费者退货。",
        "When a replacement is due but the seller has neither the same model nor one of no lower "
        "configuration, the consumer may choose a return.",
        "V",
    ),
    (
        "2013.25",
        "按照本规定更换或者退货的，消费者应当支付因使用家用汽车产品所产生的合理使用补偿，销售者"
        "依照本规定应当免费更换、退货的除外。合理使用补偿费用的计算公式为：[（车价款（元）×行驶"
        "里程（km））/1000]×n。使用补偿系数n由生产者根据家用汽车产品使用时间、使用状况等因素在"
        "0.5%至0.8%之间确定，并在三包凭证中明示。",
        "On a replacement or return the consumer pays reasonable usage compensation, except where "
        "it must be free: price (yuan) × km ÷ 1000 × n, with n between 0.5 % and 0.8 % as "
        "declared on the card.",
        "V",
    ),
    (
        "2013.26",
        "在家用汽车产品三包有效期内，消费者书面要求更换、退货的，销售者应当自收到消费者书面要求"
        "更换、退货之日起10个工作日内，作出书面答复。逾期未答复或者未按本规定负责更换、退货的，"
        "视为故意拖延或者无正当理由拒绝。",
        "The seller answers a written request for replacement or return in writing within 10 "
        "working days of receiving it (wording reconstructed, to be checked against the official "
        "text).",
        "R",
    ),
    (
        "2013.27.1",
        "消费者遗失家用汽车产品三包凭证的，销售者、生产者应当在接到消费者申请后10个工作日内予以"
        "补办。消费者向销售者、生产者申请补办三包凭证后，可以依照本规定继续享有相应权利。",
        "A lost warranty card is reissued within 10 working days of the request, and the "
        "consumer's rights continue.",
        "Q",
    ),
    (
        "2013.29",
        "易损耗零部件超出生产者明示的质量保证期出现产品质量问题的，经营者可以不承担本规定所规定的"
        "家用汽车产品三包责任。",
        "A wear part failing after the guarantee the producer declared for it is outside the "
        "three guarantees.",
        "P",
    ),
    (
        "2013.30.1.1",
        _CH30 + "（一）消费者所购家用汽车产品已被书面告知存在瑕疵的；",
        "Relieved for the problem concerned: the consumer was told of the defect in writing.",
        "P",
    ),
    (
        "2013.30.1.2",
        _CH30 + "（二）家用汽车产品用于出租或者其他营运目的的；",
        "Relieved: the car is used for hire or other commercial purposes.",
        "P",
    ),
    (
        "2013.30.1.3",
        _CH30 + "（三）使用说明书中明示不得改装、调整、拆卸，但消费者自行改装、调整、拆卸"
        "而造成损坏的；",
        "Relieved for the problem concerned: damage from a modification, adjustment or "
        "disassembly the manual forbids.",
        "P",
    ),
    (
        "2013.30.1.4",
        _CH30 + "（四）发生产品质量问题，消费者自行处置不当而造成损坏的；",
        "Relieved for the problem concerned: damage from the consumer's own improper handling of "
        "a quality problem.",
        "P",
    ),
    (
        "2013.30.1.5",
        _CH30 + "（五）因消费者未按照使用说明书要求正确使用、维护、修理产品，而造成损坏的；",
        "Relieved for the problem concerned: damage from not using, maintaining or repairing the "
        "car as the manual requires.",
        "P",
    ),
    (
        "2013.30.1.6",
        _CH30 + "（六）因不可抗力造成损坏的。",
        "Relieved for the problem concerned: damage by force majeure.",
        "P",
    ),
    (
        "2013.31",
        "在家用汽车产品包修期和三包有效期内，无有效发票和三包凭证的，经营者可以不承担本规定所规定"
        "的三包责任。",
        "Without a valid invoice and warranty card the seller is relieved of three-guarantee "
        "liability.",
        "P",
    ),
)

#: what else an assessment shows rests on these articles: each window, count and deadline
CITED_FOR: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("repair_warranty", ("2013.17",)),
    ("three_guarantee", ("2013.17",)),
    ("early", ("2013.18.2", "2013.20.2")),
    ("wear_parts", ("2013.18.3", "2013.29")),
    ("repair_days_total", ("2013.21.1", "2013.21.2")),
    ("repairs_by_problem", ("2013.21.1",)),
    ("single_repair_days", ("2013.19",)),
    ("serious_safety_repairs", ("2013.20.3.1",)),
    ("assembly_replacements", ("2013.20.3.2",)),
    ("compensation", ("2013.25",)),
    ("written_answer_due", ("2013.26",)),
)
