"""The monitoring report: an inquiry's recommendations as they stood on a date, rebuilt from
their history (updates, events and partners' responses), and the dates progress was reported on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from govtrack.core import rag
from govtrack.db import db
from govtrack.registry.models import Partner
from govtrack.scrutiny import rules
from govtrack.scrutiny.enums import Status
from govtrack.scrutiny.models import (
    Addressee,
    Inquiry,
    Recommendation,
    RecommendationEvent,
    RecommendationUpdate,
)
from govtrack.scrutiny.queries import ResponseLine, history_items, latest_responses

# Monitoring report --------------------------------------------------------------------------


@dataclass
class MonitoringRow:
    recommendation: Recommendation
    general: RecommendationUpdate | None
    partner_updates: list[RecommendationUpdate]
    responses: list[ResponseLine]
    status: Status
    rag: rag.Assessment
    changed: bool
    # The day a live override ends (None when the RAG is derived).
    override_until: date | None = None


@dataclass
class MonitoringReport:
    inquiry: Inquiry
    as_at: date
    since: date | None
    monitoring_dates: list[date]
    groups: list[tuple[str, list[MonitoringRow]]]

    @property
    def rows(self) -> list[MonitoringRow]:
        return [row for _group, rows in self.groups for row in rows]


def monitoring_dates(inquiry_id: int) -> list[date]:
    """The dates progress was reported on (the monitoring meetings' dates), oldest first."""
    return list(
        db.session.scalars(
            select(RecommendationUpdate.on)
            .join(Recommendation, Recommendation.id == RecommendationUpdate.recommendation_id)
            .where(Recommendation.inquiry_id == inquiry_id)
            .distinct()
            .order_by(RecommendationUpdate.on)
        )
    )


def previous_monitoring_date(dates: Sequence[date], as_at: date) -> date | None:
    """The monitoring date before the one the report shows (the latest on or before as_at)."""
    reported = [d for d in dates if d <= as_at]
    return reported[-2] if len(reported) >= 2 else None


def monitoring_report(
    inquiry: Inquiry, as_at: date, since: date | None, changed_only: bool = False
) -> MonitoringReport:
    """The inquiry's recommendations as they stood on ``as_at``, rebuilt from their history:
    the latest general update, each partner's latest update and response, the status and RAG
    then; ``changed`` marks those with anything recorded after ``since``."""
    dates = monitoring_dates(inquiry.id)
    if since is None:
        since = previous_monitoring_date(dates, as_at)
    recs = list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.inquiry_id == inquiry.id)
            .options(selectinload(Recommendation.addressees))
            .order_by(Recommendation.position, Recommendation.id)
        )
    )
    ids = [r.id for r in recs]
    updates_by, events_by = _history_until(ids, as_at)
    responses = latest_responses(ids, as_at)
    due = {
        (row.recommendation_id, row.partner_id): row.response_due_on
        for row in db.session.scalars(select(Addressee).where(Addressee.recommendation_id.in_(ids)))
    }
    no_due_reason = rules.no_due_date_because(inquiry.reported_on)
    groups: dict[str, list[MonitoringRow]] = {}
    for rec in recs:
        row = _monitoring_row(
            rec,
            updates_by[rec.id],
            events_by[rec.id],
            (responses, due, no_due_reason),
            as_at,
            since,
        )
        if changed_only and not row.changed:
            continue
        groups.setdefault(rec.group, []).append(row)
    return MonitoringReport(inquiry, as_at, since, dates, list(groups.items()))


def _history_until(
    ids: list[int], as_at: date
) -> tuple[dict[int, list[RecommendationUpdate]], dict[int, list[RecommendationEvent]]]:
    """The recommendations' updates and events dated on or before ``as_at``, by recommendation,
    oldest first (two queries)."""
    updates_by: dict[int, list[RecommendationUpdate]] = defaultdict(list)
    for u in db.session.scalars(
        select(RecommendationUpdate)
        .where(RecommendationUpdate.recommendation_id.in_(ids), RecommendationUpdate.on <= as_at)
        .options(joinedload(RecommendationUpdate.partner))
        .order_by(RecommendationUpdate.on, RecommendationUpdate.id)
    ):
        updates_by[u.recommendation_id].append(u)
    events_by: dict[int, list[RecommendationEvent]] = defaultdict(list)
    for e in db.session.scalars(
        select(RecommendationEvent)
        .where(
            RecommendationEvent.recommendation_id.in_(ids),
            RecommendationEvent.on <= as_at,
        )
        .order_by(RecommendationEvent.on, RecommendationEvent.id)
    ):
        events_by[e.recommendation_id].append(e)
    return updates_by, events_by


def _monitoring_row(
    rec: Recommendation,
    updates: list[RecommendationUpdate],
    events: list[RecommendationEvent],
    answers: tuple[Mapping[tuple[int, int], Any], Mapping[tuple[int, int], date | None], str],
    as_at: date,
    since: date | None,
) -> MonitoringRow:
    """One recommendation as it stood on ``as_at``, from its history up to that day;
    ``answers`` are the latest responses and the due dates by (recommendation, partner), and
    why a response has no due date."""
    # A corrected update is not anyone's latest progress once its correction is dated.
    counted = rules.standing(updates)
    general = next((u for u in reversed(counted) if u.partner_id is None), None)
    latest_by_partner: dict[int, RecommendationUpdate] = {}
    for u in counted:
        if u.partner_id is not None:
            latest_by_partner[u.partner_id] = u
    partner_updates = sorted(latest_by_partner.values(), key=lambda u: u.partner.code)
    state = rules.state_from_history(history_items(updates, events), [p.id for p in rec.addressees])
    status = state.status
    lines = [_response_line_on(rec, partner, answers, status, as_at) for partner in rec.addressees]
    assessment = rules.recommendation_rag(
        status=status,
        target_date=rec.target_date,
        revised_target_date=state.revised_target_date,
        today=as_at,
        override=state.rag_override,
        override_reason=state.rag_override_reason,
        override_until=state.rag_override_until,
    )
    changed = since is not None and (
        any(u.on > since for u in updates)
        or any(e.on > since for e in events)
        or any(r.response and r.response.responded_on > since for r in lines)
    )
    return MonitoringRow(
        rec,
        general,
        partner_updates,
        lines,
        status,
        assessment,
        changed,
        state.rag_override_until if assessment.overridden else None,
    )


def _response_line_on(
    rec: Recommendation,
    partner: Partner,
    answers: tuple[Mapping[tuple[int, int], Any], Mapping[tuple[int, int], date | None], str],
    status: Status,
    as_at: date,
) -> ResponseLine:
    responses, due, no_due_reason = answers
    response = responses.get((rec.id, partner.id))
    due_on = due.get((rec.id, partner.id))
    return ResponseLine(
        partner,
        due_on,
        response,
        rules.response_overdue(
            due_on,
            response.responded_on if response else None,
            as_at,
            status in rules.CLOSED,
        ),
        status in rules.CLOSED,
        no_due_reason,
    )
