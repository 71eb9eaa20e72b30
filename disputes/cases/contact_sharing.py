"""The consumer's consent to show the business their full name and contact details.

Without it the business's users see them masked (business/contact.py). The consumer switches it
on or off on the case page; each change is audited.
"""

from __future__ import annotations

from disputes import audit
from disputes.auth.models import User
from disputes.cases.models import Case
from disputes.db import db


def set_contact_sharing(case: Case, shared: bool, actor: User) -> bool:
    """Record the consumer's choice; return whether it changed anything."""
    if case.contact_shared_with_business == shared:
        return False
    before = {"contact_shared_with_business": case.contact_shared_with_business}
    case.contact_shared_with_business = shared
    db.session.flush()
    action = "case.contact_shared" if shared else "case.contact_unshared"
    audit.record(actor, action, case, before=before, after={"contact_shared_with_business": shared})
    return True
