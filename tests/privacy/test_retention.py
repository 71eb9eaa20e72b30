"""Retention: finished cases past RETENTION_YEARS are purged with every row and file they had."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy import update as sa_update
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import FileStorage

from disputes import audit
from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases import services as case_services
from disputes.cases import uploads
from disputes.cases.models import Case, CaseDraft, CaseOutcome, CaseStatus
from disputes.cases.states import transition
from disputes.db import db, utcnow
from disputes.experts.models import Assignment, CaseObjection, Opinion, OpinionStatus
from disputes.notifications.models import Notification, OutboxMessage
from disputes.privacy import retention
from disputes.privacy.removal import remove_case
from disputes.staff import services as staff_services
from disputes.staff.tallies import StatsDirtyDay, StatusTally
from tests.privacy.case_data import PERSONAL, assign, attach

S = CaseStatus


def years_ago(years: int, days: int = 0) -> datetime:
    return utcnow() - relativedelta(years=years) - timedelta(days=days)


def case_tables() -> list[Any]:
    """Every table with a case_id column (audit_events keeps its rows with case_id NULL)."""
    return [t for t in db.metadata.sorted_tables if "case_id" in t.c]


def rows_of(case_id: int) -> dict[str, int]:
    """Count the rows that still point at `case_id`, per table (zero counts left out)."""
    counts = {
        t.name: db.session.scalar(select(func.count()).where(t.c.case_id == case_id))
        for t in case_tables()
    }
    counts["cases"] = db.session.scalar(select(func.count()).where(Case.id == case_id))
    return {name: n for name, n in counts.items() if n}


def outbox_of(case_id: int) -> int:
    """Count the e-mails and texts (sent or waiting) written about `case_id`."""
    about_case = select(Notification.id).where(Notification.case_id == case_id)
    return db.session.scalar(
        select(func.count()).where(OutboxMessage.notification_id.in_(about_case))
    )


def finished_case(
    make_case, owner, staff_user, expert_user, *, ended: datetime, status: S = S.closed
) -> tuple[int, list[str]]:
    """A case walked through the whole process (notes, clocks, opinion, outcome), ended `ended`.

    Returns its id and the stored names of its files. Needs an app context.
    """
    case = make_case(owner, **PERSONAL)
    staff = db.session.get(User, staff_user.id)
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请补充维修单")
    transition(case, S.screening, staff)
    transition(case, S.accepted, staff)
    expert = assign(case.id, db.session.get(User, expert_user.id), code=f"E{case.id}")
    assignment = db.session.scalars(select(Assignment).where(Assignment.case_id == case.id)).one()
    transition(case, S.routed, staff)
    db.session.add_all(
        [
            Opinion(
                case_id=case.id,
                expert_id=expert.id,
                assignment_id=assignment.id,
                status=OpinionStatus.released,
                conclusion="质量问题",
            ),
            CaseObjection(case_id=case.id, expert_id=expert.id, party="business", reason="回避"),
            CaseDraft(owner_id=owner.id, token=f"{case.id:032d}", submitted_case_id=case.id),
        ]
    )
    transition(case, S.opinion_received, staff)
    staff_services.add_note(case, "内部备注", staff, case.version)
    staff_services.record_business_response(
        case, date(2024, 9, 5), "电话", "同意修理", staff, case.version
    )
    if status == S.closed:
        data = staff_services.OutcomeData(CaseOutcome.repaired, "已修复", None)
        staff_services.close_case(case, data, staff, case.version)
    else:
        transition(case, status, staff, reason="撤回")
    db.session.commit()
    names = [attach(case.id, "a.pdf"), attach(case.id, "b.pdf")]
    case.closed_at = ended
    db.session.commit()
    return case.id, names


@pytest.fixture
def old_case(app_ctx, make_case, consumer, staff, expert) -> tuple[int, list[str]]:
    """A closed case that ended four years ago (past the default three-year retention)."""
    return finished_case(make_case, consumer, staff, expert, ended=years_ago(4))


def on_disk(names: list[str]) -> list[bool]:
    return [uploads.path_of(name).is_file() for name in names]


def purged_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.purged")))


def test_a_case_past_retention_is_purged_with_every_row_and_file(app, runner, old_case):
    case_id, names = old_case
    number = db.session.get(Case, case_id).number
    before = rows_of(case_id)
    db.session.commit()
    # The case really has rows in every dependent table the process creates.
    assert set(before) == {
        "cases", "problems", "repair_events", "attachments", "assignments", "opinions",
        "case_objections", "case_notes", "business_responses", "outcome_records",
        "case_clocks", "clock_pauses", "audit_events", "notifications",
    }  # fmt: skip
    assert outbox_of(case_id) > 0
    assert on_disk(names) == [True, True]

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert f"Purged {number}" in result.output
    assert "Purged 1 case(s) and 2 file(s)" in result.output
    db.session.expire_all()
    # The append-only audit history stays as it was (no foreign key, never rewritten).
    assert rows_of(case_id) == {"audit_events": before["audit_events"]}
    assert db.session.scalars(select(CaseDraft)).all() == []
    assert outbox_of(case_id) == 0
    assert on_disk(names) == [False, False]
    [event] = purged_events()
    assert event.after == {"number": number}
    assert event.case_id is None
    assert audit.verify_chain().ok
    # The statistics were recounted by the purge: the case is gone from them, nothing is dirty.
    assert db.session.scalars(select(StatsDirtyDay)).all() == []
    assert db.session.scalars(select(StatusTally)).all() == []


def test_a_case_within_retention_and_an_open_old_case_stay(
    app, runner, make_case, consumer, staff, expert, old_case
):
    recent, recent_files = finished_case(
        make_case, consumer, staff, expert, ended=years_ago(3, days=-1), status=S.withdrawn
    )
    open_case = make_case(consumer, **PERSONAL)
    open_case.created_at = open_case.updated_at = years_ago(10)
    db.session.commit()

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Case, old_case[0]) is None
    assert db.session.get(Case, recent) is not None
    assert db.session.get(Case, open_case.id) is not None
    assert on_disk(recent_files) == [True, True]


@pytest.mark.parametrize(
    ("years", "days", "purged"),
    [
        pytest.param(3, 1, True, id="ended-3-years-and-1-day-ago"),
        pytest.param(3, -1, False, id="ended-1-day-short-of-3-years"),
    ],
)
def test_retention_boundary(app_ctx, make_case, consumer, years, days, purged):
    case = make_case(consumer, status=S.withdrawn, closed_at=years_ago(years, days))

    numbers = retention.purge(retention.retention_cutoff(utcnow().date())).numbers

    assert (case.number in numbers) is purged


def test_dry_run_lists_the_case_and_changes_nothing(app, runner, old_case):
    case_id, names = old_case
    number = db.session.get(Case, case_id).number
    before = rows_of(case_id)
    db.session.commit()

    result = runner.invoke(args=["privacy", "purge", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"Would purge {number}" in result.output
    assert "Would purge 1 case(s) and 2 file(s)" in result.output
    db.session.expire_all()
    assert rows_of(case_id) == before
    assert on_disk(names) == [True, True]
    assert purged_events() == []


def test_before_moves_the_cutoff_earlier_only(app, runner, old_case):
    case_id, _names = old_case
    five_years = (utcnow() - relativedelta(years=5)).date().isoformat()
    one_year = (utcnow() - relativedelta(years=1)).date().isoformat()

    earlier = runner.invoke(args=["privacy", "purge", "--before", five_years])
    later = runner.invoke(args=["privacy", "purge", "--before", one_year])

    assert earlier.exit_code == 0
    assert "Purged 0 case(s)" in earlier.output
    assert later.exit_code == 2
    assert "still within retention" in later.output
    db.session.expire_all()
    assert db.session.get(Case, case_id) is not None


def test_retention_years_comes_from_config(app, runner, old_case):
    app.config["RETENTION_YEARS"] = 5

    result = runner.invoke(args=["privacy", "purge"])

    assert "Purged 0 case(s)" in result.output
    db.session.expire_all()
    assert db.session.get(Case, old_case[0]) is not None


def test_a_database_error_mid_purge_keeps_every_row_and_file(
    app, runner, make_case, consumer, staff, expert, old_case, monkeypatch
):
    second, second_files = finished_case(make_case, consumer, staff, expert, ended=years_ago(5))
    calls = []

    def failing_remove(case, actor):
        calls.append(case.id)
        if len(calls) == 2:
            raise OperationalError("DELETE FROM cases", {}, Exception("disk I/O error"))
        return remove_case(case, actor)

    monkeypatch.setattr(retention, "remove_case", failing_remove)

    result = runner.invoke(args=["privacy", "purge"])

    assert isinstance(result.exception, OperationalError)
    assert len(calls) == 2  # the first case was already deleted in the session
    db.session.rollback()
    assert db.session.get(Case, old_case[0]) is not None
    assert db.session.get(Case, second) is not None
    assert on_disk(old_case[1] + second_files) == [True] * 4
    assert purged_events() == []


def test_remove_case_deletes_files_only_when_the_transaction_commits(app_ctx, old_case, staff):
    case_id, names = old_case
    actor = db.session.get(User, staff.id)

    remove_case(db.session.get(Case, case_id), actor)
    assert on_disk(names) == [True, True]  # flushed, not committed: files untouched
    db.session.rollback()
    assert db.session.get(Case, case_id) is not None
    assert on_disk(names) == [True, True]

    remove_case(db.session.get(Case, case_id), actor)
    db.session.commit()

    assert db.session.get(Case, case_id) is None
    assert on_disk(names) == [False, False]
    [event] = purged_events()
    assert event.actor_id == staff.id
    assert event.after == {"number": event.after["number"]}


def test_remove_command_deletes_one_case_at_once_whatever_its_state(
    app_ctx, runner, make_case, consumer
):
    case = make_case(consumer, **PERSONAL)
    names = [attach(case.id)]

    refused = runner.invoke(args=["privacy", "remove", case.number], input="n\n")
    assert refused.exit_code == 1
    assert db.session.get(Case, case.id) is not None

    result = runner.invoke(args=["privacy", "remove", case.number, "--yes"])

    assert result.exit_code == 0, result.output
    assert f"Removed {case.number} and 1 file(s)." in result.output
    db.session.expire_all()
    assert db.session.get(Case, case.id) is None
    assert on_disk(names) == [False]
    assert [e.after for e in purged_events()] == [{"number": case.number}]


def test_remove_command_names_an_unknown_case(app, runner):
    result = runner.invoke(args=["privacy", "remove", "SJZ-1999-000001", "--yes"])

    assert result.exit_code == 1
    assert "no case SJZ-1999-000001" in result.output


def test_a_new_case_never_inherits_a_removed_cases_history(app_ctx, make_case, consumer, make_user):
    # audit_events.case_id has no foreign key; on SQLite only AUTOINCREMENT on cases keeps the
    # highest id from being handed out again (tests/test_sqlite_ids.py checks the migration).
    removed = make_case(consumer, **PERSONAL)
    remove_case(removed, None)
    db.session.commit()

    new = make_case(make_user("consumer"))

    history = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == new.id)).all()
    assert [e.action for e in history] == ["case.submitted"]


# --- abandoned drafts ---------------------------------------------------------------------------


def draft_with_file(owner: Any, *, changed: datetime) -> tuple[int, str]:
    """A draft holding contact data and one file, last changed `changed`; returns its id and the
    file's stored name."""
    draft = case_services.create_draft(db.session.get(User, owner.id))
    draft.data = {"4": {"contact-name": [PERSONAL["contact_name"]]}}
    upload = FileStorage(BytesIO(b"%PDF-1.4\n% draft\n"), filename="a.pdf")
    stored = uploads.store_draft_upload(draft, upload, "invoice").stored_name
    db.session.flush()
    draft.updated_at = changed
    db.session.commit()
    return draft.id, stored


