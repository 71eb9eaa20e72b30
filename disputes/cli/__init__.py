"""Command-line tasks, one module per noun: `flask --app disputes users|demo|stats|audit|uploads|
privacy|experts ...`, and `backup`/`restore`. Every command is registered here and nowhere else.

The schema itself is managed by Flask-Migrate: `flask --app disputes db upgrade`.
"""

from __future__ import annotations

import click
from flask import Flask

from disputes.cli.audit import audit_cli
from disputes.cli.backup import backup_command, restore_command
from disputes.cli.demo import demo_cli
from disputes.cli.experts import experts_cli
from disputes.cli.privacy import privacy_cli
from disputes.cli.stats import stats_cli
from disputes.cli.uploads import uploads_cli
from disputes.cli.users import users_cli

#: Every top-level command: the groups by noun, then the two backup commands, which are not
#: grouped because `flask backup` and `flask restore` read as they are.
COMMANDS: tuple[click.Command, ...] = (
    users_cli,
    demo_cli,
    stats_cli,
    audit_cli,
    uploads_cli,
    privacy_cli,
    experts_cli,
    backup_command,
    restore_command,
)


def init_app(app: Flask) -> None:
    """Register every command on the app's `flask` command."""
    for command in COMMANDS:
        app.cli.add_command(command)
