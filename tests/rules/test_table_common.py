"""Contract-level tables: periods, regime choice, repair days, compensation and deadlines.

Every expected date below was worked out by hand from regulation.md §2–§5 (arithmetic in comments).
"""

from __future__ import annotations

import random
import re

import pytest

from rules import parse_calendar
from tests.rules.contract_helpers import (
    CONTRACT_FACTS,
    base_facts_2013,
    dec,
    f13,
    f22,
    problem,
    remedy_pairs,
    run,
    visit,
    visits,
)

# --- Periods (2013.17, 2022.18, early, first_week, wear parts) -----------------------------------


def _period(a: dict, name: str) -> tuple:
    p = a["periods"][name]
    return p["ends_on"], p["status"]


PERIOD_ROWS = [
    # 60 days from 2014-01-10 → 2014-03-11 (start day not counted).
    pytest.param(
        f13(as_of=("2014-03-11", 2900)),
        "early",
        ("2014-03-11", "running"),
        id="2013.18.2/early-day-60",
    ),
    pytest.param(
        f13(as_of=("2014-03-12", 2900)),
        "early",
        ("2014-03-11", "ended_by_time"),
        id="2013.18.2/early-day-61",
    ),
    pytest.param(
        f13(as_of=("2014-03-01", 3000)),
        "early",
        ("2014-03-11", "running"),
        id="2013.18.2/early-km-3000",
    ),
    pytest.param(
        f13(as_of=("2014-03-01", 3001)),
        "early",
        ("2014-03-11", "ended_by_km"),
        id="2013.18.2/early-km-3001",
    ),
    # An event's reading over 3,000 km before ends_on ends `early` by km even if as_of is later.
    pytest.param(
        f13(visit("2014-02-01", 3001), as_of=("2014-03-20", 3200)),
        "early",
        ("2014-03-11", "ended_by_km"),
        id="2013.18.2/early-event-km-3001",
    ),
    pytest.param(
        f13(visit("2014-02-01", 3000), as_of=("2014-03-20", 3200)),
        "early",
        ("2014-03-11", "ended_by_time"),
        id="2013.18.2/early-event-km-3000",
    ),
    pytest.param(
        f13(as_of=("2016-01-10", 40000)),
        "three_guarantee",
        ("2016-01-10", "running"),
        id="2013.17/three-guarantee-last-day",
    ),
    pytest.param(
        f13(as_of=("2016-01-11", 40000)),
        "three_guarantee",
        ("2016-01-10", "ended_by_time"),
        id="2013.17/three-guarantee-day-after",
    ),
    pytest.param(
        f13(as_of=("2015-06-01", 50000)),
        "three_guarantee",
        ("2016-01-10", "running"),
        id="2013.17/three-guarantee-km-50000",
    ),
    pytest.param(
        f13(as_of=("2015-06-01", 50001)),
        "three_guarantee",
        ("2016-01-10", "ended_by_km"),
        id="2013.17/three-guarantee-km-50001",
    ),
    # A reading after ends_on does not make it "by km": the time limit came first.
    pytest.param(
        f13(as_of=("2016-02-01", 50500)),
        "three_guarantee",
        ("2016-01-10", "ended_by_time"),
        id="2013.17/over-km-only-after-ends-on",
    ),
    pytest.param(
        f13(visit("2015-12-01", 50001), as_of=("2016-02-01", 50500)),
        "three_guarantee",
        ("2016-01-10", "ended_by_km"),
        id="2013.17/event-reading-over-km-before-ends-on",
    ),
    pytest.param(
        f13(visit("2015-12-01", 50000), as_of=("2016-02-01", 50500)),
        "three_guarantee",
        ("2016-01-10", "ended_by_time"),
        id="2013.17/event-reading-at-km-limit-before-ends-on",
    ),
    pytest.param(
        f13(as_of=("2017-01-10", 59000)),
        "repair_warranty",
        ("2017-01-10", "running"),
        id="2013.17/repair-warranty-last-day",
    ),
    pytest.param(
        f13(as_of=("2017-01-11", 59000)),
        "repair_warranty",
        ("2017-01-10", "ended_by_time"),
        id="2013.17/repair-warranty-day-after",
    ),
    pytest.param(
        f13(as_of=("2016-06-01", 60000)),
        "repair_warranty",
        ("2017-01-10", "running"),
        id="2013.17/repair-warranty-km-60000",
    ),
    pytest.param(
        f13(as_of=("2016-06-01", 60001)),
        "repair_warranty",
        ("2017-01-10", "ended_by_km"),
        id="2013.17/repair-warranty-km-60001",
    ),
    # Month end: 2 years from 2016-02-29 → 2018-02-28; 3 years → 2019-02-28; 60 days → 2016-04-29
    # (03-31 is day 31, 04-29 day 60).
    pytest.param(
        f13(as_of=("2016-03-01", 100), over={"purchase.invoice_date": "2016-02-29"}),
        "three_guarantee",
        ("2018-02-28", "running"),
        id="2013.17/two-years-from-29-february",
    ),
    pytest.param(
        f13(as_of=("2016-03-01", 100), over={"purchase.invoice_date": "2016-02-29"}),
        "repair_warranty",
        ("2019-02-28", "running"),
        id="2013.17/three-years-from-29-february-2016",
    ),
    pytest.param(
        f13(as_of=("2016-03-01", 100), over={"purchase.invoice_date": "2016-02-29"}),
        "early",
        ("2016-04-29", "running"),
        id="2013.18.2/sixty-days-from-29-february",
    ),
    # 3 years from 2020-02-29 → 2023-02-28 (still the 2013 regime: invoice before 2022).
    pytest.param(
        f13(as_of=("2020-03-01", 100), over={"purchase.invoice_date": "2020-02-29"}),
        "repair_warranty",
        ("2023-02-28", "running"),
        id="2013.17/three-years-from-29-february-2020",
    ),
    pytest.param(
        f13(as_of=("2023-02-28", 100), over={"purchase.invoice_date": "2020-02-29"}),
        "repair_warranty",
        ("2023-02-28", "running"),
        id="2013.17/month-end-last-day",
    ),
    pytest.param(
        f13(as_of=("2023-03-01", 100), over={"purchase.invoice_date": "2020-02-29"}),
        "repair_warranty",
        ("2023-02-28", "ended_by_time"),
        id="2013.17/month-end-day-after",
    ),
    # 2022 counts from delivery 2023-04-06: first_week → 04-13, early → 06-05, 2 y → 2025-04-06.
    pytest.param(
        f22(as_of=("2023-04-13", 5000)),
        "first_week",
        ("2023-04-13", "running"),
        id="2022.22/first-week-day-7-no-km-limit",
    ),
    pytest.param(
        f22(as_of=("2023-04-14", 500)),
        "first_week",
        ("2023-04-13", "ended_by_time"),
        id="2022.22/first-week-day-8",
    ),
    pytest.param(
        f22(as_of=("2023-06-05", 3000)),
        "early",
        ("2023-06-05", "running"),
        id="2022.20/early-day-60-km-3000",
    ),
    pytest.param(
        f22(as_of=("2023-06-06", 2900)),
        "early",
        ("2023-06-05", "ended_by_time"),
        id="2022.20/early-day-61",
    ),
    pytest.param(
        f22(as_of=("2023-06-01", 3001)),
        "early",
        ("2023-06-05", "ended_by_km"),
        id="2022.20/early-km-3001",
    ),
    pytest.param(
        f22(as_of=("2025-04-06", 40000)),
        "three_guarantee",
        ("2025-04-06", "running"),
        id="2022.18/three-guarantee-from-delivery",
    ),
    pytest.param(
        f22(as_of=("2025-04-07", 40000)),
        "three_guarantee",
        ("2025-04-06", "ended_by_time"),
        id="2022.18/three-guarantee-day-after",
    ),
    pytest.param(
        f22(as_of=("2024-06-01", 50001)),
        "three_guarantee",
        ("2025-04-06", "ended_by_km"),
        id="2022.18/three-guarantee-km-50001",
    ),
    pytest.param(
        f22(as_of=("2026-04-06", 40000)),
        "repair_warranty",
        ("2026-04-06", "running"),
        id="2022.18/repair-warranty-from-delivery",
    ),
    # Invoice = delivery 2024-02-29: 7 days → 03-07; 60 days → 04-29; 2 y → 2026-02-28;
    # 3 y → 2027-02-28.
    pytest.param(
        f22(
            as_of=("2024-03-01", 50),
            over={"purchase.invoice_date": "2024-02-29", "purchase.delivery_date": "2024-02-29"},
        ),
        "first_week",
        ("2024-03-07", "running"),
        id="2022.22/seven-days-from-29-february",
    ),
    pytest.param(
        f22(
            as_of=("2024-03-01", 50),
            over={"purchase.invoice_date": "2024-02-29", "purchase.delivery_date": "2024-02-29"},
        ),
        "early",
        ("2024-04-29", "running"),
        id="2022.20/sixty-days-from-29-february",
    ),
    pytest.param(
        f22(
            as_of=("2024-03-01", 50),
            over={"purchase.invoice_date": "2024-02-29", "purchase.delivery_date": "2024-02-29"},
        ),
        "three_guarantee",
        ("2026-02-28", "running"),
        id="2022.18/two-years-from-29-february",
    ),
    pytest.param(
        f22(
            as_of=("2024-03-01", 50),
            over={"purchase.invoice_date": "2024-02-29", "purchase.delivery_date": "2024-02-29"},
        ),
        "repair_warranty",
        ("2027-02-28", "running"),
        id="2022.18/three-years-from-29-february",
    ),
    # The contract's own example: 7 days from 2022-03-01 → 2022-03-08.
    pytest.param(
        f22(
            as_of=("2022-03-08", 50),
            over={"purchase.invoice_date": "2022-03-01", "purchase.delivery_date": "2022-03-01"},
        ),
        "first_week",
        ("2022-03-08", "running"),
        id="2022.22/seven-days-from-1-march-2022",
    ),
]


