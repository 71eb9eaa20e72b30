"""Reads for the staff dashboard; they compose the cases and experts rooms' queries."""

from __future__ import annotations

from dataclasses import dataclass

from disputes.cases import queries as case_queries
from disputes.cases.models import Case, CaseStatus
from disputes.experts import queries as expert_queries
from disputes.experts.models import Expert

#: States in which a case waits for staff to screen it.
SCREENING_STATES = (CaseStatus.submitted, CaseStatus.screening)


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One expert on the dashboard with open cases against capacity."""

    expert: Expert
    open_cases: int

    @property
    def is_full(self) -> bool:
        """Tell whether the expert has no room for another case."""
        return self.open_cases >= self.expert.capacity


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the staff landing page shows."""

    counts: dict[CaseStatus, int]
    total: int
    to_screen: list[Case]
    recent: list[Case]
    panel: list[PanelRow]


def get_dashboard(limit: int = 10) -> Dashboard:
    """Collect the dashboard's counts, queues and panel load in a handful of queries."""
    counts = case_queries.count_cases_by_status()
    return Dashboard(
        counts=counts,
        total=sum(counts.values()),
        to_screen=case_queries.list_cases_in_status(SCREENING_STATES, limit),
        recent=case_queries.list_recent_cases(limit),
        panel=[PanelRow(e, n) for e, n in expert_queries.list_panel_with_load()],
    )
