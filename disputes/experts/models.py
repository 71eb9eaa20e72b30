"""The expert panel: experts, their specialties and affiliations, assignments to cases and opinions.

A specialty is a VehicleSystem, the contract's vocabulary (disputes/cases/vocabulary.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.cases.vocabulary import N_, VehicleSystem
from disputes.db import db, str_enum, utcnow

if TYPE_CHECKING:
    from disputes.auth.models import User
    from disputes.cases.models import Case

__all__ = [
    "AffiliationKind",
    "Assignment",
    "AssignmentStatus",
    "CaseObjection",
    "Expert",
    "ExpertAffiliation",
    "ExpertRelationship",
    "ExpertSpecialty",
    "Opinion",
    "OpinionStatus",
]


class AffiliationKind(StrEnum):
    """A tie that may make an expert partial (conflict of interest)."""

    brand = "brand"
    manufacturer = "manufacturer"
    dealer = "dealer"
    repairer = "repairer"


#: Chinese names of the affiliation kinds (msgids); staff also type them in the panel form.
AFFILIATION_LABELS: dict[AffiliationKind, str] = {
    AffiliationKind.brand: N_("品牌"),
    AffiliationKind.manufacturer: N_("生产者"),
    AffiliationKind.dealer: N_("经销商"),
    AffiliationKind.repairer: N_("修理者"),
}


class AssignmentStatus(StrEnum):
    active = "active"
    declined = "declined"
    recused = "recused"
    completed = "completed"
    #: Replaced by a later assignment (re-routing).
    superseded = "superseded"


class OpinionStatus(StrEnum):
    draft = "draft"
    signed = "signed"
    released = "released"


class Expert(db.Model):
    """A member of the technical panel."""

    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The expert's login; null for a panel member without an account yet.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    #: Short public code ("E01"); opinions shown to businesses carry the code, not the name.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    #: How many open (active) assignments the expert accepts at once.
    capacity: Mapped[int] = mapped_column(default=3)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    specialties: Mapped[list[ExpertSpecialty]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="ExpertSpecialty.id"
    )
    affiliations: Mapped[list[ExpertAffiliation]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="ExpertAffiliation.id"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="expert", foreign_keys="Assignment.expert_id"
    )
    relationships: Mapped[list[ExpertRelationship]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="ExpertRelationship.id"
    )

    def __repr__(self) -> str:
        return f"<Expert {self.id} {self.code} {self.name}>"

    @property
    def systems(self) -> list[VehicleSystem]:
        """The vehicle systems the expert covers."""
        return [s.system for s in self.specialties]


class ExpertSpecialty(db.Model):
    """A vehicle system an expert is qualified to assess."""

    __tablename__ = "expert_specialties"
    __table_args__ = (UniqueConstraint("expert_id", "system"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"))
    system: Mapped[VehicleSystem] = mapped_column(str_enum(VehicleSystem))

    expert: Mapped[Expert] = relationship(back_populates="specialties")

    def __repr__(self) -> str:
        return f"<ExpertSpecialty expert={self.expert_id} {self.system}>"


class ExpertAffiliation(db.Model):
    """A brand, manufacturer, dealer or repairer the expert works or worked for."""

    __tablename__ = "expert_affiliations"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AffiliationKind] = mapped_column(str_enum(AffiliationKind))
    name: Mapped[str] = mapped_column(String(200))

    expert: Mapped[Expert] = relationship(back_populates="affiliations")

    def __repr__(self) -> str:
        return f"<ExpertAffiliation expert={self.expert_id} {self.kind}:{self.name}>"


class Assignment(db.Model):
    """An expert routed to a case; at most one active assignment per case (a partial index)."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index(
            "uq_assignments_active_case",
            "case_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        # An expert's queue: active assignments, newest first (migration aac0ffee000a).
        Index("ix_assignments_expert_id_status_assigned_at", "expert_id", "status", "assigned_at"),
        # Its released opinions, latest first (migration f02c0ffee102).
        Index("ix_assignments_expert_id_status_ended_at", "expert_id", "status", "ended_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"))
    status: Mapped[AssignmentStatus] = mapped_column(
        str_enum(AssignmentStatus), default=AssignmentStatus.active
    )
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    #: Why it was made or ended (routing note, decline or recusal reason), in Chinese.
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The same note as routing.Reason dicts, put into the reader's language when shown; null on
    #: assignments made before it was kept (their ``reason`` is shown as written).
    reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    #: The staff member who routed it; null when routed automatically.
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship()
    expert: Mapped[Expert] = relationship(back_populates="assignments", foreign_keys=[expert_id])
    assigned_by: Mapped[User | None] = relationship()
    opinions: Mapped[list[Opinion]] = relationship(
        back_populates="assignment", order_by="Opinion.version"
    )

    def __repr__(self) -> str:
        return f"<Assignment {self.id} case={self.case_id} expert={self.expert_id} {self.status}>"


class Opinion(db.Model):
    """An expert's written technical opinion on a case, versioned per assignment."""

    __tablename__ = "opinions"
    __table_args__ = (
        UniqueConstraint("assignment_id", "version"),
        # The dashboard's opinions to review: signed, oldest first (migration aac0ffee000a).
        Index("ix_opinions_status_signed_at", "status", "signed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    #: 1 for the first opinion on an assignment, +1 for each revision.
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[OpinionStatus] = mapped_column(
        str_enum(OpinionStatus), default=OpinionStatus.draft
    )
    #: Per-problem technical findings (JSON; contract-fact shaped, as the expert confirms them).
    findings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    signed_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    #: sha256 hex digest of the signed content (findings + conclusion), fixed at signing.
    signature: Mapped[str | None] = mapped_column(String(64))
    #: The expert's name as signed (kept even if the panel record is renamed later).
    signed_name: Mapped[str | None] = mapped_column(String(100))
    #: Staff asked for a new version of this signed opinion, and why.
    revision_requested_at: Mapped[datetime | None]
    revision_reason: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship()
    expert: Mapped[Expert] = relationship()
    assignment: Mapped[Assignment] = relationship(back_populates="opinions")

    @property
    def awaits_review(self) -> bool:
        """Signed and no new version asked for: staff may release it or ask for a revision."""
        return self.status == OpinionStatus.signed and self.revision_requested_at is None

    def __repr__(self) -> str:
        return f"<Opinion {self.id} case={self.case_id} v{self.version} {self.status}>"


class ExpertRelationship(db.Model):
    """A relationship an expert declared with a consumer (relative, colleague...): a conflict."""

    __tablename__ = "expert_relationships"
    __table_args__ = (UniqueConstraint("expert_id", "consumer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    consumer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(String(200), default="")

    expert: Mapped[Expert] = relationship(back_populates="relationships")

    def __repr__(self) -> str:
        return f"<ExpertRelationship expert={self.expert_id} consumer={self.consumer_id}>"


class CaseObjection(db.Model):
    """A party's request that an expert stand aside from a case (回避申请), recorded by staff."""

    __tablename__ = "case_objections"
    __table_args__ = (UniqueConstraint("case_id", "expert_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"))
    #: "consumer" or "business".
    party: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    expert: Mapped[Expert] = relationship()

    def __repr__(self) -> str:
        return f"<CaseObjection case={self.case_id} expert={self.expert_id} {self.party}>"
