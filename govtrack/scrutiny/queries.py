"""Reads of scrutiny that the pages need: inquiries, recommendations and their addressees,
timelines and the counts the dashboards show. The tracker is in ``tracker``, the monitoring
report in ``monitoring``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, inspect, or_, select
from sqlalchemy.orm import joinedload, selectinload

from govtrack.core import rag
from govtrack.db import db
from govtrack.meetings.models import Meeting
from govtrack.registry import services as registry
from govtrack.registry.enums import BodyKind
from govtrack.registry.models import Body, Partner, Person
from govtrack.scrutiny import rules
from govtrack.scrutiny.enums import Assessment, EventKind, Status
from govtrack.scrutiny.models import (
    Addressee,
    Inquiry,
    Recommendation,
    RecommendationEvent,
    RecommendationResponse,
    RecommendationUpdate,
    still_standing,
)

# Loading -----------------------------------------------------------------------------------


def load_inquiry(inquiry_id: int) -> Inquiry | None:
    return db.session.scalar(
        select(Inquiry)
        .where(Inquiry.id == inquiry_id)
        .options(
            joinedload(Inquiry.body).joinedload(Body.host_partner),
            selectinload(Inquiry.evidence_meetings),
        )
    )


def _recommendation_query(recommendation_id: int):
    return (
        select(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .options(
            joinedload(Recommendation.inquiry).joinedload(Inquiry.body),
            joinedload(Recommendation.lead_officer),
            selectinload(Recommendation.addressees),
        )
    )


def load_recommendation(recommendation_id: int) -> Recommendation | None:
    return db.session.scalar(_recommendation_query(recommendation_id))


def all_inquiries() -> list[Inquiry]:
    return list(
        db.session.scalars(
            select(Inquiry)
            .options(joinedload(Inquiry.body))
            .order_by(Inquiry.reported_on.desc().nulls_last(), Inquiry.id.desc())
        )
    )


SCRUTINY_KINDS = (BodyKind.SCRUTINY_PANEL, BodyKind.SCRUTINY_SUB_GROUP, BodyKind.TASK_GROUP)


def scrutiny_bodies(also: int | None = None) -> list[Body]:
    """Scrutiny panels, sub-groups and task groups (and ``also``, an inquiry's own body)."""
    return list(
        db.session.scalars(
            select(Body)
            .where(or_(Body.kind.in_(SCRUTINY_KINDS), Body.id == also))
            .order_by(Body.name)
        )
    )


def inquiry_bodies() -> list[Body]:
    """Bodies that have run an inquiry (for the tracker's filter)."""
    return list(
        db.session.scalars(
            select(Body).where(Body.id.in_(select(Inquiry.body_id))).order_by(Body.name)
        )
    )


def all_people() -> list[Person]:
    return list(
        db.session.scalars(select(Person).options(joinedload(Person.partner)).order_by(Person.name))
    )


def meetings_of_bodies(body_ids: Sequence[int]) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.body_id.in_(body_ids)).order_by(Meeting.held_on.desc())
        )
    )


def partners_by_code() -> dict[str, Partner]:
    return {p.code.upper(): p for p in registry.all_partners("code")}


def addressee_ids(recommendation: Recommendation) -> list[int]:
    if "addressees" not in inspect(recommendation).unloaded:
        return [p.id for p in recommendation.addressees]
    return list(
        db.session.scalars(
            select(Addressee.partner_id).where(Addressee.recommendation_id == recommendation.id)
        )
    )


def why_not_addressed(recommendation: Recommendation, own_partner: int | None, doing: str) -> str:
    """Why an officer may not ``doing`` (e.g. "add updates to") a recommendation: it is not
    addressed to their council, named (or their account is linked to no council)."""
    to = ", ".join(p.name for p in recommendation.addressees) or "the partnership as a whole"
    ref = f"Recommendation {recommendation.reference} is addressed to {to}"
    if own_partner is None:
        return (
            f"{ref}. Your account is not linked to a council, so you cannot {doing} it. Ask an "
            "administrator to link your account to the person you are in the register."
        )
    council = db.session.get(Partner, own_partner)
    return (
        f"{ref}, not to {council.name if council else 'your council'}. Officers can {doing} "
        "only the recommendations addressed to their own council."
    )


def earliest_update_of(recommendation: Recommendation) -> rules.Earliest:
    """The first day an update on the recommendation may be dated (its inquiry's dates)."""
    if "inquiry" not in inspect(recommendation).unloaded:
        inquiry = recommendation.inquiry
        return rules.earliest_update(inquiry.reported_on, inquiry.started_on)
    reported, started = db.session.execute(
        select(Inquiry.reported_on, Inquiry.started_on).where(
            Inquiry.id == recommendation.inquiry_id
        )
    ).one()
    return rules.earliest_update(reported, started)


