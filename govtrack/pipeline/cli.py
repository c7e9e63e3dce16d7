"""`flask pipeline import FILE`: import the pipeline table from CSV or Excel, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from govtrack.auth.models import User, system_actor
from govtrack.core.dates import today
from govtrack.core.records import unit_of_work
from govtrack.core.spreadsheet import RowInvalid, cli_progress
from govtrack.db import db
from govtrack.pipeline import sheets

pipeline_cli = AppGroup("pipeline", help="The service-integration pipeline.")


@pipeline_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "email",
    default=None,
    help="Record the changes as this account (default: the command line, as an administrator).",
)
def import_command(file: Path, email: str | None) -> None:
    """Check every row of FILE (CSV or .xlsx, the table's export format), then write them all
    in one transaction; any problem writes nothing."""
    actor = system_actor(f"Command line import of {file.name}")
    if email:
        actor = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if actor is None or not actor.active:
            raise click.ClickException(f"No active account with the e-mail address {email}")
    plan, context = sheets.check(actor, file.read_bytes(), file.name, today())
    if not plan.valid or context is None:
        for problem in plan.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"Nothing imported: {len(plan.problems)} problem(s) in {file.name}."
        )
    try:
        with unit_of_work():
            done = sheets.write(actor, plan, context, progress=cli_progress)
    except RowInvalid as exc:
        raise click.ClickException(f"Nothing imported: {exc}") from exc
    click.echo(f"Imported {file.name}: {done.summary()}.")
