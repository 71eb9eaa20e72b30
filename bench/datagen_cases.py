"""The case factory of the data generator: the panel and accounts, then case after case with its
problems, repair visits, stage clocks, routing, opinion, outcome and audit events, as tuples.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench.datagen_tables import (
    BRANDS,
    CASES_PER_CONSUMER,
    CITIES,
    FIRST_DAY,
    GIVEN,
    OUTCOMES,
    PARTS,
    PATHS,
    STAGE,
    STATUS_BY_AGE,
    STEP_DAYS,
    SURNAMES,
    SYSTEMS,
)
from bench.datagen_writers import EPOCH, Writer, _day, _moment
from disputes.config import Defaults
from disputes.demo import ACCOUNTS, EXPERTS, expert_email

# --- the panel and the accounts -------------------------------------------------------------------


@dataclass
class Panel:
    """The people every generated case refers to: staff, the experts and their specialties."""

    staff_id: int
    #: (expert id, user id, name) by expert code order.
    experts: list[tuple[int, int, str]]
    by_system: dict[str, list[int]] = field(default_factory=dict)
    #: Free places per expert (capacity minus open assignments): routing never exceeds capacity,
    #: so neither may the data set, or an expert's queue would hold thousands of cases.
    free: dict[int, int] = field(default_factory=dict)


def ensure_panel(w: Writer, password_hash: str, now: str) -> Panel:
    """Create the demo staff, admin and 22 experts unless they exist; return their ids."""
    users = {e: i for i, e in w.query("SELECT id, email FROM users WHERE email IS NOT NULL")}
    next_user = w.max_id("users")
    new_users = []
    for role, name, mobile, email in ACCOUNTS:
        if role.value in ("staff", "admin") and email not in users:
            next_user += 1
            users[email] = next_user
            new_users.append((next_user, role.value, name, mobile, email, password_hash, now))
    experts = {c: (i, u) for i, c, u in w.query("SELECT id, code, user_id FROM experts")}
    next_expert, new_experts, specialties, affiliations = w.max_id("experts"), [], [], []
    spec_id, aff_id = w.max_id("expert_specialties"), w.max_id("expert_affiliations")
    for index, (name, title, org, capacity, systems, ties) in enumerate(EXPERTS, start=1):
        code, email = f"E{index:02d}", expert_email(index)
        if code in experts:
            continue
        if email not in users:
            next_user += 1
            users[email] = next_user
            new_users.append((next_user, "expert", name, None, email, password_hash, now))
        next_expert += 1
        experts[code] = (next_expert, users[email])
        new_experts.append((next_expert, users[email], code, name, title, org, capacity, now))
        for system in systems:
            spec_id += 1
            specialties.append((spec_id, next_expert, system))
        for kind, tie in ties:
            aff_id += 1
            affiliations.append((aff_id, next_expert, kind, tie))
    w.rows("users", USER_COLS, new_users)
    expert_cols = ("id", "user_id", "code", "name", "title", "organisation", "capacity")
    w.rows("experts", (*expert_cols, "created_at"), new_experts)
    w.rows("expert_specialties", ("id", "expert_id", "system"), specialties)
    w.rows("expert_affiliations", ("id", "expert_id", "kind", "name"), affiliations)
    rows = w.query("SELECT e.id, e.user_id, e.name FROM experts e ORDER BY e.code")
    panel = Panel(users[ACCOUNTS[1][3]], [(i, u, n) for i, u, n in rows])
    for expert_id, system in w.query("SELECT expert_id, system FROM expert_specialties"):
        panel.by_system.setdefault(system, []).append(expert_id)
    open_counts = dict(
        w.query(
            "SELECT expert_id, count(*) FROM assignments WHERE status = 'active' GROUP BY expert_id"
        )
    )
    for expert_id, capacity in w.query("SELECT id, capacity FROM experts WHERE is_active"):
        panel.free[expert_id] = max(0, capacity - open_counts.get(expert_id, 0))
    return panel


# --- cases ----------------------------------------------------------------------------------------

USER_COLS = ("id", "role", "name", "mobile", "email", "password_hash", "created_at")
CASE_COLS = (
    "id", "number", "status", "version", "consumer_id", "created_at", "submitted_at",
    "updated_at", "closed_at", "outcome", "contact_name", "contact_phone", "contact_id_number",
    "contact_address", "invoice_date", "delivery_date", "price_yuan", "has_invoice",
    "has_warranty_card", "category", "use", "powertrain", "brand", "model", "vin", "manufacturer",
    "dealer_name", "repair_warranty_years", "repair_warranty_km", "three_guarantee_years",
    "three_guarantee_km", "compensation_rate", "special_parts", "as_of_date",
    "as_of_odometer_km", "written_request_date", "claim", "replacement_available",
    "business_name", "business_role", "consent_to_experts", "claim_text",
)  # fmt: skip
PROBLEM_COLS = ("id", "case_id", "label", "system", "description", "is_serious_safety")
EVENT_COLS = (
    "id", "case_id", "problem_id", "position", "start_date", "end_date", "odometer_km",
    "is_fault_found", "is_resolved", "repairer_name", "repair_order_no",
)  # fmt: skip
PART_COLS = ("id", "repair_event_id", "assembly", "part", "is_main_part", "is_whole_assembly")
CLOCK_COLS = (
    "id", "case_id", "stage", "started_on", "limit_days", "due_on", "ended_on", "paused_days",
)  # fmt: skip
ASSIGNMENT_COLS = (
    "id", "case_id", "expert_id", "status", "assigned_at", "ended_at", "reason", "assigned_by_id",
)  # fmt: skip
OPINION_COLS = (
    "id", "case_id", "expert_id", "assignment_id", "version", "status", "findings", "conclusion",
    "created_at", "updated_at", "signed_at", "released_at", "signature", "signed_name",
)  # fmt: skip
OUTCOME_COLS = (
    "id", "case_id", "outcome", "remedy_text", "compensation_yuan", "closed_on", "working_days",
    "recorded_by_id", "recorded_at",
)  # fmt: skip
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_YEAR_CODE = "ABCDEFGHJKLMNPRSTVWXY123456789"  # VIN model-year letters from 2010


class Batch:
    """The rows of one batch of cases, table by table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple]] = {
            name: []
            for name in (
                "users",
                "cases",
                "problems",
                "repair_events",
                "replaced_parts",
                "case_clocks",
                "assignments",
                "opinions",
                "outcome_records",
                "audit_events",
            )
        }


