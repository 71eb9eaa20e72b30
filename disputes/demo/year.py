"""`flask --app disputes demo load-year`: a year of plausible, invented cases for the dashboard and
the statistics (bulk inserts: a few hundred cases across brands, systems, states and outcomes).

Deterministic (seeded) and idempotent: a second run finds its marker and changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import insert

from disputes import calendar
from disputes.auth.models import Role, User
from disputes.cases.clocks import limits
from disputes.cases.models import (
    Case,
    CaseClock,
    CaseOutcome,
    CaseStatus,
    ClockStage,
    Problem,
    RepairEvent,
)
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db, utcnow
from disputes.experts.models import Assignment, AssignmentStatus, Expert, ExpertSpecialty
from disputes.staff import rollup

#: Marks the generated cases (claim_text), so a second run can tell they are there.
MARKER = "【演示年度数据】"
BRANDS = ("示例品牌", "样板汽车", "华夏汽车", "星辰汽车", "远航汽车", "东方动力", "蓝海新能源")
MODELS = ("1.5T 自动豪华型", "2.0T 四驱旗舰型", "纯电长续航版", "插混尊享版", "1.6L 手动舒适型")
SYSTEMS = (
    ("transmission", 18),
    ("engine", 16),
    ("power_battery", 10),
    ("electrical", 12),
    ("brakes", 8),
    ("steering", 6),
    ("suspension", 6),
    ("body", 7),
    ("drive_motor", 5),
    ("fuel", 4),
    ("emission_control", 3),
    ("drivetrain", 3),
    ("axle", 1),
    ("other", 1),
)
OUTCOMES = (
    (CaseOutcome.repaired, 40),
    (CaseOutcome.replaced, 12),
    (CaseOutcome.returned, 10),
    (CaseOutcome.compensated, 15),
    (CaseOutcome.settled, 10),
    (CaseOutcome.referred, 8),
)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
S = CaseStatus


def load_year(count: int = 360, *, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    """Insert `count` cases submitted over the 12 months before `today` (flushes; no commit)."""
    if db.session.scalar(db.select(Case.id).where(Case.claim_text.startswith(MARKER)).limit(1)):
        return {}
    rng = random.Random(seed)
    today = today or calendar.local_day()
    consumers = _consumers(rng)
    experts = _experts()
    plans = [_plan(rng, i, today, consumers) for i in range(count)]
    case_ids = _insert_returning_ids(Case, [p["case"] for p in plans], "number")
    problem_ids = _insert_returning_ids(
        Problem,
        [dict(p["problem"], case_id=cid) for p, cid in zip(plans, case_ids, strict=True)],
        "case_id",  # one problem per case
    )
    events, clocks, assignments, outcomes = [], [], [], []
    for plan, cid, pid in zip(plans, case_ids, problem_ids, strict=True):
        events.append(dict(plan["event"], case_id=cid, problem_id=pid))
        clocks += [dict(c, case_id=cid) for c in plan["clocks"]]
        expert = _pick_expert(rng, experts, plan["problem"]["system"])
        if plan["routed_at"] and expert is not None:
            assignments.append(_assignment(cid, expert, plan))
        if plan["outcome"]:
            outcomes.append(dict(plan["outcome"], case_id=cid))
    for model, rows in (
        (RepairEvent, events),
        (CaseClock, clocks),
        (Assignment, assignments),
        (OutcomeRecord, outcomes),
    ):
        if rows:
            db.session.execute(insert(model).execution_options(render_nulls=True), rows)
    # Bulk inserts bypass the flush hook that keeps the statistics tallies exact.
    submitted = (p["case"]["submitted_at"] for p in plans)
    rollup.mark_dirty(db.session.connection(), {calendar.local_day(m) for m in submitted})
    db.session.flush()
    return {"cases": count, "closed": len(outcomes), "assignments": len(assignments)}


def _insert_returning_ids(model: Any, rows: list[dict[str, Any]], key: str) -> list[int]:
    """Insert `rows` into `model`'s table; return their ids in the order of `rows`, matched
    through the column `key`, unique among them. Asking for the ids in the rows' order instead
    (RETURNING ... sort_by_parameter_order) makes SQLAlchemy insert one row per statement on
    SQLite, and join its results by copying every row so far at each one: 3,000 cases, 1.8
    million row copies, most of the load's time."""
    stmt = insert(model).returning(getattr(model, key), model.id)
    ids = {k: i for k, i in db.session.execute(stmt.execution_options(render_nulls=True), rows)}
    return [ids[row[key]] for row in rows]


def _consumers(rng: random.Random) -> list[int]:
    """Create 40 invented consumers sharing one unusable password hash (they never log in)."""
    rows = [
        {
            "role": Role.consumer,
            "name": f"{SURNAMES[i % len(SURNAMES)]}{'先生' if i % 2 else '女士'}",
            "mobile": f"1370000{i:04d}",
            "password_hash": "!demo-year",
            "is_active": True,
            "created_at": utcnow(),
        }
        for i in range(40)
    ]
    return _insert_returning_ids(User, rows, "mobile")


def _experts() -> list[tuple[int, set[str]]]:
    stmt = db.select(Expert.id, ExpertSpecialty.system).join(ExpertSpecialty)
    out: dict[int, set[str]] = {}
    for expert_id, system in db.session.execute(stmt.where(Expert.is_active.is_(True))):
        out.setdefault(expert_id, set()).add(str(system))
    return sorted(out.items())