PERIOD_ROWS += [
    # first_week has no km limit: a high reading never ends it "by km".
    pytest.param(
        f22(visit("2023-04-09", 9000), as_of=("2023-04-20", 9500)),
        "first_week",
        ("2023-04-13", "ended_by_time"),
        id="2022.22/first-week-never-ended-by-km",
    ),
    pytest.param(
        f22(visit("2023-04-09", 9000), as_of=("2023-04-20", 9500)),
        "early",
        ("2023-06-05", "ended_by_km"),
        id="2022.20/early-ended-by-km-on-day-3",
    ),
]


@pytest.mark.parametrize(("facts", "name", "expected"), PERIOD_ROWS)
def test_period_ends_on_and_status(facts, name, expected):
    assert _period(run(facts), name) == expected


def test_2013_periods_have_the_contract_keys_and_limits():
    a = run(f13(as_of=("2014-03-01", 2900)))
    periods = a["periods"]
    assert set(periods) == {"repair_warranty", "three_guarantee", "early", "wear_parts"}
    assert {k: periods[k]["start"] for k in ("repair_warranty", "three_guarantee", "early")} == {
        "repair_warranty": "2014-01-10",
        "three_guarantee": "2014-01-10",
        "early": "2014-01-10",
    }
    assert [periods[k]["km_limit"] for k in ("repair_warranty", "three_guarantee", "early")] == [
        60000,
        50000,
        3000,
    ]
    assert periods["wear_parts"] == []


