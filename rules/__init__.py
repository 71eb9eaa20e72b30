"""The three-guarantee regulation as code: a pure function from facts to an assessment.

Public API only; see ../shared/spec/contract.md.
"""

from rules.assessment import Assessment
from rules.engine import assess
from rules.facts import Facts, FactsError
from rules.parsing import parse_facts
from rules.workdays import YearCalendar, add_working_days, is_workday, parse_calendar

__all__ = [
    "Assessment",
    "Facts",
    "FactsError",
    "YearCalendar",
    "add_working_days",
    "assess",
    "is_workday",
    "parse_calendar",
    "parse_facts",
]
