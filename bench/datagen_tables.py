"""The vocabularies and proportions of the generated data set (bench/datagen.py): brands, systems,
statuses by age, the path each status implies, and how long each step takes. Every name is invented.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(2014, 1, 1)
EPOCH = date(2010, 1, 1)
#: Consumers per case (about one consumer per 2.5 cases).
CASES_PER_CONSUMER = 2.5
BATCH = 10_000

BRANDS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    # (brand, world manufacturer identifier, weight, models)
    ("示例品牌", "LSX", 14, ("1.5T 自动豪华型", "2.0T 四驱旗舰型", "1.5L 手动舒适型")),
    ("样板汽车", "LYB", 11, ("纯电长续航版", "插混尊享版")),
    ("华夏汽车", "LHX", 10, ("1.6L 自动精英型", "2.0T 运动版")),
    ("星辰汽车", "LXC", 8, ("星辰 S7 纯电", "星辰 S5 增程")),
    ("远航汽车", "LYH", 8, ("远航 X3 1.5T", "远航 X5 2.0T")),
    ("东方动力", "LDF", 7, ("东方 EV 标准续航", "东方 EV 长续航")),
    ("蓝海新能源", "LLH", 7, ("蓝海 7 四驱", "蓝海 5 后驱")),
    ("北辰汽车", "LBC", 6, ("北辰 1.5T CVT",)),
    ("天行汽车", "LTX", 5, ("天行皮卡 2.4T",)),
    ("凌云汽车", "LLY", 5, ("凌云 MPV 2.0T",)),
    ("山河汽车", "LSH", 4, ("山河 SUV 1.8T",)),
    ("青松汽车", "LQS", 4, ("青松 A 级 1.4T",)),
    ("金桥汽车", "LJQ", 3, ("金桥轿车 1.5L",)),
    ("明途汽车", "LMT", 3, ("明途 EV",)),
    ("长风汽车", "LCF", 2, ("长风越野 3.0T",)),
    ("云帆汽车", "LYF", 2, ("云帆 PHEV",)),
    ("晨曦汽车", "LCX", 1, ("晨曦小型车",)),
)
SYSTEMS = (
    ("transmission", 18),
    ("engine", 16),
    ("electrical", 12),
    ("power_battery", 10),
    ("brakes", 8),
    ("body", 7),
    ("steering", 6),
    ("suspension", 6),
    ("drive_motor", 5),
    ("fuel", 4),
    ("emission_control", 3),
    ("drivetrain", 3),
    ("axle", 1),
    ("other", 1),
)
PARTS = {
    "engine": "缸盖",
    "transmission": "阀体",
    "brakes": "制动主缸",
    "steering": "转向机",
    "power_battery": "电芯模组",
    "drive_motor": "定子",
    "body": "车门铰链",
    "suspension": "减振器",
    "electrical": "车身控制模块",
    "fuel": "燃油泵",
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ("建国", "丽娟", "志强", "海燕", "伟", "静", "明", "芳", "军", "秀英", "浩然", "雨桐")
CITIES = ("石家庄市长安区", "石家庄市桥西区", "石家庄市裕华区", "保定市竞秀区", "唐山市路北区")
OUTCOMES = (
    ("repaired", 40),
    ("replaced", 12),
    ("returned", 10),
    ("compensated", 15),
    ("settled", 10),
    ("referred", 8),
)
#: Final status by age of the case: (age in days below which the row applies, weights). Old
#: cases are nearly all finished, so open queues (an expert's, manual routing) stay bounded.
STATUS_BY_AGE: tuple[tuple[int, dict[str, int]], ...] = (
    (
        20,
        {
            "submitted": 250,
            "screening": 200,
            "info_requested": 80,
            "accepted": 100,
            "routed": 220,
            "opinion_received": 50,
            "mediation": 40,
            "not_accepted": 30,
            "withdrawn": 20,
            "closed": 10,
        },
    ),
    (
        60,
        {
            "submitted": 10,
            "screening": 20,
            "info_requested": 30,
            "accepted": 20,
            "routed": 80,
            "opinion_received": 100,
            "mediation": 250,
            "not_accepted": 80,
            "withdrawn": 60,
            "closed": 350,
        },
    ),
    (
        180,
        {
            "info_requested": 10,
            "routed": 10,
            "opinion_received": 10,
            "mediation": 80,
            "not_accepted": 100,
            "withdrawn": 80,
            "closed": 710,
        },
    ),
    (
        10**6,
        {"info_requested": 1, "mediation": 2, "not_accepted": 120, "withdrawn": 90, "closed": 787},
    ),
)
#: The statuses a case walks through to reach its final status (after "submitted").
PATHS = {
    "submitted": (),
    "screening": ("screening",),
    "info_requested": ("screening", "info_requested"),
    "accepted": ("screening", "accepted"),
    "not_accepted": ("screening", "not_accepted"),
    "routed": ("screening", "accepted", "routed"),
    "opinion_received": ("screening", "accepted", "routed", "opinion_received"),
    "mediation": ("screening", "accepted", "routed", "opinion_received", "mediation"),
    "closed": ("screening", "accepted", "routed", "opinion_received", "mediation", "closed"),
    "withdrawn": ("screening", "withdrawn"),
}
#: The stage whose clock runs in each status (see disputes/cases/clocks.py STAGE_OF_STATUS).
STAGE = {
    "submitted": "screening",
    "screening": "screening",
    "info_requested": "screening",
    "accepted": "routing",
    "routed": "opinion",
    "opinion_received": "mediation",
    "mediation": "mediation",
}
#: Typical days spent before entering each status.
STEP_DAYS = {
    "screening": (0, 2),
    "info_requested": (1, 4),
    "accepted": (1, 6),
    "not_accepted": (2, 6),
    "routed": (1, 4),
    "opinion_received": (5, 20),
    "mediation": (1, 5),
    "closed": (5, 40),
    "withdrawn": (1, 30),
}
