"""`flask demo load-year`: a year of plausible cases, idempotent, spread over 12 months."""

from __future__ import annotations

from sqlalchemy import func, select

from disputes.cases.models import Case
from disputes.db import db
from disputes.staff.models import OutcomeRecord


def test_load_year_fills_a_year_once(app, runner):
    first = runner.invoke(args=["demo", "load-year", "--cases", "120"])
    second = runner.invoke(args=["demo", "load-year", "--cases", "120"])

    assert first.exit_code == 0, first.output
    assert "Demo year loaded: 120 cases" in first.output
    assert "nothing changed" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 120
        brands = db.session.scalar(select(func.count(func.distinct(Case.brand))))
        statuses = db.session.scalar(select(func.count(func.distinct(Case.status))))
        outcomes = db.session.scalar(select(func.count(func.distinct(OutcomeRecord.outcome))))
    assert brands >= 5
    assert statuses >= 5
    assert outcomes >= 4
