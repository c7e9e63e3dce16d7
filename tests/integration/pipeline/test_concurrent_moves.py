"""Two people moving the same service at once on PostgreSQL: one move is recorded, the other is
refused as stale, and the service's stage matches its history.

Threads cannot share the rolled-back transaction of the ``app`` fixture, so this test commits
to a database of its own (the voting concurrency test's fixture), one app context per thread.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from govtrack import create_app
from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.core.versioning import EditConflict
from govtrack.db import db
from govtrack.pipeline import commands, queries
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service, StageTransition
from govtrack.registry.enums import PartnerKind
from govtrack.registry.models import Partner
from tests.integration.voting.test_concurrent_votes import own_database  # noqa: F401

ACTOR = system_actor("concurrency test")


@pytest.fixture
def pipeline_app(own_database: str):  # noqa: F811
    app = create_app(
        {"DATABASE_URL": own_database, "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    try:
        yield app
    finally:
        db.session.remove()


def test_two_moves_of_one_service_at_once_record_one(pipeline_app):
    with pipeline_app.app_context():
        partner = Partner(name="Lancashire County Council", code="LCC", kind=PartnerKind.COUNTY)
        db.session.add(partner)
        db.session.flush()
        service = commands.create_service(
            ACTOR, {"name": "Waste Helpline", "partner_id": partner.id}, Stage.MANDATE,
            date(2007, 1, 1), today(),
        )  # fmt: skip
        db.session.commit()
        service_id, version = service.id, service.version

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(to: Stage, reason: str) -> None:
        with pipeline_app.app_context():
            record = queries.load_service(service_id)
            barrier.wait()
            try:
                commands.move_service(
                    ACTOR, record, seen=Stage.MANDATE, version=version, to=to,
                    on=today(), reason=reason, date_integrated=None, today=today(),
                )  # fmt: skip
                db.session.commit()
                outcomes.append(f"moved to {to.value}")
            except (EditConflict, StaleDataError, commands.StaleMove):
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=move, args=(Stage.BUSINESS_CASE, "")),
        threading.Thread(target=move, args=(Stage.START_UP, "Agreed by the board")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(o == "refused" for o in outcomes) == [False, True], outcomes
    with pipeline_app.app_context():
        moves = db.session.scalar(
            select(func.count()).where(StageTransition.service_id == service_id)
        )
        last = db.session.scalars(
            select(StageTransition)
            .where(StageTransition.service_id == service_id)
            .order_by(StageTransition.id.desc())
        ).first()
        assert moves == 2
        assert db.session.get(Service, service_id).stage == last.to_stage
        db.session.remove()
