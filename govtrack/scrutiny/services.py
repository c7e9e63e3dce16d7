"""Scrutiny use-cases: record inquiries, recommendations and responses; report progress;
review, sign off and reopen; and the pages' reads (tracker, timeline, monitoring report).

Every writer checks the permission and the rules, writes, audits, and only flushes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, inspect, or_, select
from sqlalchemy.orm import joinedload, selectinload

from govtrack.core import audit, rag
from govtrack.core.dates import long_date
from govtrack.core.ids import record_id
from govtrack.core.input_rules import link_problem
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.core.permissions import ensure
from govtrack.core.records import Invalid, create_record, raise_if, update_record
from govtrack.db import db
from govtrack.meetings.models import Meeting
from govtrack.registry.enums import BodyKind
from govtrack.registry.models import Body, Partner, Person
from govtrack.registry.services import own_partner_id
from govtrack.scrutiny import permissions, rules
from govtrack.scrutiny.enums import Assessment, EventKind, ResponseDecision, Status
from govtrack.scrutiny.models import (
    Addressee,
    EvidenceMeeting,
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


def lock_recommendation(recommendation: Recommendation) -> None:
    """Lock the recommendation's row (PostgreSQL; SQLite writers are serialised already) and
    re-read its current values, so the change is judged on what is stored now."""
    db.session.execute(
        select(Recommendation.id).where(Recommendation.id == recommendation.id).with_for_update()
    )
    db.session.refresh(
        recommendation,
        [c.key for c in Recommendation.__table__.columns],
    )


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


def all_partners() -> list[Partner]:
    return list(db.session.scalars(select(Partner).order_by(Partner.code)))


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
    return {p.code.upper(): p for p in all_partners()}


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


# Inquiries ---------------------------------------------------------------------------------


INQUIRY_FIELDS = (
    "body_id",
    "title",
    "terms_of_reference",
    "scope",
    "started_on",
    "reported_on",
    "response_days",
    "final_report_url",
)


def _inquiry_problems(values: Mapping[str, Any]) -> dict[str, str | None]:
    started, reported = values.get("started_on"), values.get("reported_on")
    url = (values.get("final_report_url") or "").strip()
    return {
        "title": None if (values.get("title") or "").strip() else "Enter the inquiry's title",
        "body_id": None
        if values.get("body_id") and db.session.get(Body, int(values["body_id"]))
        else "Choose the scrutiny body that ran the inquiry",
        "reported_on": rules.inquiry_dates_problem(started, reported),
        "final_report_url": "Give a web address starting with https:// or http://"
        if link_problem(url, "Link to the final report")
        else None,
        "response_days": "Give a number of days of at least 1"
        if values.get("response_days") is not None and int(values["response_days"]) < 1
        else None,
    }


def _set_evidence_meetings(actor: Any, inquiry: Inquiry, meeting_ids: Iterable[int]) -> None:
    wanted = {int(m) for m in meeting_ids}
    current = set(
        db.session.scalars(
            select(EvidenceMeeting.meeting_id).where(EvidenceMeeting.inquiry_id == inquiry.id)
        )
    )
    for meeting_id in current - wanted:
        db.session.delete(db.session.get(EvidenceMeeting, (inquiry.id, meeting_id)))
    for meeting_id in wanted - current:
        db.session.add(EvidenceMeeting(inquiry_id=inquiry.id, meeting_id=meeting_id))
    if wanted != current:
        audit.record(
            actor,
            "update",
            inquiry,
            f"Evidence meetings of {inquiry.title}",
            before={"evidence_meeting_ids": sorted(current)},
            after={"evidence_meeting_ids": sorted(wanted)},
        )


def create_inquiry(actor: Any, values: Mapping[str, Any]) -> Inquiry:
    ensure(permissions.can_manage_inquiries(actor))
    raise_if(_inquiry_problems(values))
    inquiry = Inquiry(**_inquiry_values(values), source=values.get("source", ""))
    create_record(actor, inquiry, f"Inquiry recorded: {inquiry.title}")
    _set_evidence_meetings(actor, inquiry, values.get("evidence_meeting_ids") or [])
    db.session.flush()
    return inquiry


def _inquiry_values(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {name: values.get(name) for name in INQUIRY_FIELDS if name in values}
    out["body_id"] = int(out["body_id"])
    for name in ("title", "terms_of_reference", "scope", "final_report_url"):
        out[name] = (out.get(name) or "").strip()
    if out.get("response_days") is None:
        out["response_days"] = rules.DEFAULT_PARTNER_RESPONSE_DAYS
    return out


def update_inquiry(
    actor: Any, inquiry: Inquiry, values: Mapping[str, Any], version: int | None
) -> Inquiry:
    ensure(permissions.can_manage_inquiries(actor))
    raise_if(_inquiry_problems(values))
    update_record(actor, inquiry, _inquiry_values(values), version, f"Inquiry: {inquiry.title}")
    _set_evidence_meetings(actor, inquiry, values.get("evidence_meeting_ids") or [])
    db.session.flush()
    _refresh_due_dates(inquiry)
    return inquiry


# A final report is a document: the papers store's other kinds (spreadsheets, images) are not.
FINAL_REPORT_EXTENSIONS = ("pdf", "doc", "docx", "odt")
FINAL_REPORT_TYPES = "PDF or Word document (DOC, DOCX or ODT)"


def attach_final_report(actor: Any, inquiry: Inquiry, upload: Any) -> Inquiry:
    """Keep the uploaded final report (checked by name, type, content and size) in the papers
    store, as a meeting's reports are kept; a later upload replaces it on the inquiry."""
    from govtrack.meetings import paper_store

    ensure(permissions.can_manage_inquiries(actor))
    if upload is None:
        raise Invalid({"file": "Select the final report to upload"})
    name = upload.filename or ""
    if not paper_store.filename_problem(name) and (
        name.rpartition(".")[2].lower() not in FINAL_REPORT_EXTENSIONS
    ):
        raise Invalid({"file": f"The final report must be a {FINAL_REPORT_TYPES}"})
    checked = paper_store.check_upload(
        upload.filename or "", upload.stream, paper_store.max_paper_bytes()
    )
    paper_store.store(upload.stream, checked.sha256)
    update_record(
        actor,
        inquiry,
        {
            "final_report_filename": checked.filename,
            "final_report_content_type": checked.kind.content_type,
            "final_report_size": checked.size,
            "final_report_sha256": checked.sha256,
        },
        inquiry.version,
        f"Final report uploaded: {checked.filename}",
    )
    return inquiry


