"""A request keeps what it commits through core.records.unit_of_work and nothing else: a refusal
inside the unit keeps nothing, and a view that writes without committing fails loudly instead
of losing the change in silence (on a database of its own, SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from govtrack import create_app
from govtrack.core.records import Invalid, unit_of_work
from govtrack.db import UncommittedWork, db
from govtrack.registry.enums import PartnerKind
from govtrack.registry.models import Partner
from tests.conftest import migrate


def _add_partner(code: str) -> None:
    db.session.add(Partner(name=f"{code} Council", code=code, kind=PartnerKind.DISTRICT))
    db.session.flush()


@pytest.fixture
def own_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'unit-of-work.db'}"
    migrate(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})

    @app.get("/test/committed")
    def committed():
        with unit_of_work():
            _add_partner("KEPT")
        return "saved"

    @app.get("/test/refused")
    def refused():
        try:
            with unit_of_work():
                _add_partner("REFUSED")
                raise Invalid({"code": "refused after the write"})
        except Invalid:
            return "refused", 422

    @app.get("/test/forgetful")
    def forgetful():
        _add_partner("LOST")
        return "saved?"

    yield app, url
    db.session.remove()
    app.extensions["govtrack.engine"].dispose()


def _codes(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(select(Partner.code)))
    finally:
        engine.dispose()


def test_only_committed_work_is_kept_and_forgetting_to_commit_fails_on_sqlite(own_app):
    app, url = own_app
    client = app.test_client()

    assert client.get("/test/committed").status_code == 200
    assert client.get("/test/refused").status_code == 422
    with pytest.raises(UncommittedWork, match="GET /test/forgetful wrote"):
        client.get("/test/forgetful")

    assert _codes(url) == {"KEPT"}
