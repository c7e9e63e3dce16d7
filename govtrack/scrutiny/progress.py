"""Writes of progress on a recommendation: the partners' responses, progress updates and their
corrections, and the reviews (challenge, comment, sign-off, reopening), keeping the RAG in step.

Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from govtrack.core import audit, rag
from govtrack.core.bulk import insert_together
from govtrack.core.dates import long_date
from govtrack.core.input_rules import link_problem
from govtrack.core.permissions import ensure
from govtrack.core.records import Invalid, create_record, raise_if, update_record
from govtrack.db import db
from govtrack.scrutiny import permissions, rules
from govtrack.scrutiny.commands import (
    event_summary,
    lock_recommendation,
    lock_recommendations,
    record_event,
    restate,
    restated,
    sync_rag,
)
from govtrack.scrutiny.enums import Assessment, EventKind, ResponseDecision, Status
from govtrack.scrutiny.models import (
    Recommendation,
    RecommendationEvent,
    RecommendationResponse,
    RecommendationUpdate,
)
from govtrack.scrutiny.queries import (
    addressee_ids,
    earliest_update_of,
    histories_of,
    history_items,
    signoff_problem_of,
)

# Responses ----------------------------------------------------------------------------------


def record_response(
    actor: Any, recommendation: Recommendation, values: Mapping[str, Any], today: date
) -> RecommendationResponse:
    partner_id = int(values["partner_id"]) if values.get("partner_id") else None
    ids = addressee_ids(recommendation)
    ensure(permissions.can_record_response(actor, recommendation, ids))
    allowed = permissions.partners_user_may_speak_for(actor, recommendation, ids)
    decision = values.get("decision")
    decision = ResponseDecision(decision) if decision else None
    responded_on = values.get("responded_on")
    reasons = (values.get("reasons") or "").strip()
    raise_if(
        rules.response_problems(
            partner_id=partner_id,
            addressee_ids=ids,
            decision=decision,
            responded_on=responded_on,
            reasons=reasons,
            today=today,
            earliest=earliest_update_of(recommendation),
        )
    )
    if allowed is not None and partner_id not in allowed:
        raise Invalid({"partner_id": "You can respond only for a council you are an officer of"})
    response = RecommendationResponse(
        recommendation_id=recommendation.id,
        partner_id=partner_id,
        decision=decision,
        text=(values.get("text") or "").strip(),
        reasons=reasons,
        responded_on=responded_on,
        author_id=getattr(actor, "id", None),
    )
    create_record(actor, response, f"Response to recommendation {recommendation.reference}")
    return response


# Updates ------------------------------------------------------------------------------------


def _enum(cls, value):
    return cls(value) if value else None


def add_update(
    actor: Any, recommendation: Recommendation, values: Mapping[str, Any], today: date
) -> RecommendationUpdate:
    """An officer's (or the clerk's) progress update; keeps status, target and RAG in step."""
    # Read the current status from the database, not from what the page showed: a sign-off
    # after the officer opened the form still refuses the update.
    # Lock the row (PostgreSQL; SQLite writers are serialised already) so two officers' updates
    # at the same moment are both kept, one after the other, each seeing the other's effect.
    lock_recommendation(recommendation)
    update = _checked_update(actor, recommendation, values, today)
    create_record(actor, update, _update_summary(recommendation))
    _apply_update(actor, recommendation, update, today)
    return update


class EntryInvalid(Invalid):
    """A bulk write refused: ``index`` is the entry (counted from 0) that ``problems`` are
    about."""

    def __init__(self, index: int, problems: Mapping[str, str]) -> None:
        super().__init__(problems)
        self.index = index


def add_updates(
    actor: Any, entries: Sequence[tuple[int, Mapping[str, Any]]], today: date
) -> list[RecommendationUpdate]:
    """Many progress updates at once (an import), each ``(recommendation id, values)``: each
    checked and written as ``add_update`` does it, in the order given, with the same history
    (a status or RAG change after an update is its event), the same audit entries and the
    recommendation's status, target and RAG in step; but in a number of statements that does
    not grow with the updates. The recommendations are locked and their histories read once,
    each update's effect is worked out in memory from the history so far (``rules``), and the
    updates, the events and the audit entries are each inserted together.

    Raises ``EntryInvalid`` naming the first entry refused; nothing is added then."""
    if not entries:
        return []
    recs = lock_recommendations(rid for rid, _values in entries)
    histories, addressees = histories_of(list(recs))
    folds = {rid: rules.HistoryFold(addressees[rid], histories[rid]) for rid in recs}
    rights = {rid: _rights(actor, rec) for rid, rec in recs.items()}
    updates = []
    for index, (rid, values) in enumerate(entries):
        try:
            updates.append(_checked_update(actor, recs[rid], values, today, rights[rid]))
        except Invalid as exc:
            raise EntryInvalid(index, exc.problems) from exc
    insert_together(updates)
    # Each update's place in the story: its creation, the events it caused, the change to its
    # recommendation (before and after), as add_update audits them one by one.
    steps = []
    for update in updates:
        rec = recs[update.recommendation_id]
        before = audit.snapshot(rec)
        folds[rec.id].add(*history_items([update], []))
        state = folds[rec.id].state()
        because = f"By the update of {long_date(update.on)}"
        events = restated(actor, rec, state, update.on, today, because, update.id)
        steps.append((rec, update, events, before, audit.snapshot(rec)))
    insert_together([event for _rec, _update, events, *_ in steps for event in events])
    entries_in_order = []
    for rec, update, events, before, after in steps:
        entries_in_order.append(audit.entry_for(actor, "create", update, _update_summary(rec)))
        entries_in_order += [
            audit.entry_for(actor, "create", event, event_summary(event, rec)) for event in events
        ]
        entries_in_order.append(
            audit.entry_for(actor, "update", rec, f"Recommendation {rec.reference}", before, after)
        )
    audit.record_all(entries_in_order)
    db.session.flush()
    return updates


def _update_summary(recommendation: Recommendation) -> str:
    return f"Update on recommendation {recommendation.reference}"


def _rights(actor: Any, recommendation: Recommendation) -> tuple[list[int], list[int] | None]:
    """The recommendation's addressees and the partners the actor may speak for (None: any),
    once the actor is found to be allowed to add updates to it at all."""
    ids = addressee_ids(recommendation)
    ensure(permissions.can_add_update(actor, recommendation, ids))
    return ids, permissions.partners_user_may_speak_for(actor, recommendation, ids)


def _checked_update(
    actor: Any,
    recommendation: Recommendation,
    values: Mapping[str, Any],
    today: date,
    rights: tuple[list[int], list[int] | None] | None = None,
) -> RecommendationUpdate:
    """The update, checked against the permissions (``rights``, if already worked out) and the
    rules on the recommendation as stored (the caller has locked and re-read it); not yet
    added."""
    ids, allowed = rights or _rights(actor, recommendation)
    partner_id = int(values["partner_id"]) if values.get("partner_id") else None
    if allowed is not None and partner_id not in allowed:
        # Officers always speak for a council they are an officer of: their own, when it is
        # the only one.
        if len(allowed) != 1:
            raise Invalid({"partner_id": "Choose a council you are an officer of"})
        partner_id = allowed[0]
    entry = _update_input(values)
    problems = rules.update_problems(
        entry, recommendation.status, today, earliest_update_of(recommendation)
    )
    if partner_id is not None and ids and partner_id not in ids:
        problems["partner_id"] = "This recommendation is not addressed to that partner"
    for link in (values.get("evidence_links") or "").split():
        if problem := link_problem(link, "Evidence links"):
            problems["evidence_links"] = problem
            break
    corrects_id = values.get("corrects_id")
    if corrects_id:
        problems["corrects_id"] = _correction_problem(
            int(corrects_id), recommendation, partner_id if allowed is not None else None
        )
    raise_if(problems)
    return RecommendationUpdate(
        recommendation_id=recommendation.id,
        partner_id=partner_id,
        on=entry.on,
        text=entry.text.strip(),
        assessment=entry.assessment,
        status=entry.status,
        rag_override=entry.rag_override,
        rag_reason=entry.rag_reason.strip(),
        rag_override_until=entry.rag_override_until if entry.rag_override else None,
        new_target_date=entry.new_target_date,
        slip_reason=entry.slip_reason.strip(),
        evidence_links=(values.get("evidence_links") or "").strip(),
        corrects_id=int(corrects_id) if corrects_id else None,
        author_id=getattr(actor, "id", None),
        author_label=getattr(actor, "name", "system"),
    )


def _update_input(values: Mapping[str, Any]) -> rules.UpdateInput:
    return rules.UpdateInput(
        on=values.get("on"),
        text=values.get("text") or "",
        assessment=_enum(Assessment, values.get("assessment")),
        status=_enum(Status, values.get("status")),
        new_target_date=values.get("new_target_date"),
        slip_reason=values.get("slip_reason") or "",
        rag_override=_enum(rag.RAG, values.get("rag_override")),
        rag_reason=values.get("rag_reason") or "",
        rag_override_until=values.get("rag_override_until"),
    )


def _correction_problem(
    corrects_id: int, recommendation: Recommendation, only_partner: int | None
) -> str | None:
    """What is wrong with the update an update says it corrects; ``only_partner`` is the
    council an officer's update is for, when they may correct only its updates (None for the
    clerk)."""
    corrected = db.session.get(RecommendationUpdate, corrects_id)
    if corrected is None or corrected.recommendation_id != recommendation.id:
        return "Choose an update of this recommendation"
    if only_partner is not None and corrected.partner_id != only_partner:
        return "You can correct only the updates of the council you report for"
    return None


def _apply_update(
    actor: Any, recommendation: Recommendation, update: RecommendationUpdate, today: date
) -> None:
    """Carry the history, with the new update in its place in time, into the recommendation's
    current values."""
    before = audit.snapshot(recommendation)
    restate(
        actor,
        recommendation,
        update.on,
        today,
        f"By the update of {long_date(update.on)}",
        update.id,
    )
    db.session.flush()
    audit.record(
        actor, "update", recommendation, f"Recommendation {recommendation.reference}", before
    )


# Reviews: challenge, comment, sign-off, reopen ----------------------------------------------


def add_review(
    actor: Any, recommendation: Recommendation, values: Mapping[str, Any], today: date
) -> RecommendationEvent:
    """A scrutiny member's challenge or comment; it is a review, so the next one is due six
    months later unless another date is given."""
    ensure(permissions.can_review(actor, recommendation))
    kind = EventKind(values.get("kind") or "comment")
    text = (values.get("text") or "").strip()
    next_on = values.get("next_review_on")
    update_id = values.get("update_id")
    raise_if(
        {
            "kind": None
            if kind in (EventKind.CHALLENGE, EventKind.COMMENT)
            else "Choose challenge or comment",
            "text": None if text else f"Enter the {kind.label.lower()}",
            "next_review_on": "The next review date must be after today"
            if next_on is not None and next_on <= today
            else None,
        }
    )
    if update_id:
        owner = db.session.scalar(
            select(RecommendationUpdate.recommendation_id).where(
                RecommendationUpdate.id == int(update_id)
            )
        )
        if owner != recommendation.id:
            raise Invalid({"update_id": "Choose an update of this recommendation"})
    before = audit.snapshot(recommendation)
    event = record_event(
        actor, recommendation, kind, today, text, update_id=int(update_id) if update_id else None
    )
    recommendation.last_reviewed_on = today
    if recommendation.status not in rules.CLOSED:
        recommendation.next_review_on = next_on or rules.next_review(today)
    db.session.flush()
    audit.record(actor, "update", recommendation, f"Reviewed {recommendation.reference}", before)
    return event


def sign_off(
    actor: Any,
    recommendation: Recommendation,
    text: str,
    version: int | None,
    today: date,
) -> RecommendationEvent:
    ensure(permissions.can_review(actor, recommendation))
    raise_if({"text": signoff_problem_of(recommendation)})
    before_status = recommendation.status
    update_record(
        actor,
        recommendation,
        {
            "status": Status.SIGNED_OFF,
            "signed_off_on": today,
            "last_reviewed_on": today,
            "next_review_on": None,
            "rag_override": None,
            "rag_override_reason": "",
            "rag_override_until": None,
        },
        version,
        f"Recommendation {recommendation.reference} signed off",
    )
    event = record_event(
        actor,
        recommendation,
        EventKind.SIGN_OFF,
        today,
        text.strip(),
        before_status.value,
        Status.SIGNED_OFF.value,
    )
    sync_rag(actor, recommendation, today, today)
    return event


def reopen(
    actor: Any,
    recommendation: Recommendation,
    reason: str,
    version: int | None,
    today: date,
) -> RecommendationEvent:
    ensure(permissions.can_review(actor, recommendation))
    raise_if(
        {
            "text": None
            if recommendation.status in rules.CLOSED
            else "Only a signed-off recommendation can be reopened",
        }
    )
    raise_if({"text": None if reason.strip() else "Give the reason for reopening"})
    update_record(
        actor,
        recommendation,
        {
            "status": Status.IN_PROGRESS,
            "signed_off_on": None,
            "last_reviewed_on": today,
            "next_review_on": rules.next_review(today),
        },
        version,
        f"Recommendation {recommendation.reference} reopened",
    )
    event = record_event(
        actor,
        recommendation,
        EventKind.REOPEN,
        today,
        reason.strip(),
        Status.SIGNED_OFF.value,
        Status.IN_PROGRESS.value,
    )
    sync_rag(actor, recommendation, today, today)
    return event
