"""Repair records: submitting them, comparing the case with them merged in, and merging or
rejecting them (flush + audit, never commit).

A record matches an existing repair visit when it names the same problem and the same start date:
it then updates that visit; otherwise it is added as a new visit after the existing ones (so the
remedies' event indexes of the existing visits stay as they were).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from werkzeug.datastructures import FileStorage

from disputes import audit
from disputes.auth.models import User
from disputes.business.records import RecordsStatus, RepairRecordSubmission
from disputes.calendar import bureau_holidays
from disputes.cases import uploads
from disputes.cases.contract import case_to_facts
from disputes.cases.facts import FactsError, assess_facts
from disputes.cases.models import Case, Problem, RepairEvent, ReplacedPart
from disputes.cases.states import FINAL
from disputes.cases.vocabulary import AttachmentKind, DiagnosedBy, ReplacementStatus, VehicleSystem
from disputes.db import db, utcnow
from disputes.i18n import lazy_gettext as _l

#: Keys of a line that are not contract facts (kept with the submission only).
EXTRA_KEYS = ("work_done", "repair_order_no")


class AlreadyDecided(Exception):
    """The submission was merged or rejected already (a double submit, a back button)."""

    def __init__(self, status: RecordsStatus) -> None:
        super().__init__(str(status))
        self.status = status


class RecordsDoNotFit(Exception):
    """The case's facts with the records merged do not pass the rules' checks."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CaseEnded(RecordsDoNotFit):
    """The case was withdrawn or closed: repair records no longer change its facts."""


def accepts_records(case: Case) -> bool:
    """Tell whether repair records may still be submitted on the case (not once it ended)."""
    return case.status not in FINAL


# --- the merge on paper: facts before and after, and what the rules say of each -----------------


def _day(moment: str | None) -> str | None:
    return moment[:10] if moment else None


def contract_event(line: dict[str, Any]) -> dict[str, Any]:
    """Return the contract `events` entry of a line (its extra keys left out)."""
    return {k: copy.deepcopy(v) for k, v in line.items() if k not in EXTRA_KEYS}


def match_index(events: list[dict[str, Any]], line: dict[str, Any]) -> int | None:
    """Return the index of the visit `line` updates (same problem, same start date), or None."""
    for index, event in enumerate(events):
        same_day = _day(event.get("start")) == _day(line.get("start"))
        if event.get("problem") == line.get("problem") and same_day:
            return index
    return None


def merge_facts(facts: dict[str, Any], lines: list[dict[str, Any]]) -> tuple[dict, list, list]:
    """Return (facts with `lines` merged, indexes of updated visits, indexes of added visits)."""
    merged = copy.deepcopy(facts)
    events = merged["events"]
    updated, added = [], []
    for line in lines:
        index = match_index(events, line)
        if index is None:
            events.append(contract_event(line))
            added.append(len(events) - 1)
        else:
            events[index] = contract_event(line)
            updated.append(index)
    return merged, updated, added


def _remedies(assessment: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(r["remedy"], r["basis"], r.get("article") or "") for r in assessment["remedies"]]


