"""A consumer's own account: correcting their contact details and closing the account.

Closing keeps the cases: the bureau must keep them while they are handled and then for
RETENTION_YEARS (retention.py). The account itself is deactivated and anonymised at once, and the
unsubmitted drafts are deleted with their files. Writes flush and audit; the view commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from disputes import audit
from disputes.auth import queries as auth_queries
from disputes.auth.models import User
from disputes.auth.services import AccountError
from disputes.cases.services import delete_draft
from disputes.db import db, utcnow
from disputes.i18n import lazy_gettext as _l
from disputes.privacy import queries

#: The name a closed account keeps (cases still point at the account).
CLOSED_NAME = "已注销用户"


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """What a consumer may correct about themselves."""

    name: str
    mobile: str | None
    email: str | None


def update_contact_details(user: User, details: ContactDetails) -> list[str]:
    """Correct the user's name, mobile and e-mail; return the fields changed (AccountError when
    a mobile or e-mail belongs to another account). The audit names the fields, not the values."""
    mobile = auth_queries.normalise_mobile(details.mobile) if details.mobile else None
    email = details.email.strip().lower() if details.email else None
    other = auth_queries.get_user_by_mobile(mobile) if mobile else None
    if other is not None and other.id != user.id:
        raise AccountError("mobile", _l("该手机号已被其他账户使用。"))
    other = auth_queries.get_user_by_email(email) if email else None
    if other is not None and other.id != user.id:
        raise AccountError("email", _l("该电子邮箱已被其他账户使用。"))
    wanted = {"name": details.name.strip(), "mobile": mobile, "email": email}
    changed = [field for field, value in wanted.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, wanted[field])
    db.session.flush()
    if changed:
        audit.record(user, "user.contact_updated", user, after={"fields": changed})
    return changed


def close_account(user: User) -> int:
    """Deactivate and anonymise the account, delete its unsubmitted drafts; return the number of
    open cases, which stay with the bureau."""
    drafts = queries.list_own_drafts(user)
    for draft in drafts:
        delete_draft(draft)
    open_cases = queries.count_open_cases(user)
    user.name = CLOSED_NAME
    user.mobile = user.email = None
    user.password_hash = "!closed:" + secrets.token_hex(16)
    user.password_changed_at = utcnow()
    user.is_active = False
    db.session.flush()
    audit.record(user, "user.account_closed", user, after={"open_cases": open_cases})
    return open_cases