def _refresh_due_dates(inquiry: Inquiry) -> None:
    """Addressees' response deadlines follow the inquiry's report date and agreed days."""
    host_id = db.session.scalar(select(Body.host_partner_id).where(Body.id == inquiry.body_id))
    rows = db.session.scalars(
        select(Addressee)
        .join(Recommendation, Recommendation.id == Addressee.recommendation_id)
        .where(Recommendation.inquiry_id == inquiry.id)
    )
    for row in rows:
        row.response_due_on = rules.response_due(
            inquiry.reported_on, row.partner_id == host_id, inquiry.response_days
        )


# Recommendations ---------------------------------------------------------------------------


REC_FIELDS = ("reference", "group", "text", "lead_officer_id", "target_date")


def _recommendation_problems(
    inquiry: Inquiry, values: Mapping[str, Any], existing: Recommendation | None
) -> dict[str, str | None]:
    reference = (values.get("reference") or "").strip()
    clash = None
    if reference:
        other = db.session.scalar(
            select(Recommendation.id).where(
                Recommendation.inquiry_id == inquiry.id, Recommendation.reference == reference
            )
        )
        if other is not None and (existing is None or other != existing.id):
            clash = f"This inquiry already has a recommendation {reference}"
    return {
        "reference": "Enter the recommendation's reference, for example 4.a"
        if not reference
        else clash,
        "text": None if (values.get("text") or "").strip() else "Enter the recommendation",
    }


