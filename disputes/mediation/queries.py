"""Every read of the mediation room: a case's consents, sessions, withdrawals, inspections,
termination and agreement, and the one view of them the pages show (no writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, bindparam, exists
from sqlalchemy.orm import aliased

from disputes.cases.models import Case, CaseClock, CaseStatus, ClockPause, ClockStage
from disputes.db import db
from disputes.experts.models import Opinion, OpinionStatus
from disputes.mediation.models import (
    Inspection,
    MediationAgreement,
    MediationConsent,
    MediationParty,
    MediationSession,
    MediationTermination,
    MediatorWithdrawal,
    WithdrawalDecision,
)

#: Statuses in which the parties may still answer the offer to mediate.
CONSENT_STATES = (
    CaseStatus.accepted,
    CaseStatus.routed,
    CaseStatus.opinion_received,
    CaseStatus.mediation,
)
#: Statuses in which mediation may be terminated (before or during mediation).
TERMINABLE_STATES = (CaseStatus.opinion_received, CaseStatus.mediation)
#: Statuses a case may hold answers to the offer to mediate in: where they are recorded and after.
CONSENTED_STATES = (*CONSENT_STATES, CaseStatus.closed, CaseStatus.withdrawn)
#: Statuses a case may hold a termination in.
TERMINATED_STATES = (*TERMINABLE_STATES, CaseStatus.closed, CaseStatus.withdrawn)
#: Statuses a case may hold sessions, withdrawals, inspections or an agreement in.
MEDIATED_STATES = (CaseStatus.mediation, CaseStatus.closed, CaseStatus.withdrawn)
#: Statuses a case may hold a mediation clock in: it starts with opinion_received
#: (clocks.STAGE_OF_STATUS), and no move leads from there back to an earlier status.
CLOCKED_STATES = (CaseStatus.opinion_received, *MEDIATED_STATES)


def get_consents(case_id: int) -> dict[MediationParty, MediationConsent]:
    """Return each party's current answer to the offer to mediate."""
    rows = db.session.scalars(
        db.select(MediationConsent).where(MediationConsent.case_id == case_id)
    )
    return {row.party: row for row in rows}


def both_consent(case_id: int) -> bool:
    """Tell whether both parties agreed to mediate (Order 20 Art. 16)."""
    consents = get_consents(case_id)
    return all(p in consents and consents[p].agrees for p in MediationParty)


def get_session(session_id: int) -> MediationSession | None:
    """Return the mediation session, or None."""
    return db.session.get(MediationSession, session_id)


def get_withdrawal(withdrawal_id: int) -> MediatorWithdrawal | None:
    """Return the withdrawal request, or None."""
    return db.session.get(MediatorWithdrawal, withdrawal_id)


def get_pending_withdrawal(case_id: int) -> MediatorWithdrawal | None:
    """Return the case's withdrawal request still waiting for a decision, or None."""
    return db.session.scalar(
        db.select(MediatorWithdrawal).where(
            MediatorWithdrawal.case_id == case_id,
            MediatorWithdrawal.decision == WithdrawalDecision.pending,
        )
    )


def get_inspection(inspection_id: int) -> Inspection | None:
    """Return the inspection, or None."""
    return db.session.get(Inspection, inspection_id)


def get_termination(case_id: int) -> MediationTermination | None:
    """Return the case's mediation termination, or None."""
    return db.session.scalar(
        db.select(MediationTermination).where(MediationTermination.case_id == case_id)
    )


def list_open_pauses(case_id: int) -> list[ClockPause]:
    """Return the case's clock pauses that have not ended."""
    stmt = db.select(ClockPause).where(ClockPause.case_id == case_id, ClockPause.ended_at.is_(None))
    return list(db.session.scalars(stmt))


def get_agreement(case_id: int) -> MediationAgreement | None:
    """Return the case's mediation agreement (调解书), or None."""
    return db.session.scalar(
        db.select(MediationAgreement).where(MediationAgreement.case_id == case_id)
    )


#: The case id the mediation page statements are bound to.
CASE_ID = bindparam("case_id")


@cache
def _released_opinion_statement() -> Select:
    """get_released_opinion's statement, built once (a statement kept whole keeps its cache
    key)."""
    return (
        db.select(Opinion)
        .where(Opinion.case_id == CASE_ID, Opinion.status == OpinionStatus.released)
        .order_by(Opinion.released_at.desc(), Opinion.id.desc())
        .limit(1)
    )


def get_released_opinion(case_id: int) -> Opinion | None:
    """Return the case's latest released expert opinion (the one an agreement refers to)."""
    return db.session.scalar(_released_opinion_statement(), {"case_id": case_id})


@dataclass(frozen=True, slots=True)
class MediationClock:
    """The 45-working-day mediation period as the staff page shows it."""

    accepted_on: date
    limit_days: int
    paused_days: int
    due_on: date
    is_paused: bool
    is_running: bool


