"""Every write about cases (flush + audit, no commit): filing, drafts, submission, withdrawal,
answers to staff questions."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app

from disputes import audit
from disputes.auth.models import User
from disputes.calendar import local_day
from disputes.cases import queries, states, uploads
from disputes.cases.child_rows import insert_child_rows
from disputes.cases.contract import ChildRows, apply_fact_columns, child_rows
from disputes.cases.models import Attachment, Case, CaseDraft, CaseStatus, file_columns
from disputes.cases.vocabulary import BusinessRole
from disputes.db import db, utcnow

#: Case columns (not contract facts) a filing may set.
DETAIL_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_id_number",
    "contact_address",
    "manufacturer",
    "dealer_name",
    "business_name",
    "business_role",
    "business_contact",
    "consent_to_experts",
    "claim_text",
)


#: PostgreSQL advisory-lock key under which case numbers are handed out (any int4 will do); its
#: second half is the schema's, as each schema numbers its own cases.
CASE_NUMBER_LOCK = 0x534A5A01


def lock_case_numbers(*, write_locked: bool = False) -> None:
    """Serialise numbering until the transaction ends, so two filings never read the same maximum.

    First a write that matches no row: it takes what every writing transaction takes first (the
    SQLite database write lock, waiting on busy_timeout; on PostgreSQL the audit chain lock, see
    audit.py), so this lock below always comes after those and cannot deadlock with a
    transaction that wrote something before filing. A caller that has taken that lock already
    says `write_locked` (a draft's submission: lock_draft) and skips the write. Then, on
    PostgreSQL, a transaction-level advisory lock: the next filer waits for our commit, and its
    MAX() (a new statement under READ COMMITTED) sees our number. On SQLite the write lock alone
    does that.
    """
    if not write_locked:
        db.session.execute(_TAKE_WRITE_LOCK)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_TAKE_NUMBERING_LOCK)


# The filing's statements are built once, so a filing computes no cache keys for them.
_TAKE_WRITE_LOCK = (
    db.update(Case)
    .where(db.false())
    .values(number=Case.number)
    .execution_options(synchronize_session=False)
)
_TAKE_NUMBERING_LOCK = db.select(
    db.func.pg_advisory_xact_lock(CASE_NUMBER_LOCK, db.func.hashtext(db.func.current_schema()))
)
_LAST_NUMBER = db.select(db.func.max(Case.number)).where(Case.number.like(db.bindparam("like")))


def next_case_number(at: datetime | None = None) -> str:
    """Return the next free number for the bureau's year of `at` (UTC), e.g. SJZ-2025-000123.

    Callers that insert the number hold `lock_case_numbers()` first (create_case does).
    """
    at = at or utcnow()
    year = local_day(at).year
    prefix = f"{current_app.config['CASE_NUMBER_PREFIX']}-{year}-"
    last = db.session.scalar(_LAST_NUMBER, {"like": f"{prefix}%"})
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def create_case(
    owner: User,
    data: Mapping[str, Any],
    *,
    action: str = "case.submitted",
    assessment: Mapping[str, Any] | None = None,
) -> Case:
    """File a case for `owner` from contract facts plus optional details under data["case"].

    `data` holds the contract's facts keys (purchase, vehicle, warranty_card, problems, events,
    as_of, written_request_date, claim, replacement_available, regime) and a "case" dict with
    DETAIL_FIELDS. The facts are kept as submitted in `facts_snapshot`, and `assessment` (when
    given) in `assessment_snapshot`, both in the case's INSERT.
    """
    case = _insert_case(owner, data, assessment)
    _record_filing(owner, action, case)
    return case


def _insert_case(
    owner: User, data: Mapping[str, Any], assessment: Mapping[str, Any] | None
) -> Case:
    """Number the case under the numbering lock and flush it with its facts (as create_case)."""
    return _number_and_flush(*_new_case(owner, data, assessment))


def _new_case(
    owner: User, data: Mapping[str, Any], assessment: Mapping[str, Any] | None
) -> tuple[Case, ChildRows]:
    """The case of `data`, neither numbered nor in the session, and its child rows: built
    before the filing takes the database's write lock, which SQLite gives one writer at a
    time."""
    details = dict(data.get("case", {}))
    facts = {k: v for k, v in data.items() if k != "case"}
    case = Case(
        status=CaseStatus.submitted,
        consumer=owner,
        contact_name=details.pop("contact_name", owner.name),
        contact_phone=details.pop("contact_phone", owner.mobile or ""),
        business_role=BusinessRole(details.pop("business_role", BusinessRole.seller)),
    )
    for key in DETAIL_FIELDS:
        if key in details:
            setattr(case, key, details.pop(key))
    if details:
        raise ValueError(f"unknown case field(s): {', '.join(sorted(details))}")
    apply_fact_columns(case, facts)
    case.facts_snapshot = audit.jsonable(facts)
    if assessment is not None:
        case.assessment_snapshot = audit.jsonable(assessment)
    return case, child_rows(facts)


def _number_and_flush(case: Case, rows: ChildRows, *, write_locked: bool = False) -> Case:
    """Stamp and number `case` under the numbering lock (numbers follow the filing times), flush
    it, then insert its child rows (cases/child_rows.py); its relationships load them when read."""
    lock_case_numbers(write_locked=write_locked)
    now = utcnow()
    case.created_at = case.submitted_at = now
    case.number = next_case_number(now)
    db.session.add(case)
    db.session.flush()
    insert_child_rows(db.session.connection(), case.id, rows)
    return case


def _record_filing(owner: User, action: str, case: Case) -> None:
    """Append the filing's audit entry (its flush also writes whatever the caller added)."""
    audit.record(owner, action, case, after={"number": case.number, "status": case.status})


