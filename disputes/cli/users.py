"""`flask --app disputes users create|list|reset-password`: accounts from the command line, where
the first staff and admin accounts are made."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from disputes.auth import queries as user_queries
from disputes.auth import services as user_services
from disputes.auth.models import Role
from disputes.db import db
from disputes.experts import panel
from disputes.experts import queries as expert_queries
from disputes.experts.models import Expert

users_cli = AppGroup("users", help="Manage accounts (staff and admins are created here).")


@users_cli.command("create")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.staff.value,
    show_default=True,
    help="Role of the new account.",
)
@click.option("--name", required=True, help="Display name, e.g. 王芳.")
@click.option("--mobile", default=None, help="11-digit mobile number (a login identifier).")
@click.option("--email", default=None, help="E-mail address (a login identifier).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (10+ characters, letters and digits, not common, not the login); "
    "prompted when omitted.",
)
@click.option(
    "--expert-code",
    default=None,
    help="With --role expert: link the account to this panel profile (e.g. E23).",
)
def create_user(
    role: str,
    name: str,
    mobile: str | None,
    email: str | None,
    password: str,
    expert_code: str | None,
) -> None:
    """Create an account; refuses a mobile number or e-mail already in use. An expert account
    is linked to its panel profile with --expert-code."""
    expert = _expert_to_link(role, expert_code) if expert_code else None
    data = user_services.UserData(name, password, Role(role), mobile, email)
    try:
        user = user_services.create_user(data)
        if expert is not None:
            panel.link_account(expert, user, None)
    except user_services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error.message}") from error
    db.session.commit()
    click.echo(f"Created {user.role} #{user.id} {user.name} ({user.login}).")
    if expert is not None:
        click.echo(f"Linked to expert {expert.code} {expert.name}.")


def _expert_to_link(role: str, code: str) -> Expert:
    """Return the panel profile `code` names, if an expert account may be linked to it."""
    if role != Role.expert:
        raise click.ClickException("--expert-code needs --role expert")
    expert = expert_queries.get_expert_by_code(code)
    if expert is None:
        raise click.ClickException(f"no expert with code {code!r}")
    if expert.user_id is not None:
        raise click.ClickException(f"expert {code} is already linked to an account")
    return expert


@users_cli.command("reset-password")
@click.argument("login")
def reset_password(login: str) -> None:
    """Give LOGIN (mobile or e-mail) a one-time password, printed once; it must be changed at
    the next login, and the account's sessions end."""
    user = user_queries.get_user_by_login(login)
    if user is None:
        raise click.ClickException(f"no account with login {login!r}")
    password = user_services.reset_password(user, None)
    db.session.commit()
    click.echo(f"Temporary password for {user.login}: {password}")
    click.echo("Shown once; the user must choose a new password at the next login.")


@users_cli.command("list")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=None, help="Only this role."
)
def list_users(role: str | None) -> None:
    """List accounts: id, role, active flag, login, name."""
    for user in user_queries.list_users(Role(role) if role else None):
        active = "active" if user.is_active else "inactive"
        click.echo(f"{user.id:>5}  {user.role:<8}  {active:<8}  {user.login:<32}  {user.name}")
