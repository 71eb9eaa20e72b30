"""What the business tests post and count: a repair-record visit as the records form posts it,
and the number of stored business answers."""

from __future__ import annotations

from disputes.business.answers import BusinessResponse
from disputes.db import db


def visit_form(**overrides):
    """One visit where the dealer found the transmission must be replaced, as a POST."""
    data = {
        "events-0-problem": "P1",
        "events-0-start_date": "2024-05-25",
        "events-0-end_date": "2024-05-26",
        "events-0-odometer_km": "500",
        "events-0-fault_found": "y",
        "events-0-work_done": "诊断变速器总成需要更换",
        "events-0-replaced-0-assembly": "transmission",
        "events-0-replaced-0-part": "变速器总成",
        "events-0-replaced-0-whole_assembly": "y",
        "events-0-replaced-0-status": "replacement_needed",
        "events-0-replaced-0-diagnosed_by": "repairer",
        "note": "内部：配件已订货",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count_answers(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(BusinessResponse.id)))
