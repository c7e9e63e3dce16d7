"""`flask db downgrade` undoes the newest migration and `flask db upgrade` applies it again, on
a database of its own (SQLite), leaving the schema the models describe."""

from __future__ import annotations

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from govtrack import create_app
from govtrack.core.cli import alembic_config
from govtrack.core.schema_filters import include_name
from govtrack.db import Base, db
from govtrack.models import load_all_models


@pytest.fixture
def keep_logging():
    """The commands configure logging from alembic.ini, as they should for an operator; put the
    test run's logging back afterwards."""
    names = ["", "sqlalchemy.engine", "alembic"]
    saved = {
        name: (logging.getLogger(name).level, logging.getLogger(name).handlers[:]) for name in names
    }
    yield
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers


def _applied(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_downgrade_one_step_then_upgrade_again_on_sqlite(tmp_path, keep_logging):
    url = f"sqlite:///{tmp_path / 'downgrade.db'}"
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    runner = app.test_cli_runner()
    with app.app_context():
        scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    previous = scripts.get_revision(head).down_revision

    try:
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        assert _applied(url) == head

        down = runner.invoke(args=["db", "downgrade"])
        assert down.exit_code == 0, down.output
        assert _applied(url) == previous

        up = runner.invoke(args=["db", "upgrade"])
        assert up.exit_code == 0, up.output
        assert _applied(url) == head

        load_all_models()
        engine = create_engine(url)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "render_as_batch": True, "include_name": include_name},
            )
            assert compare_metadata(context, Base.metadata) == []
        engine.dispose()
    finally:
        db.session.remove()
        app.extensions["govtrack.engine"].dispose()
