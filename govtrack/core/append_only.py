"""Database triggers that refuse UPDATE and DELETE on history tables (used by migrations).

The ORM refuses such changes too (``core.audit``); the triggers also stop raw SQL.
"""

from __future__ import annotations

from alembic import op

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION govtrack_refuse_history_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are history: they cannot be updated or deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def protect(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION govtrack_refuse_history_change()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are history: they cannot be "
                f"updated or deleted'); END"
            )


def unprotect(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