def _needing_replacement(facts: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (problem, assembly, part) of every part diagnosed as needing replacing."""
    return [
        (event["problem"], item["assembly"], item.get("part") or "")
        for event in facts["events"]
        for item in event.get("replaced") or []
        if item.get("status") == ReplacementStatus.replacement_needed
    ]


@dataclass(frozen=True, slots=True)
class Difference:
    """The case now and with the records merged in, and what the rules say of each."""

    facts_before: dict[str, Any]
    facts_after: dict[str, Any]
    assessment_before: dict[str, Any] | None
    assessment_after: dict[str, Any]
    updated: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    #: Repair days of each problem's visits alone (the rules count them), before and after.
    days_before: dict[str, int] = field(default_factory=dict)
    days_after: dict[str, int] = field(default_factory=dict)

    @property
    def remedies_before(self) -> list[tuple[str, str, str]]:
        return _remedies(self.assessment_before) if self.assessment_before else []

    @property
    def remedies_after(self) -> list[tuple[str, str, str]]:
        return _remedies(self.assessment_after)

    @property
    def remedies_added(self) -> list[tuple[str, str, str]]:
        return [r for r in self.remedies_after if r not in self.remedies_before]

    @property
    def remedies_removed(self) -> list[tuple[str, str, str]]:
        return [r for r in self.remedies_before if r not in self.remedies_after]

    def counts(self) -> list[tuple[str, int, int, int | None, int | None]]:
        """Return (problem, repairs before, after, repair days before, after) per problem."""
        before = (self.assessment_before or {}).get("counts", {}).get("repairs_by_problem", {})
        after = self.assessment_after["counts"]["repairs_by_problem"]
        labels = sorted(set(before) | set(after) | set(self.days_after))
        return [
            (
                label,
                before.get(label, 0),
                after.get(label, 0),
                self.days_before.get(label),
                self.days_after.get(label),
            )
            for label in labels
        ]

    @property
    def repair_days(self) -> tuple[int | None, int]:
        before = (self.assessment_before or {}).get("counts", {}).get("repair_days_total")
        return before, self.assessment_after["counts"]["repair_days_total"]

    @property
    def parts_needed(self) -> tuple[list, list]:
        return _needing_replacement(self.facts_before), _needing_replacement(self.facts_after)

    def summary(self) -> dict[str, Any]:
        """Return what changed, as the audit event and the consumer's page keep it."""
        return {
            "visits_added": len(self.added),
            "visits_updated": len(self.updated),
            "remedies_added": [list(r) for r in self.remedies_added],
            "remedies_removed": [list(r) for r in self.remedies_removed],
            "repairs_by_problem": [list(c) for c in self.counts()],
            "repair_days_total": list(self.repair_days),
        }


def compare(case: Case, lines: list[dict[str, Any]], *, lang: str | None = None) -> Difference:
    """Assess the case as it stands and with the record `lines` merged (RecordsDoNotFit when the
    merged facts fail the rules' checks)."""
    before = case_to_facts(case)
    after, updated, added = merge_facts(before, lines)
    holidays = bureau_holidays()
    try:
        assessment_before = assess_facts(before, lang=lang, holidays=holidays)
    except FactsError:  # the case's own facts may not pass the checks: shown as none
        assessment_before = None
    try:
        assessment_after = assess_facts(after, lang=lang, holidays=holidays)
    except FactsError as error:
        raise RecordsDoNotFit(str(error)) from error
    return Difference(
        before,
        after,
        assessment_before,
        assessment_after,
        updated,
        added,
        _days_by_problem(before, holidays),
        _days_by_problem(after, holidays),
    )


def _days_by_problem(facts: dict[str, Any], holidays: dict | None) -> dict[str, int]:
    """Return each problem's repair days, as the rules count its visits alone."""
    days = {}
    for label in facts["problems"]:
        alone = dict(facts, events=[e for e in facts["events"] if e["problem"] == label])
        try:
            days[label] = assess_facts(alone, lang="zh", holidays=holidays)["counts"][
                "repair_days_total"
            ]
        except FactsError:
            continue
    return days


# --- writes ---------------------------------------------------------------------------------------


def submit_with_files(
    case: Case,
    lines: list[dict[str, Any]],
    note: str,
    files: list[FileStorage],
    actor: User,
    *,
    by_staff: bool = False,
) -> RepairRecordSubmission:
    """Check the records fit the case (RecordsDoNotFit), keep the work orders as the case's
    attachments (UploadError for a refused file) and submit the records; CaseEnded once the
    case was withdrawn or closed."""
    if not accepts_records(case):
        raise CaseEnded(_l("案件已经撤回或结束，不能再提交维修记录。"))
    compare(case, lines)
    ids = [
        uploads.store_upload(case, file, AttachmentKind.repair_order, actor).id for file in files
    ]
    return submit_records(case, lines, note, ids, actor, by_staff=by_staff)


def submit_records(
    case: Case,
    lines: list[dict[str, Any]],
    note: str,
    attachment_ids: list[int],
    actor: User,
    *,
    by_staff: bool = False,
) -> RepairRecordSubmission:
    """Keep the business's repair records for staff to review; audit case.records_submitted."""
    submission = RepairRecordSubmission(
        case=case,
        organisation_id=case.organisation_id if by_staff else actor.organisation_id,
        status=RecordsStatus.submitted,
        submitted_by_id=actor.id,
        is_recorded_by_staff=by_staff,
        lines=audit.jsonable(lines),
        attachment_ids=list(attachment_ids),
        note=note,
    )
    db.session.add(submission)
    db.session.flush()
    audit.record(
        actor,
        "case.records_submitted",
        submission,
        case=case,
        after={
            "visits": len(lines),
            "attachment_ids": list(attachment_ids),
            "recorded_by_staff": by_staff,
        },
    )
    return submission


def lock_submission(submission_id: int) -> RepairRecordSubmission | None:
    """Re-read a submission under a row lock, so two decisions on it run one after the other.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes the
    database's write lock first, so the re-read sees a decision committed meanwhile.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        no_op = (
            db.update(RepairRecordSubmission)
            .where(RepairRecordSubmission.id == submission_id)
            .values(status=RepairRecordSubmission.status)
        )
        db.session.execute(no_op.execution_options(synchronize_session=False))
    stmt = (
        db.select(RepairRecordSubmission)
        .where(RepairRecordSubmission.id == submission_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one_or_none()


def _decide(submission_id: int) -> RepairRecordSubmission:
    locked = lock_submission(submission_id)
    if locked is None:
        raise AlreadyDecided(RecordsStatus.rejected)
    if locked.status != RecordsStatus.submitted:
        raise AlreadyDecided(locked.status)
    return locked


def merge_records(submission: RepairRecordSubmission, actor: User, note: str = "") -> Difference:
    """Apply the submission's visits to the case's rows, refresh the case's facts and assessment
    snapshots as a filing does, and audit case.records_merged with the difference (once: a
    submission already decided raises AlreadyDecided)."""
    # The rules run before the lock is taken, so a second merger waits only for the write itself;
    # the case's version check refuses the write if its facts changed meanwhile.
    difference = compare(submission.case, submission.lines, lang="zh")
    submission = _decide(submission.id)
    case = submission.case
    _apply_lines(case, submission.lines)
    db.session.flush()
    facts = case_to_facts(case)
    case.facts_snapshot = audit.jsonable(facts)
    case.assessment_snapshot = audit.jsonable(
        assess_facts(facts, lang="zh", holidays=bureau_holidays(), audience="consumer")
    )
    case.updated_at = utcnow()
    summary = difference.summary()
    submission.status = RecordsStatus.merged
    submission.decided_at = utcnow()
    submission.decided_by_id = actor.id
    submission.staff_note = note
    submission.merge_summary = summary
    db.session.flush()
    audit.record(actor, "case.records_merged", submission, case=case, after=summary)
    return difference


def reject_records(submission: RepairRecordSubmission, actor: User, note: str) -> None:
    """Reject the submission with the reason and remove the files uploaded with it from the
    case (they are no party's evidence); audit case.records_rejected with their names."""
    submission = _decide(submission.id)
    submission.status = RecordsStatus.rejected
    submission.decided_at = utcnow()
    submission.decided_by_id = actor.id
    submission.staff_note = note
    removed = _remove_files(submission, actor)
    db.session.flush()
    audit.record(
        actor,
        "case.records_rejected",
        submission,
        case=submission.case,
        after={"note": note, "removed_files": removed},
    )


def _remove_files(submission: RepairRecordSubmission, actor: User) -> list[str]:
    """Remove the submission's attachments (each audited; the files go once committed) and
    return their names."""
    ids = set(submission.attachment_ids or [])
    files = [a for a in submission.case.attachments if a.id in ids]
    for attachment in files:
        uploads.remove_attachment(attachment, actor)
    db.session.expire(submission.case, ["attachments"])
    return [a.original_name for a in files]


def _apply_lines(case: Case, lines: list[dict[str, Any]]) -> None:
    """Update the matching RepairEvent rows and add the others, with their replaced parts."""
    problems = {p.label: p for p in case.problems}
    events = sorted(case.repair_events, key=lambda e: e.position)
    next_position = max((e.position for e in events), default=-1) + 1
    for line in lines:
        start = date.fromisoformat(_day(line["start"]))
        event = next(
            (e for e in events if e.problem.label == line["problem"] and e.start_date == start),
            None,
        )
        if event is None:
            event = RepairEvent(position=next_position)
            case.repair_events.append(event)
            db.session.add(event)
            next_position += 1
            events.append(event)
        _set_event(event, line, problems[line["problem"]])


def _moment(value: str | None) -> tuple[date | None, time | None]:
    """Split a contract moment ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM") into date and time."""
    if not value:
        return None, None
    if "T" in value:
        moment = datetime.fromisoformat(value)
        return moment.date(), moment.time()
    return date.fromisoformat(value), None


def _set_event(event: RepairEvent, line: dict[str, Any], problem: Problem) -> None:
    """Set `event`'s columns and parts from one line, as cases/contract.py maps an event."""
    event.problem = problem
    event.start_date, event.start_time = _moment(line["start"])
    event.end_date, event.end_time = _moment(line.get("end"))
    event.odometer_km = line["odometer_km"]
    event.is_fault_found = line.get("fault_found", True)
    event.is_resolved = line.get("resolved", True)
    excluded = line.get("excluded_days") or {}
    event.special_parts_transport_days = excluded.get("special_parts_transport", 0)
    event.rescue_travel_days = excluded.get("rescue_travel", 0)
    event.battery_transport_days = excluded.get("battery_transport", 0)
    if line.get("repair_order_no"):
        event.repair_order_no = line["repair_order_no"]
    event.replaced_parts = [
        ReplacedPart(
            assembly=VehicleSystem(r["assembly"]),
            part=r.get("part"),
            is_main_part=r.get("main_part", False),
            is_whole_assembly=r.get("whole_assembly", False),
            status=ReplacementStatus(r.get("status") or ReplacementStatus.replaced),
            diagnosed_date=_moment(r.get("diagnosed_date"))[0],
            diagnosed_by=DiagnosedBy(r["diagnosed_by"]) if r.get("diagnosed_by") else None,
        )
        for r in line.get("replaced") or []
    ]
