"""Submitting a draft: one transaction files the case with its snapshots, files and audit event,
exactly once however often the button is pressed."""

from __future__ import annotations

import html

from sqlalchemy import event

from disputes.audit import AuditEvent
from disputes.cases.models import Attachment, Case, CaseDraft, CaseStatus, DraftFile
from disputes.db import db
from tests.cases.filing import VIN, post_step, step_url


def submit(client, draft_id):
    return post_step(client, draft_id, 7, action="submit")


def test_submit_files_one_case_with_snapshots_and_shows_the_receipt(app, client, filled_draft):
    response = submit(client, filled_draft)

    assert response.status_code == 302
    assert "/receipt" in response.headers["Location"]
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert case.status == CaseStatus.submitted
        assert case.vin == VIN
        assert case.consent_to_experts is True
        assert case.contact_phone == "13912345678"
        assert case.business_name == "某某汽车销售服务有限公司"
        assert case.facts_snapshot["purchase"]["price_yuan"] == 168800
        assert case.facts_snapshot["warranty_card"]["compensation_rate"] == 0.005
        assert [e["odometer_km"] for e in case.facts_snapshot["events"]] == [4200, 7600]
        assert case.assessment_snapshot["regime"] == "2022"
        assert [p.label for p in case.problems] == ["P1"]
        assert len(case.repair_events) == 2
        assert [(a.kind, a.original_name) for a in case.attachments] == [("invoice", "发票.pdf")]
        assert db.session.scalars(db.select(DraftFile)).all() == []
        draft = db.session.get(CaseDraft, filled_draft)
        assert draft.submitted_case_id == case.id
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.case_id == case.id)
        ).all()
        assert actions == ["case.submitted", "attachment.added"]
        number = case.number

    receipt = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert number in receipt
    assert "接下来会怎样" in receipt


def test_submitting_twice_returns_the_same_case(app, client, filled_draft):
    first = submit(client, filled_draft)
    second = submit(client, filled_draft)

    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 1


def test_a_submitted_draft_opens_its_receipt(client, filled_draft):
    receipt = submit(client, filled_draft).headers["Location"]

    response = client.get(step_url(filled_draft, 3))

    assert response.status_code == 302
    assert response.headers["Location"] == receipt


def test_submit_service_is_idempotent(app, filled_draft, consumer):
    from disputes.auth.models import User
    from disputes.cases import services, wizard_state

    with app.test_request_context():
        draft = db.session.get(CaseDraft, filled_draft)
        user = db.session.get(User, consumer.id)
        saved = wizard_state.SavedSteps(draft)
        facts = wizard_state.facts_of(saved)
        details = wizard_state.details_of(saved.claim)
        assessment = wizard_state.assessment_for_snapshot(facts)
        first = services.submit_draft(draft, facts, details, assessment, user)
        second = services.submit_draft(draft, facts, details, assessment, user)
        db.session.commit()
        assert first.id == second.id
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_submitted_case_is_listed_under_my_cases(client, filled_draft):
    submit(client, filled_draft)

    text = html.unescape(client.get("/cases/").get_data(as_text=True))

    assert "已提交" in text
    assert "我的草稿" not in text


def test_every_statement_of_a_submission_is_compiled_once_per_process(app, client, filled_draft):
    """SQLAlchemy caches a statement's compiled form by its cache key; one without a key (the
    dialects' on_conflict_do_nothing(), once in rollup.mark_dirty) is compiled on every run,
    inside the write lock."""
    uncached: list[str] = []

    def on_execute(conn, clauseelement, multiparams, params, execution_options) -> None:  # noqa: ARG001
        key = getattr(clauseelement, "_generate_cache_key", None)
        if key is not None and key() is None:
            uncached.append(str(clauseelement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_execute", on_execute)
    try:
        assert submit(client, filled_draft).status_code == 302
    finally:
        event.remove(engine, "before_execute", on_execute)
    assert uncached == []
