"""Reads about repair-record submissions (no commits)."""

from __future__ import annotations

from disputes.business.records import RepairRecordSubmission
from disputes.db import db


def list_submissions(case_id: int) -> list[RepairRecordSubmission]:
    """Return the case's repair-record submissions, newest first."""
    stmt = (
        db.select(RepairRecordSubmission)
        .where(RepairRecordSubmission.case_id == case_id)
        .order_by(RepairRecordSubmission.id.desc())
    )
    return list(db.session.scalars(stmt))


def get_submission(case_id: int, submission_id: int) -> RepairRecordSubmission | None:
    """Return submission `submission_id` if it belongs to case `case_id`, else None."""
    submission = db.session.get(RepairRecordSubmission, submission_id)
    return submission if submission is not None and submission.case_id == case_id else None
