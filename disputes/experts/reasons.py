"""Routing reasons in the reader's language: the template filters of the routing and case pages.

routing.py keeps reasons as codes with parameters; here they are put into words with gettext at
display time. Assignments made before the codes were stored show their Chinese note as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext

from disputes.experts.models import Assignment
from disputes.experts.routing import LIST_SEPARATOR, Reason, Routing, sentences_text


def reasons_text(reasons: Iterable[Reason]) -> str:
    """One expert's reasons in the ranking, as one line."""
    return gettext(LIST_SEPARATOR).join(r.text(gettext) for r in reasons)


def routing_note(result: Routing) -> str:
    """The note routing would write now: the choice, its reasons and who was excluded why."""
    return sentences_text(result.sentences(), gettext)


def stored_note(codes: list[dict[str, Any]]) -> str:
    """A routing note stored as codes (an assignment's, a status change's)."""
    return sentences_text((Reason.from_dict(r) for r in codes), gettext)


def assignment_note(assignment: Assignment) -> str:
    """Why the assignment was made (and ended)."""
    if assignment.reasons is None:
        return assignment.reason
    return stored_note(assignment.reasons)


FILTERS = {
    "routing_reasons": reasons_text,
    "routing_note": routing_note,
    "stored_routing_note": stored_note,
    "assignment_note": assignment_note,
}
