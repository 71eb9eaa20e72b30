"""`flask --app disputes audit verify`: walk the audit log's hash chain, compare it with the
signed checkpoints and name the first break; `audit checkpoint`: sign the current head (cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from disputes import audit_checkpoints
from disputes.audit_checkpoints import CheckpointError

audit_cli = AppGroup("audit", help="Check the append-only audit log.")


@audit_cli.command("verify")
def verify() -> None:
    """Verify every entry's hash and link in id order, and every signed checkpoint; exit 1 at the
    first break, naming the last checkpoint that still holds."""
    report = audit_checkpoints.verify()
    if not report.ok:
        raise click.ClickException(audit_checkpoints.describe_failure(report))
    click.echo(f"{report.chain.verified} entries verified; chain head {report.chain.head}")
    if report.last_good is None:
        click.echo("No signed checkpoint yet: run `flask audit checkpoint` regularly.")
    else:
        last = report.last_good.describe()
        click.echo(f"{report.checkpoints} checkpoint(s) hold; the last is the {last}")


@audit_cli.command("checkpoint")
def checkpoint() -> None:
    """Verify the log, then append a signed checkpoint of its head (exit 1, signing nothing, when
    the log or an earlier checkpoint does not verify)."""
    try:
        written = audit_checkpoints.checkpoint_head("command")
    except CheckpointError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Signed the {written.describe()}")
