"""Writes: the expert's opinion — drafts, signing (SHA-256 of canonical JSON), revisions, release —
and the facts as the expert's findings change them (re-assessed by rules/, never decided here).
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from disputes import audit
from disputes.cases import states
from disputes.cases.contract import case_to_facts
from disputes.cases.facts import assess_facts
from disputes.cases.models import Case, CaseStatus
from disputes.db import db, utcnow
from disputes.experts import queries
from disputes.experts.findings import ProblemEntry, StoredFindings
from disputes.experts.models import Assignment, AssignmentStatus, Opinion, OpinionStatus

#: Answers to "is it a product-quality problem?".
QUALITY_YES, QUALITY_NO, QUALITY_UNKNOWN = "yes", "no", "unknown"


class OpinionError(Exception):
    """Raised when an opinion action is not allowed in its current state."""


def facts_with_findings(facts: dict[str, Any], findings: dict[str, Any]) -> dict[str, Any]:
    """Return contract facts as the expert's findings change them (input left untouched).

    findings["problems"][label] may set quality ("no" → quality_problem false, "yes" → true,
    "unknown" keeps the filed value), serious_safety, system and needs_replacing (an assembly the
    expert finds needed replacing: recorded on the problem's first visit as a whole assembly
    "replacement_needed", diagnosed by inspection on that visit's day); findings["visits"][i]
    re-labels event i to another problem, merging visits into one problem (a problem left with
    no visit that had some before is dropped).
    """
    stored = StoredFindings.from_dict(findings)
    out = copy.deepcopy(facts)
    problems = out.get("problems") or {}
    events = out.get("events") or []
    for entry in stored.problems:
        if entry.label in problems:
            _apply(problems[entry.label], entry)
    _regroup(events, problems, stored)
    for entry in stored.problems:
        if entry.needs_replacing and entry.label in problems:
            _diagnose(events, entry.label, entry.needs_replacing)
            out.pop("contract", None)  # a diagnosis needs the latest contract, not version 1
    return out


def _apply(problem: dict[str, Any], entry: ProblemEntry) -> None:
    """Set the problem's quality, safety flag and system as the expert decided them."""
    if entry.quality == QUALITY_NO:
        problem["quality_problem"] = False
    elif entry.quality == QUALITY_YES:
        problem["quality_problem"] = True
    if entry.serious_safety is not None:
        problem["serious_safety"] = bool(entry.serious_safety)
    if entry.system:
        problem["system"] = entry.system


def _regroup(
    events: list[dict[str, Any]], problems: dict[str, Any], stored: StoredFindings
) -> None:
    """Re-label the visits as the expert grouped them; drop a problem left with no visit."""
    had_events = {e.get("problem") for e in events}
    for i, label in stored.visits:
        if 0 <= i < len(events) and label in problems:
            events[i]["problem"] = label
    still = {e.get("problem") for e in events}
    for label in list(problems):
        if label in had_events and label not in still:
            del problems[label]


def _diagnose(events: list[dict[str, Any]], label: str, assembly: str) -> None:
    """Record the expert's finding that `assembly` needed replacing on the problem's first visit."""
    visits = [e for e in events if e.get("problem") == label and e.get("fault_found", True)]
    if not visits:
        return
    first = min(visits, key=lambda e: e["start"])
    first.setdefault("replaced", []).append(
        {
            "assembly": assembly,
            "part": None,
            "main_part": False,
            "whole_assembly": True,
            "status": "replacement_needed",
            "diagnosed_date": first["start"][:10],
            "diagnosed_by": "inspection",
        }
    )


def filed_facts(case: Case) -> dict[str, Any]:
    """Return the case's facts as filed (the snapshot when there is one)."""
    return copy.deepcopy(case.facts_snapshot) if case.facts_snapshot else case_to_facts(case)


def assessments(
    case: Case, findings: dict[str, Any], holidays: dict | None = None, lang: str | None = None
) -> tuple:
    """Return (assessment as filed, assessment with the findings applied) as contract dicts."""
    facts = filed_facts(case)
    filed = case.assessment_snapshot or assess_facts(facts, lang=lang, holidays=holidays)
    recomputed = assess_facts(facts_with_findings(facts, findings), lang=lang, holidays=holidays)
    return filed, recomputed


# --- signing -------------------------------------------------------------------------------------


def canonical_content(opinion: Opinion) -> dict[str, Any]:
    """Return what the signature covers: the findings and who signed which case, when."""
    return {
        "case_number": opinion.case.number,
        "version": opinion.version,
        "expert_code": opinion.expert.code,
        "signed_name": opinion.signed_name,
        "signed_at": opinion.signed_at.isoformat() if opinion.signed_at else None,
        "findings": opinion.findings,
        "conclusion": opinion.conclusion,
    }


def digest(content: dict[str, Any]) -> str:
    """Return the SHA-256 hex digest of the canonical JSON of `content`."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(opinion: Opinion) -> bool:
    """Return whether the stored signature still matches the opinion's content."""
    return opinion.signature is not None and opinion.signature == digest(canonical_content(opinion))


# --- the opinion's life cycle ---------------------------------------------------------------


def current_opinion(assignment: Assignment) -> Opinion | None:
    """Return the assignment's latest version, or None."""
    return db.session.scalar(
        db.select(Opinion)
        .where(Opinion.assignment_id == assignment.id)
        .order_by(Opinion.version.desc())
        .limit(1)
    )


def save_draft(assignment: Assignment, findings: dict[str, Any], conclusion: str, actor) -> Opinion:
    """Save the expert's draft (creating version 1 when there is none); signed ones are locked."""
    if assignment.status != AssignmentStatus.active:
        raise OpinionError("该分派已结束，不能再修改意见。")
    opinion = current_opinion(assignment)
    if opinion is not None and opinion.status != OpinionStatus.draft:
        raise OpinionError("意见已签署，不能修改。")
    if opinion is None:
        opinion = Opinion(
            case_id=assignment.case_id,
            expert_id=assignment.expert_id,
            assignment_id=assignment.id,
            version=1,
        )
        db.session.add(opinion)
    opinion.findings = findings
    opinion.conclusion = conclusion
    db.session.flush()
    audit.record(
        actor, "opinion.saved", opinion, case=assignment.case, after={"version": opinion.version}
    )
    return opinion


def sign(opinion: Opinion, actor) -> Opinion:
    """Sign and lock the draft: the expert's name, the time and the digest of its content."""
    if opinion.status != OpinionStatus.draft:
        raise OpinionError("意见已签署，不能重复签署。")
    opinion.status = OpinionStatus.signed
    opinion.signed_at = utcnow().replace(microsecond=0)
    opinion.signed_name = opinion.expert.name
    opinion.signature = digest(canonical_content(opinion))
    db.session.flush()
    audit.record(
        actor,
        "opinion.signed",
        opinion,
        case=opinion.case,
        after={"version": opinion.version, "sha256": opinion.signature},
    )
    return opinion


def request_revision(opinion: Opinion, actor, reason: str) -> Opinion:
    """Staff ask for a new version of a signed opinion; return the new draft (version + 1)."""
    if not opinion.awaits_review:
        raise OpinionError("只有已签署、尚未发布的最新意见可以要求修改。")
    if not reason.strip():
        raise OpinionError("请写明要求修改的理由。")
    opinion.revision_requested_at = utcnow()
    opinion.revision_reason = reason
    draft = Opinion(
        case_id=opinion.case_id,
        expert_id=opinion.expert_id,
        assignment_id=opinion.assignment_id,
        version=opinion.version + 1,
        findings=copy.deepcopy(opinion.findings),
        conclusion=opinion.conclusion,
    )
    db.session.add(draft)
    db.session.flush()
    audit.record(
        actor,
        "opinion.revision_requested",
        opinion,
        case=opinion.case,
        after={"version": opinion.version, "reason": reason},
    )
    return draft


def release(opinion: Opinion, actor) -> Opinion:
    """Staff release a signed opinion to the parties; the assignment completes, the case moves
    routed → opinion_received."""
    if not opinion.awaits_review:
        raise OpinionError("只有已签署、未被要求修改的意见可以发布。")
    opinion.status = OpinionStatus.released
    opinion.released_at = utcnow()
    assignment = opinion.assignment
    assignment.status = AssignmentStatus.completed
    assignment.ended_at = utcnow()
    db.session.flush()
    audit.record(
        actor, "opinion.released", opinion, case=opinion.case, after={"version": opinion.version}
    )
    if opinion.case.status == CaseStatus.routed:
        states.transition(opinion.case, CaseStatus.opinion_received, actor)
    return opinion


@states.guard(CaseStatus.routed, CaseStatus.opinion_received)
def _opinion_released(case: Case) -> str | None:
    """The case has an expert opinion only once staff have released a signed one."""
    if queries.has_released_opinion(case.id):
        return None
    return "专家意见尚未签署并经审核发布，不能确认收到专家意见。"
