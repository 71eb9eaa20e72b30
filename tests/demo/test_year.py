"""`flask demo load-year`: a year of plausible cases, idempotent, spread over 12 months."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from disputes.auth.models import Role, User
from disputes.calendar import local_day
from disputes.cases.models import Case
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
