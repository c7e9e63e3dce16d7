"""The migrations build the whole schema, and the models and migrations agree (no drift); the
accounts' migration keeps every account's effective rights, both ways."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from govtrack import ROOT
from govtrack.auth.enums import Role
from govtrack.auth.rules import Grant, Rights, rights_from
from govtrack.core.schema_filters import include_name
from govtrack.db import Base
from govtrack.models import load_all_models
from tests.conftest import IN_CI, PG_SERVER_URL


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


# Accounts' rights (c8da11ac3349): each old role becomes one right held everywhere ------------

BEFORE_RIGHTS, RIGHTS = "b8d2f4a6c0e1", "c8da11ac3349"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    """A database of its own (not the session's, which is at head), dropped at the end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # as the session's database: skipped where there is no server
        server.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {PG_SERVER_URL}: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER_URL}: {exc}")
    name = f"govtrack_migrations_{uuid.uuid4().hex[:10]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _alembic(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    return config


def _effective(rights: Rights, asked: tuple[Role, ...]) -> bool:
    return any(rights.has(role) for role in asked)


# What the capabilities asked of a one-role account (``has_role(user, *asked)`` was "its role is
# one of these"): each kind of right alone, and with the administrator beside it, as every
# predicate that lets a clerk, officer or scrutiny member in names the administrator too.
ASKED = [(role,) for role in Role] + [(Role.ADMIN, role) for role in Role]


def test_each_old_role_keeps_its_rights_and_comes_back_on_downgrade(empty_database):
    config = _alembic(empty_database)
    command.upgrade(config, BEFORE_RIGHTS)
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            for role in Role:
                conn.execute(
                    text(
                        "INSERT INTO users (email, name, role, password_hash, active, "
                        "created_at, version) VALUES (:email, :name, :role, 'x', :active, "
                        ":now, 1)"
                    ),
                    {
                        "email": f"{role.value}@example.org",
                        "name": role.label,
                        "role": role.value,
                        "active": True,
                        "now": "2026-01-01 00:00:00",
                    },
                )
        command.upgrade(config, RIGHTS)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    'SELECT u.email, r."right", r.body_id, r.partner_id FROM users u '
                    "JOIN account_rights r ON r.user_id = u.id"
                )
            ).all()
        grants: dict[str, list[Grant]] = {}
        for email, right, body_id, partner_id in rows:
            grants.setdefault(email, []).append(Grant(Role(right), body_id, partner_id))
        for old in Role:
            held = grants[f"{old.value}@example.org"]
            assert held == [Grant(old)], old  # one right, held everywhere
            # Linked to a person of partner 7 (an officer's grant follows the person).
            rights = rights_from(held, [], own_partner_id=7)
            for asked in ASKED:
                if old is Role.ADMIN and Role.ADMIN not in asked:
                    continue  # an administrator is now also a clerk, scrutiny member ... as such
                assert _effective(rights, asked) == (old in asked), (old, asked)
            if old is Role.CLERK:
                assert rights.clerk_everywhere and rights.clerk_for(12345)
            if old is Role.SCRUTINY:
                assert rights.scrutiny_bodies is None and rights.scrutiny_for(12345)
            if old is Role.OFFICER:
                assert rights.officer_partners == {7}
        command.downgrade(config, BEFORE_RIGHTS)
        with engine.connect() as conn:
            back = dict(conn.execute(text("SELECT email, role FROM users")).all())
        assert back == {f"{role.value}@example.org": role.value for role in Role}
    finally:
        engine.dispose()


# Mail retries and clock leases (f3a1c5e7b9d2) ----------------------------------------------

BEFORE_RETRIES, RETRIES = "c8da11ac3349", "f3a1c5e7b9d2"


def test_outbox_rows_keep_their_delivery_across_the_retries_migration(empty_database):
    config = _alembic(empty_database)
    command.upgrade(config, BEFORE_RETRIES)
    engine = create_engine(empty_database)
    rows = [("sent@example.org", "2026-01-01 10:00:00", ""),
            ("failed@example.org", None, "ConnectionRefusedError"),
            ("waiting@example.org", None, "")]  # fmt: skip
    try:
        with engine.begin() as conn:
            for recipient, sent_at, error in rows:
                conn.execute(
                    text(
                        "INSERT INTO outbox_messages (recipient, subject, body, created_at, "
                        "sent_at, error) VALUES (:r, 's', 'b', '2026-01-01 09:00:00', :s, :e)"
                    ),
                    {"r": recipient, "s": sent_at, "e": error},
                )
        command.upgrade(config, RETRIES)
        with engine.connect() as conn:
            after = {
                r: (attempts, next_at is not None)
                for r, attempts, next_at in conn.execute(
                    text("SELECT recipient, attempts, next_attempt_at FROM outbox_messages")
                )
            }
            conn.execute(text("SELECT name, holder, expires_at FROM clock_leases")).all()
        assert after == {
            "sent@example.org": (1, False),  # sent: nothing more to do
            "failed@example.org": (1, False),  # failed at its commit: given up, retry by hand
            "waiting@example.org": (0, True),  # never tried: due now
        }
        command.downgrade(config, BEFORE_RETRIES)
        with engine.connect() as conn:
            back = conn.execute(text("SELECT recipient, error FROM outbox_messages")).all()
        assert len(back) == 3
        from sqlalchemy import inspect

        inspector = inspect(engine)
        assert "clock_leases" not in inspector.get_table_names()
        assert "attempts" not in {c["name"] for c in inspector.get_columns("outbox_messages")}
    finally:
        engine.dispose()
