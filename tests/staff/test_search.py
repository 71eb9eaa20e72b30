"""The case list's query: keyset pages walk the (sort key, id) indexes with no sort step, the
previous page is exactly the page before, and every search form (case number or its sequence,
VIN, phone, consumer name — whole or prefix) finds its cases on its own index (checked with
EXPLAIN on a few thousand generated cases)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import text

from disputes import create_app
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.db import db
from disputes.demo import year as demo_year
from disputes.staff import search
from disputes.staff.search import SearchTerms, parse_query
from tests.support.databases import BACKENDS, base_config, pg_schema_for, postgresql_url
from tests.support.snapshots import built_once

LISTS = [
    (search.CaseFilter(), "ix_cases_submitted_at_id"),
    (search.CaseFilter(after="2025-05-01T00:00:00~42"), "ix_cases_submitted_at_id"),
    (search.CaseFilter(before="2025-02-01T00:00:00~42"), "ix_cases_submitted_at_id"),
    (
        search.CaseFilter(status=CaseStatus.screening, after="2025-05-01T00:00:00~42"),
        "ix_cases_status_submitted_at_id",
    ),
    (
        search.CaseFilter(status=CaseStatus.closed, before="2025-02-01T00:00:00~42"),
        "ix_cases_status_submitted_at_id",
    ),
    (search.CaseFilter(sort="brand", descending=False, after="华夏汽车~7"), "ix_cases_brand_id"),
    (search.CaseFilter(sort="brand", descending=False, before="华夏汽车~7"), "ix_cases_brand_id"),
]


def _plan(stmt, *, sorts_costly: bool = False, whole_reads_costly: bool = False) -> str:
    """The query plan. `sorts_costly` prices sorts as PostgreSQL does at a million rows: on a
    few thousand, an index walk and a small sort cost nearly the same and the choice flips with
    the table's physical layout, so the sort-free walk is what the list test checks.
    `whole_reads_costly` likewise prices reading a whole table (a scan, or a hash join's input)
    as at a million rows."""
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            if sorts_costly:
                conn.execute(text("SET LOCAL enable_sort = off"))
                conn.execute(text("SET LOCAL enable_incremental_sort = off"))
            if whole_reads_costly:
                for setting in ("seqscan", "hashjoin", "mergejoin"):
                    conn.execute(text(f"SET LOCAL enable_{setting} = off"))
            return "\n".join(conn.execute(text(f"EXPLAIN {compiled}")).scalars())
        return "\n".join(r[-1] for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


def _full_scan(plan: str) -> bool:
    """Whether the plan reads the whole cases table (or walks a whole index of it)."""
    return bool(re.search(r"Seq Scan on cases|^\s*SCAN cases\b", plan, re.MULTILINE))


@pytest.fixture(scope="module", params=BACKENDS)
def many_cases_app(request, tmp_path_factory) -> Iterator[Flask]:
    """An app on a database of its own holding 3,000 generated cases, built once per module and
    backend: generating them takes seconds, and the tests using it only EXPLAIN queries."""
    tmp = tmp_path_factory.mktemp("many-cases")
    with ExitStack() as stack:
        if request.param == "postgresql":
            schema = stack.enter_context(pg_schema_for(postgresql_url()))
            config = base_config(schema.url, schema.engine_options, tmp)
        else:
            config = base_config("sqlite://", {}, tmp)
        app = create_app(config, instance_path=str(tmp / "instance"))
        with app.app_context():
            db.create_all()
            demo_year.load_year(3000, today=date(2025, 12, 31))
            db.session.commit()
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def many_cases(many_cases_app) -> Iterator[None]:
    with many_cases_app.app_context():
        yield


def test_list_pages_walk_an_index_without_sorting(many_cases):
    for f, index in LISTS:
        plan = _plan(search.paged(f, today=date(2025, 12, 31)), sorts_costly=True)

        assert index in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        assert "Sort Key" not in plan, plan


@pytest.mark.parametrize("flag", ["overdue", "due_soon"])
def test_overdue_and_due_soon_start_from_the_running_clocks(many_cases, flag):
    """Few cases are overdue: the count and the page take their ids from the open-clock index and
    read those cases by primary key, never testing each case (1.36 s for the count at 1M)."""
    f, today = search.CaseFilter(**{flag: True}), date(2025, 12, 31)
    counted = search.filtered(f, today).with_only_columns(Case.id).limit(10_001)
    by_id = r"SEARCH cases USING INTEGER PRIMARY KEY|Index Cond: \(id = case_clocks\.case_id\)"

    for stmt in (counted, search.paged(f, today=today), search.paged(search.replace(f, last=True))):
        plan = _plan(stmt, whole_reads_costly=True)

        assert "ix_case_clocks_open_due" in plan, plan
        assert re.search(by_id, plan), plan
        assert not _full_scan(plan), plan


@pytest.mark.parametrize(
    ("f", "index"),
    [
        pytest.param(
            search.CaseFilter(status=CaseStatus.mediation, brand="星辰汽车"),
            "ix_cases_status_brand_submitted_at_id",
            id="status-and-brand",
        ),
        pytest.param(
            search.CaseFilter(outcome=CaseOutcome.replaced, descending=False),
            "ix_cases_outcome_submitted_at_id",
            id="outcome",
        ),
    ],
)
def test_status_with_brand_and_an_outcome_are_counted_and_paged_on_their_index(
    many_cases, f, index
):
    """Counting cases of one status and brand from the status index tested every case of that
    status for the brand (about 100 ms at 1M); an outcome was counted walking every case."""
    today = date(2025, 12, 31)
    counted = search.filtered(f, today).with_only_columns(Case.id).limit(search.COUNT_CAP + 1)

    for stmt in (counted, search.paged(f, today=today)):
        plan = _plan(stmt, sorts_costly=True, whole_reads_costly=True)

        assert index in plan, plan
        assert not _full_scan(plan), plan


#: An index on cases.number: the unique one (SQLite names a UNIQUE constraint's index itself) or
#: the prefix one, which serves equality too.
NUMBER_UNIQUE = "uq_cases_number|sqlite_autoindex_cases_1|ix_cases_number_prefix"

#: Search entry → the index it must use (demo cases: SJZ-2025-9NNNNN, VIN LDEMO000000NNNNNN,
#: phone 139 + 8 random digits, name 王先生/李女士/...).
SEARCH_PLANS = [
    ("SJZ-2025-900123", NUMBER_UNIQUE),
    ("SJZ-2025-9001", "ix_cases_number_prefix"),
    ("2025-90012", "ix_cases_number_prefix"),
    ("900123", NUMBER_UNIQUE),
    ("LDEMO00000000123", "ix_cases_vin_prefix"),
    ("LDEMO000000001234", "ix_cases_vin_prefix"),
    ("13912345", "ix_cases_contact_phone_prefix"),
    ("13912345678", "ix_cases_contact_phone_prefix"),
    ("林女", "ix_cases_contact_name_prefix"),
    ("5678", "ix_cases_phone_tail"),
    ("000123", "ix_cases_vin_tail"),
    ("华夏汽车", "ix_cases_business_name_prefix"),
    ("华夏汽车", "ix_cases_dealer_name_prefix"),
    ("华夏汽车", "ix_cases_manufacturer_prefix"),
]


@pytest.mark.parametrize(("q", "index"), SEARCH_PLANS)
def test_each_search_form_uses_its_index_and_no_full_scan(many_cases, q, index):
    plan = _plan(search.paged(search.CaseFilter(q=q), today=date(2025, 12, 31)))

    assert re.search(index, plan), plan
    assert not _full_scan(plan), plan


def test_a_digits_entry_searches_sequence_phone_and_vin_on_their_indexes(many_cases):
    plan = _plan(search.paged(search.CaseFilter(q="139123"), today=date(2025, 12, 31)))

    for index in (NUMBER_UNIQUE, "ix_cases_contact_phone_prefix", "ix_cases_vin_prefix"):
        assert re.search(index, plan), plan
    assert not _full_scan(plan), plan


@pytest.mark.parametrize("cursor", ["after", "before"])
def test_search_pages_after_a_cursor_stay_on_the_search_index(many_cases, cursor):
    f = search.CaseFilter(q="SJZ-2025-9001", **{cursor: "2025-06-01T00:00:00~1500"})

    plan = _plan(search.paged(f, today=date(2025, 12, 31)))

    assert "ix_cases_number_prefix" in plan, plan
    assert not _full_scan(plan), plan
    assert "SCAN cases USING INDEX ix_cases_submitted_at_id" not in plan, plan


# --- what each form finds -------------------------------------------------------------------

CASES = {
    "A": {
        "number": "SJZ-2026-000123",
        "vin": "LFV2A21K8N4000001",
        "contact_phone": "13812345678",
        "contact_name": "林女士",
        "business_name": "华夏汽车销售服务有限公司",
    },
    "B": {
        "number": "SJZ-2026-001234",
        "vin": "LSVAB1234N5000002",
        "contact_phone": "13987654321",
        "contact_name": "王先生",
    },
    "C": {
        "number": "SJZ-2025-000123",
        "vin": "WDD1234567A000003",
        "contact_phone": "13812000000",
        "contact_name": "林先生",
        "dealer_name": "华夏汽车四川经销店",
    },
    "D": {
        "number": "SJZ-2026-000999",
        "vin": "LFV3B00000N400004",
        "contact_phone": "18600001234",
        "contact_name": "100%_先生",
        "manufacturer": "星辰汽车制造有限公司",
    },
}


@pytest.fixture
def known_cases(request, app, app_ctx, make_user, make_case) -> dict[str, int]:
    """The four cases' ids by key, filed once per backend and restored for each search."""

    def file_them() -> dict[str, int]:
        owner = make_user()
        return {key: make_case(owner, **values).id for key, values in CASES.items()}

    return built_once(request, app, "search-cases", file_them)


def _found(known_cases, q: str) -> set[str]:
    ids = {c.case.id for c in search.search_cases(search.CaseFilter(q=q), per_page=50).rows}
    return {key for key, case_id in known_cases.items() if case_id in ids}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Case number: whole (any case, spaces), prefix, without letters, the bare sequence.
        ("SJZ-2026-000123", {"A"}),
        (" sjz-2026-000123 ", {"A"}),
        ("SJZ-2026-00", {"A", "B", "D"}),
        ("SJZ-2026-0001", {"A"}),
        ("2026-0012", {"B"}),
        ("123", {"A", "C"}),
        ("000123", {"A", "C"}),
        ("1234", {"B", "D"}),  # D's phone ends in 1234
        ("SJZ-2024-000123", set()),
        # VIN: whole or prefix, any case, spaces ignored.
        ("LFV2A21K8N4000001", {"A"}),
        ("lfv2a21k8n4000001", {"A"}),
        ("LFV", {"A", "D"}),
        ("lsv ab12", {"B"}),
        ("WDD1234567", {"C"}),
        ("N4000001", set()),
        # VIN: its last 6 characters (车架号后六位).
        ("400004", {"D"}),
        ("n40000", set()),
        # Phone: whole or prefix, separators and +86 ignored.
        ("13812345678", {"A"}),
        ("138 1234 5678", {"A"}),
        ("+86 138-1234-5678", {"A"}),
        ("138", {"A", "C"}),
        ("1381234", {"A"}),
        ("186", {"D"}),
        # Phone: its last 4 digits (尾号).
        ("5678", {"A"}),
        ("0000", {"C"}),
        # Consumer name: prefix; LIKE wildcards are plain characters.
        ("林", {"A", "C"}),
        ("林女", {"A"}),
        ("王先生", {"B"}),
        ("100%", {"D"}),
        ("10%", set()),
        ("1_0", set()),
        ("先生", set()),
        # Business, dealer or manufacturer: the start of the name.
        ("华夏汽车", {"A", "C"}),
        ("星辰", {"D"}),
        ("销售服务", set()),
    ],
)
def test_search_finds_the_right_cases(known_cases, q, expected):
    assert _found(known_cases, q) == expected


