"""What voting contributes to the dashboards: the decisions still open (votes being gathered,
electronically from absent voters until the deadline), for the highlight report's
"decisions needed". Decisions carry no RAG, so they add no counts."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from govtrack.core.dates import local_date, long_date
from govtrack.core.figures import AreaFigures, Item, Listing, Scope, listing
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import Decision, Motion


def _open(scope: Scope):
    stmt = select(Decision.id).where(Decision.status == DecisionStatus.OPEN)
    if scope.kind == "body":
        stmt = (
            stmt.join(Motion, Motion.id == Decision.motion_id)
            .join(AgendaItem, AgendaItem.id == Motion.item_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(Meeting.body_id == scope.id)
        )
    return stmt


class OpenDecisionFigures(AreaFigures):
    name = "decisions"
    label = "open decisions"
    scopes = ("programme", "body")

    def counts(self, scope: Scope, today: date) -> None:
        return None  # a decision has an outcome, not a RAG

    def needing_decision(self, scope: Scope, today: date, limit: int) -> Listing:
        """Every open decision, soonest deadline first: votes are still being gathered.

        Exempt items (LGA 1972 Sch. 12A) are named by their number only, as on public pages.
        """
        base = _open(scope)
        rows = (
            select(
                Decision.id,
                Decision.closes_at,
                AgendaItem.title,
                AgendaItem.exempt_paragraph,
                Meeting.held_on,
                AgendaItem.number,
                Decision.outcome,
            )
            .join(Motion, Motion.id == Decision.motion_id)
            .join(AgendaItem, AgendaItem.id == Motion.item_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(Decision.id.in_(base))
            .order_by(Decision.closes_at.is_(None), Decision.closes_at, Decision.id)
            .limit(limit)
        )

        def make(row) -> Item:
            decision_id, closes_at, title, exempt, held_on, number, outcome = row
            name = (f"Exempt item {number}" if number else "Exempt item") if exempt else title
            if closes_at and outcome is not None:  # decided in the meeting; a consultation
                note = (
                    f"{outcome.label} at the meeting (final); consultation responses are "
                    f"gathered until {long_date(local_date(closes_at))}"
                )
            elif closes_at:
                note = f"Votes are gathered until {long_date(local_date(closes_at))}"
            else:
                note = "Open in the meeting"
            return Item(
                area=self.name,
                title=f"{name} (meeting of {long_date(held_on)})",
                href=url_for("voting.decision", decision_id=decision_id),
                on=local_date(closes_at) if closes_at else None,
                rag=None,
                note=note,
            )

        return listing(base, rows, make)


figures = [OpenDecisionFigures()]
