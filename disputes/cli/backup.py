"""`flask --app disputes backup [--output DIR]` and `restore ARCHIVE [--yes]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from disputes import audit, audit_checkpoints
from disputes.audit_checkpoints import CheckpointError
from disputes.backup import BackupError, backend, create_backup, restore_backup
from disputes.db import db


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the archive (default: backups/ in the instance folder).",
)
def backup_command(output: Path | None) -> None:
    """Archive the database and the uploaded files into one timestamped .tar.gz."""
    folder = output or Path(current_app.instance_path) / "backups"
    try:
        archive, manifest = create_backup(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    audit.record(
        None,
        "backup.created",
        None,
        after={
            "archive": archive.name,
            "backend": manifest["backend"],
            "rows": sum(manifest["tables"].values()),
            "files": len(manifest["members"]) - 1,
            "audit_head": manifest["audit"]["head"],
        },
    )
    db.session.commit()
    rows = sum(manifest["tables"].values())
    click.echo(f"Backup written: {archive} ({rows} rows, {len(manifest['members']) - 1} files)")
    for name in manifest["missing_files"]:
        click.echo(f"Warning: {name} is named by a row but was not on disk", err=True)
    if not manifest["audit"]["intact"]:
        click.echo(
            "Warning: the audit log does not verify (see `flask audit verify`); "
            "no checkpoint was signed",
            err=True,
        )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database and the upload folder with ARCHIVE's, verify both, and log it."""
    if not yes:
        click.confirm(
            f"This replaces the {backend()} database and every uploaded file with {archive.name}. "
            "Stop the application first. Continue?",
            abort=True,
        )
    try:
        restored = restore_backup(archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    audit.record(
        None,
        "backup.restored",
        None,
        after={"archive": archive.name, "taken_at": restored.manifest["created_at"]},
    )
    db.session.commit()
    try:
        audit_checkpoints.start_series_after_restore()
    except CheckpointError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(restored.manifest["tables"].values())
    click.echo(
        f"Restored {archive.name} (taken {restored.manifest['created_at']}): {rows} rows, "
        f"{restored.files} files; {restored.audit_entries} audit entries verified"
    )
