"""The statistics' business view against figures worked out by hand (both backends).

Settlement rate by business and by brand, and working days from acceptance to the business's
first answer on the Chinese calendar (Qingming and May Day 2025 fall inside two answers).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
from disputes.cases.models import Case, CaseClock, CaseOutcome, CaseStatus, ClockStage
from disputes.db import db, own_transaction
from disputes.staff import business_stats, rollup
from disputes.staff.stats import Period
from disputes.staff.tallies import StatsDirtyDay
from tests.support import business_counts
from tests.support.snapshots import built_once

S = CaseStatus
OUT = CaseOutcome
ORG = "甲汽车销售有限公司"
OTHER = "乙汽车服务有限公司"

#: (business: ("org", typed name) or ("name", typed name), brand, submitted (UTC), status,
#:  outcome, accepted on, answer days)
SEED = [
    (("org", ORG), "甲牌", datetime(2025, 3, 1, 2), S.closed, OUT.repaired,
     date(2025, 3, 3), [date(2025, 3, 5)]),  # Mon → Wed: 2
    (("org", "甲4S店"), "乙牌", datetime(2025, 3, 1, 3), S.closed, OUT.withdrawn,
     date(2025, 3, 3), [date(2025, 3, 10), date(2025, 3, 4)]),  # the first answer: 1
    (("name", ORG), "甲牌", datetime(2025, 3, 31, 20), S.closed, OUT.compensated,
     date(2025, 4, 3), [date(2025, 4, 8)]),  # Qingming 4-6 April: 2, not 3
    (("org", ORG), "甲牌", datetime(2025, 4, 28, 2), S.routed, None,
     date(2025, 5, 6), []),  # not answered yet
    (("name", OTHER), "乙牌", datetime(2025, 3, 5, 2), S.closed, OUT.referred,
     date(2025, 3, 10), [date(2025, 3, 24)]),  # two weeks: 10
    (("name", OTHER), "乙牌", datetime(2025, 4, 20, 2), S.closed, OUT.returned,
     date(2025, 4, 30), [date(2025, 5, 6)]),  # May Day 1-5 May: 1
    (("name", OTHER), "乙牌", datetime(2025, 3, 20, 2), S.mediation, None,
     date(2025, 4, 1), [date(2025, 3, 28)]),  # answered before acceptance: 0
    (("name", ""), "丙牌", datetime(2025, 5, 2, 2), S.closed, OUT.settled,
     None, [date(2025, 5, 8)]),  # never accepted: no answer time
]  # fmt: skip


def _answer_model():
    """The business's answer model, wherever its room keeps it (found by its table)."""
    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name == "business_responses":
            return mapper.class_
    raise LookupError("business_responses")


def _answer(case_id: int, day: date, *, current: bool = True):
    """An answer; an earlier one is superseded (one current answer per case)."""
    model = _answer_model()
    later = {} if current or not hasattr(model, "superseded_at") else {"superseded_at": _NOW}
    return model(case_id=case_id, responded_on=day, summary="答复", **later)


_NOW = datetime(2025, 6, 1)


@pytest.fixture
def seeded(request, app, app_ctx, make_user, make_case):
    """The SEED cases (tallies refreshed), built once per session and database and restored for
    each test (tests/support/snapshots.py); the test gets them attached to its session."""
    ids = built_once(request, app, "stats-business", lambda: _seed(make_user, make_case))
    return [db.session.get_one(Case, case_id) for case_id in ids]


def _seed(make_user, make_case) -> list[int]:
    owner = make_user()
    org = Organisation(
        name=ORG,
        credit_code="91110000000000000X",
        role=OrganisationRole.seller,
        status=OrganisationStatus.approved,
    )
    db.session.add(org)
    db.session.commit()
    cases = []
    for (kind, name), brand, at, status, outcome, accepted, answers in SEED:
        extra = {"organisation_id": org.id} if kind == "org" else {}
        case = make_case(
            owner,
            submitted_at=at,
            status=status,
            outcome=outcome,
            business_name=name,
            **{"vehicle.brand": brand},
            **extra,
        )
        if accepted:
            db.session.add(
                CaseClock(
                    case_id=case.id,
                    stage=ClockStage.routing,
                    started_on=accepted,
                    limit_days=5,
                    due_on=accepted + timedelta(days=7),
                )
            )
        db.session.add_all(
            _answer(case.id, day, current=i == len(answers) - 1) for i, day in enumerate(answers)
        )
        cases.append(case)
    db.session.commit()
    _refresh()
    return [case.id for case in cases]


def _refresh() -> None:
    """Bring the tallies up to date in their own transaction, as the statistics page does."""
    with own_transaction():
        rollup.refresh_tallies()


def _rows(settlements):
    return [(s.label, s.cases, s.closed, s.settled, s.rate) for s in settlements]


