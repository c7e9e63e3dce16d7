"""Writing many new records at once (an import): inserted together, each given its id, in a
few statements however many there are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from govtrack.db import db


def insert_together(records: Sequence[Any]) -> None:
    """Add and insert ``records`` (new, of one model with an integer ``id``, not yet given),
    each given its id first, so that the rows go in one batch without asking for ids back
    (which the databases answer one row at a time, or parse slowly: SQLite cannot say which
    id went to which row of a batch, and a batch returning ids on PostgreSQL is one long
    statement that psycopg parses anew).

    PostgreSQL: the ids are taken from the table's sequence in one query, as the inserts
    would have taken them one by one. SQLite: the first record is inserted alone, which takes
    the database's one write lock until the transaction ends, and the others are given the ids
    that follow it, those SQLite would have given them (a new row's id is one more than the
    largest: the rowid algorithm, https://www.sqlite.org/autoinc.html).
    """
    if not records:
        return
    session = db.session
    table = type(records[0]).__table__
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        ids = sorted(
            session.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, len(records)))
            )
        )
        rest = records
    else:
        first, *rest = records
        session.add(first)
        session.flush()
        ids = range(first.id + 1, first.id + len(records))
    for record, record_id in zip(rest, ids, strict=True):
        record.id = record_id
    session.add_all(rest)
    session.flush()