def test_2022_periods_start_on_delivery_and_first_week_has_no_km_limit():
    periods = run(f22(as_of=("2023-04-10", 300)))["periods"]
    assert set(periods) == {
        "repair_warranty",
        "three_guarantee",
        "early",
        "first_week",
        "wear_parts",
    }
    assert {
        periods[k]["start"] for k in ("repair_warranty", "three_guarantee", "early", "first_week")
    } == {"2023-04-06"}
    assert periods["first_week"]["km_limit"] is None


@pytest.mark.parametrize(
    ("card", "ends_on", "km_limit", "warns"),
    [
        pytest.param(
            {"years": 3, "km": 80000},
            "2017-01-10",
            80000,
            False,
            id="2013.3/longer-card-terms-bind",
        ),
        pytest.param(
            {"years": 1, "km": 20000},
            "2016-01-10",
            50000,
            True,
            id="2013.3/shorter-card-terms-raised",
        ),
        pytest.param(
            {"years": 3, "km": 40000}, "2017-01-10", 50000, True, id="2013.3/each-term-the-larger"
        ),
        pytest.param(
            {"years": 2, "km": 50000}, "2016-01-10", 50000, False, id="2013.3/legal-minimum-on-card"
        ),
    ],
)
def test_warranty_card_terms_extend_but_never_shorten_the_three_guarantee(
    card, ends_on, km_limit, warns
):
    plain = run(f13(as_of=("2014-03-01", 2900)))
    a = run(f13(as_of=("2014-03-01", 2900), over={"warranty_card.three_guarantee": card}))
    tg = a["periods"]["three_guarantee"]
    assert (tg["ends_on"], tg["km_limit"]) == (ends_on, km_limit)
    assert (len(a["warnings"]) > len(plain["warnings"])) is warns


def test_longer_repair_warranty_on_the_card_binds():
    a = run(
        f13(
            as_of=("2014-03-01", 2900),
            over={"warranty_card.repair_warranty": {"years": 4, "km": 100000}},
        )
    )
    rw = a["periods"]["repair_warranty"]
    assert (rw["ends_on"], rw["km_limit"]) == ("2018-01-10", 100000)


@pytest.mark.parametrize(
    ("invoice", "months", "as_of", "expected"),
    [
        pytest.param(
            "2014-01-10",
            12,
            ("2015-01-10", 9000),
            ("2015-01-10", "running"),
            id="2013.18.3/12-months-last-day",
        ),
        pytest.param(
            "2014-01-10",
            12,
            ("2015-01-11", 9000),
            ("2015-01-10", "ended_by_time"),
            id="2013.18.3/12-months-day-after",
        ),
        pytest.param(
            "2014-01-10",
            12,
            ("2014-06-01", 10001),
            ("2015-01-10", "ended_by_km"),
            id="2013.18.3/km-10001",
        ),
        # 1 month from 2014-01-31: no 31 February → month end 2014-02-28.
        pytest.param(
            "2014-01-31",
            1,
            ("2014-02-28", 100),
            ("2014-02-28", "running"),
            id="2013.18.3/month-end",
        ),
    ],
)
def test_wear_part_period_is_reported_per_declared_part(invoice, months, as_of, expected):
    over = {
        "purchase.invoice_date": invoice,
        "warranty_card.wear_parts": [{"name": "刹车片", "months": months, "km": 10000}],
    }
    (wear,) = run(f13(as_of=as_of, over=over))["periods"]["wear_parts"]
    assert wear["name"] == "刹车片"
    assert wear["km_limit"] == 10000
    assert (wear["ends_on"], wear["status"]) == expected


# --- Regime choice (regulation.md §1) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("invoice", "forced", "regime"),
    [
        pytest.param("2013-09-30", None, None, id="regime/2013-09-30-none"),
        pytest.param("2013-10-01", None, "2013", id="regime/2013-10-01-is-2013"),
        pytest.param("2021-12-31", None, "2013", id="regime/2021-12-31-is-2013"),
        pytest.param("2022-01-01", None, "2022", id="regime/2022-01-01-is-2022"),
        pytest.param("2014-01-10", "2022", "2022", id="regime/forced-2022"),
        pytest.param("2023-04-03", "2013", "2013", id="regime/forced-2013"),
        pytest.param("2012-11-11", "2013", "2013", id="regime/forced-2013-before-2013"),
    ],
)
def test_regime_follows_the_invoice_date_unless_forced(invoice, forced, regime):
    over = {"purchase.invoice_date": invoice, "purchase.delivery_date": invoice, "regime": forced}
    facts = f13(visit("2024-01-05", 1000), as_of=("2024-01-10", 2000), over=over)
    a = run(facts)
    assert a["contract"] == 2
    assert a["regime"] == regime
    if regime is None:
        assert a["periods"] == {}
        assert a["remedies"] == []
        assert a["compensation"] is None