# --- drafts and submission ------------------------------------------------------------------------


def lock_uploads_of(owner: User) -> None:
    """Serialise the consumer's new drafts and uploads until the transaction ends, so the quota
    counts read next include every one committed meanwhile (two parallel uploads cannot both
    pass a count).

    PostgreSQL: the consumer's row, FOR UPDATE (a count is a new statement under READ COMMITTED,
    so it sees the other's commit). SQLite has no row locks: the database write lock, taken
    before any count is read.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        audit.lock_chain()
        return
    db.session.execute(db.select(User.id).where(User.id == owner.id).with_for_update())


class TooManyDrafts(Exception):
    """The consumer already has MAX_OPEN_DRAFTS drafts not submitted."""


def create_draft(owner: User) -> CaseDraft:
    """Start an empty filing draft for `owner` (TooManyDrafts past MAX_OPEN_DRAFTS open ones)."""
    lock_uploads_of(owner)
    if queries.count_open_drafts(owner.id) >= current_app.config["MAX_OPEN_DRAFTS"]:
        raise TooManyDrafts(owner.id)
    draft = CaseDraft(owner=owner, step=1, data={}, token=secrets.token_hex(16))
    db.session.add(draft)
    db.session.flush()
    return draft


def save_step(draft: CaseDraft, step: int, raw: dict[str, list[str]], *, go_to: int) -> None:
    """Keep the raw values of `step` (valid or not) and remember the step to resume at."""
    data = dict(draft.data or {})
    data[str(step)] = raw
    draft.data = data
    draft.step = go_to
    draft.updated_at = utcnow()
    db.session.flush()


def lock_draft(draft_id: int) -> CaseDraft | None:
    """Re-read a draft with a row lock, so two submissions of it run one after the other.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks: a no-op UPDATE of the draft takes
    the database's write lock first, so the re-read sees a submission committed meanwhile.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(_TOUCH_DRAFT, {"draft_id": draft_id})
    return db.session.scalars(_LOCKED_DRAFT, {"draft_id": draft_id}).one_or_none()


_TOUCH_DRAFT = (
    db.update(CaseDraft)
    .where(CaseDraft.id == db.bindparam("draft_id"))
    .values(step=CaseDraft.step)
    .execution_options(synchronize_session=False)
)
_LOCKED_DRAFT = (
    db.select(CaseDraft)
    .where(CaseDraft.id == db.bindparam("draft_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


class WrongSubmissionKey(Exception):
    """The posted submission key is not this draft's (a page of another draft, or tampering)."""


def _same_key(posted: str, token: str) -> bool:
    """Compare in constant time; as bytes, since compare_digest refuses non-ASCII text."""
    return secrets.compare_digest(posted.encode(), token.encode())


def submit_draft(
    draft: CaseDraft,
    facts: dict[str, Any],
    details: dict[str, Any],
    assessment: dict[str, Any],
    actor: User,
    *,
    key: str | None = None,
) -> Case:
    """File the case of `draft` once: case, facts and assessment snapshots, files, audit.

    The draft's token is the idempotency key (the review page posts it back as `key`): under the
    draft's row lock, a draft already submitted returns its case and files nothing (double
    clicks, two tabs, two browsers).
    """
    case, rows = _new_case(actor, dict(facts, case=details), assessment)
    locked = lock_draft(draft.id)
    if locked is None or (key is not None and not _same_key(key, locked.token)):
        raise WrongSubmissionKey(draft.id)
    if locked.submitted_case_id is not None:
        return db.session.get(Case, locked.submitted_case_id)
    _number_and_flush(case, rows, write_locked=True)
    # The files are read under the lock, before the draft changes: with nothing to flush, their
    # load costs no flush of its own (the write lock is held all along).
    draft_files = list(draft.files)
    draft.submitted_case_id = case.id
    draft.submitted_at = utcnow()
    # The attachments and the draft's update go out in the flush of the filing's audit entry;
    # then each attachment gets its own entry (the chain needs their ids).
    attachments = []
    for draft_file in draft_files:
        attachment = Attachment(
            case=case,
            uploaded_by=actor,
            kind=draft_file.kind,
            **file_columns(draft_file),
        )
        db.session.add(attachment)
        db.session.delete(draft_file)
        attachments.append(attachment)
    _record_filing(actor, "case.submitted", case)
    for attachment in attachments:
        audit.record(
            actor,
            "attachment.added",
            attachment,
            case=case,
            after={"kind": attachment.kind, "name": attachment.original_name},
        )
    return case


def delete_draft(draft: CaseDraft) -> list[str]:
    """Delete an unsubmitted draft; return the stored names of its files, which leave the disk
    when the transaction commits."""
    names = [f.stored_name for f in draft.files]
    db.session.delete(draft)
    db.session.flush()
    for name in names:
        uploads.delete_after_commit(name)
    return names


# --- after submission ---------------------------------------------------------------------------


def withdraw_case(case: Case, actor: User, reason: str) -> None:
    """Withdraw `case` on the consumer's request (IllegalTransition when it is too late)."""
    states.transition(case, CaseStatus.withdrawn, actor, reason=reason)


def add_information(case: Case, text: str, attachment_ids: list[int], actor: User) -> None:
    """Record the consumer's answer to a staff question and send the case back to screening."""
    audit.record(
        actor,
        "case.info_added",
        case,
        after={"text": text, "attachment_ids": attachment_ids},
    )
    states.transition(case, CaseStatus.screening, actor)


def add_evidence(case: Case, note: str, attachment_ids: list[int], actor: User) -> None:
    """Record that the consumer added evidence to their case on their own (the state stays)."""
    audit.record(
        actor,
        "case.evidence_added",
        case,
        after={"note": note, "attachment_ids": attachment_ids},
    )
