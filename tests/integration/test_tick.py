"""`flask tick` with work of every kind due at once: a decision to close, a reminder to send,
a scrutiny RAG override and a milestone override lapsing, and the day's RAG counts for the
dashboards. Tick is one transaction, so one job failing would undo them all: each must show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.core.models import OutboxMessage
from govtrack.core.rag import RAG, Confidence
from govtrack.dashboards.models import RagObservation
from govtrack.db import db, utcnow
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service
from govtrack.programme.models import Milestone
from govtrack.scrutiny.enums import EventKind
from govtrack.scrutiny.models import Addressee, Inquiry, Recommendation, RecommendationEvent
from govtrack.voting import enums
from govtrack.voting.models import Decision, Motion
from tests.fixtures.factories import save
from tests.integration.programme.conftest import make_milestone, programme  # noqa: F401
from tests.integration.voting.conftest import board  # noqa: F401
from tests.integration.voting.test_decisions import electronic_board_decision, move


def test_tick_does_every_clock_job_due_at_once(
    app,
    actions,
    board,  # noqa: F811 (the fixture imported above)
    make_meeting,
    make_item,
    make_user,
    make_milestone,  # noqa: F811 (the fixture imported above)
):
    # Voting: one decision past its deadline, another closing within the day with two absent
    # voters yet to vote.
    to_close, _absent, members, _present = electronic_board_decision(
        actions, board, make_meeting, make_item, make_user
    )
    item_id = db.session.get(Motion, to_close.motion_id).item_id
    from govtrack.meetings.models import AgendaItem

    motion = move(actions, db.session.get(AgendaItem, item_id), "That the budget be approved.")
    response = actions.submit(
        f"/motions/{motion.id}/vote",
        {
            "method": "recorded",
            f"vote-{members[0].person_id}": "for",
            "presiding_id": "",
            "electronic": "y",
        },
    )
    assert response.status_code == 302, response.text
    to_remind = db.session.scalar(select(Decision).where(Decision.motion_id == motion.id))
    db.session.get(Decision, to_close.id).closes_at = utcnow() - timedelta(minutes=5)
    db.session.get(Decision, to_remind.id).closes_at = utcnow() + timedelta(hours=6)

    # Programme: a milestone whose baseline has passed, held green by an override that has
    # expired today.
    milestone = make_milestone()
    milestone.baseline_date = today() - timedelta(days=1)
    milestone.override_confidence = Confidence.GREEN
    milestone.override_reason = "Agreed at the Board"
    milestone.override_expires_on = today()
    milestone.rag = RAG.GREEN

    # Scrutiny: a recommendation past its target, overridden green until today.
    body, _members = board
    partner_id = milestone.owner_partner_id
    inquiry = save(Inquiry(body_id=body.id, title="Shared services", reported_on=today()))
    rec = save(
        Recommendation(
            inquiry_id=inquiry.id,
            reference="R1",
            text="Do R1.",
            target_date=today() - timedelta(days=40),
            rag=RAG.GREEN,
            rag_override=RAG.GREEN,
            rag_override_reason="Board agreed",
            rag_override_until=today(),
        )
    )
    save(Addressee(recommendation_id=rec.id, partner_id=partner_id))

    # Dashboards: a late service, whose RAG is derived from its date, for the day's counts.
    save(
        Service(
            name="Late service",
            partner_id=partner_id,
            stage=Stage.PROJECT_PLANNING,
            planned_integration_date=today() - timedelta(days=3),
        )
    )
    db.session.commit()
    outbox_before = db.session.scalar(select(func.count(OutboxMessage.id)))

    result = app.test_cli_runner().invoke(args=["tick"])

    assert result.exit_code == 0, result.output
    assert "Closed 1 decision(s); sent 2 reminder(s)." in result.output
    # ... and then delivers the mail due, the reminders among it (the console here).
    assert "Delivered " in result.output
    db.session.expire_all()
    closed = db.session.get(Decision, to_close.id)
    assert closed.status.value == "closed" and closed.outcome is enums.OutcomeStatus.CARRIED
    reminded = db.session.get(Decision, to_remind.id)
    assert reminded.status.value == "open" and reminded.reminded_at is not None
    reminders = db.session.scalars(
        select(OutboxMessage.body).where(
            OutboxMessage.subject.like("Reminder:%"), OutboxMessage.sent_at.is_not(None)
        )
    ).all()
    assert len(reminders) == 2
    assert all("That the budget be approved." in body for body in reminders)
    assert all(f"/votes/{to_remind.id}" in body for body in reminders)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) > outbox_before + 2

    lapsed = db.session.get(Milestone, milestone.id)
    assert lapsed.override_confidence is None and lapsed.rag is RAG.RED

    rec = db.session.get(Recommendation, rec.id)
    assert rec.rag_override is None and rec.rag is not RAG.GREEN
    ended = db.session.scalars(
        select(RecommendationEvent.text).where(
            RecommendationEvent.recommendation_id == rec.id,
            RecommendationEvent.kind == EventKind.RAG_CHANGE,
        )
    ).all()
    assert any("override" in text and "ended" in text for text in ended)

    observed = db.session.scalar(
        select(func.sum(RagObservation.count)).where(
            RagObservation.on == today(),
            RagObservation.area == "services",
            RagObservation.rag == RAG.RED,
        )
    )
    assert observed == 1

    # A second tick the same day has nothing left to do.
    again = app.test_cli_runner().invoke(args=["tick"])
    assert again.exit_code == 0, again.output
    assert "Closed 0 decision(s); sent 0 reminder(s)." in again.output
