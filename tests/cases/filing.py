"""The consumer pages' test data: a filing as posted step by step, and small request helpers."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfWriter

from bench.filing_steps import FILING_STEPS
from disputes.cases.wizard import vin_check_digit

#: The bench's filing, whose VIN has a right check digit.
VIN = FILING_STEPS[1]["purchase-vin"]
assert vin_check_digit(VIN) == VIN[8]

#: What a browser posts on each step for a small, valid filing (one problem, two visits): the
#: bench's filing, with the boxes a browser posts empty and the last two steps.
STEP_POSTS: dict[int, dict[str, Any]] = {
    **FILING_STEPS,
    2: FILING_STEPS[2]
    | {
        "warranty-wear_parts-0-name": "",
        "warranty-wear_parts-0-months": "",
        "warranty-wear_parts-0-km": "",
        "warranty-special_parts": "",
    },
    3: FILING_STEPS[3] | {"problems-0-failure": ""},
    5: FILING_STEPS[5] | {"claim-replacement_available": "", "details-contact_id_number": ""},
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