@pytest.mark.parametrize(
    ("q", "terms"),
    [
        (" sjz-2026-000123\t", SearchTerms(numbers=("SJZ-2026-000123",))),
        ("lfv2a21k8n4000001", SearchTerms(vin="LFV2A21K8N4000001")),
        ("+86 138-1234-5678", SearchTerms(phone="13812345678")),
        ("0086 13812345678", SearchTerms(phone="13812345678")),
        (
            "12",
            SearchTerms(numbers=("SJZ-2013-000012", "SJZ-2014-000012")),
        ),
        (
            "1381",
            SearchTerms(
                numbers=("SJZ-2013-001381", "SJZ-2014-001381"),
                phone_prefix="1381",
                vin_prefix="1381",
                phone_tail="1381",
            ),
        ),
        ("2013-01", SearchTerms(number_prefix="SJZ-2013-01", phone_prefix="201301")),
        ("SJZ-2013", SearchTerms(name_prefix="SJZ-2013", business_prefix="SJZ-2013")),
        (
            "Lin  Na",
            SearchTerms(name_prefix="Lin Na", vin_prefix="LINNA", business_prefix="Lin Na"),
        ),
        ("ldemo", SearchTerms(name_prefix="ldemo", vin_prefix="LDEMO", business_prefix="ldemo")),
        (
            "40 00 04",
            SearchTerms(
                numbers=("SJZ-2013-400004", "SJZ-2014-400004"),
                phone_prefix="400004",
                vin_prefix="400004",
                vin_tail="400004",
            ),
        ),
        ("   ", SearchTerms()),
    ],
)
def test_search_entries_are_normalised(q, terms):
    assert parse_query(q, "SJZ", this_year=2014) == terms


