"""The generated audit trail's hash chain, computed in bulk exactly as disputes.audit links entries.

The digest text is built directly (a format string over sorted keys, the way chain_digest's
canonical JSON comes out) because calling chain_digest per row would double the generator's run
time; the first entry of every batch is checked against chain_digest itself, so a change to the
audit format fails loudly instead of writing a broken chain.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bench.datagen_writers import Writer, _moment
from disputes import audit

#: Columns of the audit rows AuditChain.link returns.
COLUMNS = (
    "id", "at", "actor_id", "action", "object_type", "object_id", "case_id", "after", "before",
    "prev_hash", "entry_hash",
)  # fmt: skip


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'


class AuditChain:
    """Numbers audit events after the existing trail and links each to the one before."""

    def __init__(self, w: Writer) -> None:
        last = w.query("SELECT id, entry_hash FROM audit_events ORDER BY id DESC LIMIT 1")
        self.last_id, self.head = (last[0][0], last[0][1]) if last else (0, audit.GENESIS)

    def link(self, events: list[tuple]) -> list[tuple]:
        """Return rows of COLUMNS for `events` (moment, actor, action, type, id, case, after,
        before), sorted by time, with ids, prev_hash and entry_hash set."""
        events.sort(key=lambda e: e[0])
        rows, sha, head, next_id = [], hashlib.sha256, self.head, self.last_id
        for moment, actor, action, object_type, object_id, case_id, after, before in events:
            next_id += 1
            at = _moment(moment)
            text = (
                f'{{"action":"{action}","actor_id":{_json(actor)},"after":{after or "null"},'
                f'"at":"{at[:10]}T{at[11:]}","before":{before or "null"},'
                f'"case_id":{_json(case_id)},"id":{next_id},"object_id":{_json(object_id)},'
                f'"object_type":{_json(object_type)},"prev_hash":"{head}"}}'
            )
            digest = sha(text.encode()).hexdigest()
            rows.append(
                (next_id, at, actor, action, object_type, object_id, case_id, after, before, head,
                 digest)
            )  # fmt: skip
            head = digest
        if rows:
            self._check(rows[0])
        self.last_id, self.head = next_id, head
        return rows

    @staticmethod
    def _check(row: tuple) -> None:
        """Compare the fast digest of `row` with disputes.audit.chain_digest."""
        import json

        fields = dict(zip(COLUMNS, row, strict=True))
        for name in ("after", "before"):
            fields[name] = None if fields[name] is None else json.loads(fields[name])
        if audit.chain_digest(fields) != fields["entry_hash"]:
            raise RuntimeError("bench/datagen_chain.py no longer matches audit.chain_digest")