@dataclass(frozen=True, slots=True)
class MediationView:
    """Everything the mediation sections show about one case."""

    case: Case
    consents: dict[MediationParty, MediationConsent]
    sessions: list[MediationSession]
    withdrawals: list[MediatorWithdrawal]
    inspections: list[Inspection]
    termination: MediationTermination | None
    agreement: MediationAgreement | None
    opinion: Opinion | None
    clock: MediationClock | None

    @property
    def is_mediating(self) -> bool:
        return self.case.status == CaseStatus.mediation

    @property
    def is_suspended(self) -> bool:
        return any(w.decision == WithdrawalDecision.pending for w in self.withdrawals)

    @property
    def can_consent(self) -> bool:
        return self.case.status in CONSENT_STATES

    @property
    def can_terminate(self) -> bool:
        return self.case.status in TERMINABLE_STATES and self.termination is None


def get_mediation_clock(case: Case) -> MediationClock | None:
    """Return the case's latest mediation clock, or None before the opinion (whether it stands
    still is read in the same statement; nothing is read before the opinion)."""
    if case.status not in CLOCKED_STATES:
        return None
    row = db.session.execute(_mediation_clock_statement(), {"case_id": case.id}).first()
    return None if row is None else _clock_view(row[0], bool(row[1]))


@cache
def _mediation_clock_statement() -> Select:
    """get_mediation_clock's statement, built once (a statement kept whole keeps its cache key):
    the latest mediation clock and whether a pause of it is open."""
    paused = exists().where(ClockPause.clock_id == CaseClock.id, ClockPause.ended_at.is_(None))
    return (
        db.select(CaseClock, paused)
        .where(CaseClock.case_id == CASE_ID, CaseClock.stage == ClockStage.mediation)
        .order_by(CaseClock.id.desc())
        .limit(1)
    )


def _clock_view(clock: CaseClock, is_paused: bool) -> MediationClock:
    return MediationClock(
        accepted_on=clock.started_on,
        limit_days=clock.limit_days,
        paused_days=clock.paused_days,
        due_on=clock.due_on,
        is_paused=is_paused,
        is_running=clock.ended_on is None,
    )


@cache
def _page_statements() -> dict[str, Select]:
    """The mediation section's statements, built once (a statement kept whole keeps its cache
    key). "singles" reads in one row what a case holds at most one of: each party's answer, the
    termination and the agreement."""
    consents = [aliased(MediationConsent, name=f"consent_{p.value}") for p in MediationParty]
    singles = db.select(*consents, MediationTermination, MediationAgreement).select_from(Case)
    for party, consent in zip(MediationParty, consents, strict=True):
        singles = singles.outerjoin(
            consent, (consent.case_id == Case.id) & (consent.party == party)
        )
    return {
        "singles": singles.outerjoin(MediationTermination, MediationTermination.case_id == Case.id)
        .outerjoin(MediationAgreement, MediationAgreement.case_id == Case.id)
        .where(Case.id == CASE_ID),
        "sessions": db.select(MediationSession)
        .where(MediationSession.case_id == CASE_ID)
        .order_by(MediationSession.starts_at, MediationSession.id),
        "withdrawals": db.select(MediatorWithdrawal)
        .where(MediatorWithdrawal.case_id == CASE_ID)
        .order_by(MediatorWithdrawal.id),
        "inspections": db.select(Inspection)
        .where(Inspection.case_id == CASE_ID)
        .order_by(Inspection.id),
    }


def get_mediation_for_page(
    case: Case, case_clocks: list[CaseClock], pauses: list[ClockPause], opinions: list[Opinion]
) -> MediationView:
    """Build the mediation of `case` from the clocks, pauses and opinions the page already holds,
    reading only the mediation tables the case's status lets hold rows."""
    mediation_clocks = [c for c in case_clocks if c.stage == ClockStage.mediation]
    clock = max(mediation_clocks, key=lambda c: c.id, default=None)
    released = [o for o in opinions if o.status == OpinionStatus.released]
    return _mediation_view(
        case,
        opinion=max(released, key=lambda o: (o.released_at or datetime.min, o.id), default=None),
        clock=clock
        and _clock_view(clock, any(p.clock_id == clock.id and p.ended_at is None for p in pauses)),
    )


def get_mediation(case: Case) -> MediationView:
    """Load the whole mediation of `case` for a page (its released opinion and clock read here)."""
    return _mediation_view(
        case, opinion=get_released_opinion(case.id), clock=get_mediation_clock(case)
    )


def _mediation_view(
    case: Case, opinion: Opinion | None, clock: MediationClock | None
) -> MediationView:
    """The mediation of `case`, reading only the tables its status lets hold rows: the answers,
    the termination and the agreement in one statement, the sessions, withdrawals and inspections
    once mediation began (a business's page of an accepted case asked eight statements for six
    empty answers)."""
    mediated = case.status in MEDIATED_STATES
    statements, bound = _page_statements(), {"case_id": case.id}

    def rows(name: str) -> list:
        return list(db.session.scalars(statements[name], bound)) if mediated else []

    # Every state that may hold a termination or an agreement may hold answers too.
    singles = (
        db.session.execute(statements["singles"], bound).one()
        if case.status in CONSENTED_STATES
        else (None,) * (len(MediationParty) + 2)
    )
    *answers, termination, agreement = singles
    return MediationView(
        case=case,
        consents={answer.party: answer for answer in answers if answer is not None},
        sessions=rows("sessions"),
        withdrawals=rows("withdrawals"),
        inspections=rows("inspections"),
        termination=termination if case.status in TERMINATED_STATES else None,
        agreement=agreement if mediated else None,
        opinion=opinion,
        clock=clock,
    )
