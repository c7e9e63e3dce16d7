"""`flask user reset-two-factor`: for a person locked out of two-factor sign-in."""

from __future__ import annotations

import click

from govtrack.auth import two_factor
from govtrack.auth.services import AccountError, find_user, normalise_email
from govtrack.core.records import unit_of_work


def _reset(email: str):
    user = find_user(email)
    if user is None:
        raise AccountError(f"No account for {normalise_email(email)}")
    two_factor.reset(None, user)
    return user


@click.command("reset-two-factor")
@click.option("--email", required=True)
def reset_two_factor(email: str) -> None:
    """Clear an account's two-factor secret and recovery codes and end its sessions (for a
    person who lost their phone and codes); they set it up again at their next sign-in."""
    try:
        with unit_of_work():
            user = _reset(email)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Two-factor sign-in reset for {user.email}; every session ended.")