class Generator:
    """Deterministic case factory: `seed` and the starting ids fix every value."""

    def __init__(self, w: Writer, panel: Panel, cases: int, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.panel = panel
        self.total = cases
        self.today = (today - EPOCH).days
        self.first = (FIRST_DAY - EPOCH).days
        self.ids = {t: w.max_id(t) for t in Batch().tables}
        self.consumers = max(1, round(cases / CASES_PER_CONSUMER))
        self.first_consumer = self.ids["users"] + 1
        self.sequence = self._sequences(w)
        self.prefix = Defaults.CASE_NUMBER_PREFIX
        self.limits = Defaults.DEADLINE_WORKING_DAYS
        self.brands = list(BRANDS)
        self.brand_weights = list(_cumulative([b[2] for b in BRANDS]))
        self.systems = [s for s, _w in SYSTEMS]
        self.system_weights = list(_cumulative([w for _s, w in SYSTEMS]))
        self.outcomes = [o for o, _w in OUTCOMES]
        self.outcome_weights = list(_cumulative([w for _o, w in OUTCOMES]))
        self.status_tables = [
            (age, list(t), list(_cumulative(t.values()))) for age, t in STATUS_BY_AGE
        ]
        self.done = 0
        #: Name and mobile of every generated consumer (cases carry them as contact details).
        self.people: list[tuple[str, str]] = []

    def _sequences(self, w: Writer) -> dict[int, int]:
        """Return the last used case-number sequence of every year already in the database."""
        out: dict[int, int] = {}
        for (number,) in w.query("SELECT number FROM cases"):
            parts = number.split("-")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                year = int(parts[1])
                out[year] = max(out.get(year, 0), int(parts[2]))
        return out

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def consumers_batch(self, start: int, stop: int, password_hash: str) -> list[tuple]:
        """Return consumer rows for consumer numbers [start, stop)."""
        rng, rows = self.rng, []
        prefixes = ("35", "36", "37", "38", "50", "51", "52", "58", "59", "86", "87", "88")
        for n in range(start, stop):
            uid = self.first_consumer + n
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            mobile = f"1{prefixes[n % len(prefixes)]}{uid:08d}"
            moment = _moment((self.first + n * (self.today - self.first) // self.consumers) * 86400)
            rows.append((uid, "consumer", name, mobile, None, password_hash, moment))
            self.people.append((name, mobile))
        self.ids["users"] = max(self.ids["users"], self.first_consumer + stop - 1)
        return rows

    def batch(self, count: int) -> Batch:
        """Return the rows of the next `count` cases (submission times keep increasing)."""
        out = Batch()
        span = (self.today - self.first) * 86400
        for _ in range(count):
            moment = self.first * 86400 + self.done * span // self.total
            moment += self.rng.randrange(max(1, span // self.total))
            self._case(out, moment)
            self.done += 1
        return out

    def _pick(self, items: Sequence[Any], cumulative: list[int]) -> Any:
        return self.rng.choices(items, cum_weights=cumulative)[0]

    def _case(self, out: Batch, submitted: int) -> None:
        rng, t = self.rng, out.tables
        case_id = self._next("cases")
        day = submitted // 86400
        age = self.today - day
        _limit, statuses, weights = next(x for x in self.status_tables if age < x[0])
        status = self._pick(statuses, weights)
        if status == "routed" and not any(self.panel.free.values()):
            status = "accepted"  # every expert is at capacity: the case waits to be routed
        brand, wmi, _w, models = self._pick(self.brands, self.brand_weights)
        invoice = day - rng.randint(20, 1100)
        year = (EPOCH + timedelta(days=invoice)).year
        number = self._number((EPOCH + timedelta(days=day)).year)
        person = rng.randrange(self.consumers)
        consumer = self.first_consumer + person
        contact, phone = self.people[person]
        vin = f"{wmi}{rng.choice(_VIN_CHARS)}{rng.choice(_VIN_CHARS)}{case_id % 97:02d}"
        vin += f"{rng.choice('0123456789X')}{_YEAR_CODE[(year - 2010) % 30]}A{case_id % 10**6:06d}"
        price = rng.randrange(60_000, 450_000, 100)
        km = rng.randint(300, 60_000)
        powertrain = "bev" if "电" in models[0] or "EV" in models[0] else "ice"
        times = self._path_times(submitted, status)
        closed_at = times[-1][1] if status in ("closed", "withdrawn") else None
        outcome = None
        if status == "closed":
            outcome = self._pick(self.outcomes, self.outcome_weights)
        elif status == "withdrawn":
            outcome = "withdrawn"
        last = times[-1][1]
        claim = rng.choice(("repair", "repair", "replace", "return", "part_replacement"))
        t["cases"].append(
            (
                case_id, number, status, 1, consumer, _moment(submitted - 600),
                _moment(submitted), _moment(last), closed_at and _moment(closed_at), outcome,
                contact, phone, None, rng.choice(CITIES) + f"{rng.randint(1, 300)}号",
                _day(invoice), _day(invoice + rng.randint(0, 5)), float(price), True, True,
                "pickup" if "皮卡" in models[0] else "passenger", "household", powertrain,
                brand, rng.choice(models), vin, f"{brand}制造有限公司", f"{brand}某销售服务店",
                3, 100_000, 2, 50_000, 0.005, "[]", _day(day), km, _day(day - 1), claim, None,
                f"{brand}某销售服务店", "seller", rng.random() < 0.9,
                "要求依法处理" if claim == "repair" else "要求更换或退车",
            )
        )  # fmt: skip
        first_problem = self._problems(out, case_id, invoice, day, km)
        self._flow(out, case_id, consumer, number, status, times, first_problem, outcome)

    def _number(self, year: int) -> str:
        sequence = self.sequence.get(year, 0) + 1
        self.sequence[year] = sequence
        return f"{self.prefix}-{year}-{sequence:06d}"

    def _path_times(self, submitted: int, status: str) -> list[tuple[str, int]]:
        """Return (status, moment) of every step from submission to `status`, none after now."""
        rng, now = self.rng, self.today * 86400 + 8 * 3600
        steps, moment = [("submitted", submitted)], submitted
        for step in PATHS[status]:
            low, high = STEP_DAYS[step]
            moment += rng.randint(low, high) * 86400 + rng.randrange(3600, 8 * 3600)
            steps.append((step, moment))
        if steps[-1][1] >= now:
            gap = max(1, (now - submitted) // len(steps))
            steps = [(s, submitted + i * gap) for i, (s, _m) in enumerate(steps)]
        return steps

    def _problems(self, out: Batch, case_id: int, invoice: int, day: int, km: int) -> str:
        """Add 1–3 problems with 1–4 repair visits each; return the first problem's system."""
        rng, t = self.rng, out.tables
        count = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.85 else 3)
        systems = [self._pick(self.systems, self.system_weights) for _ in range(count)]
        position = 0
        for label, system in enumerate(dict.fromkeys(systems), start=1):
            problem_id = self._next("problems")
            t["problems"].append(
                (problem_id, case_id, f"P{label}", system, "反复出现故障", rng.random() < 0.08)
            )
            start = invoice + rng.randint(5, max(6, day - invoice - 30))
            for visit in range(rng.choice((1, 1, 2, 2, 3, 4))):
                start = min(start + rng.randint(0, 40) * visit, day - 1)
                event_id = self._next("repair_events")
                t["repair_events"].append(
                    (
                        event_id, case_id, problem_id, position, _day(start),
                        _day(start + rng.randint(0, 12)), max(1, km * (visit + 1) // 5),
                        True, False, f"某汽车维修站{rng.randint(1, 99)}",
                        f"RO{case_id}{position:02d}",
                    )
                )  # fmt: skip
                position += 1
                if system in PARTS and rng.random() < 0.45:
                    t["replaced_parts"].append(
                        (
                            self._next("replaced_parts"), event_id, system, PARTS[system],
                            rng.random() < 0.5, rng.random() < 0.05,
                        )
                    )  # fmt: skip
        return systems[0]

    def _flow(
        self,
        out: Batch,
        case_id: int,
        consumer: int,
        number: str,
        status: str,
        times: list[tuple[str, int]],
        system: str,
        outcome: str | None,
    ) -> None:
        """Add the clocks, routing, opinion, outcome and audit trail of the case's path."""
        t, staff = out.tables, self.panel.staff_id
        self._audit(out, times[0][1], consumer, "case.submitted", "cases", case_id, case_id,
                    {"number": number, "status": "submitted"})  # fmt: skip
        for (before, _m0), (after, moment) in zip(times, times[1:], strict=False):
            self._audit(out, moment, staff, "case.status_changed", "cases", case_id, case_id,
                        {"status": after}, {"status": before})  # fmt: skip
        self._clocks(out, case_id, times)
        steps = dict(times)
        if "routed" in steps:
            self._routing(out, case_id, status, steps, system)
        if outcome and status == "closed":
            closed = steps["closed"]
            days = (closed - times[0][1]) // 86400
            paid = (
                float(self.rng.randrange(2_000, 60_000, 100)) if outcome == "compensated" else None
            )
            t["outcome_records"].append(
                (
                    self._next("outcome_records"), case_id, outcome, "双方达成一致", paid,
                    _day(closed // 86400), days * 5 // 7, staff, _moment(closed),
                )
            )  # fmt: skip

    def _clocks(self, out: Batch, case_id: int, times: list[tuple[str, int]]) -> None:
        """Add one clock per stage the path entered; the current stage's clock stays open."""
        rng, rows = self.rng, out.tables["case_clocks"]
        current: list | None = None
        for status, moment in times:
            stage = STAGE.get(status)
            if current is not None and stage == current[2]:
                continue
            if current is not None:
                current[6] = _day(moment // 86400)
                rows.append(tuple(current))
                current = None
            if stage is not None:
                started = moment // 86400
                limit = self.limits[stage]
                paused = rng.randint(1, 5) if status == "info_requested" else 0
                due = started + (limit + paused) * 7 // 5
                current = [self._next("case_clocks"), case_id, stage, _day(started), limit,
                           _day(due), None, paused]  # fmt: skip
        if current is not None:
            rows.append(tuple(current))

    def _routing(
        self, out: Batch, case_id: int, status: str, steps: dict[str, int], system: str
    ) -> None:
        rng, t, panel = self.rng, out.tables, self.panel
        routed = steps["routed"]
        candidates = panel.by_system.get(system) or [e[0] for e in panel.experts]
        if rng.random() < 0.06:
            declined = self._next("assignments")
            t["assignments"].append(
                (declined, case_id, rng.choice(candidates), "declined", _moment(routed - 86400),
                 _moment(routed - 3600), "工作安排冲突", None)
            )  # fmt: skip
        done = steps.get("opinion_received")
        if done is None:
            free = [e for e in candidates if panel.free.get(e)]
            expert = rng.choice(free or [e for e, n in panel.free.items() if n])
            panel.free[expert] -= 1
        else:
            expert = rng.choice(candidates)
        expert_user, expert_name = next((u, n) for i, u, n in panel.experts if i == expert)
        assignment = self._next("assignments")
        t["assignments"].append(
            (assignment, case_id, expert, "active" if done is None else "completed",
             _moment(routed), done and _moment(done), "自动分派：专业匹配、负荷最低", None)
        )  # fmt: skip
        self._audit(out, routed, None, "assignment.created", "assignments", assignment, case_id,
                    {"expert": expert})  # fmt: skip
        if done is None and rng.random() > 0.3:
            return
        opinion_id = self._next("opinions")
        signed = done or routed + 3 * 86400
        findings = json.dumps({"P1": {"is_quality_problem": True, "system": system}})
        released = done is not None
        signature = hashlib.sha256(f"{opinion_id}:{findings}".encode()).hexdigest()
        t["opinions"].append(
            (opinion_id, case_id, expert, assignment, 1, "released" if released else "draft",
             findings, "经检查，故障属于产品质量问题。", _moment(routed + 86400), _moment(signed),
             _moment(signed) if released else None, _moment(done) if released else None,
             signature if released else None, expert_name if released else None)
        )  # fmt: skip
        if released:
            self._audit(out, signed, expert_user, "opinion.signed", "opinions", opinion_id,
                        case_id, {"version": 1})  # fmt: skip
            self._audit(out, done, self.panel.staff_id, "opinion.released", "opinions",
                        opinion_id, case_id, {"version": 1})  # fmt: skip

    def _audit(
        self,
        out: Batch,
        moment: int,
        actor: int | None,
        action: str,
        object_type: str,
        object_id: int,
        case_id: int,
        after: dict[str, Any],
        before: dict[str, Any] | None = None,
    ) -> None:
        out.tables["audit_events"].append(
            (
                moment, actor, action, object_type, object_id, case_id,
                _canonical(after),
                None if before is None else _canonical(before),
            )
        )  # fmt: skip


def _canonical(value: dict[str, Any]) -> str:
    """JSON text as the audit chain hashes it (sorted keys, compact), stored as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _cumulative(weights: Iterable[int]) -> Iterable[int]:
    total = 0
    for weight in weights:
        total += weight
        yield total
