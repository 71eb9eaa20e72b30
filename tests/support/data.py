"""Test data used across rooms: a minimal case's facts, the API's example facts, a VIN, a PDF."""

from __future__ import annotations

from typing import Any

#: The VIN of CASE_FACTS' vehicle.
VIN = "LFV2A21K6N3123458"

#: Bytes that pass an upload's PDF check; no reader opens them (tests/cases/filing.PDF does).
FAKE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

#: Facts of a minimal, valid case: one problem and one repair visit (contract format).
CASE_FACTS: dict[str, Any] = {
    "purchase": {"invoice_date": "2024-05-18", "delivery_date": "2024-05-20", "price_yuan": 168800},
    "vehicle": {"brand": "示例品牌", "model": "示例 1.5T 自动豪华型", "vin": VIN},
    "warranty_card": {"compensation_rate": 0.005},
    "problems": {"P1": {"system": "transmission", "description": "变速器低速顿挫、换挡冲击"}},
    "events": [
        {
            "problem": "P1",
            "start": "2024-07-02T09:10",
            "end": "2024-07-03T16:00",
            "odometer_km": 4200,
            "replaced": [
                {
                    "assembly": "transmission",
                    "part": "阀体",
                    "main_part": True,
                    "whole_assembly": False,
                }
            ],
            "resolved": False,
        }
    ],
    "as_of": {"date": "2024-09-01", "odometer_km": 9000},
    "written_request_date": "2024-09-01",
    "claim": "repair",
}

#: Minimal valid contract facts for the public assessment API.
API_FACTS: dict[str, Any] = {
    "purchase": {"invoice_date": "2023-03-02", "price_yuan": 98000},
    "problems": {"P1": {"system": "steering", "description": "方向盘异响"}},
    "events": [{"problem": "P1", "start": "2023-04-01", "end": "2023-04-02", "odometer_km": 1500}],
    "as_of": {"date": "2023-05-01", "odometer_km": 2600},
}
