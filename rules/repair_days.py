"""Repair time per visit and cumulative (regulation.md §3; 2013.19, 2013.21.2, 2022.24.3, 2022.40).

Which visits are counted is decided in ``rules.context``; this module only measures time.
"""

from datetime import date, datetime

from rules.facts import Event, day_of


def visit_days(event: Event, as_of: date) -> tuple[int, bool]:
    """Return (days, timed) for one visit; ``timed`` is False when counted by calendar days.

    With times on both ends: hours ÷ 24 rounded up, at least 1. 2022.40:
    以小时计算，每满24小时，为1日；余下时间不足24小时的，以1日计。
    With dates only: calendar days inclusive. ``end`` None means still in the workshop: counted
    up to ``as_of``.
    """
    start, end = event.start, event.end if event.end is not None else as_of
    if isinstance(start, datetime) and isinstance(end, datetime):
        # A timedelta holds whole days and the seconds left over: rounding up is adding one day
        # for any remainder, with no float division.
        spent = end - start
        days = spent.days + (1 if spent.seconds or spent.microseconds else 0)
        return max(1, days), True
    # Reading (regulation.md §3): dates only → end − start + 1; the engine warns times are missing.
    return max(1, (day_of(end) - day_of(start)).days + 1), False


def excluded_days(event: Event, kinds: tuple[str, ...]) -> int:
    """Return the days of a visit the regime keeps out of the cumulative repair time."""
    spent = event.excluded_days
    if not (spent.special_parts_transport or spent.rescue_travel or spent.battery_transport):
        return 0  # the usual case: nothing excluded, no lookup by name
    return sum(getattr(spent, kind) for kind in kinds)


def net_days(days: int, excluded: int) -> int:
    """Return a visit's days minus its excluded days, floored at 0."""
    return days - excluded if days > excluded else 0
