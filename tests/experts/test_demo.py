"""The demo data shows routed cases (routed by the real router) and signed opinions."""

from __future__ import annotations

from disputes import demo
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import Assignment, Opinion, OpinionStatus


def test_demo_routes_cases_through_the_router_and_has_signed_opinions(app_ctx):
    demo.load()
    db.session.commit()

    assignments = list(db.session.scalars(db.select(Assignment).order_by(Assignment.id)))
    signed = list(db.session.scalars(db.select(Opinion).order_by(Opinion.id)))

    assert [a.expert.code for a in assignments] == ["E02", "E08"]
    assert all(a.reason.startswith("分派给 ") for a in assignments)
    assert "排除 E07：与该品牌存在关联" in assignments[0].reason
    assert [o.status for o in signed] == [OpinionStatus.signed, OpinionStatus.released]
    assert all(opinions.verify(o) for o in signed)
    assert demo.load() == {}
