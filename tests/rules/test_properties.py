"""Property tests of the rules contract over generated valid facts (hypothesis, derandomised)."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.hypothesis_budget import examples
from tests.rules.contract_helpers import TOP_LEVEL_KEYS, dec, remedy_pairs, run

SETTINGS = settings(
    max_examples=examples(120),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

#: ../shared/spec/regulation.md beside the checkout (style.md §9); a fixed list if it is absent.
REGULATION = Path(__file__).resolve().parents[3] / "shared" / "spec" / "regulation.md"
FALLBACK_IDS = frozenset(
    """2013.2 2013.17 2013.18.1 2013.18.2 2013.18.3 2013.19 2013.20.2 2013.20.3.1 2013.20.3.2
    2013.20.3.3 2013.21.1 2013.23 2013.25 2013.26 2013.29 2013.30.1.1 2013.30.1.2 2013.30.1.3
    2013.30.1.4 2013.30.1.5 2013.30.1.6 2013.31 2022.18 2022.19.1 2022.20 2022.21 2022.22
    2022.23 2022.24.1.1 2022.24.1.2 2022.24.1.3 2022.24.1.4 2022.27 2022.28 2022.32.1.1
    2022.32.1.2 2022.32.1.3 2022.32.1.4 2022.32.1.5 2022.40""".split()  # noqa: SIM905
)


def _basis_ids() -> frozenset[str]:
    """Return every id regulation.md names, expanding ranges like "2013.30.1.1 … 2013.30.1.6"."""
    if not REGULATION.exists():
        return FALLBACK_IDS
    text = REGULATION.read_text(encoding="utf-8")
    ids = set(re.findall(r"(?<![\d.])(20(?:13|22)(?:\.\d+)+)(?![\d.]*\d)", text))
    for stem, first, last in re.findall(r"(20\d\d(?:\.\d+)*)\.(\d+)\s*…\s*\1\.(\d+)", text):
        ids |= {f"{stem}.{i}" for i in range(int(first), int(last) + 1)}
    return frozenset(ids)


BASIS_IDS = _basis_ids()
REMEDIES = frozenset(
    {
        "free_repair",
        "wear_part_replacement",
        "assembly_replacement",
        "vehicle_replacement",
        "vehicle_return",
        "backup_vehicle",
    }
)
EARLY_BASES = frozenset({"2013.18.2", "2013.20.2", "2022.20", "2022.22", "2022.23"})
COUNT_BASES = frozenset(
    {"2013.21.1", "2013.20.3.1", "2013.20.3.2", "2013.20.3.3"}
    | {f"2022.24.1.{i}" for i in range(1, 5)}
)
SYSTEMS = (
    "engine",
    "transmission",
    "steering",
    "brakes",
    "suspension",
    "axle",
    "body",
    "fuel",
    "electrical",
    "power_battery",
    "drive_motor",
    "drivetrain",
    "emission_control",
    "other",
)
FAILURES = (None, "steering_failure", "brake_failure", "body_crack", "fuel_leak", "battery_fire")
EXCLUSIONS = (
    "disclosed_defect",
    "modification",
    "improper_handling",
    "improper_use_or_maintenance",
    "force_majeure",
)
PARTS = ("主要零件A", "主要零件B")
WEAR_NAMES = ("刹车片", "雨刮片")


def _iso(moment: datetime, with_time: bool) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M") if with_time else moment.date().isoformat()


@st.composite
def replaced_parts(draw, system: str) -> dict:
    """Mostly a part of the problem's own system, so repeated replacements are common."""
    return {
        "assembly": system if draw(st.integers(0, 3)) else draw(st.sampled_from(SYSTEMS)),
        "part": draw(st.sampled_from(PARTS)),
        "main_part": draw(st.booleans()),
        "whole_assembly": draw(st.booleans()),
    }