def _times(t):
    return (t.label, t.answered, t.median, t.p90, t.mean)


def test_settlement_rate_by_business_names_the_organisation_over_typed_names(seeded):
    view = business_stats.get_business_view(Period())

    assert _rows(f.settlement for f in view.businesses) == [
        (ORG, 4, 3, 2, 2 / 3),  # repaired and compensated settle; withdrawn does not
        (OTHER, 3, 2, 1, 0.5),  # returned settles; referred does not
        ("—", 1, 1, 1, 1.0),
    ]


def test_settlement_rate_by_brand(seeded):
    assert _rows(business_stats.settlement_by_brand(Period())) == [
        ("乙牌", 4, 3, 1, 1 / 3),
        ("甲牌", 3, 2, 2, 1.0),
        ("丙牌", 1, 1, 1, 1.0),
    ]


def test_answer_times_count_working_days_from_acceptance_to_the_first_answer(seeded):
    view = business_stats.get_business_view(Period())

    # 甲: 2 1 2 → median 2, p90 at 1.8 → 2, mean 5/3.  乙: 10 1 0 → median 1, p90 at 1.8 →
    # 1 + 0.8 × 9 = 8.2, mean 11/3.  All: 0 1 1 2 2 10 → median 1.5, p90 at 4.5 → 6, mean 16/6.
    assert [_times(f.answers) for f in view.businesses] == [
        (ORG, 3, 2.0, 2.0, Decimal("1.7")),
        (OTHER, 3, 1.0, 8.2, Decimal("3.7")),
        ("—", 0, None, None, None),
    ]
    assert _times(view.answers) == ("全部", 6, 1.5, 6.0, Decimal("2.7"))


def test_the_period_limits_the_business_view(seeded):
    april = Period(date(2025, 4, 1), date(2025, 4, 30))

    view = business_stats.get_business_view(april)

    assert _rows(f.settlement for f in view.businesses) == [
        (ORG, 2, 1, 1, 1.0),
        (OTHER, 1, 1, 1, 1.0),
    ]
    assert [_times(f.answers) for f in view.businesses] == [
        (ORG, 1, 2.0, 2.0, Decimal("2.0")),
        (OTHER, 1, 1.0, 1.0, Decimal("1.0")),
    ]
    assert _rows(business_stats.settlement_by_brand(Period(None, date(2025, 2, 28)))) == []


def test_a_new_answer_a_link_and_a_rename_move_the_figures(seeded):
    business_stats.get_business_view(Period())
    open_case = seeded[3]

    db.session.add(_answer(open_case.id, date(2025, 5, 13)))  # Tue → Tue: 5
    db.session.commit()
    assert date(2025, 4, 28) in set(db.session.scalars(sa.select(StatsDirtyDay.day)))
    _refresh()
    view = business_stats.get_business_view(Period())
    assert _times(view.businesses[0].answers) == (ORG, 4, 2.0, 4.1, Decimal("2.5"))

    org = db.session.get(Organisation, open_case.organisation_id)
    seeded[4].organisation_id = org.id  # the bureau links one of 乙's cases to the organisation
    org.name = "甲汽车销售集团有限公司"
    db.session.commit()
    _refresh()
    view = business_stats.get_business_view(Period())
    assert _rows(f.settlement for f in view.businesses) == [
        ("甲汽车销售集团有限公司", 4, 3, 1, 1 / 3),
        (OTHER, 2, 1, 1, 1.0),
        ("—", 1, 1, 1, 1.0),
        (ORG, 1, 1, 1, 1.0),  # the old name typed on an unlinked case stays its own row
    ]
    # 1 2 5 10 → median 3.5, p90 at 2.7 → 5 + 0.7 × 5 = 8.5, mean 4.5.
    assert _times(view.businesses[0].answers) == (
        "甲汽车销售集团有限公司",
        4,
        3.5,
        8.5,
        Decimal("4.5"),
    )


def test_a_full_recount_gives_the_same_business_view(seeded):
    before = business_stats.get_business_view(Period())

    rollup.rebuild(db.session.connection())
    db.session.commit()

    assert business_stats.get_business_view(Period()) == before


