"""Demonstration data for `flask --app disputes demo load`: a fictitious 22-expert panel, staff,
two consumers and four cases in different states, routed by the real router, with opinions.
Every name, organisation and brand is invented. The cases' facts are in `cases.py`; `year.py`
generates a year of cases for the dashboard and statistics (`demo load-year`).
"""

from __future__ import annotations

import functools
from typing import Any

from werkzeug.security import generate_password_hash

from disputes import audit
from disputes.auth import queries as user_queries
from disputes.auth import services as user_services
from disputes.auth.models import Role, User
from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
from disputes.business import organisation_services as org_services
from disputes.business import queries as org_queries
from disputes.cases import services as case_services
from disputes.cases import states
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts import opinions
from disputes.experts import services as expert_services
from disputes.experts.models import AffiliationKind, Expert, ExpertAffiliation, ExpertSpecialty
from disputes.mediation.models import MediationParty
from disputes.mediation.services import record_consent

#: The password of every demo account (printed by `make run`; never use demo data in production).
DEMO_PASSWORD = "demo12345"
DOMAIN = "demo.sanbao.local"

_TEST_CENTRE = "示例市机动车质量检验中心"
_UNIVERSITY = "示例理工大学车辆工程学院"
_NEV_INSTITUTE = "示例新能源汽车技术研究院"
_REPAIR_ASSOCIATION = "示例省汽车维修行业协会"
_INSPECTION = "示例汽车产品质量监督检验所"

#: (name, title, organisation, capacity, specialties, affiliations)
EXPERTS: list[tuple[str, str, str, int, tuple[str, ...], tuple[tuple[str, str], ...]]] = [
    ("张明远", "教授级高级工程师", _TEST_CENTRE, 5, ("engine", "emission_control"), ()),
    ("李海涛", "高级工程师", _TEST_CENTRE, 4, ("transmission", "drivetrain"), ()),
    ("王静怡", "副教授", _UNIVERSITY, 3, ("steering", "suspension"), ()),
    ("赵立伟", "高级工程师", _INSPECTION, 4, ("brakes", "axle"), ()),
    ("陈思琪", "高级工程师", _NEV_INSTITUTE, 5, ("power_battery", "electrical"), ()),
    ("刘志强", "教授", _UNIVERSITY, 3, ("drive_motor", "power_battery"), ()),
    (
        "杨俊峰",
        "高级工程师",
        _REPAIR_ASSOCIATION,
        6,
        ("engine", "fuel", "transmission"),
        (("brand", "示例品牌"), ("manufacturer", "示例汽车制造有限公司")),
    ),
    ("黄晓燕", "工程师", _INSPECTION, 4, ("body", "other"), ()),
    ("周建国", "教授级高级工程师", _REPAIR_ASSOCIATION, 5, ("transmission", "steering"), ()),
    ("吴文斌", "高级工程师", _TEST_CENTRE, 4, ("fuel", "emission_control"), ()),
    ("徐丽华", "副教授", _UNIVERSITY, 3, ("electrical", "body"), ()),
    (
        "孙浩然",
        "高级工程师",
        _NEV_INSTITUTE,
        4,
        ("drive_motor", "electrical", "power_battery"),
        (("brand", "样板汽车"), ("dealer", "示例市样板汽车销售服务有限公司")),
    ),
    ("马永刚", "高级技师", _REPAIR_ASSOCIATION, 6, ("brakes", "suspension"), ()),
    ("朱慧敏", "高级工程师", _INSPECTION, 4, ("axle", "drivetrain"), ()),
    ("胡振宇", "教授", _UNIVERSITY, 3, ("engine", "drivetrain"), ()),
    (
        "郭雅琴",
        "高级工程师",
        _TEST_CENTRE,
        5,
        ("body", "steering"),
        (("repairer", "示例市某汽车维修有限公司"),),
    ),
    ("林国栋", "高级工程师", _NEV_INSTITUTE, 4, ("power_battery", "drive_motor"), ()),
    ("何晓东", "工程师", _REPAIR_ASSOCIATION, 4, ("suspension", "brakes", "axle"), ()),
    ("高子轩", "高级工程师", _INSPECTION, 5, ("emission_control", "fuel", "engine"), ()),
    ("罗淑芬", "副教授", _UNIVERSITY, 3, ("electrical", "other"), ()),
    ("梁志刚", "教授级高级工程师", _TEST_CENTRE, 5, ("transmission", "brakes"), ()),
    ("宋佳宁", "高级工程师", _NEV_INSTITUTE, 4, ("drive_motor", "drivetrain"), ()),
]