@pytest.mark.parametrize(
    ("lang", "laws"),
    [
        pytest.param("zh", ("产品质量法", "消费者权益保护法"), id="regime/none-explains-in-zh"),
        pytest.param("en", ("Product Quality Law", "Consumer"), id="regime/none-explains-in-en"),
    ],
)
def test_no_regime_points_to_the_general_consumer_laws(lang, laws):
    facts = f13(as_of=("2013-01-01", 3000), over={"purchase.invoice_date": "2012-11-11"})
    explanation = run(facts, lang=lang)["explanation"]
    assert all(law in explanation for law in laws), explanation


def test_explanation_follows_the_requested_language():
    facts = f13(*visits(6), as_of=("2014-12-01", 18000))
    zh, en = run(facts, lang="zh")["explanation"], run(facts, lang="en")["explanation"]
    assert re.search(r"[\u4e00-\u9fff]", zh)
    assert zh != en
    assert re.search(r"[A-Za-z]{4,}", en)


def test_a_visit_outside_every_period_warns():
    inside = run(f13(visit("2016-06-01", 40000), as_of=("2017-06-01", 45000)))
    outside = run(f13(visit("2017-03-01", 44000), as_of=("2017-06-01", 45000)))
    assert len(outside["warnings"]) > len(inside["warnings"])


@pytest.mark.parametrize(
    ("make", "forced", "start", "three_guarantee_ends"),
    [
        pytest.param(
            f22, "2013", "2023-04-03", "2025-04-03", id="regime/forced-2013-counts-from-invoice"
        ),
        pytest.param(
            f13, "2022", "2014-01-12", "2016-01-12", id="regime/forced-2022-counts-from-delivery"
        ),
    ],
)
def test_a_forced_regime_uses_its_own_start_rule(make, forced, start, three_guarantee_ends):
    over = {"regime": forced}
    if make is f13:
        over["purchase.delivery_date"] = "2014-01-12"
    a = run(make(over=over))
    assert a["regime"] == forced
    assert a["periods"]["three_guarantee"]["start"] == start
    assert a["periods"]["three_guarantee"]["ends_on"] == three_guarantee_ends


def test_2013_purchase_delivered_in_2022_stays_2013_with_a_warning():
    over = {"purchase.invoice_date": "2021-12-31"}
    plain = run(f13(as_of=("2022-01-10", 100), over=over))
    a = run(f13(as_of=("2022-01-10", 100), over={**over, "purchase.delivery_date": "2022-01-02"}))
    assert a["regime"] == "2013"
    assert (
        a["periods"]["three_guarantee"]["ends_on"] == "2023-12-31"
    )  # 2013 counts from the invoice
    assert len(a["warnings"]) > len(plain["warnings"])


# --- Repair time (regulation.md §3; 2013.19 "不足24小时的，以1日计", 2022.40 hours ÷ 24 up) -------

SPANS = [
    ("2014-05-01T08:00", "2014-05-02T07:59", 1, "23h59-is-1-day"),
    ("2014-05-01T08:00", "2014-05-02T08:00", 1, "24h00-is-1-day"),
    ("2014-05-01T08:00", "2014-05-02T08:01", 2, "24h01-is-2-days"),
    ("2014-05-01T08:00", "2014-05-01T08:00", 1, "0h-is-at-least-1-day"),
    ("2014-05-01T08:00", "2014-05-03T08:00", 2, "48h00-is-2-days"),
    ("2014-05-01T08:00", "2014-05-03T08:01", 3, "48h01-is-3-days"),
    ("2014-05-01", "2014-05-01", 1, "same-date-is-1-day"),
    ("2014-06-02", "2014-07-11", 40, "dates-inclusive-40-days"),
]


def _span_rows():
    for make, year, basis in ((f13, "2014", "2013.19"), (f22, "2023", "2022.40")):
        for start, end, days, name in SPANS:
            yield pytest.param(
                make,
                start.replace("2014", year),
                end.replace("2014", year),
                days,
                f"{year}-08-01",
                id=f"{basis}/{name}",
            )


@pytest.mark.parametrize(("make", "start", "end", "days", "as_of"), list(_span_rows()))
def test_one_visit_counts_whole_days_rounded_up(make, start, end, days, as_of):
    a = run(make(visit(start, 4000, end=end), as_of=(as_of, 5000)))
    assert a["counts"]["repair_days_total"] == days
    assert a["counts"]["repairs_by_problem"] == {"P1": 1}


def test_dates_without_times_warn():
    timed = run(
        f13(visit("2014-05-01T08:00", 4000, end="2014-05-03T08:00"), as_of=("2014-08-01", 5000))
    )
    dated = run(f13(visit("2014-05-01", 4000, end="2014-05-03"), as_of=("2014-08-01", 5000)))
    assert len(dated["warnings"]) > len(timed["warnings"])