def add_recommendation(
    actor: Any, inquiry: Inquiry, values: Mapping[str, Any], today: date
) -> Recommendation:
    ensure(permissions.can_manage_inquiries(actor))
    raise_if(_recommendation_problems(inquiry, values, None))
    position = db.session.scalar(
        select(func.count(Recommendation.id)).where(Recommendation.inquiry_id == inquiry.id)
    )
    recommendation = Recommendation(
        inquiry_id=inquiry.id,
        position=position or 0,
        reference=values["reference"].strip(),
        group=(values.get("group") or "").strip(),
        text=values["text"].strip(),
        lead_officer_id=values.get("lead_officer_id"),
        target_date=values.get("target_date"),
        status=Status.NOT_STARTED,
        next_review_on=values.get("next_review_on")
        or rules.next_review(inquiry.reported_on or today),
    )
    _apply_rag(recommendation, today)
    create_record(actor, recommendation, f"Recommendation {recommendation.reference} recorded")
    set_addressees(actor, recommendation, inquiry, values.get("addressee_ids") or [])
    return recommendation


def set_addressees(
    actor: Any, recommendation: Recommendation, inquiry: Inquiry, partner_ids
) -> None:
    wanted = {int(p) for p in partner_ids}
    host_id = db.session.scalar(select(Body.host_partner_id).where(Body.id == inquiry.body_id))
    current = {
        row.partner_id: row
        for row in db.session.scalars(
            select(Addressee).where(Addressee.recommendation_id == recommendation.id)
        )
    }
    for partner_id, row in current.items():
        if partner_id not in wanted:
            db.session.delete(row)
    for partner_id in wanted - current.keys():
        db.session.add(
            Addressee(
                recommendation_id=recommendation.id,
                partner_id=partner_id,
                response_due_on=rules.response_due(
                    inquiry.reported_on, partner_id == host_id, inquiry.response_days
                ),
            )
        )
    if wanted != current.keys():
        audit.record(
            actor,
            "update",
            recommendation,
            f"Recommendation {recommendation.reference} addressed to",
            before={"addressee_ids": sorted(current)},
            after={"addressee_ids": sorted(wanted)},
        )
    db.session.flush()
    db.session.expire(recommendation, ["addressees"])


def edit_recommendation(
    actor: Any,
    recommendation: Recommendation,
    values: Mapping[str, Any],
    version: int | None,
    today: date,
) -> Recommendation:
    ensure(permissions.can_manage_inquiries(actor))
    inquiry = recommendation.inquiry
    raise_if(_recommendation_problems(inquiry, values, recommendation))
    changes = {
        "reference": values["reference"].strip(),
        "group": (values.get("group") or "").strip(),
        "text": values["text"].strip(),
        "lead_officer_id": values.get("lead_officer_id"),
        "target_date": values.get("target_date"),
    }
    if values.get("next_review_on"):
        changes["next_review_on"] = values["next_review_on"]
    update_record(
        actor, recommendation, changes, version, f"Recommendation {changes['reference']} edited"
    )
    set_addressees(actor, recommendation, inquiry, values.get("addressee_ids") or [])
    # A council added (or taken off) changes who has still to act, so the status follows.
    _restate(actor, recommendation, today, today, "The councils it is addressed to changed")
    return recommendation


# RAG ----------------------------------------------------------------------------------------


def _assess(recommendation: Recommendation, today: date) -> rag.Assessment:
    return rules.recommendation_rag(
        status=recommendation.status,
        target_date=recommendation.target_date,
        revised_target_date=recommendation.revised_target_date,
        today=today,
        override=recommendation.rag_override,
        override_reason=recommendation.rag_override_reason,
        override_until=recommendation.rag_override_until,
    )


def _apply_rag(recommendation: Recommendation, today: date) -> None:
    result = _assess(recommendation, today)
    recommendation.rag = result.rag
    recommendation.rag_reason = result.reason[:300]


def _event(
    actor: Any,
    recommendation: Recommendation,
    kind: EventKind,
    on: date,
    text: str = "",
    from_value: str = "",
    to_value: str = "",
    update_id: int | None = None,
) -> RecommendationEvent:
    event = RecommendationEvent(
        recommendation_id=recommendation.id,
        kind=kind,
        on=on,
        text=text,
        from_value=from_value,
        to_value=to_value,
        update_id=update_id,
        author_id=getattr(actor, "id", None),
        author_label=getattr(actor, "name", "system"),
    )
    create_record(actor, event, f"{kind.label}: recommendation {recommendation.reference}")
    return event


