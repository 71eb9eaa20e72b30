"""The 2013 → 2022 transition: a 2013 car whose case reaches into the time of the 2022 rules.

SAMR Order No. 43 (in force 2022-01-01) repeals the 2013 rules without a transitional clause.
The regime stays the one of the invoice date (regulation.md §1), but courts have applied the
2022 text to cars bought in 2021 whose failure, repair or claim came after 2022-01-01, while
mediators applied 2013. When a 2013 case has such a date the engine warns, naming the conflict,
and also reads the case under the 2022 rules (``Assessment.alternatives``) with what differs.
"""

from datetime import date
from typing import Final

from rules.facts import Facts, day_of
from rules.params import Params
from rules.periods import Note

#: the assemblies in the order the regulation names them
_ASSEMBLY_ORDER: Final = ("engine", "transmission", "power_battery", "drive_motor")


def crossing(facts: Facts, since: date) -> Note | None:
    """Return the warning note when a failure, repair day or written request falls on or after
    ``since`` (the 2022 rules' first day), else None.

    Reading: a visit reaches into 2022 when it starts, ends (still in the workshop: ``as_of``)
    or had a part diagnosed as needing replacement on or after ``since``; ``as_of`` alone does
    not (it is only the day the case is looked at).
    """
    as_of = facts.as_of.date
    which = []
    for i, ev in enumerate(facts.events):
        last = as_of if ev.end is None else day_of(ev.end)
        diagnosed = [r.diagnosed_date for r in ev.replaced if r.diagnosed_date is not None]
        if last >= since or day_of(ev.start) >= since or any(d >= since for d in diagnosed):
            which.append(f"events[{i}]")
    request = facts.written_request_date
    if request is not None and request < since:
        request = None
    if not which and request is None:
        return None
    return (
        "transition_2022",
        (("which", ", ".join(which)), ("request", request), ("since", since)),
    )


def differences(old: Params, new: Params) -> tuple[tuple[str, object, object], ...]:
    """Return what the ``new`` rules change for the same facts, as (what, old, new) values.

    Thresholds are the first number that opens the ground ("超过35日" → 36).
    """
    return (
        ("repair_days", old.repair_days_over + 1, new.repair_days_over + 1),
        ("repeat_repairs", old.repeat_repairs_over + 1, new.repeat_repairs_over + 1),
        # 2013.21.1 grants replacement only (return needs 2013.23); 2022.24.1.4 grants both.
        ("time_or_count_return", False, True),
        ("first_week_days", old.first_week_days, new.first_week_days),
        ("early_assemblies", _in_order(old.early_assemblies), _in_order(new.early_assemblies)),
        ("rate_range", [float(old.rate_min), float(old.rate_max)],
         [float(new.rate_min), float(new.rate_max)]),
        ("completion_working_days", old.completion_working_days, new.completion_working_days),
        ("start_from_delivery", old.start_from_delivery, new.start_from_delivery),
    )  # fmt: skip


def _in_order(assemblies: frozenset[str]) -> list[str]:
    return [name for name in _ASSEMBLY_ORDER if name in assemblies]
