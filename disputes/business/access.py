"""The business room's gate: a Role.business user of an approved organisation.

Object-level checks against a case use `acts_for` (auth/organisations.py) in
`load_organisation_case`, the room's one case loader.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, render_template, request
from flask_login import current_user

from disputes.access import deny, role_required
from disputes.auth.organisations import Organisation, OrganisationStatus, acts_for
from disputes.business import queries
from disputes.cases import queries as case_queries
from disputes.cases.models import Case
from disputes.db import db

F = TypeVar("F", bound=Callable[..., Any])

#: Endpoints where a not-yet-approved organisation's user sees its status page with a 200.
STATUS_ENDPOINTS = frozenset({"business.index"})


def current_organisation() -> Organisation | None:
    """The organisation the logged-in business user acts for (None when there is none): the one
    read with the user at the start of the request (access.load_user), else read now."""
    organisation_id = getattr(current_user, "organisation_id", None)
    if organisation_id is None:
        return None
    loaded = g.get("organisation")
    if loaded is not None and loaded.id == organisation_id:
        return loaded
    return db.session.get(Organisation, organisation_id)


def business_required(view: F) -> F:
    """Gate a view to business users of an approved organisation.

    The user of a pending, rejected or suspended organisation (or of none) sees its status page
    instead: with a 200 on the landing page, a 403 anywhere else.
    """

    @wraps(view)
    def approved_only(*args: Any, **kwargs: Any) -> Any:
        organisation = current_organisation()
        if organisation is None or organisation.status != OrganisationStatus.approved:
            status = 200 if request.endpoint in STATUS_ENDPOINTS else 403
            return render_template("business/status.html", organisation=organisation), status
        return view(*args, **kwargs)

    return role_required("business")(approved_only)  # type: ignore[return-value]


def load_organisation_case(case_id: int) -> Case:
    """Return a case the user's organisation is a party to, from acceptance on; else 404."""
    case = case_queries.get_case_with_details(case_id)
    if case is None:
        abort(404)
    if not acts_for(current_user, case.organisation_id) or not queries.is_visible_to_business(case):
        deny(case)
    return case