def test_prefix_ranges_cover_exactly_the_prefix():
    assert search._successor("LFV") == "LFW"
    assert search._successor("林") == chr(ord("林") + 1)
    assert search._successor("a\U0010ffff") == "b"


# --- previous page ------------------------------------------------------------------------------


@pytest.fixture
def sixty_cases(app_ctx):
    demo_year.load_year(60, today=date(2025, 12, 31))
    db.session.commit()


def _ids(page: search.CasePage) -> list[int]:
    return [row.case.id for row in page.rows]


@pytest.mark.parametrize(
    "f",
    [
        search.CaseFilter(),
        search.CaseFilter(sort="brand", descending=False),
        search.CaseFilter(sort="number", descending=True),
        search.CaseFilter(sort="status", descending=False, q="139"),
    ],
    ids=["submitted-desc", "brand-asc", "number-desc", "status-asc-searched"],
)
def test_previous_page_is_exactly_the_page_before(sixty_cases, f):
    pages = [search.search_cases(f, per_page=7)]
    while pages[-1].next_after:
        pages.append(search.search_cases(search.replace(f, after=pages[-1].next_after), 7))
    assert len(pages) > 2
    assert pages[0].prev_before is None
    walked = [i for page in pages for i in _ids(page)]
    assert len(walked) == len(set(walked))

    for k in range(len(pages) - 1, 0, -1):
        back = search.search_cases(search.replace(f, before=pages[k].prev_before), per_page=7)

        assert _ids(back) == _ids(pages[k - 1])
        assert back.next_after is not None
        assert (back.prev_before is None) == (k == 1)
        forward = search.search_cases(search.replace(f, after=back.next_after), per_page=7)
        assert _ids(forward) == _ids(pages[k])


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found and found.group(1).replace("&amp;", "&")


def _numbers(html: str) -> list[str]:
    return re.findall(r'class="mono" href="[^"]+">(SJZ-\d{4}-\d{6})<', html)


def test_the_list_links_previous_and_next_pages_keeping_filters_and_sort(app, client, login, staff):
    with app.app_context():
        demo_year.load_year(60, today=date(2025, 12, 31))
        db.session.commit()
    login(staff)
    first = client.get("/staff/cases?q=LDEMO&sort=number&dir=asc")
    assert first.status_code == 200
    assert _link(first.text, "prev") is None

    second = client.get(_link(first.text, "next"))
    back = client.get(_link(second.text, "prev"))

    for link in (_link(first.text, "next"), _link(second.text, "prev")):
        assert "q=LDEMO" in link
        assert "sort=number" in link
        assert "dir=asc" in link
    assert _link(second.text, "prev") is not None
    assert "第一页" in second.text
    numbers = _numbers(first.text)
    assert len(numbers) == search.PER_PAGE
    assert numbers == sorted(numbers)
    assert _numbers(back.text) == numbers
    assert _numbers(second.text)[0] > numbers[-1]
    assert _link(back.text, "prev") is None
