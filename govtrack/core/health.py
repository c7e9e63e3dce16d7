"""What a load balancer asks: ``/healthz`` (the process answers; no database) and ``/readyz``
(the database answers and its migrations are at this code's head; 503 with a JSON reason
otherwise). Both are public, cheap, leave the session alone and are not logged per request."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from govtrack.core.permissions import anyone, require
from govtrack.db import db

bp = Blueprint("health", __name__)


def _probe(body: dict, status: int = 200):
    # No session cookie is read or written for a probe (core.security.SessionInterface).
    g.without_session = True
    response = jsonify(body)
    response.status_code = status
    return response


def migration_heads() -> frozenset[str]:
    """The newest migrations this code carries, read once per process."""
    heads = current_app.extensions.get("govtrack.migration_heads")
    if heads is None:
        from pathlib import Path

        from alembic.script import ScriptDirectory

        migrations = Path(current_app.root_path).parent / "migrations"
        heads = frozenset(ScriptDirectory(str(migrations)).get_heads())
        current_app.extensions["govtrack.migration_heads"] = heads
    return heads


@bp.get("/healthz")
@require(anyone)
def healthz():
    return _probe({"status": "ok"})


@bp.get("/readyz")
@require(anyone)
def readyz():
    session = db.session()
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        session.rollback()
        current_app.logger.warning("readyz: database unreachable: %s", exc.__class__.__name__)
        return _probe({"status": "unavailable", "reason": "database unreachable"}, 503)
    try:
        applied = frozenset(
            session.execute(text("SELECT version_num FROM alembic_version")).scalars()
        )
    except SQLAlchemyError:
        session.rollback()
        applied = frozenset()
    finally:
        session.rollback()
    heads = migration_heads()
    if applied != heads:
        return _probe(
            {
                "status": "unavailable",
                "reason": "database migrations are not at head: run `flask db upgrade`",
                "applied": sorted(applied),
                "head": sorted(heads),
            },
            503,
        )
    return _probe({"status": "ok"})
