"""The demo cases loaded by disputes.demo: contract facts (after ../shared/cases) plus case details.

`path` is the list of statuses each case walks through after filing; "routed" runs the real
router, and "findings"/"conclusion" become the routed expert's signed opinion (released when the
path goes on to "opinion_received"). Names, VINs, companies and brands are all fictitious.
"""

from __future__ import annotations

from typing import Any

_SELLER = {
    "business_name": "示例市示例品牌汽车销售服务有限公司",
    "business_role": "seller",
    "business_contact": "售后服务部 0000-00000000",
    "manufacturer": "示例汽车制造有限公司",
    "dealer_name": "示例市示例品牌汽车销售服务有限公司",
    "consent_to_experts": True,
}

CASES: list[dict[str, Any]] = [
    {
        "owner": "consumer1@demo.sanbao.local",
        "claim_text": "变速器两次更换阀体仍然顿挫，要求退车。",
        "path": ["screening", "accepted", "routed"],
        # Signed by the routed expert, waiting for staff to release it.
        "findings": {
            "problems": {
                "P1": {"quality": "yes", "system": "transmission", "serious_safety": False},
                "P2": {"quality": "unknown", "system": "electrical", "serious_safety": False},
            },
            "visits": {"0": "P1", "1": "P1", "2": "P2", "3": "P1", "4": "P1"},
            "records_support": "yes",
            "inspection_needed": False,
            "remedy": "return",
        },
        "conclusion": "变速器阀体两次更换后仍顿挫，属同一产品质量问题；倒车影像黑屏须检验后判断。",
        "details": dict(_SELLER, contact_address="示例市示例区示例路 1 号"),
        "facts": {
            "purchase": {
                "invoice_date": "2024-05-18",
                "delivery_date": "2024-05-20",
                "price_yuan": 168800,
            },
            "vehicle": {
                "brand": "示例品牌",
                "model": "示例 1.5T 自动豪华型",
                "vin": "LDEMO2A21N3123458",
            },
            "warranty_card": {
                "wear_parts": [{"name": "刹车片", "months": 24, "km": 30000}],
                "compensation_rate": 0.005,
            },
            "problems": {
                "P1": {"system": "transmission", "description": "变速器低速顿挫、换挡冲击"},
                "P2": {"system": "electrical", "description": "倒车影像间歇黑屏"},
            },
            "events": [
                {
                    "problem": "P1",
                    "start": "2024-07-02T09:10",
                    "end": "2024-07-03T16:00",
                    "odometer_km": 4200,
                    "replaced": [],
                    "resolved": True,
                },
                {
                    "problem": "P1",
                    "start": "2024-08-20T10:00",
                    "end": "2024-08-27T17:30",
                    "odometer_km": 7600,
                    "resolved": False,
                    "replaced": [
                        {
                            "assembly": "transmission",
                            "part": "阀体",
                            "main_part": True,
                            "whole_assembly": False,
                        }
                    ],
                },
                {
                    "problem": "P2",
                    "start": "2024-09-15T14:00",
                    "end": "2024-09-15T18:00",
                    "odometer_km": 9100,
                    "replaced": [],
                    "resolved": True,
                },
                {
                    "problem": "P1",
                    "start": "2024-11-05T08:30",
                    "end": "2024-11-19T17:00",
                    "odometer_km": 13800,
                    "resolved": False,
                    "replaced": [
                        {
                            "assembly": "transmission",
                            "part": "阀体",
                            "main_part": True,
                            "whole_assembly": False,
                        }
                    ],
                },
                {
                    "problem": "P1",
                    "start": "2025-02-10T09:00",
                    "end": "2025-02-12T11:00",
                    "odometer_km": 22900,
                    "replaced": [],
                    "resolved": True,
                },
            ],
            "as_of": {"date": "2025-03-03", "odometer_km": 23500},
            "written_request_date": "2025-03-03",
            "claim": "return",
        },
    },
    {
        "owner": "consumer1@demo.sanbao.local",
        "claim_text": "安全气囊故障灯常亮，两次修理仍未修好，要求换车。",
        "path": ["screening", "accepted", "routed", "opinion_received", "mediation", "closed"],
        "outcome": "replaced",
        "findings": {
            "problems": {"P1": {"quality": "yes", "system": "body", "serious_safety": True}},
            "visits": {"0": "P1", "1": "P1"},
            "records_support": "yes",
            "inspection_needed": False,
            "remedy": "replace",
        },
        "conclusion": "安全气囊控制系统故障属严重安全性能故障，两次修理后仍未排除。",
        "details": dict(_SELLER),
        "facts": {
            "purchase": {"invoice_date": "2014-01-10", "price_yuan": 150000},
            "vehicle": {"brand": "示例品牌", "model": "示例车型", "vin": "LDEMO1B10E0000517"},
            "warranty_card": {"compensation_rate": 0.008},
            "problems": {
                "P1": {
                    "system": "body",
                    "description": "安全气囊故障灯常亮，气囊不能起爆",
                    "serious_safety": True,
                },
            },
            "events": [
                {
                    "problem": "P1",
                    "start": "2014-06-01T08:30",
                    "end": "2014-06-01T18:00",
                    "odometer_km": 9000,
                    "replaced": [],
                    "resolved": True,
                },
                {
                    "problem": "P1",
                    "start": "2014-09-01T08:30",
                    "end": "2014-09-01T18:00",
                    "odometer_km": 14000,
                    "replaced": [],
                    "resolved": False,
                },
            ],
            "as_of": {"date": "2014-12-01", "odometer_km": 18000},
            "claim": "replace",
        },
    },
    {
        "owner": "consumer2@demo.sanbao.local",
        "claim_text": "提车第四天动力电池电芯故障被更换，要求换车。",
        "path": [],
        "details": dict(
            _SELLER,
            business_name="示例市样板汽车销售服务有限公司",
            dealer_name="示例市样板汽车销售服务有限公司",
            manufacturer="样板汽车股份有限公司",
        ),
        "facts": {
            "purchase": {
                "invoice_date": "2023-04-03",
                "delivery_date": "2023-04-06",
                "price_yuan": 210000,
            },
            "vehicle": {
                "brand": "样板汽车",
                "model": "样板 EV 长续航版",
                "powertrain": "bev",
                "vin": "LDEMO3C30P0004411",
            },
            "warranty_card": {"compensation_rate": 0.004},
            "problems": {"P1": {"system": "power_battery", "description": "电池包单体电压异常"}},
            "events": [
                {
                    "problem": "P1",
                    "start": "2023-04-10",
                    "end": "2023-04-13",
                    "odometer_km": 450,
                    "resolved": True,
                    "replaced": [
                        {
                            "assembly": "power_battery",
                            "part": "电芯",
                            "main_part": True,
                            "whole_assembly": False,
                        }
                    ],
                },
            ],
            "as_of": {"date": "2023-04-20", "odometer_km": 600},
            "written_request_date": "2023-04-20",
            "claim": "replace",
        },
    },
    {
        "owner": "consumer2@demo.sanbao.local",
        "claim_text": "发动机故障灯反复亮起，同一传感器修了六次，要求换车。",
        "path": ["screening"],
        "details": dict(_SELLER),
        "facts": {
            "purchase": {"invoice_date": "2014-01-10", "price_yuan": 150000},
            "vehicle": {"brand": "示例品牌", "model": "示例车型", "vin": "LDEMO4D40E0006600"},
            "warranty_card": {"compensation_rate": 0.005},
            "problems": {
                "P1": {"system": "engine", "description": "发动机故障灯亮，同一传感器故障"}
            },
            "events": [
                {
                    "problem": "P1",
                    "start": f"2014-{month}T08:30",
                    "end": f"2014-{month}T18:00",
                    "odometer_km": km,
                    "replaced": [],
                    "resolved": True,
                }
                for month, km in (
                    ("05-01", 8000),
                    ("06-10", 9500),
                    ("07-20", 11000),
                    ("08-29", 12500),
                    ("10-08", 14000),
                    ("11-17", 15500),
                )
            ],
            "as_of": {"date": "2015-01-15", "odometer_km": 21000},
            "replacement_available": "same_model",
            "claim": "replace",
        },
    },
]
