"""The three-guarantee regulation as code: a pure function from facts to an assessment.

Public API only; the facts and assessment it takes and gives are the contract, rules/CONTRACT.md.
``COMPILED`` tells whether the mypyc build of the engine is in use (see ``rules.native``);
results are the same either way.
"""

from rules.native import activate

COMPILED = activate(__path__)

from rules.articles import (  # noqa: E402
    ARTICLES,
    Article,
    article_text,
    article_texts,
    basis_for,
    cited,
)
from rules.assessment import (  # noqa: E402  (after activate: may load compiled code)
    CONTRACT_VERSION,
    Assessment,
)
from rules.computation import trace  # noqa: E402
from rules.engine import assess  # noqa: E402
from rules.facts import Facts, FactsError  # noqa: E402
from rules.parsing import parse_facts  # noqa: E402
from rules.workdays import (  # noqa: E402
    YearCalendar,
    add_working_days,
    is_workday,
    parse_calendar,
)

__all__ = [
    "ARTICLES",
    "COMPILED",
    "CONTRACT_VERSION",
    "Article",
    "Assessment",
    "Facts",
    "FactsError",
    "YearCalendar",
    "add_working_days",
    "article_text",
    "article_texts",
    "assess",
    "basis_for",
    "cited",
    "is_workday",
    "parse_calendar",
    "parse_facts",
    "trace",
]
