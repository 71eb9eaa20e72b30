"""The consumer pages' test data: a filing as posted step by step, and small request helpers."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfWriter

from disputes.cases.wizard import vin_check_digit

VIN = "LFV2A21K2N3123458"
assert vin_check_digit(VIN) == VIN[8]

#: What a browser posts on each step for a small, valid filing (one problem, two visits).
STEP_POSTS: dict[int, dict[str, Any]] = {
    1: {
        "purchase-brand": "示例品牌",
        "purchase-model": "示例 1.5T 自动豪华型",
        "purchase-vin": VIN,
        "purchase-invoice_date": "2024-05-18",
        "purchase-delivery_date": "2024-05-20",
        "purchase-price_yuan": "168800",
        "purchase-has_invoice": "y",
        "purchase-has_warranty_card": "y",
        "purchase-use": "household",
        "purchase-category": "passenger",
        "purchase-powertrain": "ice",
    },
    2: {
        "warranty-repair_warranty_years": "3",
        "warranty-repair_warranty_km": "60000",
        "warranty-three_guarantee_years": "2",
        "warranty-three_guarantee_km": "50000",
        "warranty-compensation_rate_percent": "0.5",
        "warranty-wear_parts-0-name": "",
        "warranty-wear_parts-0-months": "",
        "warranty-wear_parts-0-km": "",
        "warranty-special_parts": "",
    },
    3: {
        "problems-0-label": "P1",
        "problems-0-system": "transmission",
        "problems-0-description": "变速器低速顿挫、换挡冲击",
        "problems-0-failure": "",
        "events-0-problem": "P1",
        "events-0-start_date": "2024-07-02",
        "events-0-start_time": "09:10",
        "events-0-end_date": "2024-07-03",
        "events-0-end_time": "16:00",
        "events-0-odometer_km": "4200",
        "events-0-fault_found": "y",
        "events-1-problem": "P1",
        "events-1-start_date": "2024-08-20",
        "events-1-end_date": "2024-08-27",
        "events-1-odometer_km": "7600",
        "events-1-fault_found": "y",
    },
    4: {
        "commercial": "no",
        "answers-0-label": "P1",
        "answers-0-disclosed": "no",
        "answers-0-modified": "no",
        "answers-0-accident": "no",
        "answers-0-misuse": "no",
    },
    5: {
        "claim-claim": "repair",
        "claim-replacement_available": "",
        "claim-written_request_date": "2024-09-01",
        "as_of-date": "2024-09-01",
        "as_of-odometer_km": "9000",
        "details-business_name": "某某汽车销售服务有限公司",
        "details-business_role": "seller",
        "details-business_contact": "0311-12345678",
        "details-contact_name": "张三",
        "details-contact_phone": "13912345678",
        "details-contact_id_number": "",
        "details-contact_address": "石家庄市",
        "details-claim_text": "要求修好",
    },
    6: {"kind": "invoice"},
    7: {"consent": "y"},
}


def _blank_pdf() -> bytes:
    """Return a one-page PDF that readers open (an expert's copy is rewritten by pypdf)."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def step_url(draft_id: int, step: int) -> str:
    return f"/cases/drafts/{draft_id}/step/{step}"


def post_step(client, draft_id: int, step: int, action: str = "next", **changes: Any):
    """Post one step with the valid values, changed by `changes` (None removes a field)."""
    data = dict(STEP_POSTS[step])
    for key, value in changes.items():
        key = key.replace("__", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    data["action"] = action
    return client.post(step_url(draft_id, step), data=data, content_type="multipart/form-data")


def upload(client, draft_id: int, content: bytes, name: str, kind: str = "invoice"):
    data = {"kind": kind, "action": "upload", "files": (io.BytesIO(content), name)}
    return client.post(step_url(draft_id, 6), data=data, content_type="multipart/form-data")


def start_draft(client) -> int:
    response = client.post("/cases/new")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].split("/drafts/")[1].split("/")[0])
