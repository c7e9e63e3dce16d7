"""`flask mail send-test --to ADDRESS` (check the e-mail settings by sending one message) and
`flask mail deliver` (deliver what is due once; `flask worker` does it in a loop)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from govtrack.core.mail import deliver_due, send_mail
from govtrack.core.records import unit_of_work

mail_cli = AppGroup("mail", help="E-mail.")


@mail_cli.command("send-test")
@click.option("--to", "recipient", required=True, help="The address to send the test to.")
def send_test(recipient: str) -> None:
    """Send a test message with the current settings and say whether it went."""
    config = current_app.config
    if config["SMTP_HOST"]:
        route = f"{config['SMTP_HOST']}:{config['SMTP_PORT']}"
        if config["SMTP_SSL"]:
            route += " (TLS)"
        elif config["SMTP_STARTTLS"]:
            route += " (STARTTLS)"
    else:
        route = "the console (SMTP_HOST is not set)"
    with unit_of_work():
        message = send_mail(
            recipient,
            "govtrack: test message",
            f"This is a test message from govtrack, sent through {route} from "
            f"{config['MAIL_FROM']}.\nIf you can read it, e-mail works.",
        )
    deliver_due(only=[message.id])  # this one, now, whatever else waits
    if message.sent_at is None:
        raise click.ClickException(f"Not sent through {route}: {message.error}")
    if config["SMTP_HOST"]:
        click.echo(f"Sent to {recipient} through {route}.")
    else:
        click.echo(f"Written to the console, not sent: SMTP_HOST is not set (to {recipient}).")


@mail_cli.command("deliver")
def deliver() -> None:
    """Deliver the e-mails due now (new ones, and failed ones whose next try has come)."""
    click.echo(str(deliver_due()))
