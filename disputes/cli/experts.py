"""`flask --app disputes experts route-accepted`: route every accepted case in one batch."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from disputes.auth.models import Role
from disputes.auth.queries import get_user_by_login
from disputes.db import db
from disputes.experts import services

experts_cli = AppGroup("experts", help="The expert panel: routing cases to experts.")


@experts_cli.command("route-accepted")
@click.option("--actor", required=True, help="Login (e-mail or mobile) of the staff routing.")
def route_accepted(actor: str) -> None:
    """Route every accepted case to an expert; the rest stay in the manual-routing queue."""
    user = get_user_by_login(actor)
    if user is None or user.role not in (Role.staff, Role.admin):
        raise click.BadParameter("not a staff or admin account", param_hint="--actor")
    routed, manual = services.route_accepted(user)
    db.session.commit()
    click.echo(f"Routed {routed} case(s); {manual} left for manual routing.")