def _sync_rag(
    actor: Any, recommendation: Recommendation, on: date, today: date, update_id: int | None = None
) -> None:
    """Re-derive the RAG; a change is history (a RAG-change event) in the same transaction."""
    before = recommendation.rag
    _apply_rag(recommendation, today)
    if recommendation.rag != before:
        _event(
            actor,
            recommendation,
            EventKind.RAG_CHANGE,
            on,
            recommendation.rag_reason,
            before.value,
            recommendation.rag.value,
            update_id,
        )


def _end_override(actor: Any, recommendation: Recommendation, today: date) -> None:
    """An override past its end date lapses: the derived RAG shows again (history: an event)."""
    before = audit.snapshot(recommendation)
    ended = recommendation.rag_override
    until = recommendation.rag_override_until
    recommendation.rag_override = None
    recommendation.rag_override_reason = ""
    recommendation.rag_override_until = None
    shown = recommendation.rag
    _apply_rag(recommendation, today)
    _event(
        actor,
        recommendation,
        EventKind.RAG_CHANGE,
        today,
        f"The override ({ended.label}) ended on {long_date(until)}; the RAG is derived again: "
        f"{recommendation.rag_reason}",
        shown.value,
        recommendation.rag.value,
    )
    db.session.flush()
    audit.record(
        actor, "update", recommendation, f"Override of {recommendation.reference} ended", before
    )


def refresh_rags(actor: Any, today: date) -> int:
    """The daily tick: dates pass, so open recommendations turn amber and red. Returns how
    many changed."""
    changed = 0
    open_recs = db.session.scalars(
        select(Recommendation).where(Recommendation.status.not_in(rules.CLOSED))
    )
    for recommendation in open_recs:
        before = recommendation.rag
        if recommendation.rag_override is not None and not rules.override_live(
            recommendation.rag_override_until, today
        ):
            _end_override(actor, recommendation, today)
        _sync_rag(actor, recommendation, today, today)
        changed += recommendation.rag != before
    db.session.flush()
    return changed


# Responses ----------------------------------------------------------------------------------