def test_a_visit_still_in_the_workshop_runs_to_as_of():
    # 2014-05-01 … 2014-05-10 inclusive = 10 days; 6 or more opens the backup vehicle.
    a = run(f13(visit("2014-05-01", 4000, end=None), as_of=("2014-05-10", 4000)))
    assert a["counts"]["repair_days_total"] == 10
    assert ("backup_vehicle", "2013.19") in remedy_pairs(a)


def test_excluded_days_floor_each_visit_at_zero():
    # Visit 0: 2 days less 5 transport days → 0 (not −3); visit 1: 3 days. Total 3.
    a = run(
        f13(
            visit(
                "2014-05-01", 4000, end="2014-05-02", excluded_days={"special_parts_transport": 5}
            ),
            visit("2014-06-01", 5000, end="2014-06-03"),
            as_of=("2014-08-01", 6000),
        )
    )
    assert a["counts"]["repair_days_total"] == 3


@pytest.mark.parametrize(
    ("make", "excluded", "total"),
    [
        pytest.param(f13, {"battery_transport": 2}, 10, id="2013.21.2/battery-transport-counts"),
        pytest.param(f22, {"battery_transport": 2}, 8, id="2022.24.3/battery-transport-excluded"),
        pytest.param(
            f13, {"special_parts_transport": 2, "rescue_travel": 1}, 7, id="2013.21.2/both-kinds"
        ),
        pytest.param(
            f22, {"special_parts_transport": 2, "rescue_travel": 1}, 7, id="2022.24.3/both-kinds"
        ),
    ],
)
def test_excluded_days_reduce_the_cumulative_total(make, excluded, total):
    year = "2014" if make is f13 else "2023"
    a = run(
        make(
            visit(f"{year}-05-01", 4000, end=f"{year}-05-10", excluded_days=excluded),
            as_of=(f"{year}-08-01", 6000),
        )
    )
    assert a["counts"]["repair_days_total"] == total


def test_no_fault_found_visit_counts_for_nothing():
    a = run(
        f13(
            visit("2014-05-01", 4000, end="2014-05-03"),
            visit("2014-06-01", 5000, end="2014-06-10", fault_found=False),
            as_of=("2014-08-01", 6000),
        )
    )
    assert a["counts"]["repairs_by_problem"] == {"P1": 1}
    assert a["counts"]["repair_days_total"] == 3


@pytest.mark.parametrize(
    ("events", "as_of", "count"),
    [
        pytest.param(
            [visit("2016-01-10", 40000)],
            ("2016-02-01", 41000),
            1,
            id="2013.17/visit-on-last-day-counted",
        ),
        pytest.param(
            [visit("2016-01-11", 40000)],
            ("2016-02-01", 41000),
            0,
            id="2013.17/visit-day-after-not-counted",
        ),
        pytest.param(
            [visit("2015-06-01", 50000)],
            ("2015-07-01", 50100),
            1,
            id="2013.17/visit-at-50000-counted",
        ),
        pytest.param(
            [visit("2015-06-01", 50001)],
            ("2015-07-01", 50100),
            0,
            id="2013.17/visit-at-50001-not-counted",
        ),
        pytest.param(
            [visit("2014-01-10", 10)],
            ("2014-02-01", 100),
            1,
            id="2013.17/visit-on-invoice-day-counted",
        ),
    ],
)
def test_only_visits_inside_the_three_guarantee_period_are_counted(events, as_of, count):
    a = run(f13(*events, as_of=as_of))
    assert a["counts"]["repairs_by_problem"].get("P1", 0) == count
    assert a["counts"]["repair_days_total"] == count


@pytest.mark.parametrize(
    ("card", "count"),
    [
        pytest.param({"years": 3, "km": 80000}, 1, id="2013.3/longer-card-period-counts-year-3"),
        pytest.param(None, 0, id="2013.17/legal-period-ends-after-year-2"),
    ],
)
def test_visits_are_counted_inside_the_card_three_guarantee_period(card, count):
    over = {} if card is None else {"warranty_card.three_guarantee": card}
    a = run(f13(visit("2016-06-01", 55000), as_of=("2016-07-01", 56000), over=over))
    assert a["counts"]["repairs_by_problem"].get("P1", 0) == count


def test_a_visit_before_the_purchase_is_not_counted_and_warns():
    plain = run(f13(visit("2014-02-01", 100), as_of=("2014-03-01", 200)))
    a = run(f13(visit("2014-01-05", 5), visit("2014-02-01", 100), as_of=("2014-03-01", 200)))
    assert a["counts"]["repairs_by_problem"] == {"P1": 1}
    assert len(a["warnings"]) > len(plain["warnings"])


def test_2022_counts_repairs_from_the_delivery_date():
    # 2023-04-04 is after the invoice (04-03) but before delivery (04-06): outside the period.
    a = run(f22(visit("2023-04-04", 5), visit("2023-04-20", 100), as_of=("2023-05-01", 200)))
    assert a["counts"]["repairs_by_problem"] == {"P1": 1}