def _table(page: str, table_id: str) -> list[list[str]]:
    """The cells of one figure table, row by row (header cell first)."""
    body = page.split(f'id="{table_id}"', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    return [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in body.split("</tr>")[:-1]]


def test_the_stats_page_and_download_show_the_business_view(seeded, app, make_user):
    from tests.support.login import client_for

    client = client_for(app, make_user("staff"))
    page = client.get("/staff/stats?from=2025-01-01&to=2025-12-31").get_data(as_text=True)
    csv = client.get("/staff/stats/export?format=csv&from=2025-01-01&to=2025-12-31")

    assert _table(page, "by-business") == [
        [ORG, "4", "3", "2", "66.7%", "3", "2.0", "1.7"],
        [OTHER, "3", "2", "1", "50.0%", "3", "1.0", "3.7"],
        ["—", "1", "1", "1", "100.0%", "0", "—", "—"],
    ]
    assert _table(page, "settlement-by-brand")[0] == ["乙牌", "4", "3", "1", "33.3%"]
    assert "已答复 6 件，答复工作日中位数 1.5，第 90 百分位 6.0，平均 2.7" in page
    lines = csv.get_data(as_text=True).splitlines()
    assert f"按经营者,{ORG},和解率,66.7" in lines
    assert f"按经营者,{OTHER},答复工作日中位数,1.0" in lines
    assert "品牌和解率,丙牌,和解结案,1" in lines


def test_a_bad_period_shows_no_business_view(seeded, app, make_user):
    from tests.support.login import client_for

    client = client_for(app, make_user("staff"))
    page = client.get("/staff/stats?from=2025-12-31&to=2025-01-01")

    assert page.status_code == 400
    assert 'id="by-business"' not in page.get_data(as_text=True)


def test_the_business_view_agrees_with_the_cases_right_after_the_demo_loaders(app, runner):
    from disputes.cases.models import Case

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load-year", "--cases", "120"]).exit_code == 0
    closed = Case.status == CaseStatus.closed
    settled = sa.and_(closed, Case.outcome.in_(rollup.SETTLED))
    stmt = sa.select(
        sa.func.count(Case.id),
        sa.func.sum(sa.case((closed, 1), else_=0)),
        sa.func.sum(sa.case((settled, 1), else_=0)),
    ).where(Case.submitted_at.is_not(None))
    with app.app_context():
        expected = tuple(int(n) for n in db.session.execute(stmt).one())
        _refresh()
        view = business_stats.get_business_view(Period(date(2000, 1, 1), None))

    assert expected[0] > 120
    assert expected[2] > 0
    for rows in ([f.settlement for f in view.businesses], view.brands):
        assert (
            sum(s.cases for s in rows),
            sum(s.closed for s in rows),
            sum(s.settled for s in rows),
        ) == expected


def test_every_business_and_brand_figure_equals_a_count_over_the_cases(app, runner):
    """Each row of the business view, not only the totals: organisations linked to cases typed
    under other names, and names typed on cases of several brands."""
    from disputes.cases.models import Case

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load-year", "--cases", "120"]).exit_code == 0
    with app.app_context():
        org = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).first()
        cases = db.session.scalars(sa.select(Case).order_by(Case.id).limit(40)).all()
        for case in cases[::3]:  # linked whatever name and brand they carry
            case.organisation_id = org.id
        db.session.commit()
        _refresh()
        view = business_stats.get_business_view(Period(date(2000, 1, 1), None))
        expected = (business_counts.by_business(), business_counts.by_brand())

    assert len(expected[0]) > 3
    assert len(expected[1]) > 3
    assert business_counts.figures(view) == expected


def test_a_business_s_day_is_one_tally_row_whatever_names_and_brands_its_cases_carry(seeded):
    """The organisation's two cases of 1 March 2025 were typed as two names of two brands."""
    from disputes.staff.tallies import BusinessTally

    t = BusinessTally.__table__
    rows = db.session.execute(
        sa.select(t.c.organisation_id, t.c.business_name, t.c.n)
        .where(t.c.grain == "d", t.c.starts == date(2025, 3, 1))
        .order_by(t.c.organisation_id)
    ).all()

    assert [(name, n) for _org, name, n in rows] == [("", 2)]


def test_the_page_lists_the_top_businesses_and_says_how_many_more_the_download_has(
    seeded, app, make_user, monkeypatch
):
    from disputes.staff import views
    from tests.support.login import client_for

    client = client_for(app, make_user("staff"))
    url = "/staff/stats?from=2025-01-01&to=2025-12-31"
    assert 'id="more-businesses"' not in client.get(url).get_data(as_text=True)  # all 3 shown

    monkeypatch.setattr(views, "BUSINESS_ROWS", 2)
    page = client.get(url).get_data(as_text=True)
    csv = client.get("/staff/stats/export?format=csv&from=2025-01-01&to=2025-12-31")

    assert [row[0] for row in _table(page, "by-business")] == [ORG, OTHER]
    assert "另有 1 个经营者未列出（共 3 个）" in page
    assert "按经营者,—,案件数,1" in csv.get_data(as_text=True).splitlines()


def test_the_first_businesses_are_the_whole_view_s_first_and_the_total_counts_them_all(seeded):
    everyone = business_stats.get_business_view(Period())
    first_two = business_stats.get_business_view(Period(), top=2)

    assert first_two.businesses == everyone.businesses[:2]
    assert first_two.total == everyone.total == len(everyone.businesses) == 3
    assert (first_two.brands, first_two.answers) == (everyone.brands, everyone.answers)
