"""`flask db upgrade` and `flask db downgrade` (Alembic migrations), `flask seed` (the
source-document data) and `flask tick` (what the passing of time does, fit for cron)."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

from govtrack.core.capabilities import registered
from govtrack.core.records import unit_of_work
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
    send reminders, move RAG as dates pass), in one transaction; run it from cron."""
    from govtrack.db import utcnow

    now = utcnow()
    lines = []
    with unit_of_work():
        for capability in registered():
            lines.extend(step(now) for step in capability.clock)
    for line in lines:
        click.echo(line)