def record_response(
    actor: Any, recommendation: Recommendation, values: Mapping[str, Any], today: date
) -> RecommendationResponse:
    partner_id = int(values["partner_id"]) if values.get("partner_id") else None
    ids = addressee_ids(recommendation)
    ensure(permissions.can_record_response(actor, own_partner_id(actor), ids))
    allowed = permissions.partners_user_may_speak_for(actor, own_partner_id(actor), ids)
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
        raise Invalid({"partner_id": "You can respond only for your own council"})
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
    own = own_partner_id(actor)
    ids = addressee_ids(recommendation)
    ensure(permissions.can_add_update(actor, own, ids))
    allowed = permissions.partners_user_may_speak_for(actor, own, ids)
    partner_id = int(values["partner_id"]) if values.get("partner_id") else None
    if allowed is not None:
        # Officers always speak for their own council.
        partner_id = own
    entry = rules.UpdateInput(
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
    # Read the current status from the database, not from what the page showed: a sign-off
    # after the officer opened the form still refuses the update.
    # Lock the row (PostgreSQL; SQLite writers are serialised already) so two officers' updates
    # at the same moment are both kept, one after the other, each seeing the other's effect.
    lock_recommendation(recommendation)
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
        corrected = db.session.get(RecommendationUpdate, int(corrects_id))
        if corrected is None or corrected.recommendation_id != recommendation.id:
            problems["corrects_id"] = "Choose an update of this recommendation"
        elif allowed is not None and corrected.partner_id != own:
            problems["corrects_id"] = "You can correct only your own council's updates"
    raise_if(problems)
    update = RecommendationUpdate(
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
    create_record(actor, update, f"Update on recommendation {recommendation.reference}")
    _apply_update(actor, recommendation, update, today)
    return update


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


def _history_items(updates: Iterable[Any], events: Iterable[Any]) -> list[rules.HistoryItem]:
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


def _state_of(recommendation: Recommendation) -> rules.State:
    """The recommendation's state from its whole history and its addressees (``rules``)."""
    db.session.flush()
    updates, events = _histories([recommendation.id])
    return rules.state_from_history(
        _history_items(updates[recommendation.id], events[recommendation.id]),
        _addressee_ids_by_code(recommendation),
    )


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
    state = _state_of(recommendation)
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
            _history_items(updates[rec.id], events[rec.id]), list(partners)
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


def _restate(
    actor: Any,
    recommendation: Recommendation,
    on: date,
    today: date,
    because: str,
    update_id: int | None = None,
) -> None:
    """Carry the history (and the addressees) into the recommendation's current values; a
    change of status is itself history (an event)."""
    state = _state_of(recommendation)
    if state.status != recommendation.status:
        _event(
            actor,
            recommendation,
            EventKind.STATUS_CHANGE,
            on,
            because,
            recommendation.status.value,
            state.status.value,
            update_id,
        )
        recommendation.status = state.status
    recommendation.revised_target_date = state.revised_target_date
    # An override whose end has passed is history only: the cached state shows none.
    live = rules.override_live(state.rag_override_until, today)
    recommendation.rag_override = state.rag_override if live else None
    recommendation.rag_override_reason = state.rag_override_reason if live else ""
    recommendation.rag_override_until = state.rag_override_until if live else None
    _sync_rag(actor, recommendation, on, today, update_id)


def _apply_update(
    actor: Any, recommendation: Recommendation, update: RecommendationUpdate, today: date
) -> None:
    """Carry the history, with the new update in its place in time, into the recommendation's
    current values."""
    before = audit.snapshot(recommendation)
    _restate(
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
    ensure(permissions.can_review(actor))
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
    event = _event(
        actor, recommendation, kind, today, text, update_id=int(update_id) if update_id else None
    )
    recommendation.last_reviewed_on = today
    if recommendation.status not in rules.CLOSED:
        recommendation.next_review_on = next_on or rules.next_review(today)
    db.session.flush()
    audit.record(actor, "update", recommendation, f"Reviewed {recommendation.reference}", before)
    return event


def signoff_problem_of(recommendation: Recommendation) -> str | None:
    """Why the recommendation cannot be signed off now (None if it can): every addressee's
    latest update counts, not only the latest of all."""
    if recommendation.status in rules.CLOSED:
        return rules.signoff_problem(recommendation.status, None)
    state = _state_of(recommendation)
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


def sign_off(
    actor: Any,
    recommendation: Recommendation,
    text: str,
    version: int | None,
    today: date,
) -> RecommendationEvent:
    ensure(permissions.can_review(actor))
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
    event = _event(
        actor,
        recommendation,
        EventKind.SIGN_OFF,
        today,
        text.strip(),
        before_status.value,
        Status.SIGNED_OFF.value,
    )
    _sync_rag(actor, recommendation, today, today)
    return event


def reopen(
    actor: Any,
    recommendation: Recommendation,
    reason: str,
    version: int | None,
    today: date,
) -> RecommendationEvent:
    ensure(permissions.can_review(actor))
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
    event = _event(
        actor,
        recommendation,
        EventKind.REOPEN,
        today,
        reason.strip(),
        Status.SIGNED_OFF.value,
        Status.IN_PROGRESS.value,
    )
    _sync_rag(actor, recommendation, today, today)
    return event


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


def _latest_responses(
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
    latest = _latest_responses(ids, today)
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


def _overdue_clause(today: date):
    """SQL: an open recommendation with an addressee whose response is past due and missing
    (``rules.response_overdue``: a signed-off one awaits nothing)."""
    return Recommendation.status.not_in(rules.CLOSED) & exists(
        select(Addressee.recommendation_id).where(
            Addressee.recommendation_id == Recommendation.id,
            Addressee.response_due_on < today,
            ~exists(
                select(RecommendationResponse.id).where(
                    RecommendationResponse.recommendation_id == Addressee.recommendation_id,
                    RecommendationResponse.partner_id == Addressee.partner_id,
                )
            ),
        )
    )


# Tracker ------------------------------------------------------------------------------------


TRACKER_SORTS = {
    "reference": Recommendation.reference,
    "inquiry": Inquiry.title,
    "status": Recommendation.status,
    "rag": Recommendation.rag,
    "target": Recommendation.target_date,
    "review": Recommendation.next_review_on,
    "_id": Recommendation.id,
}
TRACKER_FILTERS = ("body", "partner", "status", "rag", "overdue", "inquiry")


def tracker(request: ListRequest, per_page: int, today: date) -> Page[Recommendation]:
    stmt = (
        select(Recommendation)
        .join(Inquiry, Inquiry.id == Recommendation.inquiry_id)
        .options(
            joinedload(Recommendation.inquiry).joinedload(Inquiry.body),
            selectinload(Recommendation.addressees),
        )
    )
    f = request.filters
    if body_id := record_id(f.get("body")):
        stmt = stmt.where(Inquiry.body_id == body_id)
    if inquiry_id := record_id(f.get("inquiry")):
        stmt = stmt.where(Inquiry.id == inquiry_id)
    if partner_id := record_id(f.get("partner")):
        stmt = stmt.where(
            or_(
                exists(
                    select(Addressee.partner_id).where(
                        Addressee.recommendation_id == Recommendation.id,
                        Addressee.partner_id == partner_id,
                    )
                ),
                ~exists(
                    select(Addressee.partner_id).where(
                        Addressee.recommendation_id == Recommendation.id
                    )
                ),
            )
        )
    if f.get("status") in {s.value for s in Status}:
        stmt = stmt.where(Recommendation.status == Status(f["status"]))
    elif f.get("status") == "open":
        stmt = stmt.where(Recommendation.status.not_in(rules.CLOSED))
    if f.get("rag") in {r.value for r in rag.RAG}:
        stmt = stmt.where(Recommendation.rag == rag.RAG(f["rag"]))
    if f.get("overdue") == "responses":
        stmt = stmt.where(_overdue_clause(today))
    elif f.get("overdue") == "review":
        stmt = stmt.where(
            Recommendation.status.not_in(rules.CLOSED), Recommendation.next_review_on <= today
        )
    elif f.get("overdue") == "target":
        stmt = stmt.where(Recommendation.rag == rag.RAG.RED)
    if request.sort == "reference":
        stmt = stmt.order_by(
            Inquiry.id.desc() if request.descending else Inquiry.id,
            Recommendation.position.desc() if request.descending else Recommendation.position,
            Recommendation.id,
        )
    else:
        stmt = order_by_choice(stmt, request, TRACKER_SORTS)
    return paginate(stmt, request.page, per_page)


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
    responses = _latest_responses(ids, as_at)
    due = {
        (row.recommendation_id, row.partner_id): row.response_due_on
        for row in db.session.scalars(select(Addressee).where(Addressee.recommendation_id.in_(ids)))
    }
    groups: dict[str, list[MonitoringRow]] = {}
    for rec in recs:
        updates = updates_by[rec.id]
        events = events_by[rec.id]
        # A corrected update is not anyone's latest progress once its correction is dated.
        counted = rules.standing(updates)
        general = next((u for u in reversed(counted) if u.partner_id is None), None)
        latest_by_partner: dict[int, RecommendationUpdate] = {}
        for u in counted:
            if u.partner_id is not None:
                latest_by_partner[u.partner_id] = u
        partner_updates = sorted(latest_by_partner.values(), key=lambda u: u.partner.code)
        state = rules.state_from_history(
            _history_items(updates, events), [p.id for p in rec.addressees]
        )
        status = state.status
        lines = []
        for partner in rec.addressees:
            response = responses.get((rec.id, partner.id))
            due_on = due.get((rec.id, partner.id))
            lines.append(
                ResponseLine(
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
                    rules.no_due_date_because(inquiry.reported_on),
                )
            )
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
        if changed_only and not changed:
            continue
        groups.setdefault(rec.group, []).append(
            MonitoringRow(
                rec,
                general,
                partner_updates,
                lines,
                status,
                assessment,
                changed,
                state.rag_override_until if assessment.overridden else None,
            )
        )
    return MonitoringReport(inquiry, as_at, since, dates, list(groups.items()))


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
