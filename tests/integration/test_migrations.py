"""The migrations build the whole schema, and the models and migrations agree (no drift)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from govtrack.core.schema_filters import include_name
from govtrack.db import Base
from govtrack.models import load_all_models


def test_migrated_database_matches_the_models(app):
    load_all_models()
    connection = app.extensions["govtrack.bind"]
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "render_as_batch": connection.dialect.name == "sqlite",
            # The same filter as migrations/env.py: hand-made full-text objects are not drift.
            "include_name": include_name,
        },
    )
    assert compare_metadata(context, Base.metadata) == []


def test_migrations_create_every_table(app):
    from sqlalchemy import inspect

    connection = app.extensions["govtrack.bind"]
    tables = set(inspect(connection).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
