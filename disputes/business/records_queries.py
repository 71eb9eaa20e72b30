"""Reads about repair-record submissions (no commits)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam

from disputes.business.records import RepairRecordSubmission
from disputes.db import db


@cache
def _submissions_statement() -> Select:
    """list_submissions' statement, built once (a statement kept whole keeps its cache key)."""
    return (
        db.select(RepairRecordSubmission)
        .where(RepairRecordSubmission.case_id == bindparam("case_id"))
        .order_by(RepairRecordSubmission.id.desc())
    )


def list_submissions(case_id: int) -> list[RepairRecordSubmission]:
    """Return the case's repair-record submissions, newest first."""
    return list(db.session.scalars(_submissions_statement(), {"case_id": case_id}))


def get_submission(case_id: int, submission_id: int) -> RepairRecordSubmission | None:
    """Return submission `submission_id` if it belongs to case `case_id`, else None."""
    submission = db.session.get(RepairRecordSubmission, submission_id)
    return submission if submission is not None and submission.case_id == case_id else None
