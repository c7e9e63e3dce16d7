"""Scrutiny inquiries, their recommendations, each addressee's response, progress updates and
the scrutiny body's reviews (challenges, sign-off, reopening, RAG and status changes).

Responses, updates and events are history: inserted, never changed. The recommendation keeps
its current status and RAG in step with them, in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from govtrack.core.audit import HistoryRow
from govtrack.core.rag import RAG
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow
from govtrack.meetings.models import Meeting
from govtrack.registry.models import Body, Partner, Person
from govtrack.scrutiny.enums import Assessment, EventKind, ResponseDecision, Status
from govtrack.scrutiny.rules import DEFAULT_PARTNER_RESPONSE_DAYS


class Inquiry(Versioned, Base):
    """A scrutiny body's inquiry (review) and its final report."""

    __tablename__ = "scrutiny_inquiries"
    __audit_subject__ = "inquiry"
    __audit_fields__ = (
        "body_id",
        "title",
        "terms_of_reference",
        "scope",
        "started_on",
        "reported_on",
        "response_days",
        "final_report_url",
        "final_report_filename",
        "final_report_sha256",
    )
    __table_args__ = (
        CheckConstraint(
            "reported_on IS NULL OR started_on IS NULL OR reported_on >= started_on", "dates"
        ),
        CheckConstraint("response_days > 0", "response_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    terms_of_reference: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date | None]
    # The day the final report was received by the executive: response deadlines run from it.
    reported_on: Mapped[date | None]
    # Days the partnership agreement gives partners other than the body's own council.
    response_days: Mapped[int] = mapped_column(default=DEFAULT_PARTNER_RESPONSE_DAYS)
    final_report_url: Mapped[str] = mapped_column(String(500), default="")
    # An uploaded final report, kept in the papers store under its SHA-256.
    final_report_filename: Mapped[str] = mapped_column(String(200), default="")
    final_report_content_type: Mapped[str] = mapped_column(String(100), default="")
    final_report_size: Mapped[int | None]
    final_report_sha256: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    body: Mapped[Body] = relationship(lazy="raise")
    evidence_meetings: Mapped[list[Meeting]] = relationship(
        secondary="scrutiny_evidence_meetings",
        lazy="raise",
        order_by="Meeting.held_on",
        viewonly=True,
    )


class EvidenceMeeting(Base):
    """A meeting at which the inquiry took evidence."""

    __tablename__ = "scrutiny_evidence_meetings"

    inquiry_id: Mapped[int] = mapped_column(ForeignKey("scrutiny_inquiries.id"), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)


class Recommendation(Versioned, Base):
    """One recommendation of an inquiry, with its current status and RAG."""

    __tablename__ = "scrutiny_recommendations"
    __audit_subject__ = "recommendation"
    __audit_fields__ = (
        "reference",
        "group",
        "text",
        "lead_officer_id",
        "target_date",
        "revised_target_date",
        "status",
        "rag",
        "rag_override",
        "rag_override_until",
        "next_review_on",
    )
    __table_args__ = (
        UniqueConstraint("inquiry_id", "reference"),
        Index("ix_scrutiny_recommendations_status_rag", "status", "rag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("scrutiny_inquiries.id"))
    reference: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    group: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    lead_officer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    target_date: Mapped[date | None]
    # The latest "slipped" update's new date.
    revised_target_date: Mapped[date | None]
    status: Mapped[Status] = mapped_column(
        enum_type(Status, "recommendation_status"), default=Status.NOT_STARTED
    )
    rag: Mapped[RAG] = mapped_column(enum_type(RAG, "rag"), default=RAG.GREY)
    rag_reason: Mapped[str] = mapped_column(String(300), default="")
    rag_override: Mapped[RAG | None] = mapped_column(enum_type(RAG, "rag_override"))
    rag_override_reason: Mapped[str] = mapped_column(String(300), default="")
    # The override stands until this day, from which the derived RAG shows again (the clock
    # clears it). None only on overrides recorded before overrides had to end.
    rag_override_until: Mapped[date | None]
    last_reviewed_on: Mapped[date | None]
    next_review_on: Mapped[date | None] = mapped_column(index=True)
    signed_off_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    inquiry: Mapped[Inquiry] = relationship(lazy="raise")
    lead_officer: Mapped[Person | None] = relationship(lazy="raise")
    addressees: Mapped[list[Partner]] = relationship(
        secondary="scrutiny_addressees", lazy="raise", order_by="Partner.code", viewonly=True
    )


class Addressee(Base):
    """A partner (its executive) a recommendation is addressed to; none means the partnership."""

    __tablename__ = "scrutiny_addressees"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("scrutiny_recommendations.id"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    # When its response is due (rules.response_due); kept in step with the inquiry's dates.
    response_due_on: Mapped[date | None] = mapped_column(index=True)


class RecommendationResponse(HistoryRow, Base):
    """An addressee's response; a later one for the same partner replaces it as current."""

    __tablename__ = "scrutiny_responses"
    __audit_subject__ = "recommendation_response"
    __audit_fields__ = ("recommendation_id", "partner_id", "decision", "text", "responded_on")
    __table_args__ = (
        Index("ix_scrutiny_responses_recommendation", "recommendation_id", "partner_id"),
        CheckConstraint("decision = 'accepted' OR length(reasons) > 0", "reasons_unless_accepted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("scrutiny_recommendations.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    decision: Mapped[ResponseDecision] = mapped_column(
        enum_type(ResponseDecision, "response_decision")
    )
    text: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[date]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped[Partner] = relationship(lazy="raise")


class RecommendationUpdate(HistoryRow, Base):
    """A dated progress update, general (no partner) or one partner's. Never edited: a
    correction is a new update naming the one it corrects."""

    __tablename__ = "scrutiny_updates"
    __audit_subject__ = "recommendation_update"
    __audit_fields__ = (
        "recommendation_id",
        "partner_id",
        "on",
        "text",
        "assessment",
        "status",
        "rag_override",
        "rag_override_until",
        "new_target_date",
        "corrects_id",
    )
    __table_args__ = (
        Index("ix_scrutiny_updates_recommendation", "recommendation_id", "on", "id"),
        # "Has this update been corrected?" (a correction names the update it corrects).
        Index("ix_scrutiny_updates_corrects", "corrects_id"),
        CheckConstraint(
            "assessment IS NULL OR assessment != 'slipped' OR "
            "(new_target_date IS NOT NULL AND length(slip_reason) > 0)",
            "slipped_needs_date_and_reason",
        ),
        CheckConstraint("rag_override IS NULL OR length(rag_reason) > 0", "override_needs_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("scrutiny_recommendations.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    assessment: Mapped[Assessment | None] = mapped_column(enum_type(Assessment, "assessment"))
    status: Mapped[Status | None] = mapped_column(enum_type(Status, "update_status"))
    rag_override: Mapped[RAG | None] = mapped_column(enum_type(RAG, "update_rag"))
    rag_reason: Mapped[str] = mapped_column(String(300), default="")
    rag_override_until: Mapped[date | None]
    new_target_date: Mapped[date | None]
    slip_reason: Mapped[str] = mapped_column(Text, default="")
    evidence_links: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("scrutiny_updates.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped[Partner | None] = relationship(lazy="raise")

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class RecommendationEvent(HistoryRow, Base):
    """A scrutiny member's challenge, comment, sign-off or reopening, or a change of status or
    RAG, on a date."""

    __tablename__ = "scrutiny_events"
    __audit_subject__ = "recommendation_event"
    __audit_fields__ = ("recommendation_id", "kind", "on", "text", "from_value", "to_value")
    __table_args__ = (Index("ix_scrutiny_events_recommendation", "recommendation_id", "on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("scrutiny_recommendations.id"))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, "recommendation_event_kind"))
    on: Mapped[date]
    text: Mapped[str] = mapped_column(Text, default="")
    from_value: Mapped[str] = mapped_column(String(40), default="")
    to_value: Mapped[str] = mapped_column(String(40), default="")
    update_id: Mapped[int | None] = mapped_column(ForeignKey("scrutiny_updates.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def still_standing() -> ColumnElement[bool]:
    """SQL: the ``RecommendationUpdate`` row has not been corrected by a later update."""
    correction = aliased(RecommendationUpdate)
    return ~exists(select(correction.id).where(correction.corrects_id == RecommendationUpdate.id))
