"""clean text stored before one input rule held: control characters, direction overrides

Revision ID: b8d2f4a6c0e1
Revises: 7b3e9c2d5f61
Create Date: 2026-12-08 09:00:00

Every text column of the tables people edit is passed through the rule the forms now apply
(``govtrack.core.input_rules.cleaned``): NUL and the bidirectional overrides are taken out, any
other control character but tab and line breaks becomes a space, and the text is put in NFC. A
service once named ``abc\\x00def`` made every Excel export fail; after this it is ``abcdef``.

History tables (append-only, protected by triggers) are not changed: their rows are never
updated. What they hold is neutralised where it is written out (the spreadsheet writer takes
out what a workbook cannot hold). Nothing to undo on downgrade: the text removed was never
readable.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from govtrack.core.input_rules import cleaned

revision: str = "b8d2f4a6c0e1"
down_revision: str | None = "7b3e9c2d5f61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _protected_tables(bind) -> set[str]:
    """Tables whose rows are history (append-only triggers) and tables of the database's own
    machinery (Alembic's, SQLite's full-text index)."""
    if bind.dialect.name == "postgresql":
        rows = bind.execute(
            sa.text(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE '%\\_append\\_only'"
            )
        )
        protected = {row[0] for row in rows}
    else:
        rows = bind.execute(
            sa.text(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%\\_no\\_update' ESCAPE '\\'"
            )
        )
        protected = {row[0] for row in rows}
        virtual = bind.execute(
            sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        )
        for (name,) in virtual:
            protected.add(name)
            protected.update(
                f"{name}_{shadow}" for shadow in ("data", "idx", "content", "docsize", "config")
            )
    return protected | {"alembic_version"}


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    protected = _protected_tables(bind)
    for table_name in inspector.get_table_names():
        if table_name in protected:
            continue
        columns = inspector.get_columns(table_name)
        texts = [c["name"] for c in columns if isinstance(c["type"], sa.String)]
        keys = inspector.get_pk_constraint(table_name).get("constrained_columns") or []
        if not texts or not keys:
            continue
        table = sa.table(table_name, *(sa.column(name) for name in {*keys, *texts}))
        _clean_table(bind, table, keys, texts)


def _clean_table(bind, table, keys: list[str], texts: list[str]) -> None:
    order = [table.c[k] for k in keys]
    query = sa.select(*order, *(table.c[t] for t in texts)).order_by(*order)
    changes = []
    for row in bind.execute(query).mappings():
        new = {}
        for name in texts:
            value = row[name]
            if isinstance(value, str) and (fixed := cleaned(value)) != value:
                new[name] = fixed
        if new:
            changes.append(({k: row[k] for k in keys}, new))
    for key, new in changes:
        condition = sa.and_(*(table.c[k] == v for k, v in key.items()))
        bind.execute(sa.update(table).where(condition).values(**new))


def downgrade() -> None:
    pass
