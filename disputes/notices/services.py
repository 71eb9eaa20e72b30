"""Every write about notices: issue_notice renders, stores, numbers and audits one notice
(flushes; the caller commits)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app

from disputes import audit
from disputes.auth.models import User
from disputes.calendar import local_day
from disputes.cases.models import Case
from disputes.cases.uploads import write_checked
from disputes.db import db, utcnow
from disputes.notices import queries
from disputes.notices.models import NUMBER_MARKS, CaseNotice, NoticeKind
from disputes.notices.pdf import NoticeText, render_notice
from disputes.privacy.masking import mask_name

#: Digits of a notice number's sequence (2026-受-0001).
SEQUENCE_DIGITS = 4


def next_number(kind: NoticeKind, year: int) -> str:
    """Return the next free number of `kind` in `year` (call with the audit chain lock held,
    which every writer takes, so two issues cannot draw the same number)."""
    prefix = f"{year}-{NUMBER_MARKS[kind]}-"
    last = queries.last_number(prefix)
    serial = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{serial:0{SEQUENCE_DIGITS}d}"


def _complainant(case: Case, to_consumer: bool) -> str:
    """The complainant's name as the notice prints it: masked on a notice to the business alone
    unless the consumer shared their details with it."""
    if to_consumer or getattr(case, "contact_shared_with_business", False):
        return case.contact_name
    return mask_name(case.contact_name)


def issue_notice(
    case: Case,
    kind: NoticeKind,
    *,
    to_consumer: bool,
    to_business: bool,
    actor: User | None,
    title: str,
    paragraphs: Sequence[str],
    rows: Sequence[tuple[str, str]] = (),
    article: str = "",
) -> CaseNotice:
    """Render, store and number one notice of `case`; audit case.notice_issued (which puts it on
    the case's timeline and tells the parties addressed)."""
    issued_at = utcnow()
    audit.lock_chain()
    number = next_number(kind, local_day(issued_at).year)
    body = render_notice(
        NoticeText(
            bureau=current_app.config["BUREAU_NAME"],
            title=title,
            number=number,
            case_number=case.number,
            complainant=_complainant(case, to_consumer),
            business=case.business_name,
            to_consumer=to_consumer,
            to_business=to_business,
            paragraphs=list(paragraphs),
            rows=list(rows),
            article=article,
            issued_on=local_day(issued_at),
        )
    )
    stored = write_checked(body, "application/pdf", f"{title}-{number}.pdf")
    notice = CaseNotice(
        case=case,
        kind=kind,
        number=number,
        title=title,
        to_consumer=to_consumer,
        to_business=to_business,
        stored_name=stored.stored_name,
        sha256=stored.sha256,
        issued_by=actor,
        issued_at=issued_at,
        article=article,
    )
    db.session.add(notice)
    db.session.flush()
    audit.record(
        actor,
        "case.notice_issued",
        notice,
        case=case,
        after={
            "kind": kind,
            "number": number,
            "title": title,
            "to_consumer": to_consumer,
            "to_business": to_business,
            "article": article,
            "sha256": stored.sha256,
        },
    )
    return notice
