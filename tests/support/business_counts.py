"""The statistics' business figures counted straight from the cases, for tests that check the
tallies' figures row by row (tests/staff/test_stats_business.py, tests/test_datagen.py)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from disputes.auth.organisations import Organisation
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.staff import business_stats, rollup
from disputes.staff.business_stats import BusinessView


def counted(label: Any) -> dict[str, tuple[int, int, int]]:
    """{label: (cases, closed, settled)} over the submitted cases, grouped by `label` (an
    expression over Case and its Organisation), named as the business view names them."""
    closed = Case.status == CaseStatus.closed
    settled = sa.and_(closed, Case.outcome.in_(rollup.SETTLED))
    stmt = (
        sa.select(
            label,
            sa.func.count(Case.id),
            sa.func.sum(sa.case((closed, 1), else_=0)),
            sa.func.sum(sa.case((settled, 1), else_=0)),
        )
        .select_from(Case)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        .where(Case.submitted_at.is_not(None))
        .group_by(label)
    )
    out: dict[str, tuple[int, int, int]] = {}
    for name, *figures in db.session.execute(stmt):
        key = name or business_stats.NONE
        before = out.get(key, (0, 0, 0))
        out[key] = tuple(a + int(b) for a, b in zip(before, figures, strict=True))
    return out


def by_business() -> dict[str, tuple[int, int, int]]:
    """Every business's figures: its organisation's name, else the typed name."""
    return counted(sa.func.coalesce(Organisation.name, Case.business_name))


def by_brand() -> dict[str, tuple[int, int, int]]:
    return counted(Case.brand)


def figures(view: BusinessView) -> tuple[dict, dict]:
    """The view's ({business: (cases, closed, settled)}, {brand: ...})."""
    businesses = {
        f.settlement.label: (f.settlement.cases, f.settlement.closed, f.settlement.settled)
        for f in view.businesses
    }
    return businesses, {s.label: (s.cases, s.closed, s.settled) for s in view.brands}
