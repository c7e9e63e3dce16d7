"""Writes of scrutiny: inquiries and their recommendations, and the status and RAG kept in step
with their history. The responses, progress updates and reviews recorded against a
recommendation are in ``progress``.

Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select

from govtrack.core import audit, rag
from govtrack.core.dates import long_date
from govtrack.core.input_rules import link_problem
from govtrack.core.permissions import ensure
from govtrack.core.records import Invalid, create_record, raise_if, update_record
from govtrack.db import db
from govtrack.registry.models import Body
from govtrack.scrutiny import permissions, rules
from govtrack.scrutiny.enums import EventKind, Status
from govtrack.scrutiny.models import (
    Addressee,
    EvidenceMeeting,
    Inquiry,
    Recommendation,
    RecommendationEvent,
)
from govtrack.scrutiny.queries import load_recommendations, state_of


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


def lock_recommendations(recommendation_ids: Iterable[int]) -> dict[int, Recommendation]:
    """Lock the recommendations' rows (in id order, so two bulk writes cannot deadlock) and
    re-read them as stored now, with their inquiries and addressees: three queries however
    many."""
    ids = sorted(set(recommendation_ids))
    db.session.execute(
        select(Recommendation.id)
        .where(Recommendation.id.in_(ids))
        .order_by(Recommendation.id)
        .with_for_update()
    )
    return load_recommendations(ids)


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
    ensure(permissions.can_manage_inquiries(actor, int(values["body_id"])))
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
    ensure(permissions.can_manage_inquiries(actor, inquiry))
    raise_if(_inquiry_problems(values))
    ensure(permissions.can_manage_inquiries(actor, int(values["body_id"])))
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

    ensure(permissions.can_manage_inquiries(actor, inquiry))
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
    ensure(permissions.can_manage_inquiries(actor, inquiry))
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
    ensure(permissions.can_manage_inquiries(actor, recommendation))
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
    restate(actor, recommendation, today, today, "The councils it is addressed to changed")
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


def new_event(
    actor: Any,
    recommendation: Recommendation,
    kind: EventKind,
    on: date,
    text: str = "",
    from_value: str = "",
    to_value: str = "",
    update_id: int | None = None,
) -> RecommendationEvent:
    """An event of the recommendation's history, not yet added (``record_event`` adds it)."""
    return RecommendationEvent(
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


def event_summary(event: RecommendationEvent, recommendation: Recommendation) -> str:
    return f"{event.kind.label}: recommendation {recommendation.reference}"


def record_event(
    actor: Any,
    recommendation: Recommendation,
    kind: EventKind,
    on: date,
    text: str = "",
    from_value: str = "",
    to_value: str = "",
    update_id: int | None = None,
) -> RecommendationEvent:
    event = new_event(actor, recommendation, kind, on, text, from_value, to_value, update_id)
    create_record(actor, event, event_summary(event, recommendation))
    return event


def _rag_changed(
    actor: Any, recommendation: Recommendation, on: date, today: date, update_id: int | None
) -> list[RecommendationEvent]:
    """Re-derive the RAG in memory; a change is history: the RAG-change event, not yet added."""
    before = recommendation.rag
    _apply_rag(recommendation, today)
    if recommendation.rag == before:
        return []
    return [
        new_event(
            actor,
            recommendation,
            EventKind.RAG_CHANGE,
            on,
            recommendation.rag_reason,
            before.value,
            recommendation.rag.value,
            update_id,
        )
    ]


def sync_rag(
    actor: Any, recommendation: Recommendation, on: date, today: date, update_id: int | None = None
) -> None:
    """Re-derive the RAG; a change is history (a RAG-change event) in the same transaction."""
    for event in _rag_changed(actor, recommendation, on, today, update_id):
        create_record(actor, event, event_summary(event, recommendation))


def restated(
    actor: Any,
    recommendation: Recommendation,
    state: rules.State,
    on: date,
    today: date,
    because: str,
    update_id: int | None = None,
) -> list[RecommendationEvent]:
    """Carry ``state`` (the history's, ``rules.state_from_history``) into the recommendation's
    current values, in memory; returns the events that record a change of status and of RAG,
    in that order, not yet added. No query: a bulk write replays many updates with it."""
    events = []
    if state.status != recommendation.status:
        events.append(
            new_event(
                actor,
                recommendation,
                EventKind.STATUS_CHANGE,
                on,
                because,
                recommendation.status.value,
                state.status.value,
                update_id,
            )
        )
        recommendation.status = state.status
    recommendation.revised_target_date = state.revised_target_date
    # An override whose end has passed is history only: the cached state shows none.
    live = rules.override_live(state.rag_override_until, today)
    recommendation.rag_override = state.rag_override if live else None
    recommendation.rag_override_reason = state.rag_override_reason if live else ""
    recommendation.rag_override_until = state.rag_override_until if live else None
    return events + _rag_changed(actor, recommendation, on, today, update_id)


def restate(
    actor: Any,
    recommendation: Recommendation,
    on: date,
    today: date,
    because: str,
    update_id: int | None = None,
) -> None:
    """Carry the history (and the addressees) into the recommendation's current values; a
    change of status is itself history (an event)."""
    state = state_of(recommendation)
    for event in restated(actor, recommendation, state, on, today, because, update_id):
        create_record(actor, event, event_summary(event, recommendation))


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
    record_event(
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
        sync_rag(actor, recommendation, today, today)
        changed += recommendation.rag != before
    db.session.flush()
    return changed
