"""`flask user create|set-password|disable`: managing accounts for real deployments."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from govtrack.auth import services
from govtrack.auth.enums import Role
from govtrack.core.records import unit_of_work

user_cli = AppGroup("user", help="Manage user accounts.")


def _run(action):
    try:
        with unit_of_work():
            return action()
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.password_option(help="Prompted for (twice) when not given.")
def create(email: str, name: str, role: str, password: str) -> None:
    """Create an account."""
    user = _run(lambda: services.create_user(None, email, name, Role(role), password))
    click.echo(f"Created {user.email} ({user.role.label}).")


@user_cli.command("set-password")
@click.option("--email", required=True)
@click.password_option(help="Prompted for (twice) when not given.")
def set_password(email: str, password: str) -> None:
    """Set a new password for an account."""
    user = _run(lambda: services.set_password(None, email, password))
    click.echo(f"Password set for {user.email}.")


@user_cli.command("disable")
@click.option("--email", required=True)
def disable(email: str) -> None:
    """Disable an account: it can no longer sign in; its history stays."""
    user = _run(lambda: services.disable_user(None, email))
    click.echo(f"Disabled {user.email}.")
