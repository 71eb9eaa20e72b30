"""Every write about organisations: a business's own registration, staff vetting, linking an
organisation to cases, inviting its users, and the consumer's consent to share contact details.

Services flush and audit; the view that started the unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.security import generate_password_hash

from disputes import audit
from disputes.auth import invitations, services
from disputes.auth.models import Role, User
from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
from disputes.business import queries
from disputes.business.credit_code import normalise
from disputes.cases.models import Case
from disputes.db import db, utcnow
from disputes.formatting import N_

Status = OrganisationStatus

#: Vetting moves: decision → the statuses it may be taken from.
DECISIONS: dict[OrganisationStatus, frozenset[OrganisationStatus]] = {
    Status.approved: frozenset({Status.pending, Status.rejected, Status.suspended}),
    Status.rejected: frozenset({Status.pending}),
    Status.suspended: frozenset({Status.approved}),
}


class OrganisationError(Exception):
    """A refused organisation write, with the form field it belongs to and a msgid."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class OrganisationData:
    """What the bureau records of a business."""

    name: str
    credit_code: str
    role: OrganisationRole
    contact_name: str
    contact_phone: str
    contact_email: str | None = None


def _audit_view(organisation: Organisation) -> dict[str, object]:
    return {
        "name": organisation.name,
        "credit_code": organisation.credit_code,
        "role": organisation.role,
        "status": organisation.status,
    }


def create_organisation(
    data: OrganisationData, actor: User | None, status: OrganisationStatus = Status.pending
) -> Organisation:
    """Record a business; raise OrganisationError("credit_code") when its code is taken."""
    code = normalise(data.credit_code)
    if queries.get_organisation_by_credit_code(code) is not None:
        raise OrganisationError("credit_code", N_("该统一社会信用代码已有经营者注册。"))
    organisation = Organisation(
        name=data.name.strip(),
        credit_code=code,
        role=OrganisationRole(data.role),
        contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone.strip(),
        contact_email=(data.contact_email or "").strip().lower() or None,
        status=status,
        decided_at=utcnow() if status != Status.pending else None,
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation.created", organisation, after=_audit_view(organisation))
    return organisation


def register_organisation(data: OrganisationData, user: services.UserData) -> User | None:
    """A business registers itself: a pending organisation and its first user.

    Returns None, with nothing written, when the login is already registered: the caller gives
    the same answer either way (as consumer registration does), and the password is hashed
    either way so the time taken does not tell them apart. A taken credit code raises
    OrganisationError, which the form shows (the code of a business is public).
    """
    savepoint = db.session.begin_nested()
    organisation = create_organisation(data, None)
    try:
        account = services.create_user(
            services.UserData(user.name, user.password, Role.business, user.mobile, user.email)
        )
    except services.LoginTaken:
        savepoint.rollback()
        generate_password_hash(user.password, services.password_hash_method())
        return None
    account.organisation_id = organisation.id
    db.session.flush()
    audit.record(account, "organisation.registered", organisation, after={"user_id": account.id})
    return account


def decide(
    organisation: Organisation, decision: OrganisationStatus, note: str, actor: User
) -> list[Case]:
    """Approve, reject or suspend `organisation` with a note; return the cases an approval linked.

    Approving links the open cases against a business of exactly this name that no organisation
    holds yet. Raises OrganisationError("decision") for a move its status does not allow.
    """
    if organisation.status not in DECISIONS.get(decision, frozenset()):
        raise OrganisationError("decision", N_("该经营者当前的状态不能进行这项操作。"))
    before = {"status": organisation.status, "decision_note": organisation.decision_note}
    organisation.status = decision
    organisation.decision_note = note.strip()[:500]
    organisation.decided_at = utcnow()
    db.session.flush()
    after = {"status": decision, "decision_note": organisation.decision_note}
    audit.record(actor, f"organisation.{decision}", organisation, before=before, after=after)
    if decision != Status.approved:
        return []
    cases = queries.list_unlinked_open_cases_named(organisation.name)
    for case in cases:
        link_case(case, organisation, actor)
    return cases


def link_case(case: Case, organisation: Organisation, actor: User) -> None:
    """Name `organisation` as the business `case` is against (its users then see the case)."""
    before = {"organisation_id": case.organisation_id}
    case.organisation_id = organisation.id
    db.session.flush()
    audit.record(
        actor,
        "case.organisation_linked",
        case,
        before=before,
        after={"organisation_id": organisation.id, "name": organisation.name},
    )


def unlink_case(case: Case, actor: User) -> None:
    """Take the organisation off `case` (its users no longer see it)."""
    before = {"organisation_id": case.organisation_id}
    case.organisation_id = None
    db.session.flush()
    audit.record(actor, "case.organisation_unlinked", case, before=before, after={})


def invite_user(
    organisation: Organisation, name: str, mobile: str | None, email: str | None, actor: User
) -> invitations.OpenedAccount:
    """Open a business account for `organisation` with a one-time link (shown once to staff).

    Raises services.AccountError (field "mobile" or "email") when a login is malformed or taken.
    """
    opened = invitations.open_account(
        name, Role.business, mobile, email, invitations.Handover.link, actor
    )
    opened.user.organisation_id = organisation.id
    db.session.flush()
    audit.record(
        actor, "organisation.user_invited", organisation, after={"user_id": opened.user.id}
    )
    return opened


def create_for_case(
    case: Case,
    data: OrganisationData,
    name: str,
    mobile: str | None,
    email: str | None,
    actor: User,
) -> invitations.OpenedAccount:
    """For a case whose business has no account: record it as an approved organisation, link the
    case to it and invite its first user (one-time link)."""
    organisation = create_organisation(data, actor, status=Status.approved)
    link_case(case, organisation, actor)
    return invite_user(organisation, name, mobile, email, actor)
