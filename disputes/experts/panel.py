"""Panel management writes: add, edit, deactivate/reactivate an expert and link, open or replace
their login account; every change audited with before/after (the expert's history page reads
those events). Flush only; the view commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from disputes import audit
from disputes.auth import invitations
from disputes.auth import queries as user_queries
from disputes.auth import services as user_services
from disputes.auth.models import Role, User
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts import queries
from disputes.experts.models import (
    AffiliationKind,
    Expert,
    ExpertAffiliation,
    ExpertRelationship,
    ExpertSpecialty,
)


class PanelError(Exception):
    """Raised when a panel change is refused (duplicate code, unknown consumer...); `field` names
    the panel form's field the message belongs to."""

    def __init__(self, message: str, field: str = "code") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ExpertData:
    """What staff edit about a panel member."""

    code: str
    name: str
    title: str = ""
    organisation: str = ""
    capacity: int = 3
    specialties: list[str] = field(default_factory=list)
    #: (kind, name)
    affiliations: list[tuple[str, str]] = field(default_factory=list)
    #: (consumer login: mobile or e-mail, note)
    relationships: list[tuple[str, str]] = field(default_factory=list)


def snapshot(expert: Expert) -> dict[str, Any]:
    """Return the expert's editable state as JSON-able data (for history and the edit form)."""
    return {
        "code": expert.code,
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "capacity": expert.capacity,
        "active": expert.is_active,
        "account": expert.user.login if expert.user is not None else None,
        "specialties": [str(s.system) for s in expert.specialties],
        "affiliations": [[str(a.kind), a.name] for a in expert.affiliations],
        "relationships": [[r.consumer_id, r.note] for r in expert.relationships],
    }


def _consumer_id(login: str) -> int:
    user = user_queries.get_user_by_login(login)
    if user is None:
        raise PanelError(f"找不到消费者账号：{login}")
    return user.id


def _apply(expert: Expert, data: ExpertData) -> None:
    if queries.is_code_taken(data.code, expert.id):
        raise PanelError(f"专家编号 {data.code} 已被使用。")
    expert.code, expert.name, expert.title = data.code, data.name, data.title
    expert.organisation, expert.capacity = data.organisation, data.capacity
    # Rows that stay are kept, not re-inserted: the flush inserts new rows before it deletes old
    # ones, so re-inserting an unchanged (expert, system) or (expert, consumer) breaks uniqueness.
    old_specialties = {s.system: s for s in expert.specialties}
    expert.specialties = [
        old_specialties.get(system) or ExpertSpecialty(system=system)
        for system in dict.fromkeys(VehicleSystem(s) for s in data.specialties)
    ]
    expert.affiliations = [
        ExpertAffiliation(kind=AffiliationKind(k), name=n) for k, n in data.affiliations
    ]
    old_relationships = {r.consumer_id: r for r in expert.relationships}
    relationships: dict[int, ExpertRelationship] = {}
    for login, note in data.relationships:
        consumer_id = _consumer_id(login)
        if consumer_id in relationships:
            raise PanelError(f"消费者 {login} 填写了两次。")
        relationship = old_relationships.get(consumer_id) or ExpertRelationship(
            consumer_id=consumer_id
        )
        relationship.note = note
        relationships[consumer_id] = relationship
    expert.relationships = list(relationships.values())


def create_expert(data: ExpertData, actor: Any) -> Expert:
    """Add a panel member."""
    expert = Expert()
    _apply(expert, data)
    db.session.add(expert)
    db.session.flush()
    audit.record(actor, "expert.created", expert, after=snapshot(expert))
    return expert


def update_expert(expert: Expert, data: ExpertData, actor: Any) -> Expert:
    """Change a panel member's record (the old collections are replaced)."""
    before = snapshot(expert)
    _apply(expert, data)
    db.session.flush()
    audit.record(actor, "expert.updated", expert, before=before, after=snapshot(expert))
    return expert


def set_active(
    expert: Expert, active: bool, actor: Any, reason: str = "", *, with_account: bool = False
) -> Expert:
    """Put an expert on leave (inactive: no new cases) or back on duty; `with_account` also
    deactivates or reactivates their login (retiring an expert for good)."""
    before = snapshot(expert)
    expert.is_active = active
    if with_account and expert.user is not None:
        user_services.set_active(expert.user, active, actor)
    db.session.flush()
    action = "expert.reactivated" if active else "expert.deactivated"
    audit.record(actor, action, expert, before=before, after=snapshot(expert) | {"reason": reason})
    return expert


def link_account(expert: Expert, user: User, actor: Any) -> Expert:
    """Make `user` the expert's login, replacing any previous one (which keeps its account)."""
    if user.role != Role.expert:
        raise PanelError("只能关联角色为专家的账号。", "account_user_id")
    holder = queries.get_expert_for_user(user.id)
    if holder is not None and holder.id != expert.id:
        raise PanelError(f"该账号已关联专家档案 {holder.code}。", "account_user_id")
    if expert.user_id == user.id:
        return expert
    before = snapshot(expert)
    expert.user = user
    db.session.flush()
    audit.record(actor, "expert.account_linked", expert, before=before, after=snapshot(expert))
    return expert


def unlink_account(expert: Expert, actor: Any) -> Expert:
    """Detach the expert's login (it is no longer an expert's): the panel then flags the profile
    as having no usable account, and routing passes it over until another is linked."""
    if expert.user_id is None:
        return expert
    before = snapshot(expert)
    expert.user = None
    db.session.flush()
    audit.record(actor, "expert.account_unlinked", expert, before=before, after=snapshot(expert))
    return expert


def open_account(
    expert: Expert,
    handover: invitations.Handover,
    email: str | None,
    mobile: str | None,
    actor: Any,
) -> invitations.OpenedAccount:
    """Open a new expert login in the expert's name and link it (raises AccountError on a bad
    or taken e-mail or mobile number)."""
    opened = invitations.open_account(expert.name, Role.expert, mobile, email, handover, actor)
    link_account(expert, opened.user, actor)
    return opened