def history_items(updates: Iterable[Any], events: Iterable[Any]) -> list[rules.HistoryItem]:
    """History items from updates and events (records or rows with the same names)."""
    items = [
        rules.HistoryItem(
            on=u.on,
            order=(u.created_at, 1, u.id),
            status=u.status,
            assessment=u.assessment,
            new_target_date=u.new_target_date,
            rag_override=u.rag_override,
            rag_reason=u.rag_reason,
            rag_override_until=u.rag_override_until,
            id=u.id,
            corrects_id=u.corrects_id,
            partner_id=u.partner_id,
        )
        for u in updates
    ]
    items += [
        rules.HistoryItem(
            on=e.on,
            order=(e.created_at, 2, e.id),
            status=Status(e.to_value),
            signed_off=e.kind is EventKind.SIGN_OFF,
        )
        for e in events
        if e.kind in (EventKind.SIGN_OFF, EventKind.REOPEN)
    ]
    return items


def _histories(
    recommendation_ids: Sequence[int],
) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """The updates and the sign-offs and reopenings of the recommendations, as plain rows (a
    long-monitored recommendation has many updates), by recommendation: two queries."""
    u = RecommendationUpdate
    updates: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(
        select(
            u.recommendation_id, u.id, u.on, u.created_at, u.status, u.assessment,
            u.new_target_date, u.rag_override, u.rag_reason, u.rag_override_until,
            u.corrects_id, u.partner_id,
        ).where(u.recommendation_id.in_(recommendation_ids))
    ):  # fmt: skip
        updates[row.recommendation_id].append(row)
    e = RecommendationEvent
    events: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(
        select(e.recommendation_id, e.id, e.on, e.created_at, e.kind, e.to_value).where(
            e.recommendation_id.in_(recommendation_ids),
            e.kind.in_([EventKind.SIGN_OFF, EventKind.REOPEN]),
        )
    ):
        events[row.recommendation_id].append(row)
    return updates, events


def state_of(recommendation: Recommendation) -> rules.State:
    """The recommendation's state from its whole history and its addressees (``rules``)."""
    db.session.flush()
    updates, events = _histories([recommendation.id])
    return rules.state_from_history(
        history_items(updates[recommendation.id], events[recommendation.id]),
        _addressee_ids_by_code(recommendation),
    )


def histories_of(
    recommendation_ids: Sequence[int],
) -> tuple[dict[int, list[rules.HistoryItem]], dict[int, list[int]]]:
    """What ``state_of`` reads, for many recommendations at once (three queries): each one's
    history items and its addressees' ids in the order the pages list them (by partner code)."""
    db.session.flush()
    updates, events = _histories(recommendation_ids)
    items = {rid: history_items(updates[rid], events[rid]) for rid in recommendation_ids}
    addressees: dict[int, list[int]] = {rid: [] for rid in recommendation_ids}
    for rid, partner_id in db.session.execute(
        select(Addressee.recommendation_id, Addressee.partner_id)
        .join(Partner, Partner.id == Addressee.partner_id)
        .where(Addressee.recommendation_id.in_(recommendation_ids))
        .order_by(Addressee.recommendation_id, Partner.code)
    ):
        addressees[rid].append(partner_id)
    return items, addressees


def load_recommendations(recommendation_ids: Sequence[int]) -> dict[int, Recommendation]:
    """The recommendations as stored now (re-read, even those already in the session), with
    their inquiries and addressees: two queries."""
    return {
        rec.id: rec
        for rec in db.session.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_(recommendation_ids))
            .options(
                joinedload(Recommendation.inquiry).joinedload(Inquiry.body),
                selectinload(Recommendation.addressees),
            )
            .execution_options(populate_existing=True)
        )
    }


def _addressee_ids_by_code(recommendation: Recommendation) -> list[int]:
    """The addressees' ids in the order the pages list them (by partner code)."""
    return list(
        db.session.scalars(
            select(Addressee.partner_id)
            .join(Partner, Partner.id == Addressee.partner_id)
            .where(Addressee.recommendation_id == recommendation.id)
            .order_by(Partner.code)
        )
    )


@dataclass(frozen=True)
class AddresseeLine:
    """One addressee's state, for the recommendation page."""

    partner: Partner
    state: rules.AddresseeState


def addressee_states(recommendation: Recommendation) -> list[AddresseeLine]:
    """Where each council the recommendation is addressed to stands (empty: the partnership)."""
    state = state_of(recommendation)
    partners = {p.id: p for p in recommendation.addressees}
    return [AddresseeLine(partners[a.partner_id], a) for a in state.addressees]