def _pick_expert(rng: random.Random, experts, system: str) -> int | None:
    fitting = [e for e, systems in experts if system in systems] or [e for e, _s in experts]
    return rng.choice(fitting) if fitting else None


def _weighted(rng: random.Random, pairs) -> Any:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment on China-local `day`, as naive UTC."""
    return calendar.to_utc(datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59))))


def _progress(rng: random.Random, submitted: date, today: date) -> tuple[list, S, Any, Any]:
    """Walk a case submitted on `submitted` through its stages up to `today`: return its clocks,
    its status, when it was routed and the day it ended (None: still open)."""
    age = (today - submitted).days
    steps = [
        (ClockStage.screening, rng.randint(1, 6)),
        (ClockStage.routing, rng.randint(0, 4)),
        (ClockStage.opinion, rng.randint(5, 20)),
        (ClockStage.mediation, rng.randint(5, 35)),
    ]
    refused = rng.random() < 0.08
    clocks, day, status, routed_at, ended = [], submitted, S.submitted, None, None
    for n, (stage, work) in enumerate(steps):
        limit = limits()[stage.value]
        end = calendar.add_working_days(day, work)
        clock = {
            "stage": stage,
            "started_on": day,
            "limit_days": limit,
            "paused_days": 0,
            "due_on": calendar.add_working_days(day, limit),
            "ended_on": None,
        }
        clocks.append(clock)
        if end > today:
            status = (S.screening, S.accepted, S.routed, S.mediation)[n] if n or age > 1 else status
            break
        clock["ended_on"] = end
        day = end
        if stage == ClockStage.screening and refused:
            status, ended = S.not_accepted, end
            break
        if stage == ClockStage.routing:
            routed_at = _at(end, rng)
        status, ended = (S.accepted, S.routed, S.opinion_received, S.closed)[n], end
    if status == S.closed and rng.random() < 0.05:
        status = S.withdrawn
    return clocks, status, routed_at, ended


def _plan(rng: random.Random, i: int, today: date, consumers: list[int]) -> dict[str, Any]:
    """Decide one case: its facts, how far it got (older cases further), its clocks and outcome."""
    submitted = today - timedelta(days=rng.randint(0, 364))
    clocks, status, routed_at, ended = _progress(rng, submitted, today)
    system = _weighted(rng, SYSTEMS)
    brand = rng.choice(BRANDS)
    price = Decimal(rng.randrange(80_000, 380_000, 100))
    invoice = submitted - timedelta(days=rng.randint(30, 700))
    outcome = _weighted(rng, OUTCOMES) if status == S.closed else None
    case = {
        "number": f"{current_app.config['CASE_NUMBER_PREFIX']}-{submitted.year}-9{i:05d}",
        "status": status,
        "consumer_id": consumers[i % len(consumers)],
        "created_at": _at(submitted, rng),
        "submitted_at": _at(submitted, rng),
        "closed_at": _at(ended, rng) if status in (S.closed, S.not_accepted, S.withdrawn) else None,
        "outcome": outcome,
        "contact_name": f"{SURNAMES[i % len(SURNAMES)]}{'先生' if i % 2 else '女士'}",
        "contact_phone": f"139{rng.randint(10_000_000, 99_999_999)}",
        "contact_id_number": f"110101{rng.randint(1960, 2000)}0101{rng.randint(1000, 9999)}",
        "invoice_date": invoice,
        "price_yuan": price,
        "brand": brand,
        "model": rng.choice(MODELS),
        "vin": f"LDEMO{i:012d}",
        "as_of_date": submitted,
        "as_of_odometer_km": rng.randint(500, 60000),
        "written_request_date": submitted,
        "business_name": f"示例市{brand}销售服务有限公司",
        "claim_text": f"{MARKER}{rng.choice(('要求换车', '要求退车', '要求免费修理', '要求赔偿'))}",
        "special_parts": [],
    }
    if status in (S.closed, S.not_accepted, S.withdrawn):
        for clock in clocks:
            clock["ended_on"] = clock["ended_on"] or ended
    return {
        "case": case,
        "clocks": clocks,
        "routed_at": routed_at,
        "problem": {"label": "P1", "system": system, "description": "演示：反复出现的故障"},
        "event": {
            "position": 0,
            "start_date": invoice + timedelta(days=20),
            "end_date": invoice + timedelta(days=22),
            "odometer_km": 300,
            "is_resolved": False,
        },
        "outcome": None
        if outcome is None
        else {
            "outcome": outcome,
            "remedy_text": "演示：按调解协议处理",
            "compensation_yuan": Decimal(rng.randrange(2000, 30000, 100))
            if outcome in (CaseOutcome.compensated, CaseOutcome.settled)
            else None,
            "closed_on": ended,
            "working_days": calendar.working_days_between(submitted, ended),
            "recorded_at": _at(ended, rng),
        },
    }


def _assignment(case_id: int, expert_id: int, plan: dict[str, Any]) -> dict[str, Any]:
    done = plan["case"]["status"] not in (S.routed,)
    return {
        "case_id": case_id,
        "expert_id": expert_id,
        "assigned_at": plan["routed_at"],
        "status": AssignmentStatus.completed if done else AssignmentStatus.active,
        "reason": "演示：按专业领域自动分派",
        "ended_at": None,
    }
