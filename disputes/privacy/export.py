"""A consumer's copy of their own data: data.json plus every file they uploaded, in one ZIP.

The ZIP is streamed (zipstream-ng): each file is read in chunks while it is sent, so a worker holds
about one chunk whatever the files add up to. The files go in as they are (PDF, JPEG and PNG do not
compress); data.json is written last, once each file is known to be there or missing.

Only rows owned by the consumer are read (cases by consumer_id, drafts by owner_id): nothing of
another consumer can slip in, and nothing staff-internal (notes, unreleased opinions, audit events
beyond the consumer's own timeline) is included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream

from disputes import audit
from disputes.auth.models import User
from disputes.calendar import bureau_holidays
from disputes.cases import queries as case_queries
from disputes.cases import uploads
from disputes.cases.contract import case_to_facts
from disputes.cases.facts import FactsError, assess_facts
from disputes.cases.models import Case, CaseDraft, RepairEvent, StoredFile
from disputes.cases.timeline import build_timeline
from disputes.db import utcnow
from disputes.privacy import queries

#: Version of the data.json layout, so a reader can tell what it holds.
FORMAT = 1


#: Bytes of a file read (and sent) at a time.
CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class DataExport:
    """The ZIP as chunks to send (read from disk only while they are sent) and what went in."""

    chunks: Iterator[bytes]
    cases: int
    files: int


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
    facts = case_to_facts(case)
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
    """Gather the user's data and return their ZIP as a stream; audit personal_data.exported.

    Everything is read from the database here; the stream itself reads only the files, so it
    may be sent after the transaction ends. Flushes the audit event; the caller commits.
    """
    cases, drafts = queries.list_own_cases(user), queries.list_own_drafts(user)
    items: list[StoredFile] = [a for c in cases for a in c.attachments]
    items += [f for d in drafts for f in d.files]
    data = audit.jsonable(
        {
            "format": FORMAT,
            "generated_at": utcnow(),
            "account": account_data(user),
            "cases": [case_data(c) for c in cases],
            "drafts": [draft_data(d) for d in drafts],
        }
    )
    entries = [e for cd in data["cases"] for e in cd["files"]]
    entries += [e for dd in data["drafts"] for e in dd["files"]]
    files = [
        (uploads.path_of(item.stored_name), entry)
        for item, entry in zip(items, entries, strict=True)
    ]
    audit.record(
        user,
        "personal_data.exported",
        user,
        after={"export": "own_data", "cases": len(cases), "files": len(files)},
    )
    return DataExport(_zip_stream(data, files), len(cases), len(files))


def _zip_stream(data: dict[str, Any], files: list[tuple[Path, dict[str, Any]]]) -> Iterator[bytes]:
    """Yield the ZIP: each file as it is read, then data.json marking the files not found."""
    archive = ZipStream(compress_type=ZIP_STORED)
    for path, entry in files:
        entry["missing"] = not path.is_file()
        if not entry["missing"]:
            archive.add(_read(path, entry), entry["path"])
    archive.add(_json_of(data), "data.json", compress_type=ZIP_DEFLATED)
    yield from archive


def _read(path: Path, entry: dict[str, Any]) -> Iterator[bytes]:
    """Yield the file in chunks; one deleted since it was listed becomes an empty member that
    `entry` marks missing."""
    try:
        source = path.open("rb")
    except FileNotFoundError:
        entry["missing"] = True
        return
    with source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk


def _json_of(data: dict[str, Any]) -> Iterator[bytes]:
    """Yield data.json, serialised only when its turn comes (after every file)."""
    yield json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