@st.composite
def problems_dicts(draw, wear_names: tuple[str, ...]) -> dict:
    n = draw(st.integers(1, 3))
    out = {}
    for i in range(1, n + 1):
        p = {"system": draw(st.sampled_from(SYSTEMS)), "description": f"问题 {i}"}
        if draw(st.integers(0, 9)) == 0:
            p["quality_problem"] = False
        if draw(st.booleans()):
            p["serious_safety"] = draw(st.booleans())
        p["failure"] = draw(st.sampled_from(FAILURES))
        if wear_names and draw(st.integers(0, 4)) == 0:
            p["wear_part"] = draw(st.sampled_from(wear_names))
        if draw(st.integers(0, 7)) == 0:
            p["exclusion"] = draw(st.sampled_from(EXCLUSIONS))
        out[f"P{i}"] = p
    return out


@st.composite
def facts_dicts(draw) -> dict:
    """Generate a valid facts dict of either regime, with events in time and odometer order."""
    regime = draw(st.sampled_from(["2013", "2022"]))
    lo, hi = (
        (date(2013, 10, 1), date(2021, 12, 31))
        if regime == "2013"
        else (date(2022, 1, 1), date(2026, 3, 31))
    )
    invoice = draw(st.dates(lo, hi))
    purchase: dict = {
        "invoice_date": invoice.isoformat(),
        "price_yuan": draw(st.integers(30_000, 800_000)),
    }
    delivery = invoice
    if regime == "2022" and draw(st.booleans()):
        delivery = invoice + timedelta(days=draw(st.integers(0, 10)))
        purchase["delivery_date"] = delivery.isoformat()
    if draw(st.integers(0, 9)) == 0:
        purchase["has_invoice"] = draw(st.booleans())
        purchase["has_warranty_card"] = draw(st.booleans())
    vehicle = {
        "category": draw(st.sampled_from(["passenger"] * 9 + ["pickup"])),
        "use": draw(st.sampled_from(["household"] * 5 + ["commercial"])),
        "powertrain": draw(st.sampled_from(["ice", "hev", "phev", "erev", "bev", "fcev"])),
    }
    card: dict = {}
    rate = draw(st.sampled_from([None, 0, 0.004, 0.005, 0.006, 0.008, 0.009]))
    if rate is not None:
        card["compensation_rate"] = rate
    wear_names: tuple[str, ...] = ()
    if draw(st.booleans()):
        wear_names = WEAR_NAMES
        card["wear_parts"] = [
            {"name": n, "months": draw(st.integers(1, 24)), "km": draw(st.integers(1000, 30000))}
            for n in wear_names
        ]
    if draw(st.integers(0, 5)) == 0:
        card["three_guarantee"] = {
            "years": draw(st.integers(1, 4)),
            "km": draw(st.integers(20000, 90000)),
        }
    problems = draw(problems_dicts(wear_names))
    labels = sorted(problems)

    start = datetime(delivery.year, delivery.month, delivery.day, 8, 0)
    start += timedelta(hours=draw(st.integers(0, 24 * 40)))
    km = draw(st.integers(0, 2000))
    events = []
    for _ in range(draw(st.integers(0, 8))):
        hours = draw(st.integers(0, 24 * 40))
        end = start + timedelta(hours=hours, minutes=draw(st.integers(0, 59)))
        with_time = draw(st.integers(0, 4)) > 0
        label = draw(st.sampled_from(labels))
        event = {
            "problem": label,
            "start": _iso(start, with_time),
            "end": _iso(end, with_time),
            "odometer_km": km,
            "replaced": draw(st.lists(replaced_parts(problems[label]["system"]), max_size=2)),
            "resolved": draw(st.booleans()),
        }
        if draw(st.integers(0, 9)) == 0:
            event["fault_found"] = False
        if draw(st.integers(0, 5)) == 0:
            event["excluded_days"] = {
                "special_parts_transport": draw(st.integers(0, 5)),
                "rescue_travel": draw(st.integers(0, 2)),
                "battery_transport": draw(st.integers(0, 5)),
            }
        events.append(event)
        # Next visit on a later day, so date-only and timed starts sort the same way.
        next_day = end.date() + timedelta(days=draw(st.integers(1, 120)))
        start = datetime(next_day.year, next_day.month, next_day.day, draw(st.integers(0, 23)))
        km += draw(st.integers(0, 6000))
    as_of_date = start.date() + timedelta(days=draw(st.integers(0, 200)))
    as_of_km = km + draw(st.integers(0, 3000))
    if events and draw(st.integers(0, 5)) == 0:
        events[-1]["end"] = None  # still in the workshop
    d = {
        "purchase": purchase,
        "vehicle": vehicle,
        "warranty_card": card,
        "problems": problems,
        "events": events,
        "as_of": {"date": as_of_date.isoformat(), "odometer_km": as_of_km},
        "replacement_available": draw(st.sampled_from([None, "same_model", "comparable", "none"])),
    }
    if draw(st.booleans()):
        d["written_request_date"] = as_of_date.isoformat()
    if draw(st.booleans()):
        d["claim"] = draw(
            st.sampled_from(
                ["repair", "part_replacement", "assembly_replacement", "replace", "return"]
            )
        )
    if draw(st.integers(0, 9)) == 0:
        d["regime"] = regime
    return d


