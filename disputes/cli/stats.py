"""`flask --app disputes stats rebuild`: recount the statistics page's tallies from the cases."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from disputes.db import db

stats_cli = AppGroup("stats", help="The statistics page's tallies.")


@stats_cli.command("rebuild")
def rebuild_stats() -> None:
    """Recount every statistics tally from the cases (after a bulk import or an upgrade)."""
    from disputes.audit import lock_chain
    from disputes.staff import rollup, stats

    lock_chain()
    rollup.rebuild(db.session.connection())
    db.session.commit()
    rows = stats.count_status_rows()
    click.echo(f"statistics tallies rebuilt: {rows} status rows")
