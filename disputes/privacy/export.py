"""A consumer's copy of their own data: data.json plus every file they uploaded, in one ZIP.

Only rows owned by the consumer are read (cases by consumer_id, drafts by owner_id): nothing of
another consumer can slip in, and nothing staff-internal (notes, unreleased opinions, audit events
beyond the consumer's own timeline) is included.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.orm import selectinload

from disputes import audit
from disputes.auth.models import User
from disputes.cases import queries as case_queries
from disputes.cases import uploads
from disputes.cases.facts import FactsError, assess_facts, facts_dict_from_case
from disputes.cases.models import Case, CaseDraft, RepairEvent, StoredFile
from disputes.cases.timeline import build_timeline
from disputes.db import db, utcnow
from disputes.holidays import bureau_holidays

#: Version of the data.json layout, so a reader can tell what it holds.
FORMAT = 1


@dataclass(frozen=True, slots=True)
class DataExport:
    """The ZIP (in memory, positioned at 0) and what went into it."""

    file: BytesIO
    cases: int
    files: int


def list_own_cases(user: User) -> list[Case]:
    """Return the user's cases with everything the export reads, oldest first."""
    stmt = (
        db.select(Case)
        .where(Case.consumer_id == user.id)
        .options(*case_queries.CASE_DETAILS)
        .order_by(Case.created_at.asc(), Case.id.asc())
    )
    return list(db.session.scalars(stmt))


def list_own_drafts(user: User) -> list[CaseDraft]:
    """Return the user's drafts not yet submitted, with their files."""
    stmt = (
        db.select(CaseDraft)
        .where(CaseDraft.owner_id == user.id, CaseDraft.submitted_case_id.is_(None))
        .options(selectinload(CaseDraft.files))
        .order_by(CaseDraft.id.asc())
    )
    return list(db.session.scalars(stmt))


def account_data(user: User) -> dict[str, Any]:
    """The account as the consumer knows it (never the password hash)."""
    return {
        "id": user.id,
        "name": user.name,
        "mobile": user.mobile,
        "email": user.email,
        "role": user.role,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
    }


def file_entry(stored: StoredFile, folder: str, key: int) -> dict[str, Any]:
    """Describe one uploaded file and where it sits in the ZIP."""
    name = (PurePosixPath(stored.original_name.replace("\\", "/")).name or "file").strip()
    return {
        "name": stored.original_name,
        "kind": stored.kind,
        "content_type": stored.content_type,
        "size_bytes": stored.size_bytes,
        "sha256": stored.sha256,
        "uploaded_at": stored.created_at,
        "path": f"files/{folder}/{key}-{name}",
    }


def case_data(case: Case) -> dict[str, Any]:
    """One case: contact, facts, problems, visits, assessments, opinions, timeline, files."""
    facts = facts_dict_from_case(case)
    try:
        assessment_now = assess_facts(facts, holidays=bureau_holidays())
    except FactsError:
        assessment_now = None
    return {
        "number": case.number,
        "status": case.status,
        "outcome": case.outcome,
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "closed_at": case.closed_at,
        "contact": {
            "name": case.contact_name,
            "phone": case.contact_phone,
            "id_number": case.contact_id_number,
            "address": case.contact_address,
        },
        "business": {
            "name": case.business_name,
            "role": case.business_role,
            "contact": case.business_contact,
        },
        "claim_text": case.claim_text,
        "consent_to_experts": case.consent_to_experts,
        "facts": facts,
        "facts_as_submitted": case.facts_snapshot,
        "problems": [_problem(p) for p in case.problems],
        "repair_events": [_repair_event(e) for e in case.repair_events],
        "assessment_at_submission": case.assessment_snapshot,
        "assessment_now": assessment_now,
        "opinions": [_opinion(o) for o in case_queries.list_released_opinions(case)],
        "timeline": [
            {"at": e.at, "title": str(e.title), "text": str(e.text)}
            for e in build_timeline(case_queries.list_case_audit(case.id))
        ],
        "files": [file_entry(a, case.number, a.id) for a in case.attachments],
    }


def _problem(p: Any) -> dict[str, Any]:
    return {
        "label": p.label,
        "system": p.system,
        "description": p.description,
        "is_quality_problem": p.is_quality_problem,
        "is_serious_safety": p.is_serious_safety,
        "failure": p.failure,
        "wear_part": p.wear_part,
        "exclusion": p.exclusion,
    }


def _repair_event(e: RepairEvent) -> dict[str, Any]:
    return {
        "position": e.position,
        "problem": e.problem.label,
        "start_date": e.start_date,
        "start_time": e.start_time,
        "end_date": e.end_date,
        "end_time": e.end_time,
        "odometer_km": e.odometer_km,
        "is_fault_found": e.is_fault_found,
        "is_resolved": e.is_resolved,
        "repairer_name": e.repairer_name,
        "repair_order_no": e.repair_order_no,
        "replaced_parts": [
            {"assembly": r.assembly, "part": r.part, "is_main_part": r.is_main_part}
            for r in e.replaced_parts
        ],
    }


def _opinion(o: Any) -> dict[str, Any]:
    return {
        "expert": o.expert.name,
        "expert_title": o.expert.title,
        "version": o.version,
        "released_at": o.released_at,
        "findings": o.findings,
        "conclusion": o.conclusion,
    }


def draft_data(draft: CaseDraft) -> dict[str, Any]:
    """An unsubmitted draft: the values typed so far and its files."""
    return {
        "id": draft.id,
        "step": draft.step,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
        "data": draft.data,
        "files": [file_entry(f, f"draft-{draft.id}", f.id) for f in draft.files],
    }


def build_export(user: User) -> DataExport:
    """Build the user's ZIP (data.json + files) in memory; audit personal_data.exported.

    Flushes the audit event; the caller commits.
    """
    cases, drafts = list_own_cases(user), list_own_drafts(user)
    case_items = [(c, case_data(c)) for c in cases]
    draft_items = [(d, draft_data(d)) for d in drafts]
    stored = [
        (a, e) for c, cd in case_items for a, e in zip(c.attachments, cd["files"], strict=True)
    ]
    stored += [(f, e) for d, dd in draft_items for f, e in zip(d.files, dd["files"], strict=True)]
    data = {
        "format": FORMAT,
        "generated_at": utcnow(),
        "account": account_data(user),
        "cases": [cd for _c, cd in case_items],
        "drafts": [dd for _d, dd in draft_items],
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, entry in stored:
            path = uploads.path_of(item.stored_name)
            entry["missing"] = not path.is_file()
            if not entry["missing"]:
                archive.write(path, entry["path"])
        body = json.dumps(audit.jsonable(data), ensure_ascii=False, indent=2)
        archive.writestr("data.json", body)
    out.seek(0)
    audit.record(
        user,
        "personal_data.exported",
        user,
        after={"export": "own_data", "cases": len(cases), "files": len(stored)},
    )
    return DataExport(out, len(cases), len(stored))
