"""decision register: full-text search of resolutions

Revision ID: 88772b32acf9
Revises: 0fa2d1de6230
Create Date: 2026-11-23 06:50:00.000000

The decision register searches ``resolutions.search_text`` (the resolution and its item's
title) with the database's own full-text search:

- SQLite: an FTS5 external-content table ``resolution_fts`` over ``resolutions`` (the words
  are stored once, in ``resolutions``), with the Porter stemmer so "confirm" finds
  "confirmed", kept in step by three triggers and rebuilt here for existing rows.
- PostgreSQL: a GIN index on ``to_tsvector('english', search_text)``; the register's query
  uses exactly that expression, so the planner can use the index (no generated column, so the
  models do not change).

Neither object is in the models: ``govtrack.core.schema_filters`` keeps them out of the
model/migration comparison. A later migration that rebuilds ``resolutions`` in batch mode on
SQLite (copy and rename) drops the triggers with the old table: it must create them again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "88772b32acf9"
down_revision: str | None = "0fa2d1de6230"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = (
    """
    CREATE VIRTUAL TABLE resolution_fts USING fts5(
        search_text,
        content='resolutions',
        content_rowid='id',
        tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER resolutions_fts_insert AFTER INSERT ON resolutions BEGIN
        INSERT INTO resolution_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER resolutions_fts_delete AFTER DELETE ON resolutions BEGIN
        INSERT INTO resolution_fts (resolution_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER resolutions_fts_update AFTER UPDATE ON resolutions BEGIN
        INSERT INTO resolution_fts (resolution_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO resolution_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    "INSERT INTO resolution_fts (resolution_fts) VALUES ('rebuild')",
)

SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS resolutions_fts_update",
    "DROP TRIGGER IF EXISTS resolutions_fts_delete",
    "DROP TRIGGER IF EXISTS resolutions_fts_insert",
    "DROP TABLE IF EXISTS resolution_fts",
)

POSTGRESQL_UPGRADE = (
    "CREATE INDEX ix_resolutions_search_tsv ON resolutions "
    "USING gin (to_tsvector('english', search_text))",
)

POSTGRESQL_DOWNGRADE = ("DROP INDEX IF EXISTS ix_resolutions_search_tsv",)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UPGRADE)
    else:
        raise NotImplementedError(f"no full-text search for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWNGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)
