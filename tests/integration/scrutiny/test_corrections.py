"""A correction takes the place of the update it corrects: the corrected update is no longer
anyone's latest progress, in the monitoring report or its export, and its effects (status,
RAG, an override it ended) are undone; as at a date before the correction the report still
shows the original, and the timeline shows both."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.core.rag import RAG
from govtrack.db import db
from govtrack.scrutiny import progress, queries
from govtrack.scrutiny.enums import Status
from govtrack.scrutiny.models import RecommendationUpdate
from tests.fixtures.actions import Actions
from tests.fixtures.factories import TEST_PASSWORD
from tests.integration.scrutiny.conftest import update_form

ACTOR = system_actor("Test")
ACHIEVED = "LCC: the vision statement has been achieved."
ON_TRACK = "LCC: correction, the vision statement is on track, not yet agreed."


def _cbc_superseded(world, on) -> None:
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": on, "text": "CBC: done.", "partner_id": world.cbc.id, "status": "superseded"},
        today(),
    )  # fmt: skip


def _achieved(world, on, cbc_first: bool = True) -> RecommendationUpdate:
    """LCC reports 4.a achieved, after CBC (the other addressee) reported it superseded: so
    the recommendation is implemented until LCC's update is corrected."""
    if cbc_first:
        _cbc_superseded(world, on)
    update = progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": on, "text": ACHIEVED, "partner_id": world.lcc.id, "assessment": "achieved",
         "status": "implemented"},
        today(),
    )  # fmt: skip
    db.session.commit()
    return update


def _correct(actions, world, original, on, assessment="on_track") -> None:
    assert actions.sign_in(world.officer.email, TEST_PASSWORD).status_code == 302
    response = actions.submit(
        f"/recommendations/{world.rec.id}/updates/new",
        update_form(on=on, text=ON_TRACK, assessment=assessment, corrects_id=str(original.id)),
    )
    assert response.status_code == 302, response.text


def _latest_progress(client, world, as_at=None) -> tuple[str, str]:
    query = f"?as_at={as_at.isoformat()}" if as_at else ""
    base = f"/scrutiny/inquiries/{world.inquiry.id}/monitoring"
    page = client.get(f"{base}{query}").text
    export = client.get(f"{base}/export{query}{'&' if query else '?'}format=csv").text
    return page, export


def test_a_correction_on_a_later_day_replaces_the_update_it_corrects(
    app, actions, make_user, scrutiny_world
):
    world = scrutiny_world
    first, later = today() - timedelta(days=10), today() - timedelta(days=2)
    original = _achieved(world, first)
    db.session.refresh(world.rec)
    assert world.rec.status is Status.IMPLEMENTED
    _correct(actions, world, original, later)

    db.session.refresh(world.rec)
    # CBC's part stands; LCC's is back to not started: the recommendation is in progress.
    assert world.rec.status is Status.IN_PROGRESS
    page, export = _latest_progress(actions.client, world)
    assert ON_TRACK in page and ACHIEVED not in page
    assert "awaiting sign-off" not in page
    assert ON_TRACK in export and ACHIEVED not in export
    # Before the correction was dated, the report shows what was reported then.
    page, export = _latest_progress(actions.client, world, as_at=first)
    assert ACHIEVED in page and ON_TRACK not in page and "awaiting sign-off" in page
    assert ACHIEVED in export and ON_TRACK not in export

    # A scrutiny member is no longer offered a sign-off, and the timeline shows both updates.
    member = Actions(app.test_client(), make_user)
    member.sign_in_as(Role.SCRUTINY)
    rec_page = member.client.get(f"/recommendations/{world.rec.id}").text
    assert f'href="/recommendations/{world.rec.id}/sign-off"' not in rec_page
    assert ACHIEVED in rec_page and ON_TRACK in rec_page
    assert "Corrected</strong> by" in rec_page
    assert member.client.get(f"/recommendations/{world.rec.id}/sign-off").status_code == 409


def test_a_same_day_correction_undoes_the_status_and_restores_the_override_it_ended(
    actions, scrutiny_world
):
    world = scrutiny_world
    day = today()
    _cbc_superseded(world, day - timedelta(days=6))
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": day - timedelta(days=5), "text": "Held at amber by the panel.",
         "partner_id": world.lcc.id, "status": "in_progress", "rag_override": "amber",
         "rag_reason": "Awaiting funding", "rag_override_until": day + timedelta(days=30)},
        day,
    )  # fmt: skip
    db.session.commit()
    original = _achieved(world, day, cbc_first=False)
    db.session.refresh(world.rec)
    assert world.rec.status is Status.IMPLEMENTED and world.rec.rag_override is None
    # The correction gives no assessment of its own, so the panel's override stands again.
    _correct(actions, world, original, day, assessment="")

    db.session.refresh(world.rec)
    assert world.rec.status is Status.IN_PROGRESS
    assert world.rec.rag_override is RAG.AMBER and world.rec.rag is RAG.AMBER
    page, export = _latest_progress(actions.client, world)
    assert ON_TRACK in page and ACHIEVED not in page
    assert ON_TRACK in export and ACHIEVED not in export
    kept = db.session.scalars(
        select(RecommendationUpdate.text).where(
            RecommendationUpdate.recommendation_id == world.rec.id
        )
    ).all()
    assert ACHIEVED in kept  # history: the corrected update is kept, never deleted