#: (role, name, mobile, email) of the non-expert accounts.
ACCOUNTS: list[tuple[Role, str, str | None, str | None]] = [
    (Role.admin, "系统管理员", None, f"admin@{DOMAIN}"),
    (Role.staff, "周晓梅", None, f"staff@{DOMAIN}"),
    (Role.consumer, "陈先生", "13900000001", f"consumer1@{DOMAIN}"),
    (Role.consumer, "林女士", "13900000002", f"consumer2@{DOMAIN}"),
    # Acts for DEMO_ORGANISATION, the seller the demo cases name.
    (Role.business, "吴经理", None, f"business@{DOMAIN}"),
]


#: The demo seller (name as the demo cases give it; a well-formed, fictitious credit code).
DEMO_ORGANISATION = ("示例市示例品牌汽车销售服务有限公司", "91350100MA2XY0DE0C")


def expert_email(index: int) -> str:
    """Return the demo login of the expert with 1-based `index`."""
    return f"expert{index:02d}@{DOMAIN}"


def logins() -> list[tuple[str, str, str]]:
    """Return (role, login, name) of every demo account, in the order they are listed."""
    rows = [(str(role), mobile or email or "", name) for role, name, mobile, email in ACCOUNTS]
    rows += [("expert", expert_email(i), e[0]) for i, e in enumerate(EXPERTS, start=1)]
    return rows


def load() -> dict[str, int]:
    """Create whatever demo data is missing and return what was created (flushes; no commit)."""
    from disputes.demo.cases import CASES

    created: dict[str, int] = {}
    users = {}
    organisation = _ensure_organisation(created)
    for role, name, mobile, email in ACCOUNTS:
        users[email] = _ensure_user(role, name, mobile, email, created)
        if role == Role.business and users[email].organisation_id is None:
            users[email].organisation_id = organisation.id
    experts = [_ensure_expert(i, row, created) for i, row in enumerate(EXPERTS, start=1)]
    staff = users[f"staff@{DOMAIN}"]
    for spec in CASES:
        owner = users[spec["owner"]]
        if _has_demo_case(owner, spec["claim_text"]):
            continue
        _make_case(spec, owner, staff, experts)
        created["cases"] = created.get("cases", 0) + 1
    _link_cases(organisation, staff)
    return created


def _ensure_organisation(created: dict[str, int]) -> Organisation:
    """The approved demo seller, created once."""
    name, code = DEMO_ORGANISATION
    organisation = org_queries.get_organisation_by_credit_code(code)
    if organisation is not None:
        return organisation
    created["organisations"] = created.get("organisations", 0) + 1
    data = org_services.OrganisationData(
        name, code, OrganisationRole.seller, "吴经理", "0000-00000000", f"business@{DOMAIN}"
    )
    return org_services.create_organisation(data, None, status=OrganisationStatus.approved)


def _link_cases(organisation: Organisation, staff: User) -> None:
    """Link every demo case naming the demo seller (as staff would on approving it)."""
    stmt = db.select(Case).where(
        Case.business_name == organisation.name, Case.organisation_id.is_(None)
    )
    for case in db.session.scalars(stmt).all():
        org_services.link_case(case, organisation, staff)