@pytest.fixture
def drafts(app_ctx, consumer, old_case) -> dict[str, tuple[int, str]]:
    """An abandoned draft (181 days), a recent one (179 days) and old_case's filed draft."""
    return {
        "abandoned": draft_with_file(consumer, changed=utcnow() - timedelta(days=181)),
        "recent": draft_with_file(consumer, changed=utcnow() - timedelta(days=179)),
    }


def test_an_abandoned_draft_is_purged_with_its_file(app, runner, drafts, old_case):
    abandoned, recent = drafts["abandoned"], drafts["recent"]
    db.session.execute(
        sa_update(CaseDraft)
        .values(updated_at=utcnow() - timedelta(days=400))
        .where(CaseDraft.submitted_case_id == old_case[0])
    )
    app.config["RETENTION_YEARS"] = 5  # the filed draft goes only with its case
    db.session.commit()

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert "Purged 1 abandoned draft(s) and 1 file(s)" in result.output
    db.session.expire_all()
    assert db.session.get(CaseDraft, abandoned[0]) is None
    assert db.session.get(CaseDraft, recent[0]) is not None
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(CaseDraft)
            .where(CaseDraft.submitted_case_id.is_not(None))
        )
        == 1
    )
    assert on_disk([abandoned[1], recent[1]]) == [False, True]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "drafts.purged"))
    assert event.after["drafts"] == 1
    assert PERSONAL["contact_name"] not in str(event.after)


def test_dry_run_counts_abandoned_drafts_and_keeps_them(app, runner, drafts):
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Would purge 1 abandoned draft(s) and 1 file(s)" in result.output
    db.session.expire_all()
    assert db.session.get(CaseDraft, drafts["abandoned"][0]) is not None
    assert on_disk([drafts["abandoned"][1]]) == [True]


def test_draft_retention_days_comes_from_config(app, runner, drafts):
    app.config["DRAFT_RETENTION_DAYS"] = 178

    result = runner.invoke(args=["privacy", "purge"])

    assert "Purged 2 abandoned draft(s) and 2 file(s)" in result.output
    assert on_disk([drafts["abandoned"][1], drafts["recent"][1]]) == [False, False]
