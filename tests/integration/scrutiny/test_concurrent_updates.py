"""Officers of two councils (and two of the same council) submitting updates on the same
recommendation at the same moment, on PostgreSQL: every update is kept, in the order they were
written, each with its own status change applied after the other's, and none is refused.

Threads cannot share the rolled-back transaction of the ``app`` fixture, so this test commits
to a database of its own, created, migrated and dropped here.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, select

from govtrack import create_app
from govtrack.auth.enums import Role
from govtrack.auth.models import User, system_actor
from govtrack.auth.passwords import hash_password
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.registry.enums import BodyKind, Jurisdiction, LegalForm, PartnerKind
from govtrack.registry.models import Body, Partner, Person
from govtrack.scrutiny import commands, progress, queries
from govtrack.scrutiny.models import RecommendationEvent, RecommendationUpdate
from govtrack.scrutiny.rules import combined_status
from tests.conftest import committed_postgresql_database

OFFICERS = 8


@pytest.fixture
def own_database(postgresql_url: str, tmp_path, monkeypatch) -> Iterator[str]:
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    with committed_postgresql_database(postgresql_url, "govtrack_scrutiny") as url:
        yield url


def test_simultaneous_updates_are_all_kept_in_order(own_database):
    app = create_app({"DATABASE_URL": own_database, "TESTING": True})
    engine = create_engine(own_database, pool_size=OFFICERS + 1, max_overflow=0)
    app.extensions["govtrack.engine"] = engine
    password = hash_password("a long test password")
    with app.app_context():
        lcc = Partner(name="Lancashire County Council", code="LCC", kind=PartnerKind.COUNTY)
        cbc = Partner(name="Chorley Borough Council", code="CBC", kind=PartnerKind.DISTRICT)
        db.session.add_all([lcc, cbc])
        db.session.flush()
        body = Body(
            name="Sub-Group",
            kind=BodyKind.SCRUTINY_SUB_GROUP,
            legal_form=LegalForm.LGA1972_COMMITTEE,
            jurisdiction=Jurisdiction.ENGLAND,
            host_partner_id=cbc.id,
        )
        db.session.add(body)
        db.session.flush()
        actor = system_actor("Test")
        inquiry = commands.create_inquiry(
            actor, {"body_id": body.id, "title": "Partnership", "reported_on": date(2007, 3, 7)}
        )
        rec = commands.add_recommendation(
            actor,
            inquiry,
            {"reference": "4.a", "text": "A vision.", "addressee_ids": [lcc.id, cbc.id]},
            today(),
        )
        users = []
        for i in range(OFFICERS):
            user = User(
                email=f"officer{i}@example.org",
                name=f"Officer {i}",
                role=Role.OFFICER,
                password_hash=password,
            )
            db.session.add(user)
            db.session.flush()
            partner = lcc if i % 2 else cbc
            db.session.add(Person(name=user.name, partner_id=partner.id, user_id=user.id))
            users.append(user.id)
        db.session.commit()
        rec_id = rec.id

    barrier = threading.Barrier(OFFICERS)
    errors: list[str] = []

    def submit(user_id: int, n: int) -> None:
        try:
            with app.app_context():
                user = db.session.get(User, user_id)
                barrier.wait(timeout=30)
                try:
                    progress.add_update(
                        user,
                        queries.load_recommendation(rec_id),
                        {"on": today(), "text": f"Update {n}",
                         "status": "in_progress" if n % 2 else "not_started"},
                        today(),
                    )  # fmt: skip
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
        except Exception:
            errors.append(traceback.format_exc())

    threads = [
        threading.Thread(target=submit, args=(user_id, n)) for n, user_id in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        with app.app_context():
            updates = db.session.scalars(
                select(RecommendationUpdate)
                .where(RecommendationUpdate.recommendation_id == rec_id)
                .order_by(RecommendationUpdate.id)
            ).all()
            assert sorted(u.text for u in updates) == sorted(f"Update {n}" for n in range(OFFICERS))
            # Each update's status change follows the one written before it: the history of
            # status changes is a chain, and the recommendation ends where the last one left it.
            changes = db.session.scalars(
                select(RecommendationEvent)
                .where(RecommendationEvent.recommendation_id == rec_id)
                .where(RecommendationEvent.kind == "status_change")
                .order_by(RecommendationEvent.id)
            ).all()
            for before, after in itertools.pairwise(changes):
                assert before.to_value == after.from_value
            final = queries.load_recommendation(rec_id)
            # It is addressed to LCC and CBC: it stands where each council's latest update left it.
            latest = {u.partner_id: u.status for u in updates}
            assert final.status == combined_status(latest.values())
    finally:
        db.session.remove()
        engine.dispose()
