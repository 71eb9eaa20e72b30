"""`flask --app disputes demo load|load-year|logins`: the demonstration panel, accounts and cases
(`make run` loads them), and a generated year of cases for the dashboard and statistics."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from disputes.db import db

demo_cli = AppGroup("demo", help="Demonstration data: the 22-expert panel, accounts and cases.")


@demo_cli.command("load")
def load_demo() -> None:
    """Load the demo panel, accounts and cases (a second run changes nothing)."""
    from disputes import demo

    created = demo.load()
    db.session.commit()
    if created:
        click.echo("Demo data loaded: " + ", ".join(f"{n} {what}" for what, n in created.items()))
    else:
        click.echo("Demo data already present; nothing changed.")


@demo_cli.command("load-year")
@click.option("--cases", default=360, show_default=True, help="How many cases to generate.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same data).")
def load_demo_year(cases: int, seed: int) -> None:
    """Fill a year of plausible cases for the dashboard and statistics (idempotent)."""
    from disputes.demo import year

    created = year.load_year(cases, seed=seed)
    db.session.commit()
    if created:
        click.echo("Demo year loaded: " + ", ".join(f"{n} {what}" for what, n in created.items()))
    else:
        click.echo("Demo year already present; nothing changed.")


@demo_cli.command("logins")
def demo_logins() -> None:
    """Print the demo accounts: role, login and password."""
    from disputes import demo

    click.echo(f"{'role':<9} {'login':<34} {'password':<10} name")
    for role, login, name in demo.logins():
        click.echo(f"{role:<9} {login:<34} {demo.DEMO_PASSWORD:<10} {name}")
