"""The panel change log in words: each audit event of an expert as "field: old → new" lines.

The events hold snapshot() dicts (panel.py); this turns them into labelled, translated values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from disputes.audit import AuditEvent
from disputes.audit_labels import action_label
from disputes.cases.vocabulary import SYSTEM_LABELS
from disputes.experts.models import AFFILIATION_LABELS
from disputes.formatting import N_

#: The snapshot fields in display order, with their labels.
FIELD_LABELS = {
    "code": N_("专家编号"),
    "name": N_("姓名"),
    "title": N_("职称"),
    "organisation": N_("工作单位"),
    "capacity": N_("在办上限"),
    "active": N_("状态"),
    "account": N_("登录账号"),
    "specialties": N_("专业领域"),
    "affiliations": N_("关联单位"),
    "relationships": N_("申报的与消费者的关系"),
    "reason": N_("理由"),
}


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one event: its label and the value before (None: not shown) and after."""

    label: str
    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One event of the change log, ready to display."""

    at: datetime
    action: str
    changes: list[Change]


def _value(key: str, value: Any) -> str:
    """Render one snapshot value in words."""
    if value is None or value == [] or value == "":
        return "—"
    if key == "active":
        return _("在岗") if value else _("停用/休假")
    if key == "specialties":
        return "、".join(_(SYSTEM_LABELS.get(s, s)) for s in value)
    if key == "affiliations":
        return "；".join(f"{_(AFFILIATION_LABELS.get(k, k))}：{name}" for k, name in value)
    if key == "relationships":
        return _("%(n)s 项", n=len(value))
    return str(value)


def describe(event: AuditEvent) -> HistoryEntry:
    """Return the event as its action's name and the fields it changed (all fields on creation)."""
    before, after = event.before or {}, event.after or {}
    changes = []
    for key, label in FIELD_LABELS.items():
        if key not in after:
            continue
        new = _value(key, after[key])
        if not before:
            changes.append(Change(_(label), None, new))
        elif key == "reason" or after[key] != before.get(key):
            old = None if key == "reason" else _value(key, before.get(key))
            changes.append(Change(_(label), old, new))
    return HistoryEntry(event.at, action_label(event.action), changes)
