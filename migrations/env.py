"""Alembic environment: one script for SQLite and PostgreSQL, batch mode on SQLite."""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context

from govtrack import ROOT
from govtrack.core.migration_lock import migration_lock
from govtrack.core.schema_filters import include_name
from govtrack.db import Base, make_engine
from govtrack.models import load_all_models

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

load_all_models()
target_metadata = Base.metadata


def database_url() -> str:
    return config.attributes.get("database_url") or os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'govtrack.db'}"
    )


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = database_url()
    if url.startswith("sqlite"):
        (ROOT / "instance").mkdir(exist_ok=True)
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    # Several instances starting together: the first migrates, the others wait for it and then
    # find nothing to do (core/migration_lock.py).
    with context.begin_transaction(), migration_lock(connection):
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
