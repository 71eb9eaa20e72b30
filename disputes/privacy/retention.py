"""Data retention: which finished cases have been kept long enough, and purging them.

Reading of RETENTION_YEARS: a case is kept while it is open and for
RETENTION_YEARS full years after it ended, i.e. after it reached a final state (closed, withdrawn or
not accepted; `closed_at` is set then). It becomes purgeable on the first day after that, counted in
UTC calendar days. Open cases are never purged, however old.

A draft never filed is abandoned once DRAFT_RETENTION_DAYS have passed since it last changed; the
purge deletes it with its files and contact data. A filed draft goes with its case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import current_app

from disputes import audit
from disputes.cases.models import Case
from disputes.cases.services import delete_draft
from disputes.privacy import queries
from disputes.privacy.removal import remove_case


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What a purge removed (or would remove, in a dry run)."""

    cutoff: date
    numbers: tuple[str, ...]
    files: int
    dry_run: bool


def retention_cutoff(today: date, years: int | None = None) -> date:
    """Return the first day whose cases are still kept: `today` minus RETENTION_YEARS years."""
    if years is None:
        years = int(current_app.config["RETENTION_YEARS"])
    return today - relativedelta(years=years)


def count_files(cases: list[Case]) -> int:
    """Count the stored files the cases and the drafts they were filed from hold."""
    drafts = queries.list_filed_drafts([c.id for c in cases])
    return sum(len(c.attachments) for c in cases) + sum(len(d.files) for d in drafts)


def purge(cutoff: date, actor: Any = None, *, dry_run: bool = False) -> PurgeResult:
    """Remove every case that ended before `cutoff` (flushes; the caller commits, files go then)."""
    cases = queries.list_purgeable(cutoff)
    numbers = tuple(c.number for c in cases)
    if dry_run:
        return PurgeResult(cutoff, numbers, count_files(cases), dry_run=True)
    files = sum(len(remove_case(case, actor)) for case in cases)
    return PurgeResult(cutoff, numbers, files, dry_run=False)


@dataclass(frozen=True, slots=True)
class DraftPurgeResult:
    """The abandoned drafts a purge removed (or would remove, in a dry run)."""

    cutoff: datetime
    drafts: int
    files: int
    dry_run: bool


def draft_cutoff(now: datetime, days: int | None = None) -> datetime:
    """Return the moment before which an unfiled draft's last change makes it abandoned."""
    if days is None:
        days = int(current_app.config["DRAFT_RETENTION_DAYS"])
    return now - timedelta(days=days)


def purge_drafts(cutoff: datetime, actor: Any = None, *, dry_run: bool = False) -> DraftPurgeResult:
    """Delete the abandoned drafts with their files (flushes; the caller commits, files go then);
    audit drafts.purged with their number only."""
    drafts = queries.list_abandoned_drafts(cutoff)
    files = sum(len(d.files) for d in drafts)
    if not dry_run and drafts:
        names = [name for draft in drafts for name in delete_draft(draft)]
        audit.record(
            actor,
            "drafts.purged",
            None,
            after={"drafts": len(drafts), "files": len(names), "unchanged_since": cutoff},
        )
    return DraftPurgeResult(cutoff, len(drafts), files, dry_run)