def addressee_states_of(
    recommendations: Sequence[Recommendation],
) -> dict[int, list[AddresseeLine]]:
    """Each council's state, for a page listing recommendations (addressees loaded): two
    queries whatever the number. Partnership-wide ones have none."""
    addressed = [r for r in recommendations if r.addressees]
    if not addressed:
        return {}
    updates, events = _histories([r.id for r in addressed])
    out: dict[int, list[AddresseeLine]] = {}
    for rec in addressed:
        partners = {p.id: p for p in rec.addressees}
        state = rules.state_from_history(
            history_items(updates[rec.id], events[rec.id]), list(partners)
        )
        out[rec.id] = [AddresseeLine(partners[a.partner_id], a) for a in state.addressees]
    return out


def _outstanding_codes(recommendation: Recommendation, state: rules.State) -> list[str] | None:
    """The codes of the addressees yet to report it done; None for a partnership-wide one."""
    if not state.addressees:
        return None
    codes = dict(
        db.session.execute(
            select(Partner.id, Partner.code).where(Partner.id.in_(state.outstanding))
        ).all()
    )
    return [codes[pid] for pid in state.outstanding]


def signoff_problem_of(recommendation: Recommendation) -> str | None:
    """Why the recommendation cannot be signed off now (None if it can): every addressee's
    latest update counts, not only the latest of all."""
    if recommendation.status in rules.CLOSED:
        return rules.signoff_problem(recommendation.status, None)
    state = state_of(recommendation)
    return rules.signoff_problem(
        recommendation.status,
        _latest_assessment(recommendation.id),
        _outstanding_codes(recommendation, state),
    )


def corrected_by(entries: Sequence[TimelineEntry]) -> dict[int, RecommendationUpdate]:
    """Each corrected update's id, with the (latest) update that corrects it."""
    return {
        e.record.corrects_id: e.record
        for e in entries
        if e.kind == "update" and e.record.corrects_id is not None
    }


def _latest_assessment(recommendation_id: int) -> Assessment | None:
    """The latest assessment of the updates that still count (``rules.standing``)."""
    return db.session.scalar(
        select(RecommendationUpdate.assessment)
        .where(
            RecommendationUpdate.recommendation_id == recommendation_id,
            RecommendationUpdate.assessment.is_not(None),
            still_standing(),
        )
        .order_by(RecommendationUpdate.on.desc(), RecommendationUpdate.id.desc())
        .limit(1)
    )


# Responses due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseLine:
    partner: Partner
    due_on: date | None
    response: RecommendationResponse | None
    overdue: bool
    # The recommendation is signed off: a missing response is no longer awaited.
    signed_off: bool = False
    # Why there is no due date, where there is none (``rules.no_due_date_because``).
    no_due_because: str = ""


def overdue_from(lines: Sequence[ResponseLine]) -> list[str]:
    """The codes of the partners whose response is overdue, in the lines' order."""
    return [line.partner.code for line in lines if line.overdue]


def latest_responses(
    recommendation_ids: Sequence[int], as_at: date | None = None
) -> dict[tuple[int, int], RecommendationResponse]:
    stmt = (
        select(RecommendationResponse)
        .where(RecommendationResponse.recommendation_id.in_(recommendation_ids))
        .order_by(RecommendationResponse.responded_on, RecommendationResponse.id)
    )
    if as_at is not None:
        stmt = stmt.where(RecommendationResponse.responded_on <= as_at)
    latest: dict[tuple[int, int], RecommendationResponse] = {}
    for response in db.session.scalars(stmt):
        latest[(response.recommendation_id, response.partner_id)] = response
    return latest


def response_lines(
    recommendations: Sequence[Recommendation], today: date
) -> dict[int, list[ResponseLine]]:
    """Each addressee's due date, latest response and whether it is overdue (two queries)."""
    ids = [r.id for r in recommendations]
    if not ids:
        return {}
    due = {
        (row.recommendation_id, row.partner_id): row.response_due_on
        for row in db.session.scalars(select(Addressee).where(Addressee.recommendation_id.in_(ids)))
    }
    latest = latest_responses(ids, today)
    received = dict(
        db.session.execute(
            select(Recommendation.id, Inquiry.reported_on)
            .join(Inquiry, Inquiry.id == Recommendation.inquiry_id)
            .where(Recommendation.id.in_(ids))
        ).all()
    )
    out: dict[int, list[ResponseLine]] = {}
    for rec in recommendations:
        lines = []
        for partner in rec.addressees:
            response = latest.get((rec.id, partner.id))
            due_on = due.get((rec.id, partner.id))
            lines.append(
                ResponseLine(
                    partner=partner,
                    due_on=due_on,
                    response=response,
                    overdue=rules.response_overdue(
                        due_on,
                        response.responded_on if response else None,
                        today,
                        rec.status in rules.CLOSED,
                    ),
                    signed_off=rec.status in rules.CLOSED,
                    no_due_because=rules.no_due_date_because(received[rec.id]),
                )
            )
        out[rec.id] = lines
    return out


