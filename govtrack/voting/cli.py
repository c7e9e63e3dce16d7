"""`flask tick`: close decisions whose deadline has passed and send reminders (fit for cron)."""

from __future__ import annotations

import click

from govtrack.db import db, utcnow
from govtrack.voting import services


@click.command("tick")
def tick_command() -> None:
    """Close decisions past their deadline and remind voters whose vote closes soon."""
    now = utcnow()
    closed = services.close_due(now)
    reminded = services.reminders_due(now)
    db.session.commit()
    click.echo(f"Closed {closed} decision(s); sent {reminded} reminder(s).")
