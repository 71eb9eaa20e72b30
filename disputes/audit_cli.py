"""`flask --app disputes audit verify`: walk the audit log's hash chain and name the first break."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from disputes.audit import verify_chain

audit_cli = AppGroup("audit", help="Check the append-only audit log.")


@audit_cli.command("verify")
def verify() -> None:
    """Verify every entry's hash and link in id order; exit 1 at the first broken entry."""
    report = verify_chain()
    if not report.ok:
        raise click.ClickException(
            f"audit chain broken at entry #{report.broken_id}: {report.problem} "
            f"({report.verified} entries before it verified)"
        )
    click.echo(f"{report.verified} entries verified; chain head {report.head}")
