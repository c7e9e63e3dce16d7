"""The database: one engine, a session per request, and the declarative Base.

Services only flush; the view or command that called them commits once, where the work is
done, through ``core.records.unit_of_work``. Whatever a request did not commit is rolled back
when it ends, so a failure never leaves half a change.
"""

from __future__ import annotations

import enum
import threading
import warnings
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    scoped_session,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator

# One naming convention so Alembic's batch mode works on SQLite and names match PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Let SQLAlchemy, not pysqlite, issue BEGIN, so SAVEPOINTs work (SQLAlchemy's
            # documented recipe for pysqlite's transaction handling).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A request that changes things takes the write lock at once (waiting its turn under
            # busy_timeout); a deferred transaction that reads first and then writes would fail
            # with "database is locked" when another writer got there in between.
            writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


class AppSession(Session):
    """A session that talks to the database of the app in whose context it runs.

    Each app has its own engine (``app.extensions["govtrack.engine"]``); an app may instead
    carry a connection to use (``"govtrack.bind"``), which is how the tests run every request
    inside one transaction that is rolled back at the end.
    """

    def get_bind(self, mapper=None, clause=None, **kwargs):
        if self.bind is not None:
            return self.bind
        extensions = current_app.extensions
        return extensions.get("govtrack.bind") or extensions["govtrack.engine"]


def _session_scope() -> object:
    """One session per app context (each request has its own), else one per thread.

    ``g`` is the app context's own namespace: a new one for each context.
    """
    if has_app_context():
        return g._get_current_object()
    return threading.get_ident()


class Database:
    """The scoped session every capability uses, and the engines by URL."""

    def __init__(self) -> None:
        self.session = scoped_session(
            sessionmaker(
                class_=AppSession,
                expire_on_commit=False,
                # Inside a connection that is already in a transaction (tests), commit and
                # rollback act on a savepoint.
                join_transaction_mode="create_savepoint",
            ),
            scopefunc=_session_scope,
        )
        self._engines: dict[str, Engine] = {}

    def engine_for(self, url: str) -> Engine:
        """One engine per database URL for the life of the process."""
        if url not in self._engines:
            self._engines[url] = make_engine(url)
        return self._engines[url]

    @property
    def engine(self) -> Engine:
        """The engine of the current app."""
        return current_app.extensions["govtrack.engine"]

    def dispose_all(self) -> None:
        self.session.remove()
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


db = Database()


def init_app(app: Flask) -> None:
    app.extensions["govtrack.engine"] = db.engine_for(app.config["DATABASE_URL"])

    @app.after_request
    def check_committed(response: Response) -> Response:
        # A view that wrote and neither committed nor rolled back has forgotten its
        # unit_of_work: its writes are about to be lost, so say so (the tests fail on it).
        if db.session.registry.has() and db.session().info.get(_UNCOMMITTED):
            warnings.warn(
                f"{request.method} {request.path} wrote to the database without committing",
                UncommittedWork,
                stacklevel=1,
            )
        return response

    @app.teardown_appcontext
    def remove_session(_exc: BaseException | None) -> None:
        # Closing the session rolls back whatever was not committed.
        db.session.remove()


class UncommittedWork(RuntimeWarning):
    """A request's writes were flushed but never committed, so they were rolled back."""


_UNCOMMITTED = "govtrack.uncommitted"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: object) -> None:
    session.info[_UNCOMMITTED] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _note_end(session: Session) -> None:
    session.info.pop(_UNCOMMITTED, None)


def enum_type(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    """A portable enum column: text plus a named CHECK constraint, stored by value."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class Versioned:
    """Records people edit carry a version; SQLAlchemy refuses a stale UPDATE at flush."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}
