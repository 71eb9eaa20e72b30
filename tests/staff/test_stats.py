"""Statistics against figures computed by hand on a small seeded data set (both backends).

The readers sum tallies; the fixtures bring them up to date as the page does (rollup.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from disputes.calendar import local_day
from disputes.cases.models import Case, CaseClock, CaseOutcome, CaseStatus, ClockStage
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db, own_transaction
from disputes.experts.models import AssignmentStatus
from disputes.staff import rollup, stats
from tests.support.snapshots import built_once

S = CaseStatus

#: (brand, system, submitted at (UTC), status, outcome, working days, compensation)
SEED = [
    ("甲牌", "transmission", datetime(2025, 3, 10, 2), S.closed, "repaired", 3, None),
    ("甲牌", "transmission", datetime(2025, 3, 31, 20), S.closed, "compensated", 8, "1000.00"),
    ("甲牌", "engine", datetime(2025, 4, 15, 2), S.closed, "compensated", 20, "2500.50"),
    ("乙牌", "engine", datetime(2025, 4, 16, 2), S.closed, "returned", 5, None),
    ("乙牌", "brakes", datetime(2025, 5, 2, 2), S.closed, "repaired", 10, None),
    ("乙牌", "brakes", datetime(2025, 5, 3, 2), S.routed, None, None, None),
]


@pytest.fixture
def seeded(request, app, app_ctx, make_user, make_case):
    """The SEED cases (tallies refreshed), built once per session and database and restored for
    each test (tests/support/snapshots.py); the test gets them attached to its session."""
    ids = built_once(request, app, "stats", lambda: _seed(make_user, make_case))
    return [db.session.get_one(Case, case_id) for case_id in ids]


def _seed(make_user, make_case) -> list[int]:
    owner = make_user()
    cases = []
    for brand, system, at, status, outcome, days, paid in SEED:
        case = make_case(
            owner,
            submitted_at=at,
            status=status,
            **{
                "vehicle.brand": brand,
                "problems.P1.system": system,
            },
        )
        if outcome:
            case.outcome = CaseOutcome(outcome)
            db.session.add(
                OutcomeRecord(
                    case_id=case.id,
                    outcome=outcome,
                    working_days=days,
                    closed_on=date(2025, 6, 1),
                    compensation_yuan=None if paid is None else Decimal(paid),
                )
            )
        cases.append(case)
    db.session.commit()
    with own_transaction():
        rollup.refresh_tallies()
    return [case.id for case in cases]


def test_cases_by_month_use_the_china_local_month(seeded):
    months = stats.by_month_and_state(stats.Period())

    # 2025-03-31 20:00 UTC is 1 April in China.
    assert months == {
        "2025-03": {"closed": 1},
        "2025-04": {"closed": 3},
        "2025-05": {"closed": 1, "routed": 1},
    }


def test_cases_by_brand_and_system(seeded):
    assert stats.by_brand(stats.Period()) == [("乙牌", 3, 2), ("甲牌", 3, 3)]
    assert stats.by_system(stats.Period()) == [("brakes", 2), ("engine", 2), ("transmission", 2)]


def test_outcomes_with_compensation_and_mean_days(seeded):
    assert stats.by_outcome(stats.Period()) == [
        ("compensated", 2, Decimal("3500.50"), Decimal("14.0")),
        ("repaired", 2, Decimal("0.00"), Decimal("6.5")),
        ("returned", 1, Decimal("0.00"), Decimal("5.0")),
    ]


def test_median_and_90th_percentile_working_days(seeded):
    rows = stats.durations(stats.Period(), ["甲牌", "乙牌"])

    # All: 3 5 8 10 20 → median 8; p90 at 0.9 × 4 = 3.6 → 10 + 0.6 × 10 = 16.
    # 甲牌: 3 8 20 → median 8; p90 at 1.8 → 8 + 0.8 × 12 = 17.6.  乙牌: 5 10 → 7.5; 5 + 0.9 × 5.
    assert [(d.label, d.count, d.median, d.p90) for d in rows] == [
        ("全部", 5, 8.0, 16.0),
        ("甲牌", 3, 8.0, 17.6),
        ("乙牌", 2, 7.5, 9.5),
    ]


def test_period_limits_every_figure(seeded):
    april = stats.Period(date(2025, 4, 1), date(2025, 4, 30))

    assert stats.by_brand(april) == [("甲牌", 2, 2), ("乙牌", 1, 1)]
    assert stats.durations(april, [])[0].count == 3


def test_expert_workload_and_timeliness(seeded, make_expert, make_assignment):
    expert = make_expert("E01", name="专家一")
    done, late, open_case = seeded[0], seeded[1], seeded[5]
    for case, status in ((done, "completed"), (late, "completed"), (open_case, "active")):
        make_assignment(case, expert, status=AssignmentStatus(status))
    for case, ended in ((done, date(2025, 3, 20)), (late, date(2025, 5, 30))):
        db.session.add(
            CaseClock(
                case_id=case.id,
                stage=ClockStage.opinion,
                started_on=date(2025, 3, 11),
                limit_days=15,
                due_on=date(2025, 4, 1),
                ended_on=ended,
            )
        )
    db.session.commit()
    with own_transaction():
        rollup.refresh_tallies()

    [row] = stats.expert_workload(stats.Period())

    assert (row.code, row.active, row.total, row.opinions_done, row.on_time) == ("E01", 1, 3, 2, 1)
    assert row.on_time_rate == 0.5


def test_stats_page_and_downloads(seeded, app, make_user):
    from tests.support.login import client_for

    client = client_for(app, make_user("staff"))
    page = client.get("/staff/stats?from=2025-01-01").get_data(as_text=True)
    assert "<svg" in page
    assert "甲牌" in page
    assert "17.6" in page
    csv = client.get("/staff/stats/export?format=csv&from=2025-01-01").get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines()[0] == "表,项目,指标,数值"
    assert "办理时长,全部,中位数（工作日）,8.0" in csv
    xlsx = client.get("/staff/stats/export?format=xlsx&from=2025-01-01")
    assert xlsx.data[:2] == b"PK"


def test_stats_page_defaults_to_this_year(seeded, app, make_user):
    """Without dates the page covers this year so far (the 2025 cases are not counted)."""
    from tests.support.login import client_for

    client = client_for(app, make_user("staff"))
    page = client.get("/staff/stats").get_data(as_text=True)
    assert f'value="{local_day().year}-01-01"' in page
    assert "甲牌" not in page
    assert stats.Period.or_this_year(None, None, date(2026, 5, 1)) == stats.Period(date(2026, 1, 1))
    assert stats.Period.or_this_year(None, date(2025, 3, 1)).start is None


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        pytest.param(
            "from=2025-12-31&to=2025-01-01", "to", "结束日期不能早于开始日期", id="reversed"
        ),
        pytest.param(
            "from=2025-02-30&to=2025-12-31", "from", "请按“年-月-日”填写日期", id="no-such-day"
        ),
        pytest.param("from=2025-01-01&to=soon", "to", "请按“年-月-日”填写日期", id="not-a-date"),
    ],
)
def test_a_bad_period_is_refused_next_to_its_field(seeded, app, make_user, query, field, message):
    from tests.support.login import client_for

    client = client_for(app, make_user("staff"))
    page = client.get(f"/staff/stats?{query}")
    export = client.get(f"/staff/stats/export?format=csv&{query}")

    text = page.get_data(as_text=True)
    assert page.status_code == export.status_code == 400
    errors = text.split(f'id="{field}-error"', 1)[1].split("</ul>", 1)[0]
    assert message in errors
    for name, value in (pair.split("=") for pair in query.split("&")):
        assert f'value="{value}"' in text, name  # what was typed stays in the field
    assert 'id="by-month"' not in text
    assert message in export.get_data(as_text=True)


def test_a_period_after_today_counts_nothing_rather_than_everything(seeded):
    later = stats.Period(local_day().replace(year=local_day().year + 1))

    figures = stats.get_statistics(later)

    assert figures.months == {}
    assert figures.brands == []
    assert all(e.total == 0 for e in figures.experts)


def test_this_year_so_far_is_read_from_the_years_rows_and_counts_todays_case(
    seeded, make_user, make_case
):
    from disputes.db import utcnow

    this_year = stats.Period.or_this_year(None, None)
    grains, bounds = this_year.spans()
    make_case(make_user(), submitted_at=utcnow(), **{"vehicle.brand": "丙牌"})
    db.session.commit()
    with own_transaction():
        rollup.refresh_tallies()

    year = local_day().year
    assert grains == ("y",)
    assert bounds == {"span_0_first": date(year, 1, 1), "span_0_last": date(year, 1, 1)}
    assert ("丙牌", 1, 0) in stats.by_brand(this_year)


def test_periods_of_one_shape_share_a_statement_and_count_their_own_cases(seeded):
    """A statement is built once per shape of period (rollup.covering); the days are bound at
    each execution, so March and April, both a whole month, each count only their own cases."""
    march = stats.Period(date(2025, 3, 1), date(2025, 3, 31))
    april = stats.Period(date(2025, 4, 1), date(2025, 4, 30))
    assert march.spans()[0] == april.spans()[0] == ("m",)

    assert stats.by_brand(march) == [("甲牌", 1, 1)]
    assert stats.by_brand(april) == [("甲牌", 2, 2), ("乙牌", 1, 1)]
    assert stats._by_brand_statement(("m",)) is stats._by_brand_statement(("m",))
