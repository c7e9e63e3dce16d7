"""`flask scrutiny import FILE --inquiry ID` (with a progress bar), and what the clock does for
scrutiny (run by `flask tick`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from govtrack.auth.models import system_actor
from govtrack.core.dates import local_date, today
from govtrack.core.records import Invalid, unit_of_work
from govtrack.core.spreadsheet import cli_progress
from govtrack.scrutiny import commands, queries, sheets

scrutiny_cli = AppGroup("scrutiny", help="Scrutiny recommendations: import a tracker.")


@scrutiny_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--inquiry", "inquiry_id", type=int, required=True, help="The inquiry's id.")
def import_command(file: Path, inquiry_id: int) -> None:
    """Import recommendations and updates from a CSV or Excel file in the export's format.

    Every row is checked first; if any has a problem, each is listed with its row number and
    nothing is written."""
    inquiry = queries.load_inquiry(inquiry_id)
    if inquiry is None:
        raise click.ClickException(f"No inquiry with id {inquiry_id}")
    day = today()
    plan = sheets.plan(inquiry, file.read_bytes(), file.name, day)
    if not plan.valid:
        for problem in plan.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(plan.problems)} problem(s) in {file.name}: nothing was imported"
        )
    actor = system_actor(f"Import of {file.name}")
    try:
        with unit_of_work():
            written = sheets.write(actor, inquiry, plan, day, progress=cli_progress)
    except Invalid as exc:
        for column, message in exc.problems.items():
            click.echo(f"{column}: {message}", err=True)
        raise click.ClickException(
            f"{file.name} could not be imported: nothing was imported"
        ) from None
    click.echo(
        f"Imported {file.name}: {written.recommendations} recommendation(s) added or changed, "
        f"{written.updates} update(s) added, {written.unchanged} row(s) already recorded."
    )


def refresh_rags(now: datetime) -> str:
    """Re-derive open recommendations' RAG for today: dates pass."""
    changed = commands.refresh_rags(system_actor("RAG tick"), local_date(now))
    return f"{changed} recommendation(s) changed RAG."