@SETTINGS
@given(facts_dicts())
def test_valid_facts_give_a_json_assessment_with_exactly_the_contract_keys(facts):
    a = run(facts)
    assert set(a) - {"alternatives"} == TOP_LEVEL_KEYS
    for alternative in a.get("alternatives", []):
        assert set(alternative) == TOP_LEVEL_KEYS - {"contract"} | {"differences"}
        assert alternative["regime"] == "2022"
    assert json.loads(json.dumps(a, ensure_ascii=False)) == a
    assert a["contract"] == 2
    assert a["regime"] in {"2013", "2022"}
    assert set(a["deadlines"]) == {"written_answer_due", "completion_due"}
    for remedy in a["remedies"]:
        assert set(remedy) == {
            "remedy",
            "basis",
            "article",
            "free",
            "condition",
            "events",
            "because",
        }
        assert remedy["remedy"] in REMEDIES
        assert remedy["condition"] in {None, "no_replacement_available"}
        assert all(0 <= i < len(facts["events"]) for i in remedy["events"])
        assert remedy["article"] == article_of(remedy["basis"])
    assert len(remedy_pairs(a)) == len(a["remedies"])
    _check_shapes(a)


WINDOW_KEYS = {"start", "ends_on", "km_limit", "status"}
STATUSES = {"running", "ended_by_time", "ended_by_km"}
COUNT_KEYS = {
    "repairs_by_problem",
    "repair_days_total",
    "serious_safety_repairs",
    "assembly_replacements",
    "main_part_replacements",
}
COMPENSATION_KEYS = {
    "price_yuan",
    "odometer_km",
    "rate",
    "rate_range",
    "amount_yuan",
    "amount_range_yuan",
    "formula",
}


def _check_shapes(a: dict) -> None:
    """Check the nested shapes the contract names."""
    windows = {"repair_warranty", "three_guarantee", "early", "wear_parts"}
    assert set(a["periods"]) == windows | ({"first_week"} if a["regime"] == "2022" else set())
    for name, window in a["periods"].items():
        for w in window if name == "wear_parts" else [window]:
            assert set(w) == WINDOW_KEYS | ({"name"} if name == "wear_parts" else set())
            assert w["status"] in STATUSES
    assert set(a["counts"]) == COUNT_KEYS
    assert all(set(e) == {"problem", "basis", "because"} for e in a["excluded"])
    assert all(set(t) == {"remedy", "basis", "needs"} for t in a["next_thresholds"])
    assert all(isinstance(w, str) for w in a["warnings"])
    assert isinstance(a["explanation"], str)
    assert a["explanation"]
    if a["compensation"] is not None:
        assert set(a["compensation"]) == COMPENSATION_KEYS


