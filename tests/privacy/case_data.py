"""The privacy tests' case data: the personal data to look for, a file stored on a case, and an
expert assigned to it (plain helpers; the fixtures are in conftest.py)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from werkzeug.datastructures import FileStorage

from disputes.cases import uploads
from disputes.cases.models import Case
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts.models import Assignment, Expert, ExpertSpecialty
from tests.support.data import FAKE_PDF

#: Personal data of the consumer's case: each value must show only where the policy allows.
PERSONAL = {
    "contact_name": "陈小明",
    "contact_phone": "13712345678",
    "contact_id_number": "110101199003071234",
    "contact_address": "保密市隐私区个人路 99 号",
}


def attach(case_id: int, name: str = "invoice.pdf", content: bytes = FAKE_PDF) -> str:
    """Store a file on `case_id` as its consumer (app context needed); return its stored name."""
    case = db.session.get(Case, case_id)
    upload = FileStorage(BytesIO(content), filename=name)
    attachment = uploads.store_upload(case, upload, "invoice", case.consumer)
    db.session.commit()
    return attachment.stored_name


def assign(case_id: int, expert_user: Any, code: str = "E01") -> Expert:
    """Make `expert_user` a panel member (once) with an active assignment on the case."""
    expert = db.session.scalar(db.select(Expert).where(Expert.user_id == expert_user.id))
    if expert is None:
        expert = Expert(user_id=expert_user.id, code=code, name=expert_user.name)
        expert.specialties.append(ExpertSpecialty(system=VehicleSystem.transmission))
        db.session.add(expert)
        db.session.flush()
    db.session.add(Assignment(case_id=case_id, expert_id=expert.id))
    db.session.commit()
    return expert