def test_events_in_any_order_give_the_same_verdict():
    events = [*visits(6), visit("2014-11-01", 14000, end="2014-11-08")]
    ordered = run(f13(*events, as_of=("2014-12-01", 18000)))
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    a = run(f13(*shuffled, as_of=("2014-12-01", 18000)))
    assert remedy_pairs(a) == remedy_pairs(ordered)
    assert a["counts"]["repairs_by_problem"] == ordered["counts"]["repairs_by_problem"] == {"P1": 7}
    assert a["counts"]["repair_days_total"] == ordered["counts"]["repair_days_total"] == 6 + 8


def test_backup_vehicle_lists_every_long_visit_by_its_input_index():
    a = run(
        f13(
            visit("2014-05-01", 4000, end="2014-05-08"),
            visit("2014-06-01", 5000),
            visit("2014-07-01", 6000, end="2014-07-06"),
            as_of=("2014-08-01", 7000),
        )
    )
    (backup,) = [r for r in a["remedies"] if r["remedy"] == "backup_vehicle"]
    assert sorted(backup["events"]) == [0, 2]


# --- Usage compensation (2013.25, 2022.27) ---


def _six_2013(km: int = 21000, **over) -> dict:
    return f13(*visits(6), as_of=("2015-01-15", km), over=over)


def _five_2022(km: int = 16000, **over) -> dict:
    events = [visit(f"2023-{6 + i:02d}-10", 5000 + 2000 * i) for i in range(5)]
    return f22(*events, as_of=("2024-01-15", km), over=over)


RATE = "warranty_card.compensation_rate"
COMPENSATION_ROWS = [
    # 150,000 × 21,000 ÷ 1000 × 0.5 % = 15,750.00; × 0.8 % = 25,200.00.
    pytest.param(_six_2013(**{RATE: 0.005}), "15750.00", "0.005", False, id="2013.25/rate-0.005"),
    pytest.param(_six_2013(**{RATE: 0.008}), "25200.00", "0.008", False, id="2013.25/rate-0.008"),
    pytest.param(
        _six_2013(**{RATE: 0.004}), "15750.00", "0.005", True, id="2013.25/rate-0.004-clamped-up"
    ),
    pytest.param(
        _six_2013(**{RATE: 0.009}), "25200.00", "0.008", True, id="2013.25/rate-0.009-clamped-down"
    ),
    # 123,457 × 1,000 ÷ 1000 × 0.005 = 617.285 → half-up 617.29 (half-even or float gives 617.28).
    pytest.param(
        f13(
            *[visit(f"2014-{5 + i:02d}-01", 100 * i) for i in range(6)],
            as_of=("2014-12-01", 1000),
            over={"purchase.price_yuan": 123457},
        ),
        "617.29",
        "0.005",
        False,
        id="2013.25/half-up-617.285",
    ),
    # 100,001 × 3,000 ÷ 1000 × 0.005 = 1,500.015 → 1,500.02.
    pytest.param(
        f13(
            *[visit(f"2014-{5 + i:02d}-01", 100 * i) for i in range(6)],
            as_of=("2014-12-01", 3000),
            over={"purchase.price_yuan": 100001},
        ),
        "1500.02",
        "0.005",
        False,
        id="2013.25/half-up-1500.015",
    ),
    # 123,456.70 × 1,500 ÷ 1000 × 0.005 = 925.92525 → 925.93.
    pytest.param(
        f13(
            *[visit(f"2014-{5 + i:02d}-01", 100 * i) for i in range(6)],
            as_of=("2014-12-01", 1500),
            over={"purchase.price_yuan": 123456.7},
        ),
        "925.93",
        "0.005",
        False,
        id="2013.25/price-with-fractional-yuan",
    ),
    # 210,000 × 16,000 ÷ 1000 × 0.4 % = 13,440.00; at 0.5 % = 16,800.00.
    pytest.param(_five_2022(), "13440.00", "0.004", False, id="2022.27/rate-0.004"),
    pytest.param(_five_2022(**{RATE: 0.005}), "16800.00", "0.005", False, id="2022.27/rate-0.005"),
    pytest.param(
        _five_2022(**{RATE: 0.006}), "16800.00", "0.005", True, id="2022.27/rate-0.006-clamped"
    ),
    pytest.param(_five_2022(**{RATE: 0}), "0.00", "0", False, id="2022.27/rate-0-no-floor"),
]


@pytest.mark.parametrize(("facts", "amount", "rate", "clamped"), COMPENSATION_ROWS)
def test_usage_compensation_amount(facts, amount, rate, clamped):
    a = run(facts)
    comp = a["compensation"]
    assert comp is not None
    assert dec(comp["amount_yuan"]) == dec(amount)
    assert dec(comp["rate"]) == dec(rate)
    assert dec(comp["odometer_km"]) == facts["as_of"]["odometer_km"]
    assert dec(comp["price_yuan"]) == dec(facts["purchase"]["price_yuan"])
    unclamped = run(
        facts | {"warranty_card": {**facts["warranty_card"], "compensation_rate": float(rate)}}
    )
    assert (len(a["warnings"]) > len(unclamped["warnings"])) is clamped