_DIGITS = "〇一二三四五六七八九"


def _zh(n: int) -> str:
    """Return 1..99 in Chinese numerals as article numbers are written (十九, 二十一)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def article_of(basis: str) -> str:
    """Return the article citation a basis id stands for (regulation.md: article.款.项)."""
    _, article, *rest = (int(x) for x in basis.split("."))
    text = f"第{_zh(article)}条"
    if rest:
        text += f"第{_zh(rest[0])}款"
    if len(rest) > 1:
        text += f"第（{_zh(rest[1])}）项"
    return text


@SETTINGS
@given(facts_dicts())
def test_every_basis_is_an_id_defined_in_the_regulation(facts):
    a = run(facts)
    used = {r["basis"] for r in a["remedies"]} | {t["basis"] for t in a["next_thresholds"]}
    used |= {e["basis"] for e in a["excluded"] if e["basis"] is not None}
    assert used <= BASIS_IDS, used - BASIS_IDS
    for remedy in a["remedies"]:
        assert remedy["basis"].startswith(a["regime"] + ".")


@SETTINGS
@given(facts_dicts(), st.integers(1, 900))
def test_a_later_as_of_never_opens_an_early_window_remedy(facts, days):
    earlier = run(facts)
    later_facts = copy.deepcopy(facts)
    later_day = date.fromisoformat(facts["as_of"]["date"]) + timedelta(days=days)
    later_facts["as_of"]["date"] = later_day.isoformat()
    later = run(later_facts)
    opened = {p for p in remedy_pairs(later) - remedy_pairs(earlier) if p[1] in EARLY_BASES}
    assert not opened


def _is_plain_quality_problem(p: dict) -> bool:
    return (
        p.get("quality_problem", True) and p.get("exclusion") is None and p.get("wear_part") is None
    )


@SETTINGS
@given(facts_dicts(), st.data())
def test_one_more_counted_repair_never_removes_a_count_based_remedy(facts, data):
    events = facts["events"]
    assume(events and events[-1]["end"] is not None)
    labels = sorted(k for k, p in facts["problems"].items() if _is_plain_quality_problem(p))
    assume(labels)
    start_day = date.fromisoformat(
        facts["purchase"].get("delivery_date", facts["purchase"]["invoice_date"])
    )
    as_of_day = date.fromisoformat(facts["as_of"]["date"])
    # Keep as_of inside the legal-minimum three-guarantee period (2 years / 50,000 km).
    assume(as_of_day < start_day.replace(year=start_day.year + 2, day=min(start_day.day, 28)))
    assume(facts["as_of"]["odometer_km"] <= 50000)
    last_end = datetime.fromisoformat(events[-1]["end"][:10] + "T23:00")
    new_start = last_end + timedelta(hours=1)
    assume(new_start.date() <= as_of_day)
    km = (events[-1]["odometer_km"] + facts["as_of"]["odometer_km"]) // 2
    extra = {
        "problem": data.draw(st.sampled_from(labels)),
        "start": new_start.strftime("%Y-%m-%dT%H:%M"),
        "end": (new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "odometer_km": km,
        "replaced": [],
        "resolved": data.draw(st.booleans()),
    }
    before = run(facts)
    more = copy.deepcopy(facts)
    more["events"].append(extra)
    after = run(more)
    event(
        "had a count-based remedy" if {b for _, b in remedy_pairs(before)} & COUNT_BASES else "none"
    )
    lost = {p for p in remedy_pairs(before) - remedy_pairs(after) if p[1] in COUNT_BASES}
    assert not lost


def _amount(a: dict) -> Decimal | None:
    return None if a["compensation"] is None else dec(a["compensation"]["amount_yuan"])


@SETTINGS
@given(facts_dicts(), st.integers(0, 20000), st.integers(0, 500_000))
def test_compensation_never_falls_as_odometer_or_price_rises(facts, more_km, more_price):
    base = run(facts)
    assume(base["compensation"] is not None)
    higher_km = copy.deepcopy(facts)
    higher_km["as_of"]["odometer_km"] += more_km
    pricier = copy.deepcopy(facts)
    pricier["purchase"]["price_yuan"] += more_price
    for other in (run(higher_km), run(pricier)):
        if other["compensation"] is None:
            continue
        low, high = _amount(base), _amount(other)
        if low is not None and high is not None:
            assert high >= low
        ranges = zip(
            base["compensation"]["amount_range_yuan"],
            other["compensation"]["amount_range_yuan"],
            strict=True,
        )
        assert all(dec(b) <= dec(o) for b, o in ranges)
    # A price change alone changes no remedy.
    assert remedy_pairs(run(pricier)) == remedy_pairs(base)


@SETTINGS
@given(facts_dicts())
def test_the_language_changes_only_the_words(facts):
    zh, en = run(facts, lang="zh"), run(facts, lang="en")
    for key in ("regime", "periods", "counts", "deadlines"):
        assert zh[key] == en[key]
    if zh["compensation"] is not None:
        # "formula" is display text and may be localised; the numbers may not.
        assert {**zh["compensation"], "formula": None} == {**en["compensation"], "formula": None}
    else:
        assert en["compensation"] is None
    assert remedy_pairs(zh) == remedy_pairs(en)
    assert {(e["problem"], e["basis"]) for e in zh["excluded"]} == {
        (e["problem"], e["basis"]) for e in en["excluded"]
    }


@SETTINGS
@given(facts_dicts(), st.randoms(use_true_random=False))
def test_event_order_does_not_change_the_verdict(facts, rnd):
    shuffled = copy.deepcopy(facts)
    rnd.shuffle(shuffled["events"])
    a, b = run(facts), run(shuffled)
    assert remedy_pairs(a) == remedy_pairs(b)
    assert a["counts"]["repairs_by_problem"] == b["counts"]["repairs_by_problem"]
    assert a["counts"]["repair_days_total"] == b["counts"]["repair_days_total"]
    assert a["periods"] == b["periods"]


@SETTINGS
@given(facts_dicts())
def test_remedies_agree_with_the_reported_periods_and_compensation(facts):
    a = run(facts)
    periods = a["periods"]
    for remedy in a["remedies"]:
        if remedy["remedy"] in {"vehicle_replacement", "vehicle_return", "assembly_replacement"}:
            assert periods["three_guarantee"]["status"] == "running", remedy
        if remedy["remedy"] == "free_repair":
            assert periods["repair_warranty"]["status"] == "running"
    if any(e["problem"] is None for e in a["excluded"]):
        assert a["remedies"] == []
    paid = [r for r in a["remedies"] if not r["free"]]
    assert all(r["remedy"] in {"vehicle_replacement", "vehicle_return"} for r in paid)
    assert (a["compensation"] is None) == (not paid)
    if a["compensation"] is not None:
        low, high = (dec(x) for x in a["compensation"]["amount_range_yuan"])
        amount = dec(a["compensation"]["amount_yuan"])
        assert low <= high
        assert amount is None or low <= amount <= high
    if a["regime"] == "2013":
        assert a["deadlines"]["completion_due"] is None
    if facts.get("written_request_date") is None:
        assert a["deadlines"] == {"written_answer_due": None, "completion_due": None}


@SETTINGS
@given(
    facts_dicts(),
    st.sampled_from(
        [None, "repair", "part_replacement", "assembly_replacement", "replace", "return"]
    ),
)
def test_the_claim_and_request_date_never_change_the_entitlements(facts, claim):
    varied = copy.deepcopy(facts)
    varied["claim"] = claim
    varied["written_request_date"] = (
        None if facts.get("written_request_date") else facts["as_of"]["date"]
    )
    assert remedy_pairs(run(varied)) == remedy_pairs(run(facts))