# Recommendation page ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # "response", "update", "event"
    record: Any
    order: tuple = field(default=())


def timeline(recommendation: Recommendation) -> list[TimelineEntry]:
    """Responses, updates and events in the order they happened (by date, then as recorded)."""
    rid = recommendation.id
    entries: list[TimelineEntry] = []
    for r in db.session.scalars(
        select(RecommendationResponse)
        .where(RecommendationResponse.recommendation_id == rid)
        .options(joinedload(RecommendationResponse.partner))
    ):
        entries.append(TimelineEntry(r.responded_on, "response", r, (r.responded_on, 0, r.id)))
    for u in db.session.scalars(
        select(RecommendationUpdate)
        .where(RecommendationUpdate.recommendation_id == rid)
        .options(joinedload(RecommendationUpdate.partner))
    ):
        entries.append(TimelineEntry(u.on, "update", u, (u.on, 1, u.created_at, u.id)))
    for e in db.session.scalars(
        select(RecommendationEvent).where(RecommendationEvent.recommendation_id == rid)
    ):
        entries.append(TimelineEntry(e.on, "event", e, (e.on, 2, e.created_at, e.id)))
    entries.sort(key=lambda t: (t.order[0], t.order[1], *t.order[2:]))
    return entries


def updates_of(recommendation_id: int) -> list[RecommendationUpdate]:
    return list(
        db.session.scalars(
            select(RecommendationUpdate)
            .where(RecommendationUpdate.recommendation_id == recommendation_id)
            .options(joinedload(RecommendationUpdate.partner))
            .order_by(RecommendationUpdate.on, RecommendationUpdate.id)
        )
    )


# Inquiry page and agenda panels -------------------------------------------------------------


def recommendations_of(inquiry_id: int) -> list[Recommendation]:
    return list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.inquiry_id == inquiry_id)
            .options(selectinload(Recommendation.addressees))
            .order_by(Recommendation.position, Recommendation.id)
        )
    )


def due_for_review(body_id: int, on: date) -> list[Recommendation]:
    """Open recommendations of the body's inquiries (and its sub-groups') whose review is due
    by ``on``: they go on the body's next agenda."""
    sub_bodies = select(Body.id).where(Body.parent_id == body_id)
    return list(
        db.session.scalars(
            select(Recommendation)
            .join(Inquiry, Inquiry.id == Recommendation.inquiry_id)
            .where(
                or_(Inquiry.body_id == body_id, Inquiry.body_id.in_(sub_bodies)),
                Recommendation.status.not_in(rules.CLOSED),
                Recommendation.next_review_on <= on,
            )
            .options(joinedload(Recommendation.inquiry), selectinload(Recommendation.addressees))
            .order_by(Inquiry.id, Recommendation.position, Recommendation.id)
        )
    )


def led_by(person_id: int) -> list[Recommendation]:
    return list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.lead_officer_id == person_id)
            .options(joinedload(Recommendation.inquiry), selectinload(Recommendation.addressees))
            .order_by(Recommendation.inquiry_id, Recommendation.position)
        )
    )


def next_meeting_of(body_id: int, today: date) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.body_id == body_id, Meeting.held_on >= today)
        .order_by(Meeting.held_on, Meeting.id)
        .limit(1)
    )


def inquiries_of_body(body_id: int) -> list[Inquiry]:
    return list(
        db.session.scalars(
            select(Inquiry).where(Inquiry.body_id == body_id).order_by(Inquiry.id.desc())
        )
    )


def counts_by_rag(inquiry_ids: Sequence[int]) -> dict[int, dict[rag.RAG, int]]:
    out: dict[int, dict[rag.RAG, int]] = defaultdict(dict)
    for inquiry_id, colour, n in db.session.execute(
        select(Recommendation.inquiry_id, Recommendation.rag, func.count())
        .where(Recommendation.inquiry_id.in_(inquiry_ids))
        .group_by(Recommendation.inquiry_id, Recommendation.rag)
    ):
        out[inquiry_id][colour] = n
    return out


def overdue_counts(inquiry_ids: Sequence[int], today: date) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Recommendation.inquiry_id, func.count(Addressee.partner_id))
            .join(Addressee, Addressee.recommendation_id == Recommendation.id)
            .where(
                Recommendation.inquiry_id.in_(inquiry_ids),
                Recommendation.status.not_in(rules.CLOSED),
                Addressee.response_due_on < today,
                ~exists(
                    select(RecommendationResponse.id).where(
                        and_(
                            RecommendationResponse.recommendation_id == Addressee.recommendation_id,
                            RecommendationResponse.partner_id == Addressee.partner_id,
                        )
                    )
                ),
            )
            .group_by(Recommendation.inquiry_id)
        ).all()
    )
