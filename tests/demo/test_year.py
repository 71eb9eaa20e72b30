"""`flask demo load-year`: a year of plausible cases, idempotent, spread over 12 months."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from disputes.auth.models import Role, User
from disputes.calendar import local_day
from disputes.cases.models import Case, Problem, RepairEvent
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db


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


def test_each_case_gets_its_own_consumer_problem_and_repair(app, runner):
    """The loader inserts the rows of each table in bulk and matches the ids back by a unique
    column: a case's consumer is the one named in it, its repair is 20 days after its invoice
    and is of its own problem."""
    assert runner.invoke(args=["demo", "load-year", "--cases", "250"]).exit_code == 0
    with app.app_context():
        rows = db.session.execute(
            select(Case.contact_name, User.name, Case.invoice_date, RepairEvent.start_date)
            .join(User, User.id == Case.consumer_id)
            .join(RepairEvent, RepairEvent.case_id == Case.id)
            .join(Problem, Problem.id == RepairEvent.problem_id)
            .where(Problem.case_id == Case.id)
        ).all()

    assert len(rows) == 250
    assert all(contact == consumer for contact, consumer, _i, _s in rows)
    assert all((start - invoice).days == 20 for _c, _n, invoice, start in rows)


def _dashboard_counts(text: str) -> tuple[int, dict[str, int]]:
    total = re.search(r'stat--total">.*?stat__value">(\d+)<', text)
    counts = re.findall(r'data-status="(\w+)">.*?stat__value">(\d+)<', text)
    assert total is not None
    return int(total.group(1)), {status: int(n) for status, n in counts}


def _stats_total(text: str) -> int:
    table = text.split('id="by-month"', 1)[1].split("</table>", 1)[0]
    return sum(int(n) for n in re.findall(r'<td class="num">(\d+)</td></tr>', table))


def test_figures_agree_with_the_cases_right_after_both_demo_loaders(app, runner, client, login):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load-year", "--cases", "120"]).exit_code == 0
    with app.app_context():
        submitted = Case.submitted_at.is_not(None)
        stmt = select(Case.status, func.count(Case.id)).where(submitted).group_by(Case.status)
        expected = {str(status): n for status, n in db.session.execute(stmt)}
        staff = db.session.scalars(select(User).where(User.role == Role.staff)).first()
        db.session.expunge(staff)
    login(staff)

    total, counts = _dashboard_counts(client.get("/staff/").get_data(as_text=True))
    page = client.get(f"/staff/stats?from=2000-01-01&to={local_day().isoformat()}")

    assert total == sum(expected.values()) > 120
    assert {s: n for s, n in counts.items() if n} == expected
    assert _stats_total(page.get_data(as_text=True)) == total
