"""Deterministic generator of realistic contract facts (dicts), shared by every benchmark."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

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
PARTS = {
    "engine": "缸盖",
    "transmission": "阀体",
    "brakes": "制动主缸",
    "steering": "转向机",
    "power_battery": "电芯",
    "drive_motor": "定子",
    "body": "车身骨架",
    "suspension": "减振器",
}


def generate(n: int, seed: int = 2013) -> list[dict]:
    """Return `n` valid facts dicts spread over both regimes and every kind of history."""
    rng = random.Random(seed)
    return [_one(rng) for _ in range(n)]


def _one(rng: random.Random) -> dict:
    invoice = date(2013, 10, 1) + timedelta(days=rng.randrange(0, 4400))
    delivery = invoice + timedelta(days=rng.choice((0, 0, 0, 1, 3)))
    problems: dict[str, dict] = {}
    for i in range(rng.randint(1, 3)):
        system = rng.choice(SYSTEMS)
        problems[f"P{i + 1}"] = {
            "system": system,
            "description": "故障",
            "serious_safety": rng.random() < 0.1,
            "failure": "brake_failure" if system == "brakes" and rng.random() < 0.2 else None,
        }
    events, day, km = [], delivery, 0
    for _ in range(rng.randint(1, 7)):
        day += timedelta(days=rng.randint(1, 90))
        km += rng.randint(50, 6000)
        label = rng.choice(list(problems))
        system = problems[label]["system"]
        replaced = []
        if system in PARTS and rng.random() < 0.3:
            replaced.append(
                {
                    "assembly": system,
                    "part": PARTS[system],
                    "main_part": True,
                    "whole_assembly": rng.random() < 0.2,
                }
            )
        start = datetime.combine(day, time(9, 0))
        end = start + timedelta(hours=rng.randint(2, 24 * 12))
        events.append(
            {
                "problem": label,
                "start": start.strftime("%Y-%m-%dT%H:%M"),
                "end": end.strftime("%Y-%m-%dT%H:%M"),
                "odometer_km": km,
                "replaced": replaced,
                "resolved": rng.random() < 0.7,
            }
        )
        day = end.date()
    as_of = day + timedelta(days=rng.randint(0, 30))
    return {
        "purchase": {
            "invoice_date": invoice.isoformat(),
            "delivery_date": delivery.isoformat(),
            "price_yuan": rng.randrange(60_000, 400_000, 100),
        },
        "vehicle": {"brand": "示例品牌", "model": "示例车型"},
        "warranty_card": {"compensation_rate": rng.choice((0.005, 0.004, 0.006))},
        "problems": problems,
        "events": events,
        "as_of": {"date": as_of.isoformat(), "odometer_km": km + rng.randint(0, 500)},
        "written_request_date": as_of.isoformat(),
        "replacement_available": rng.choice(("same_model", "none", None)),
    }