@pytest.mark.parametrize(
    ("facts", "rate_range", "amount_range"),
    [
        pytest.param(_six_2013(), ("0.005", "0.008"), ("15750.00", "25200.00"), id="2013.25/range"),
        pytest.param(_five_2022(), ("0", "0.005"), ("0.00", "16800.00"), id="2022.27/range"),
    ],
)
def test_without_a_declared_rate_the_amount_is_null_but_the_range_is_given(
    facts, rate_range, amount_range
):
    del facts["warranty_card"]["compensation_rate"]
    comp = run(facts)["compensation"]
    assert comp["amount_yuan"] is None
    assert comp["rate"] is None
    assert [dec(x) for x in comp["rate_range"]] == [dec(x) for x in rate_range]
    assert [dec(x) for x in comp["amount_range_yuan"]] == [dec(x) for x in amount_range]


def test_amount_is_a_two_decimal_string_as_in_the_case_files():
    amount = run(_six_2013())["compensation"]["amount_yuan"]
    assert isinstance(amount, str)
    assert re.fullmatch(r"\d+\.\d\d", amount)


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(
            f13(
                visit("2014-02-10", 1000),
                problems={"P1": problem("brakes", failure="brake_failure")},
                as_of=("2014-03-01", 2900),
            ),
            id="2013.25/free-replacement-has-no-compensation",
        ),
        pytest.param(
            f22(
                visit("2023-05-01", 1000),
                problems={"P1": problem("brakes", failure="brake_failure")},
                as_of=("2023-06-01", 2900),
            ),
            id="2022.27/article-23-is-free",
        ),
        pytest.param(f13(visit("2014-05-01", 8000)), id="2013.25/free-repair-only"),
    ],
)
def test_compensation_is_null_when_every_remedy_is_free(facts):
    a = run(facts)
    assert a["remedies"]
    assert all(r["free"] for r in a["remedies"])
    assert a["compensation"] is None


def test_serious_safety_case_compensation_matches_the_shared_example():
    # p05: 150,000 × 18,000 ÷ 1000 × 0.8 % = 21,600.00.
    facts = f13(
        visit("2014-06-01", 9000),
        visit("2014-09-01", 14000, resolved=False),
        problems={"P1": problem("body", serious_safety=True)},
        as_of=("2014-12-01", 18000),
        over={RATE: 0.008},
    )
    assert dec(run(facts)["compensation"]["amount_yuan"]) == dec("21600.00")


# --- Deadlines (2013.26, 2022.28) ---

DEADLINE_ROWS = [
    # 2014-03-01 is a Saturday: Mon 03-03 … Fri 03-07 (5), 03-10 … 03-14 (10).
    pytest.param(f13, "2014-03-01", "2014-03-14", None, id="2013.26/from-a-saturday"),
    # 09-30 (1); 10-01…10-07 National Day; 10-08, 10-09 (3); Sat 10-10 make-up day (4);
    # 10-12…10-16 (9); 10-19 (10).
    pytest.param(f13, "2015-09-29", "2015-10-19", None, id="2013.26/over-national-day-2015"),
    # Spring Festival 2015 (02-18…02-24 off, Sun 02-15 and Sat 02-28 worked): 02-15 (1), 02-16,
    # 02-17 (3), 02-25…02-27 (6), 02-28 (7), 03-02…03-04 (10).
    pytest.param(f13, "2015-02-13", "2015-03-04", None, id="2013.26/over-spring-festival-2015"),
    # 01-16…01-19 (4), 01-22…01-26 (9), 01-29 (10); then 01-30…02-02 (14), Sun 02-04 make-up (15),
    # 02-05…02-09 (20).
    pytest.param(
        f22, "2024-01-15", "2024-01-29", "2024-02-09", id="2022.28/before-spring-festival-2024"
    ),
    # Spring Festival 2024 (02-10…02-17 off, Sun 02-18 worked): 02-06…02-09 (4), 02-18 (5),
    # 02-19…02-23 (10); 02-26…03-01 (15), 03-04…03-08 (20).
    pytest.param(
        f22, "2024-02-05", "2024-02-23", "2024-03-08", id="2022.28/over-spring-festival-2024"
    ),
    # 2025: Sun 01-26 worked (1), 01-27 (2), 01-28…02-04 off, 02-05…02-07 (5), Sat 02-08 worked (6),
    # 02-10…02-13 (10); 02-14 (11), 02-17…02-21 (16), 02-24…02-27 (20).
    pytest.param(
        f22, "2025-01-24", "2025-02-13", "2025-02-27", id="2022.28/over-spring-festival-2025"
    ),
    # 09-28 (1); 09-29…10-06 off; Sat 10-07, Sun 10-08 worked (3); 10-09…10-13 (8);
    # 10-16, 10-17 (10); 10-18…10-20 (13), 10-23…10-27 (18), 10-30, 10-31 (20).
    pytest.param(
        f22, "2023-09-27", "2023-10-17", "2023-10-31", id="2022.28/over-national-day-2023"
    ),
]


@pytest.mark.parametrize(("make", "request_date", "answer", "completion"), DEADLINE_ROWS)
def test_deadlines_count_chinese_working_days(make, request_date, answer, completion):
    facts = make(as_of=(request_date, 1000), over={"written_request_date": request_date})
    assert run(facts)["deadlines"] == {"written_answer_due": answer, "completion_due": completion}


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(f13, id="2013.26/no-request-date"),
        pytest.param(f22, id="2022.28/no-request-date"),
    ],
)
def test_no_request_date_means_no_deadlines(make):
    assert run(make())["deadlines"] == {"written_answer_due": None, "completion_due": None}


