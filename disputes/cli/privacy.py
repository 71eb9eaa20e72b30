"""`flask --app disputes privacy purge [--dry-run] [--before DATE]`: apply the retention rules;
`privacy remove NUMBER`: remove one case at once (an erasure request, a case filed by mistake)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from disputes.calendar import local_day
from disputes.db import db, utcnow
from disputes.privacy import queries as privacy_queries
from disputes.privacy import retention
from disputes.privacy.removal import remove_case
from disputes.staff.rollup import refresh_tallies

privacy_cli = AppGroup(
    "privacy", help="Personal data: retention purge and removal of cases with their files."
)


@privacy_cli.command("purge")
@click.option(
    "--dry-run", is_flag=True, help="List the cases that would be purged; change nothing."
)
@click.option(
    "--before",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Purge cases that ended before this day (YYYY-MM-DD); it may not be later than the "
    "retention cut-off (today minus RETENTION_YEARS).",
)
def purge(dry_run: bool, before: datetime | None) -> None:
    """Delete finished cases past retention and drafts abandoned for DRAFT_RETENTION_DAYS, with
    their files (removed after the commit)."""
    cutoff = retention.retention_cutoff(local_day())
    if before is not None:
        if before.date() > cutoff:
            raise click.BadParameter(
                f"{before.date()} is later than the retention cut-off {cutoff}: "
                "those cases are still within retention.",
                param_hint="--before",
            )
        cutoff = before.date()
    result = retention.purge(cutoff, None, dry_run=dry_run)
    drafts = retention.purge_drafts(retention.draft_cutoff(utcnow()), None, dry_run=dry_run)
    if not dry_run:
        db.session.commit()
        # A purge touches many old submission days: recount them here, in a transaction of
        # their own, not on the next statistics view.
        refresh_tallies()
        db.session.commit()
    _report(result)
    verb = "Would purge" if dry_run else "Purged"
    click.echo(
        f"{verb} {drafts.drafts} abandoned draft(s) and {drafts.files} file(s) "
        f"unchanged since before {drafts.cutoff:%Y-%m-%d %H:%M} UTC."
    )


@privacy_cli.command("remove")
@click.argument("number")
@click.confirmation_option(
    prompt="Delete this case, its rows and its files for good?",
    help="Confirm without being asked.",
)
def remove(number: str) -> None:
    """Delete the case NUMBER now, whatever its state, with its files (audited as case.purged)."""
    case = privacy_queries.get_case_to_remove(number)
    if case is None:
        raise click.ClickException(f"no case {number}")
    files = len(remove_case(case, None))
    db.session.commit()
    click.echo(f"Removed {number} and {files} file(s).")


def _report(result: retention.PurgeResult) -> None:
    verb = "Would purge" if result.dry_run else "Purged"
    for number in result.numbers:
        click.echo(f"{verb} {number}")
    click.echo(
        f"{verb} {len(result.numbers)} case(s) and {result.files} file(s) "
        f"that ended before {result.cutoff}."
    )
