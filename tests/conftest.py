"""Test set-up: databases (SQLite and PostgreSQL, migrated once per run), an app per test
whose every database write is rolled back at the test's end, and helpers to act as a user."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic import command
from alembic.config import Config
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from govtrack import ROOT, create_app
from govtrack.db import db

PG_SERVER_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"

pytest_plugins = [
    "tests.fixtures.factories",
    "tests.fixtures.actions",
    "tests.fixtures.register_factories",
    "tests.fixtures.meeting_factories",
]


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


@contextmanager
def committed_postgresql_database(server_url: str, prefix: str) -> Iterator[str]:
    """A migrated PostgreSQL database of a test's own on ``server_url``'s server, for data
    committed by several connections at once (threads, processes), dropped at the end."""
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{server_url.rsplit('/', 1)[0]}/{name}"
    try:
        migrate(url)
        yield url
    finally:
        db.engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'govtrack-test.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {PG_SERVER_URL}: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    name = f"govtrack_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate(url)
        yield url
    finally:
        db.dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


_apps: dict[str, object] = {}


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (so its own ``g`` and session), as in production;
    without this, requests would share the test's app context and, with it, who is signed in.
    Afterwards the test's own session forgets what it had loaded, so it reads what the request
    wrote."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


def app_for(database_url: str):
    """One app per test database for the whole run (building one compiles every template)."""
    if database_url not in _apps:
        os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
        _apps[database_url] = create_app(
            {
                "DATABASE_URL": database_url,
                "TESTING": True,
                "PAGE_SIZE": 25,
                "RATELIMIT_STORAGE_URI": "memory://",
                # Mail is delivered where a test says so (core.mail.deliver_due), never by a
                # thread the test does not wait for.
                "MAIL_DELIVERY": "worker",
                # Tests sign administrators and clerks in all the time; the two-factor tests
                # turn the requirement on where they test it.
                "TWO_FACTOR_REQUIRED_FOR": "",
            }
        )
        _apps[database_url].test_client_class = FreshContextClient
    return _apps[database_url]


@pytest.fixture
def app(database_url: str):
    """The app on the test database; everything a test writes is rolled back at its end, and
    any setting a test changes is put back."""
    from govtrack.core.security import limiter

    application = app_for(database_url)
    saved_config = dict(application.config)
    connection = application.extensions["govtrack.engine"].connect()
    outer = connection.begin()
    db.session.remove()
    application.extensions["govtrack.bind"] = connection
    ctx = application.app_context()
    ctx.push()
    limiter.reset()
    try:
        yield application
    finally:
        ctx.pop()
        db.session.remove()
        application.extensions.pop("govtrack.bind", None)
        outer.rollback()
        connection.close()
        application.config.clear()
        application.config.update(saved_config)


@pytest.fixture
def client(app):
    return app.test_client()
