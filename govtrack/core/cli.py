"""`flask db upgrade` and `flask db downgrade` (Alembic migrations), `flask seed` (the
source-document data), `flask tick` (what the passing of time does, fit for cron), `flask
worker` (tick and deliver mail in a loop, for a service manager), and `flask backup` and `flask
restore` (the database and the papers, in one archive)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from govtrack.core import backup, clock
from govtrack.core.mail import deliver_due
from govtrack.core.seed import SeedError, load_seed, seed_needed

db_cli = AppGroup("db", help="Database migrations.")


def project_root() -> Path:
    """The top of the project (alembic.ini, migrations/, seed/): above the app's package."""
    return Path(current_app.root_path).parent


def alembic_config() -> Config:
    root = project_root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = current_app.config["DATABASE_URL"]
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Undo migrations back to REVISION (default: -1, the newest one applied)."""
    command.downgrade(alembic_config(), revision)


@click.command("seed")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database.")
@click.option(
    "--directory",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Where the seed files are (default: seed/ at the top of the project).",
)
def seed_command(if_empty: bool, directory: str | None) -> None:
    """Load the seed data transcribed from the source documents, all or nothing."""
    if if_empty and not seed_needed():
        click.echo("The database already holds data: nothing loaded.")
        return
    try:
        report = load_seed(directory or str(project_root() / "seed"), progress=True)
    except SeedError as exc:
        raise click.ClickException(f"Seed data not loaded. {exc}") from exc
    for line in report:
        click.echo(line)


@click.command("tick")
def tick_command() -> None:
    """Do what the time now calls for in every capability (close decisions past their deadline,
    send reminders, move RAG as dates pass), in one transaction, then send the mail due; run it
    from cron. Two at once never both work: the second says another tick is running and does
    nothing."""
    from govtrack.db import utcnow

    for line in clock.tick(utcnow()).lines:
        click.echo(line)
    # Mail whose next try has come (the server was down) goes too: with no worker running,
    # the tick from cron is what retries it.
    report = deliver_due()
    if report.sent or report.failed or report.given_up:
        click.echo(str(report))


@click.command("worker")
@click.option(
    "--tick-every", default=60.0, show_default=True, help="Seconds between ticks (flask tick)."
)
@click.option(
    "--mail-every",
    default=5.0,
    show_default=True,
    help="Seconds between deliveries of the mail due (flask mail deliver).",
)
def worker_command(tick_every: float, mail_every: float) -> None:
    """Tick and deliver mail in a loop until stopped (SIGTERM or Ctrl-C finish the step under
    way, then exit). As many may run as you like: ticks take turns, deliveries share out."""
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        click.echo(f"Worker stopping ({signal.Signals(signum).name}).")
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"Worker started: a tick every {tick_every:g} s, mail every {mail_every:g} s.")
    clock.work(stop, tick_every, mail_every, click.echo)
    click.echo("Worker stopped.")


@click.command("backup")
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the archive into (created if need be).",
)
@with_appcontext
def backup_command(folder: Path) -> None:
    """Back up the database and the papers into one archive (with a manifest of checksums),
    while govtrack runs."""
    try:
        archive = backup.backup(folder)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {archive}")


@click.command("restore")
@click.option(
    "--from",
    "archive",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive `flask backup` wrote.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database and the papers with a backup's. Stop govtrack's web processes and
    workers first. Refuses a damaged archive, or one made by a newer govtrack."""
    if not yes:
        click.confirm(
            "This replaces every record and paper with the backup's. Continue?", abort=True
        )
    try:
        done = backup.restore(archive, ScriptDirectory.from_config(alembic_config()))
    except backup.BackupError as exc:
        raise click.ClickException(f"Nothing was restored. {exc}") from exc
    click.echo(f"Restored {done.files} file(s) from {archive} (migration {done.revision}).")
    if done.needs_upgrade:
        click.echo(
            f"The backup predates this code's migrations ({done.head}): run 'flask db upgrade'."
        )


# What create_app registers besides the capabilities' own commands.
COMMANDS = [db_cli, seed_command, tick_command, worker_command, backup_command, restore_command]