def _ensure_user(
    role: Role, name: str, mobile: str | None, email: str | None, created: dict[str, int]
) -> User:
    existing = user_queries.get_user_by_email(email) if email else None
    if existing is None and mobile:
        existing = user_queries.get_user_by_mobile(mobile)
    if existing is not None:
        return existing
    created["users"] = created.get("users", 0) + 1
    data = user_services.UserData(name, DEMO_PASSWORD, role, mobile, email)
    # The shared, documented demo password predates the password rules: the demo skips them.
    shared = _demo_password_hash(user_services.password_hash_method())
    return user_services.create_user(data, enforce_policy=False, password_hash=shared)


@functools.cache
def _demo_password_hash(method: str) -> str:
    """One hash of the published demo password for every demo account: a salt of each protects
    nothing here, and hashing it once per account was most of a demo load (scrypt takes a tenth
    of a second)."""
    return generate_password_hash(DEMO_PASSWORD, method)


def _ensure_expert(index: int, row: tuple, created: dict[str, int]) -> Expert:
    name, title, organisation, capacity, systems, affiliations = row
    code = f"E{index:02d}"
    expert = db.session.scalar(db.select(Expert).where(Expert.code == code))
    if expert is not None:
        return expert
    user = _ensure_user(Role.expert, name, None, expert_email(index), created)
    expert = Expert(
        code=code,
        name=name,
        title=title,
        organisation=organisation,
        capacity=capacity,
        user=user,
        specialties=[ExpertSpecialty(system=VehicleSystem(s)) for s in systems],
        affiliations=[ExpertAffiliation(kind=AffiliationKind(k), name=n) for k, n in affiliations],
    )
    db.session.add(expert)
    db.session.flush()
    audit.record(None, "expert.created", expert, after={"code": code, "name": name})
    created["experts"] = created.get("experts", 0) + 1
    return expert


def _has_demo_case(owner: User, claim_text: str) -> bool:
    query = db.select(Case.id).where(Case.consumer_id == owner.id, Case.claim_text == claim_text)
    return db.session.scalar(query) is not None


def _make_case(spec: dict[str, Any], owner: User, staff: User, experts: list[Expert]) -> Case:
    data = dict(spec["facts"], case=dict(spec["details"], claim_text=spec["claim_text"]))
    case = case_services.create_case(owner, data)
    for status in spec["path"]:
        if status == "routed":
            # Routed by the real router, so the demo shows its reasons in the case timeline.
            expert_services.route_case(case, staff)
        elif status == "opinion_received":
            _write_opinion(case, spec, staff, release=True)
        elif status == "mediation":
            # Order 20 Art. 16: both parties agreed (recorded by staff: no business account).
            for party in MediationParty:
                record_consent(case, party, True, "演示数据", staff, by_staff=True)
            _advance(case, CaseStatus(status), staff)
        else:
            if status == "closed" and spec.get("outcome"):
                # The state machine wants the outcome recorded before closing.
                case.outcome = CaseOutcome(spec["outcome"])
                db.session.flush()
            _advance(case, CaseStatus(status), staff)
    if spec.get("findings") and case.status == CaseStatus.routed:
        _write_opinion(case, spec, staff, release=False)
    return case


def _advance(case: Case, to: CaseStatus, actor: User) -> None:
    """Move the demo case one step along its path through the state machine."""
    states.transition(case, to, actor, reason="演示数据")


def _write_opinion(case: Case, spec: dict[str, Any], staff: User, *, release: bool) -> None:
    """Have the routed expert write and sign the spec's opinion; staff release it if asked."""
    assignment = expert_services.active_assignment(case)
    expert_user = assignment.expert.user
    opinion = opinions.save_draft(
        assignment, spec.get("findings", {}), spec.get("conclusion", ""), expert_user
    )
    opinions.sign(opinion, expert_user)
    if release:
        opinions.release(opinion, staff)
