"""The case list's count stops at COUNT_CAP: above it the pager says "N+ cases" and
numbers no pages, while the last page still counts exactly and holds the right rows; the overdue
and due-soon filters pick the right cases from the running clocks."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from disputes import calendar
from disputes.cases.models import CaseClock, CaseStatus, ClockStage
from disputes.db import db
from disputes.demo import year as demo_year
from disputes.staff import search

S = CaseStatus


def _ids(page: search.CasePage) -> list[int]:
    return [row.case.id for row in page.rows]


@pytest.fixture
def twelve_cases(app_ctx, make_user, make_case):
    owner = make_user()
    for i in range(12):
        make_case(owner, contact_name=f"用户{i}")


def test_the_count_stops_one_above_the_cap(twelve_cases):
    f, today = search.CaseFilter(), calendar.local_day()

    assert search.count_cases(f, today, cap=10) == 11
    assert search.count_cases(f, today, cap=12) == 12
    assert search.count_cases(f, today) == 12


def test_a_capped_list_numbers_no_pages_and_its_last_page_counts_exactly(twelve_cases, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 10)
    f = search.CaseFilter()
    first = search.search_cases(f, per_page=5)
    second = search.search_cases(search.replace(f, after=first.next_after, page=2), per_page=5)
    third = search.search_cases(search.replace(f, after=second.next_after, page=3), per_page=5)
    last = search.search_cases(search.replace(f, last=True), per_page=5)

    assert (first.total, first.capped, first.page, first.pages) == (10, True, 1, None)
    assert (second.total, second.capped, second.page, second.pages) == (10, True, 2, None)
    assert (last.total, last.capped, last.page, last.pages) == (12, False, 3, 3)
    assert _ids(last) == _ids(third)
    assert len(_ids(last)) == 2
    assert last.next_after is None
    back = search.search_cases(search.replace(f, before=last.prev_before, page=2), per_page=5)
    assert _ids(back) == _ids(second)


def test_a_list_of_exactly_the_cap_is_counted_in_full(twelve_cases, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 12)

    page = search.search_cases(search.CaseFilter(), per_page=5)

    assert (page.total, page.capped, page.page, page.pages) == (12, False, 1, 3)


def test_a_search_counts_to_its_own_smaller_cap(twelve_cases, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 20)
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 10)
    searched = search.CaseFilter(q="用户")

    listed = search.search_cases(search.CaseFilter(), per_page=5)
    found = search.search_cases(searched, per_page=5)
    last = search.search_cases(search.replace(searched, last=True), per_page=5)

    assert (listed.total, listed.capped, listed.pages) == (12, False, 3)
    assert (found.total, found.capped, found.pages) == (10, True, None)
    assert (last.total, last.capped, last.page, last.pages) == (12, False, 3, 3)


# --- the pager line ---------------------------------------------------------------------------


def _visit(client, url: str) -> tuple[str, int, dict[str, str]]:
    html = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
    status = re.search(r'id="pager-status">([^<]*)<', html).group(1)
    links = {label: href for href, label in re.findall(r'href="([^"]+)">([^<]+)</a>', html)}
    return status, html.count('class="mono" href="/staff/cases/'), links


@pytest.fixture
def sixty_cases(app):
    with app.app_context():
        demo_year.load_year(60, today=date(2025, 12, 31))
        db.session.commit()


def test_the_pager_says_n_plus_above_the_cap_and_counts_the_last_page(
    sixty_cases, client, login, staff, monkeypatch
):
    monkeypatch.setattr(search, "COUNT_CAP", 50)
    login(staff)

    first = _visit(client, "/staff/cases")
    second = _visit(client, first[2]["下一页"])
    last = _visit(client, first[2]["最后一页"])
    before_last = _visit(client, last[2]["上一页"])

    assert first[:2] == ("共 50+ 件 · 第 1 页", 25)
    assert second[:2] == before_last[:2] == ("共 50+ 件 · 第 2 页", 25)
    assert last[:2] == ("共 60 件 · 第 3 页 / 共 3 页", 10)
    assert "下一页" not in last[2]
    assert _visit(client, "/staff/cases?page=1234")[0] == "共 50+ 件 · 第 1,234 页"
    assert _visit(client, "/staff/cases?lang=en")[0] == "50+ cases · page 1"


def test_the_pager_counts_in_full_up_to_the_cap(sixty_cases, client, login, staff, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 60)
    login(staff)

    assert _visit(client, "/staff/cases")[:2] == ("共 60 件 · 第 1 页 / 共 3 页", 25)
    assert _visit(client, "/staff/cases?lang=en")[0] == "60 cases · page 1 of 3"


# --- overdue and due soon -----------------------------------------------------------------------


@pytest.fixture
def clocked(app_ctx, make_user, make_case):
    """Cases named by what their clocks say (days relative to today; None: the clock runs)."""
    owner, today = make_user(), calendar.local_day()
    long_ago = calendar.day_start(today - timedelta(days=30))

    def case(status: CaseStatus, *clocks: tuple[int, int | None], **overrides) -> int:
        made = make_case(owner, status=status, **overrides)
        for due, ended in clocks:
            db.session.add(
                CaseClock(
                    case_id=made.id,
                    stage=ClockStage.screening,
                    started_on=today - timedelta(days=40),
                    limit_days=7,
                    due_on=today + timedelta(days=due),
                    ended_on=None if ended is None else today + timedelta(days=ended),
                    paused_days=0,
                )
            )
        db.session.flush()
        return made.id

    return {
        "running-late": case(S.screening, (-1, None)),
        "running-due-today": case(S.screening, (0, None)),
        "ended-late-then-running": case(S.accepted, (-10, -3), (30, None)),
        "paused-late": case(S.info_requested, (-1, None)),
        "waiting-unclocked-long": case(S.submitted, submitted_at=long_ago),
        "waiting-unclocked-new": case(S.submitted),
        "waiting-clocked-long": case(S.submitted, (5, None), submitted_at=long_ago),
    }


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("overdue", {"running-late", "waiting-unclocked-long"}),
        ("due_soon", {"running-due-today"}),
    ],
)
def test_overdue_and_due_soon_pick_cases_by_their_running_clocks(clocked, flag, expected):
    page = search.search_cases(search.CaseFilter(**{flag: True}), per_page=50)

    assert {name for name, i in clocked.items() if i in _ids(page)} == expected
    assert page.total == len(expected)
    assert search.count_cases(search.CaseFilter(**{flag: True}), calendar.local_day()) == len(
        expected
    )
