"""The Case and what hangs off it: problems, repair visits, replaced parts, wear parts, files,
stage clocks.

Every field of the rules contract's facts has a column, so a Case rebuilds its facts without loss
(see cases/contract.py). The contract's vocabularies live in cases/vocabulary.py (re-exported here).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Computed,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Imported at run time, not only for typing: cases point at users, so the User mapper must exist
# whenever the case models are used.
from disputes.auth.models import User
from disputes.cases.vocabulary import (
    AttachmentKind,
    BusinessRole,
    Claim,
    DiagnosedBy,
    Exclusion,
    Failure,
    Powertrain,
    ReplacementAvailability,
    ReplacementStatus,
    VehicleCategory,
    VehicleSystem,
    VehicleUse,
)
from disputes.db import db, str_enum, utcnow

__all__ = [
    "Attachment",
    "Case",
    "CaseClock",
    "CaseDraft",
    "CaseOutcome",
    "CaseStatus",
    "ClockPause",
    "ClockStage",
    "DraftFile",
    "INTAKE_KEY",
    "IntakeChannel",
    "Problem",
    "RepairEvent",
    "ReplacedPart",
    "WearPart",
]


class CaseStatus(StrEnum):
    """Where a case stands; transitions live in cases/states.py."""

    submitted = "submitted"
    screening = "screening"
    info_requested = "info_requested"
    accepted = "accepted"
    not_accepted = "not_accepted"
    routed = "routed"
    opinion_received = "opinion_received"
    mediation = "mediation"
    closed = "closed"
    withdrawn = "withdrawn"


class CaseOutcome(StrEnum):
    """How a closed case ended."""

    repaired = "repaired"
    replaced = "replaced"
    returned = "returned"
    compensated = "compensated"
    settled = "settled"
    withdrawn = "withdrawn"
    #: Mediation failed; the consumer was referred to arbitration or a court.
    referred = "referred"


class IntakeChannel(StrEnum):
    """How a complaint reached the bureau: filed online by the consumer, or registered by staff."""

    online = "online"
    phone = "phone"
    letter = "letter"
    in_person = "in_person"


#: Columns staff search by prefix. Their indexes use varchar_pattern_ops on PostgreSQL, so
#: `LIKE 'p%'` is served under any database collation (equality too); on SQLite they are plain
#: BINARY b-trees, which serve the range predicates staff/search.py writes there.
PREFIX_SEARCHED = (
    "number",
    "vin",
    "contact_phone",
    "contact_name",
    "business_name",
    "dealer_name",
    "manufacturer",
)


class Case(db.Model):
    """A consumer's dispute: the facts as filed, its status, and snapshots taken on submission."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Public reference, CASE_NUMBER_PREFIX-YEAR-NNNNNN with a sequence restarting each year.
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.submitted)
    #: Optimistic lock: every UPDATE checks and bumps it (StaleDataError on a lost race).
    version: Mapped[int] = mapped_column(default=1)
    consumer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A case exists only once submitted (drafts are CaseDraft rows), so it always has this.
    submitted_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: When the bureau first accepted the complaint; kept whatever follows (a withdrawal, a
    #: return for re-routing), so the business sees the case from then on.
    accepted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    outcome: Mapped[CaseOutcome | None] = mapped_column(str_enum(CaseOutcome))

    # The consumer's contact details: personal data, shown only to the consumer and staff.
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    #: Last 4 digits of the phone (尾号), kept by the database so the staff search can index it.
    phone_tail: Mapped[str | None] = mapped_column(
        String(20), Computed("substr(contact_phone, length(contact_phone) - 3)")
    )
    #: Resident identity card number (personal data; never shown to experts).
    contact_id_number: Mapped[str | None] = mapped_column(String(18))
    contact_address: Mapped[str | None] = mapped_column(String(200))

    # Purchase (contract: purchase.*).
    invoice_date: Mapped[date]
    #: Null means "same as the invoice date" (the contract's default).
    delivery_date: Mapped[date | None]
    price_yuan: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    has_invoice: Mapped[bool] = mapped_column(default=True)
    has_warranty_card: Mapped[bool] = mapped_column(default=True)

    # Vehicle (contract: vehicle.*).
    category: Mapped[VehicleCategory] = mapped_column(
        str_enum(VehicleCategory), default=VehicleCategory.passenger
    )
    use: Mapped[VehicleUse] = mapped_column(str_enum(VehicleUse), default=VehicleUse.household)
    powertrain: Mapped[Powertrain] = mapped_column(str_enum(Powertrain), default=Powertrain.ice)
    brand: Mapped[str] = mapped_column(String(100), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    vin: Mapped[str] = mapped_column(String(17), default="")
    #: Last 6 characters of the VIN (车架号后六位), kept by the database for the staff search.
    vin_tail: Mapped[str | None] = mapped_column(
        String(17), Computed("substr(vin, length(vin) - 5)")
    )
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    dealer_name: Mapped[str | None] = mapped_column(String(200))

    # Terms printed on the warranty card (contract: warranty_card.*); null = not declared.
    repair_warranty_years: Mapped[int | None]
    repair_warranty_km: Mapped[int | None]
    three_guarantee_years: Mapped[int | None]
    three_guarantee_km: Mapped[int | None]
    #: The usage-compensation factor n as a fraction (0.005 = 0.5 %); null = not declared.
    compensation_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 5))
    #: Names of the special parts on the warranty card (JSON list of strings).
    special_parts: Mapped[list[str]] = mapped_column(JSON, default=list)

    # The moment of assessment and the claim (contract: as_of, written_request_date, claim, ...).
    as_of_date: Mapped[date]
    as_of_odometer_km: Mapped[int]
    #: Day the seller received the consumer's written request for replacement or return.
    written_request_date: Mapped[date | None]
    claim: Mapped[Claim | None] = mapped_column(str_enum(Claim))
    #: Whether the same or a comparable car can be supplied; null = unknown.
    replacement_available: Mapped[ReplacementAvailability | None] = mapped_column(
        str_enum(ReplacementAvailability)
    )
    #: Forces "2013" or "2022" rules; null lets the rules pick by date.
    regime_override: Mapped[str | None] = mapped_column(String(4))

    # The business the consumer is in dispute with.
    business_name: Mapped[str] = mapped_column(String(200), default="")
    business_role: Mapped[BusinessRole] = mapped_column(
        str_enum(BusinessRole), default=BusinessRole.seller
    )
    business_contact: Mapped[str | None] = mapped_column(String(200))
    #: The vetted organisation (auth/organisations.py) the case is against, once the bureau has
    #: linked it; its business users then see the case and answer it online.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: The consumer agreed that the business's users see their full name and contact details
    #: (masked to them otherwise); the consumer switches it on the case page.
    contact_shared_with_business: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    #: How the complaint reached the bureau (Order 20 Art. 9): online, or registered by staff.
    intake_channel: Mapped[IntakeChannel] = mapped_column(
        str_enum(IntakeChannel), default=IntakeChannel.online
    )
    #: Day the bureau received a complaint registered by staff; the acceptance clock counts
    #: from it (Order 20 Art. 14). Null for online filings (received when submitted).
    received_on: Mapped[date | None]
    # The complainant's authorised agent, if any (Order 20 Art. 10; the power of attorney is an
    # attachment of kind power_of_attorney). Personal data, as the contact details.
    agent_name: Mapped[str | None] = mapped_column(String(100))
    agent_id_number: Mapped[str | None] = mapped_column(String(18))
    agent_relation: Mapped[str | None] = mapped_column(String(50))
    #: The consumer agreed that panel experts may read the case (without personal data).
    consent_to_experts: Mapped[bool] = mapped_column(default=False)
    #: What the consumer asks for, in their own words.
    claim_text: Mapped[str] = mapped_column(Text, default="")
    #: The contract facts as submitted (frozen copy; the columns above may be corrected later).
    facts_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The rules' assessment (Assessment.to_dict()) computed at submission.
    assessment_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    consumer: Mapped[User] = relationship()
    problems: Mapped[list[Problem]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Problem.id"
    )
    repair_events: Mapped[list[RepairEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="RepairEvent.position"
    )
    wear_parts: Mapped[list[WearPart]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="WearPart.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    __mapper_args__ = {"version_id_col": version}
    # Migration aac0ffee000a explains the first two indexes by the query each serves. The staff
    # case list pages on (sort key, id) (migration a6c0ffee0006) and searches by prefix
    # (a7c0ffee0007) and by the tail of a phone or VIN (aec0ffee000e).
    __table_args__ = (
        Index("ix_cases_brand_submitted_at_id", "brand", "submitted_at", "id"),
        Index("ix_cases_submitted_at_status_brand", "submitted_at", "status", "brand"),
        Index("ix_cases_submitted_at_id", "submitted_at", "id"),
        Index("ix_cases_status_submitted_at_id", "status", "submitted_at", "id"),
        Index("ix_cases_brand_id", "brand", "id"),
        # Status with brand, and outcome, in page order (migration f21c0ffee121).
        Index("ix_cases_status_brand_submitted_at_id", "status", "brand", "submitted_at", "id"),
        Index("ix_cases_outcome_submitted_at_id", "outcome", "submitted_at", "id"),
        *(
            Index(f"ix_cases_{name}_prefix", name, postgresql_ops={name: "varchar_pattern_ops"})
            for name in PREFIX_SEARCHED
        ),
        Index("ix_cases_phone_tail", "phone_tail"),
        Index("ix_cases_vin_tail", "vin_tail"),
        # SQLite must never hand a removed case's id to a new case: its audit events (kept on
        # purge, found by case_id) would show on the new case's timeline (migration abc0ffee000b).
        {"sqlite_autoincrement": True},
    )

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.number} {self.status}>"


class Problem(db.Model):
    """One distinct problem of the car (the same smallest failing part = the same problem)."""

    __tablename__ = "problems"
    __table_args__ = (
        UniqueConstraint("case_id", "label"),
        # The staff case list's filter by system (migration a6c0ffee0006).
        Index("ix_problems_system_case_id", "system", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The contract's key for the problem ("P1", "P2", ...), unique within a case.
    label: Mapped[str] = mapped_column(String(20))
    system: Mapped[VehicleSystem] = mapped_column(str_enum(VehicleSystem))
    description: Mapped[str] = mapped_column(Text, default="")
    #: False when it is not a product-quality problem (accident damage, say).
    is_quality_problem: Mapped[bool] = mapped_column(default=True)
    #: A 严重安全性能故障.
    is_serious_safety: Mapped[bool] = mapped_column(default=False)
    failure: Mapped[Failure | None] = mapped_column(str_enum(Failure))
    #: Name of the declared wear part this problem is about.
    wear_part: Mapped[str | None] = mapped_column(String(100))
    exclusion: Mapped[Exclusion | None] = mapped_column(str_enum(Exclusion, length=40))

    case: Mapped[Case] = relationship(back_populates="problems")
    repair_events: Mapped[list[RepairEvent]] = relationship(
        back_populates="problem", order_by="RepairEvent.position"
    )

    def __repr__(self) -> str:
        return f"<Problem {self.id} case={self.case_id} {self.label} {self.system}>"


class RepairEvent(db.Model):
    """One repair visit for one problem (contract: an entry of `events`)."""

    __tablename__ = "repair_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    #: Index of the event in the contract's `events` list (remedies cite events by this index).
    position: Mapped[int] = mapped_column(default=0)
    #: When consumer and repairer signed the repair order; the time is optional.
    start_date: Mapped[date]
    start_time: Mapped[time | None]
    #: When the repairer told the consumer to collect the car; null while still in the workshop.
    end_date: Mapped[date | None]
    end_time: Mapped[time | None]
    odometer_km: Mapped[int]
    #: False for a visit where no fault was found: it does not count as a repair.
    is_fault_found: Mapped[bool] = mapped_column(default=True)
    #: False when the problem was still there after this visit.
    is_resolved: Mapped[bool] = mapped_column(default=True)
    #: Days of this visit spent waiting for special parts, on rescue travel, on battery transport.
    special_parts_transport_days: Mapped[int] = mapped_column(default=0)
    rescue_travel_days: Mapped[int] = mapped_column(default=0)
    battery_transport_days: Mapped[int] = mapped_column(default=0)
    repairer_name: Mapped[str | None] = mapped_column(String(200))
    repair_order_no: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[Case] = relationship(back_populates="repair_events")
    problem: Mapped[Problem] = relationship(back_populates="repair_events")
    replaced_parts: Mapped[list[ReplacedPart]] = relationship(
        back_populates="repair_event", cascade="all, delete-orphan", order_by="ReplacedPart.id"
    )

    def __repr__(self) -> str:
        return f"<RepairEvent {self.id} case={self.case_id} #{self.position} {self.start_date}>"


class ReplacedPart(db.Model):
    """A part or assembly replaced during a repair visit, or found there to need replacing."""

    __tablename__ = "replaced_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    repair_event_id: Mapped[int] = mapped_column(
        ForeignKey("repair_events.id", ondelete="CASCADE"), index=True
    )
    assembly: Mapped[VehicleSystem] = mapped_column(str_enum(VehicleSystem))
    #: Null when only the assembly is named (a whole engine, say).
    part: Mapped[str | None] = mapped_column(String(100))
    #: A main part (主要零件) named on the warranty card.
    is_main_part: Mapped[bool] = mapped_column(default=False)
    #: The whole engine/transmission/battery/motor was replaced.
    is_whole_assembly: Mapped[bool] = mapped_column(default=False)
    #: Replaced, or only diagnosed as needing replacement (contract 2: replaced[].status).
    status: Mapped[ReplacementStatus] = mapped_column(
        str_enum(ReplacementStatus), default=ReplacementStatus.replaced
    )
    #: The day it was found to need replacing; null: the visit's start.
    diagnosed_date: Mapped[date | None]
    diagnosed_by: Mapped[DiagnosedBy | None] = mapped_column(str_enum(DiagnosedBy))

    repair_event: Mapped[RepairEvent] = relationship(back_populates="replaced_parts")

    def __repr__(self) -> str:
        return f"<ReplacedPart {self.id} {self.assembly}:{self.part}>"


class WearPart(db.Model):
    """A wear part declared on the warranty card with its own warranty."""

    __tablename__ = "wear_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    months: Mapped[int]
    #: Null when the card gives the part a time limit only.
    km: Mapped[int | None]

    case: Mapped[Case] = relationship(back_populates="wear_parts")

    def __repr__(self) -> str:
        return f"<WearPart {self.id} {self.name} {self.months}m/{self.km}km>"


class StoredFile:
    """Columns of an uploaded file kept under UPLOAD_FOLDER (a draft's file, then an attachment)."""

    kind: Mapped[AttachmentKind] = mapped_column(str_enum(AttachmentKind))
    #: The file name the uploader gave; shown, never used as a path.
    original_name: Mapped[str] = mapped_column(String(255))
    #: "<random folder>/<random name>" under UPLOAD_FOLDER, so uploads cannot overwrite each
    #: other or escape the folder; a draft's file keeps its name when it becomes an attachment.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


#: What a file written to disk (uploads.WrittenFile), a draft's file and an attachment all carry.
FILE_COLUMNS = ("stored_name", "original_name", "content_type", "size_bytes", "sha256")


def file_columns(stored: Any) -> dict[str, Any]:
    """Return FILE_COLUMNS of `stored`, to make a DraftFile or an Attachment of it."""
    return {name: getattr(stored, name) for name in FILE_COLUMNS}


class Attachment(StoredFile, db.Model):
    """An uploaded document; the file lives in UPLOAD_FOLDER under `stored_name`."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Staff marked the file as showing who the consumer is (an ID card, say): experts neither
    #: see it listed nor can download it.
    is_withheld_from_experts: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Attachment {self.id} case={self.case_id} {self.kind} {self.original_name!r}>"


#: Key, in a draft's data, of the intake details of a complaint staff register for its
#: complainant (staff/intake.py; the wizard's steps are "1" to "7"). Such a draft is the staff's
#: to fill in: its owner neither sees nor opens it until staff file it (cases/queries.py).
INTAKE_KEY = "intake"


class CaseDraft(db.Model):
    """A filing in progress: the raw form data of each wizard step, saved on every post."""

    __tablename__ = "case_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The wizard step the consumer was last on (1-7); resuming opens it.
    step: Mapped[int] = mapped_column(default=1)
    #: Raw posted values per step: {"1": {"purchase-vin": ["LFV..."], ...}, ...}, invalid ones too.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Random key of this draft's submission: a second submit finds the case and files no other.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    #: The case filed from this draft; set once, in the same transaction that files the case.
    submitted_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), unique=True
    )
    submitted_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship()
    files: Mapped[list[DraftFile]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="DraftFile.id"
    )

    def __repr__(self) -> str:
        return f"<CaseDraft {self.id} owner={self.owner_id} step={self.step}>"


class DraftFile(StoredFile, db.Model):
    """A file uploaded to a draft; on submission it becomes one of the case's attachments."""

    __tablename__ = "draft_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("case_drafts.id", ondelete="CASCADE"), index=True
    )

    draft: Mapped[CaseDraft] = relationship(back_populates="files")

    def __repr__(self) -> str:
        return f"<DraftFile {self.id} draft={self.draft_id} {self.kind} {self.original_name!r}>"


class ClockStage(StrEnum):
    """The stages that run against a working-day limit (cases/clocks.py keeps their clocks)."""

    screening = "screening"
    routing = "routing"
    opinion = "opinion"
    mediation = "mediation"
    #: The business's answer: runs beside the status clocks, from acceptance to the answer.
    answer = "answer"


class CaseClock(db.Model):
    """One stage of one case against its working-day limit."""

    __tablename__ = "case_clocks"
    __table_args__ = (Index("ix_case_clocks_open_due", "ended_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[ClockStage] = mapped_column(str_enum(ClockStage))
    #: The bureau's day the stage began (day 0; the limit counts the working days after it).
    started_on: Mapped[date]
    #: The stage's limit in working days, fixed when the clock opened.
    limit_days: Mapped[int]
    #: Last working day of the stage: limit + paused working days after started_on.
    due_on: Mapped[date]
    #: Null while the stage runs.
    ended_on: Mapped[date | None]
    #: Working days spent waiting for the consumer (info requests), added to the limit.
    paused_days: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<CaseClock {self.id} case={self.case_id} {self.stage} due={self.due_on}>"


class ClockPause(db.Model):
    """A request for more information: the clock stands still from info_requested until back."""

    __tablename__ = "clock_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    clock_id: Mapped[int | None] = mapped_column(ForeignKey("case_clocks.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    #: What staff asked the consumer for (the transition's reason).
    reason: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<ClockPause {self.id} case={self.case_id} {self.started_at}–{self.ended_at}>"
