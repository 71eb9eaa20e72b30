"""`flask --app disputes uploads sweep [--grace-minutes N] [--dry-run]`: remove evidence files no
row names (left by a worker killed mid-upload or mid-deletion); run it daily from cron."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from disputes.cases.uploads import sweep_orphans

uploads_cli = AppGroup("uploads", help="The evidence files under UPLOAD_FOLDER.")


@uploads_cli.command("sweep")
@click.option(
    "--grace-minutes",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Keep files written more recently than this (an upload may still be committing).",
)
@click.option("--dry-run", is_flag=True, help="List the files that would be removed.")
def sweep(grace_minutes: int, dry_run: bool) -> None:
    """Remove files that no attachment or draft file names and that are older than the grace."""
    orphans = sweep_orphans(timedelta(minutes=grace_minutes), dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for name in orphans:
        click.echo(f"{verb} {name}")
    click.echo(f"{verb} {len(orphans)} file(s) that no row names.")
