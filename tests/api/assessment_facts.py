"""The assessments endpoint and a small valid facts body the API tests post to it."""

from __future__ import annotations

from typing import Any

URL = "/api/v1/assessments"


#: A small valid 2013 case of our own (not copied from the shared cases).
FACTS: dict[str, Any] = {
    "purchase": {"invoice_date": "2015-03-02", "price_yuan": 98000},
    "problems": {"P1": {"system": "steering", "description": "方向盘异响"}},
    "events": [{"problem": "P1", "start": "2015-04-01", "end": "2015-04-02", "odometer_km": 1500}],
    "as_of": {"date": "2015-05-01", "odometer_km": 2600},
}