def _request_2027() -> dict:
    over = {
        "purchase.invoice_date": "2026-05-10",
        "purchase.delivery_date": "2026-05-10",
        "written_request_date": "2027-09-29",
    }
    return f22(
        visit("2026-08-01T08:30", 5000, end="2026-08-01T18:00"),
        as_of=("2027-09-29", 20000),
        over=over,
    )


BUREAU_2027 = {
    "year": 2027,
    "holidays": [f"2027-10-0{d}" for d in range(1, 8)],
    "workdays": ["2027-09-26", "2027-10-09"],
}


def test_bureau_calendar_covers_a_year_the_package_does_not_know():
    # From Wed 2027-09-29: 09-30 (1); 10-01…10-07 off; Fri 10-08 (2); Sat 10-09 worked (3);
    # 10-11…10-15 (8); 10-18, 10-19 (10); 10-20…10-22 (13); 10-25…10-29 (18); 11-01, 11-02 (20).
    a = run(_request_2027(), holidays={2027: parse_calendar(BUREAU_2027)})
    assert a["deadlines"] == {"written_answer_due": "2027-10-19", "completion_due": "2027-11-02"}


def test_year_without_calendar_data_counts_monday_to_friday_and_warns():
    # Mon–Fri from Wed 2027-09-29: 09-30, 10-01 (2); 10-04…10-08 (7); 10-11…10-13 (10);
    # 10-14, 10-15 (12); 10-18…10-22 (17); 10-25…10-27 (20).
    known = run(_request_2027(), holidays={2027: parse_calendar(BUREAU_2027)})
    a = run(_request_2027())
    assert a["deadlines"] == {"written_answer_due": "2027-10-13", "completion_due": "2027-10-27"}
    assert a["warnings"]
    assert len(a["warnings"]) > len(known["warnings"])


def test_deadline_running_into_a_year_without_data_falls_back_and_warns():
    # 2026 from the package, 2027 Mon–Fri: 12-25 (1), 12-28…12-31 (5), Fri 2027-01-01 (6),
    # 01-04…01-07 (10); 01-08 (11), 01-11…01-15 (16), 01-18…01-21 (20).
    over = {
        "purchase.invoice_date": "2026-05-10",
        "purchase.delivery_date": "2026-05-10",
    }
    quiet = run(f22(as_of=("2026-12-24", 9000), over=over))
    a = run(f22(as_of=("2026-12-24", 9000), over={**over, "written_request_date": "2026-12-24"}))
    assert a["deadlines"] == {"written_answer_due": "2027-01-07", "completion_due": "2027-01-21"}
    assert len(a["warnings"]) > len(quiet["warnings"])


def test_bureau_calendar_takes_precedence_over_the_package():
    # An empty 2024 bureau calendar: Mon–Fri only. From Mon 2024-02-05: 02-06…02-09 (4),
    # 02-12…02-16 (9), 02-19 (10); 02-20…02-23 (14), 02-26…03-01 (19), 03-04 (20).
    facts = f22(as_of=("2024-02-05", 1000), over={"written_request_date": "2024-02-05"})
    calendar = parse_calendar({"year": 2024, "holidays": [], "workdays": []})
    a = run(facts, holidays={2024: calendar})
    assert a["deadlines"] == {"written_answer_due": "2024-02-19", "completion_due": "2024-03-04"}


def test_base_facts_are_valid_and_quiet():
    a = run(base_facts_2013())
    assert a["regime"] == "2013"
    assert a["remedies"] == []


def test_the_contract_example_gives_the_contract_assessment():
    a = run(CONTRACT_FACTS)
    assert a["regime"] == "2013"
    # 2014-02-01T09:00 → 2014-02-03T17:00 is 56 h → 3 days.
    assert a["counts"]["repair_days_total"] == 3
    assert a["counts"]["repairs_by_problem"] == {"P1": 1}
    assert a["counts"]["serious_safety_repairs"] == 1
    assert a["counts"]["main_part_replacements"] == {"brakes:制动主缸": 1}
    assert {(r["remedy"], r["basis"], r["free"], tuple(r["events"])) for r in a["remedies"]} == {
        ("vehicle_return", "2013.20.2", True, (0,)),
        ("vehicle_replacement", "2013.20.2", True, (0,)),
        ("free_repair", "2013.18.1", True, (0,)),
    }
    assert a["compensation"] is None
    assert a["excluded"] == []
    assert a["deadlines"] == {"written_answer_due": "2014-03-14", "completion_due": None}
    expected = {
        "repair_warranty": {
            "start": "2014-01-10",
            "ends_on": "2017-01-10",
            "km_limit": 60000,
            "status": "running",
        },
        "three_guarantee": {
            "start": "2014-01-10",
            "ends_on": "2016-01-10",
            "km_limit": 50000,
            "status": "running",
        },
        "early": {
            "start": "2014-01-10",
            "ends_on": "2014-03-11",
            "km_limit": 3000,
            "status": "running",
        },
    }
    for name, period in expected.items():
        assert {k: a["periods"][name][k] for k in period} == period
    (wear,) = a["periods"]["wear_parts"]
    assert wear == {
        "name": "刹车片",
        "start": "2014-01-10",
        "ends_on": "2015-01-10",
        "km_limit": 10000,
        "status": "running",
    }
