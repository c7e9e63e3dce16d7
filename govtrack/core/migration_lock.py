"""Migrations run once when several instances start together: `flask db upgrade` (any Alembic
run, migrations/env.py) first takes a lock. On PostgreSQL a transaction-level advisory lock,
held until the migrations' transaction ends; whoever waited then finds the database at head and
does nothing. SQLite lives on one machine: a lock on a file beside the database."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

# The advisory lock's name; its number is PostgreSQL's hash of it (hashtextextended, PG 11+).
LOCK_NAME = "govtrack: database migrations"
TAKE_POSTGRESQL_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """Hold the migration lock for the block. On PostgreSQL, call it inside the transaction
    the migrations run in (the lock ends with it)."""
    if connection.dialect.name == "postgresql":
        connection.execute(TAKE_POSTGRESQL_LOCK, {"name": LOCK_NAME})
        yield
        return
    database = connection.engine.url.database
    if connection.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_file = Path(database).with_name(Path(database).name + ".migrate-lock")
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
