"""Several instances starting together run `flask db upgrade` together: one migrates, the others
wait for the lock and then find nothing to do (core/migration_lock.py, migrations/env.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from govtrack import ROOT
from govtrack.core.migration_lock import LOCK_NAME, TAKE_POSTGRESQL_LOCK
from tests.conftest import PG_SERVER_URL

RUNNING = "Running upgrade"


def start_upgrade(url: str) -> subprocess.Popen:
    """`flask db upgrade`, as an instance's start runs it."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "shared", "FLASK_APP": "app"}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def heads() -> set[str]:
    return set(ScriptDirectory(str(ROOT / "migrations")).get_heads())


@pytest.fixture
def empty_postgresql(postgresql_url):
    """A database of its own, empty (the suite's is already migrated)."""
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"govtrack_lock_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_SERVER_URL.rsplit("/", 1)[0] + f"/{name}", name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def waiting_for_the_lock(engine, database: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = :name"
            ),
            {"name": database},
        )


def test_two_upgrades_at_once_on_postgresql_migrate_once(empty_postgresql):
    url, name = empty_postgresql
    engine = create_engine(url)
    holder = engine.connect()
    transaction = holder.begin()
    # The test holds the migrations' lock, so both upgrades start and wait at the same point.
    holder.execute(TAKE_POSTGRESQL_LOCK, {"name": LOCK_NAME})
    upgrades = [start_upgrade(url), start_upgrade(url)]
    try:
        deadline = time.monotonic() + 120
        while waiting_for_the_lock(engine, name) < 2:
            exited = [p for p in upgrades if p.poll() is not None]
            assert not exited, f"an upgrade ended without waiting: {finish(exited[0])}"
            assert time.monotonic() < deadline, "the upgrades never reached the lock"
            time.sleep(0.1)
        with engine.connect() as conn:
            # Nothing migrated while the lock was held.
            assert conn.scalar(text("SELECT to_regclass('alembic_version')")) is None
        transaction.commit()
        outputs = [finish(p) for p in upgrades]
    finally:
        holder.close()
        for process in upgrades:
            if process.poll() is None:
                process.kill()
    # One ran every migration; the other found the database at head and ran none.
    assert sorted(RUNNING in output for output in outputs) == [False, True], outputs
    with engine.connect() as conn:
        versions = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    engine.dispose()
    assert versions == heads()


def test_two_upgrades_at_once_on_sqlite_migrate_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'govtrack.db'}"
    outputs = [finish(p) for p in [start_upgrade(url), start_upgrade(url)]]
    assert sorted(RUNNING in output for output in outputs) == [False, True], outputs
    engine = create_engine(url)
    with engine.connect() as conn:
        versions = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    engine.dispose()
    assert versions == heads()
