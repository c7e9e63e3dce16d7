"""The programme plan: objectives, their work-plan actions, milestones with baselines, forecasts
and actuals, and the history of every change (baselines, dates, status, RAG).

Baselines, changes and RAG changes are history: inserted, never changed. The milestone keeps
its current dates, status and RAG in step with them, in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govtrack.core.audit import HistoryRow
from govtrack.core.rag import (
    DEFAULT_DUE_SOON_DAYS,
    DEFAULT_SLIP_TOLERANCE_DAYS,
    RAG,
    Confidence,
    Scale,
    Thresholds,
)
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow
from govtrack.programme import rules
from govtrack.programme.enums import ActionStatus, ChangeKind, MilestoneStatus


class Programme(Versioned, Base):
    """A programme of work with its reporting scale and RAG thresholds."""

    __tablename__ = "programmes"
    __audit_subject__ = "programme"
    __audit_fields__ = (
        "key", "name", "starts_on", "reporting", "slip_tolerance_days", "due_soon_days",
    )  # fmt: skip
    __table_args__ = (
        UniqueConstraint("key"),
        CheckConstraint("slip_tolerance_days >= 0", "slip_tolerance_days"),
        CheckConstraint("due_soon_days >= 0", "due_soon_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    reporting: Mapped[Scale] = mapped_column(
        enum_type(Scale, "reporting_scale"), default=Scale.THREE_POINT
    )
    # Forecast slip beyond the baseline up to this many days is amber; beyond it, red.
    slip_tolerance_days: Mapped[int] = mapped_column(default=DEFAULT_SLIP_TOLERANCE_DAYS)
    # A milestone due within this many days is amber ("due soon").
    due_soon_days: Mapped[int] = mapped_column(default=DEFAULT_DUE_SOON_DAYS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.slip_tolerance_days, self.due_soon_days)


class Objective(Versioned, Base):
    """One of the programme's objectives (the vision statement's nine shared objectives)."""

    __tablename__ = "objectives"
    __audit_subject__ = "objective"
    __audit_fields__ = ("programme_id", "number", "title", "text", "position")
    __history_label__ = "title"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship(lazy="raise")


class WorkPlanAction(Versioned, Base):
    """An action of the work plan under an objective; it has a RAG like a milestone."""

    __tablename__ = "work_plan_actions"
    __audit_subject__ = "work_plan_action"
    __audit_fields__ = (
        "objective_id", "title", "owner_partner_id", "due", "status", "done_on", "rag",
    )  # fmt: skip
    __table_args__ = (Index("ix_work_plan_actions_objective", "objective_id", "due", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objectives.id"))
    title: Mapped[str] = mapped_column(String(300))
    owner_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    due: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus, "action_status"), default=ActionStatus.NOT_STARTED
    )
    done_on: Mapped[date | None]
    rag: Mapped[RAG] = mapped_column(enum_type(RAG, "action_rag"), default=RAG.GREY)
    rag_reason: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    objective: Mapped[Objective] = relationship(lazy="raise")


class Milestone(Versioned, Base):
    """A dated promise of the programme, with its current dates, status and RAG."""

    __tablename__ = "milestones"
    __audit_subject__ = "milestone"
    __audit_fields__ = (
        "title", "objective_id", "workstream", "owner_partner_id", "owner_person_id",
        "baseline_date", "forecast_date", "actual_date", "status", "notes", "rag",
        "override_confidence", "override_reason", "override_expires_on",
    )  # fmt: skip
    __history_label__ = "title"
    __table_args__ = (
        CheckConstraint(
            "override_confidence IS NULL OR "
            "(length(override_reason) > 0 AND override_expires_on IS NOT NULL)",
            "override_needs_reason_and_expiry",
        ),
        UniqueConstraint("programme_id", "key"),
        Index("ix_milestones_programme_rag", "programme_id", "rag", "id"),
        Index("ix_milestones_objective", "objective_id", "id"),
        Index("ix_milestones_owner_partner", "owner_partner_id", "id"),
        Index("ix_milestones_forecast", "programme_id", "forecast_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    key: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objectives.id"))
    workstream: Mapped[str] = mapped_column(String(120), default="")
    owner_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    # The current baseline; every baseline is kept in MilestoneBaseline.
    baseline_date: Mapped[date | None]
    # The baseline as the paper worded it ("by mid/late 2007"), when seeded from a document.
    baseline_wording: Mapped[str] = mapped_column(String(300), default="")
    forecast_date: Mapped[date | None]
    actual_date: Mapped[date | None]
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus, "milestone_status"), default=MilestoneStatus.NOT_STARTED
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    # The RAG shown now (derived, or the live override folded to three points), kept in sync.
    rag: Mapped[RAG] = mapped_column(enum_type(RAG, "milestone_rag"), default=RAG.GREY)
    rag_reason: Mapped[str] = mapped_column(String(300), default="")
    # The day the current RAG took effect.
    rag_since: Mapped[date | None]
    # A manual override: the rating as given (five-point allowed), why, and until when.
    override_confidence: Mapped[Confidence | None] = mapped_column(
        enum_type(Confidence, "override_confidence")
    )
    override_reason: Mapped[str] = mapped_column(String(rules.OVERRIDE_REASON_MAX), default="")
    override_expires_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship(lazy="raise")
    objective: Mapped[Objective | None] = relationship(lazy="raise")

    @property
    def overridden(self) -> bool:
        return self.override_confidence is not None

    @property
    def complete(self) -> bool:
        return rules.is_complete(self.status)

    @property
    def confidence_note(self) -> str:
        """The five-point rating of a live override where the RAG alone hides it."""
        return rules.confidence_note(self.override_confidence)

    def forecast_out_of_date(self, today: date) -> bool:
        return rules.forecast_out_of_date(self.status, self.forecast_date, self.actual_date, today)


class MilestonePredecessor(Base):
    """``predecessor`` must be complete before ``milestone`` can be."""

    __tablename__ = "milestone_predecessors"
    __table_args__ = (CheckConstraint("milestone_id != predecessor_id", "not_itself"),)

    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id"), primary_key=True, index=True
    )


class MilestoneBaseline(HistoryRow, Base):
    """A baseline a milestone was given (the first, and each re-baselining with its reason)."""

    __tablename__ = "milestone_baselines"
    __audit_subject__ = "milestone_baseline"
    __audit_fields__ = ("milestone_id", "baseline_date", "previous_date", "reason", "on")
    __table_args__ = (
        Index("ix_milestone_baselines_milestone", "milestone_id", "id"),
        CheckConstraint("previous_date IS NULL OR length(reason) > 0", "rebaseline_needs_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    baseline_date: Mapped[date | None]
    previous_date: Mapped[date | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by: Mapped[str] = mapped_column(String(200), default="system")


class MilestoneChange(HistoryRow, Base):
    """A change of a milestone's forecast, actual, status, baseline or override, or a dated
    progress statement, on the day it took effect."""

    __tablename__ = "milestone_changes"
    __audit_subject__ = "milestone_change"
    __audit_fields__ = ("milestone_id", "kind", "on", "from_value", "to_value", "text")
    __table_args__ = (Index("ix_milestone_changes_milestone", "milestone_id", "on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "milestone_change_kind"))
    on: Mapped[date]
    from_value: Mapped[str] = mapped_column(String(60), default="")
    to_value: Mapped[str] = mapped_column(String(60), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by: Mapped[str] = mapped_column(String(200), default="system")

    # Shown with long dates ("31 December 2026"); the row keeps what was recorded.
    @property
    def shown_from(self) -> str:
        return rules.long_dates_in(self.from_value)

    @property
    def shown_to(self) -> str:
        return rules.long_dates_in(self.to_value)

    @property
    def shown_text(self) -> str:
        return rules.long_dates_in(self.text)


class MilestoneRagChange(HistoryRow, Base):
    """A milestone's RAG changing, on the day the change took effect (RAG over time)."""

    __tablename__ = "milestone_rag_changes"
    __audit_subject__ = "milestone_rag_change"
    __audit_fields__ = ("milestone_id", "on", "from_rag", "to_rag", "reason", "overridden")
    __table_args__ = (
        Index("ix_milestone_rag_changes_milestone", "milestone_id", "on", "id"),
        Index("ix_milestone_rag_changes_on", "on", "to_rag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    on: Mapped[date]
    from_rag: Mapped[RAG | None] = mapped_column(enum_type(RAG, "from_rag"))
    to_rag: Mapped[RAG] = mapped_column(enum_type(RAG, "to_rag"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    overridden: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200), default="system")

    @property
    def shown_reason(self) -> str:
        return rules.long_dates_in(self.reason)


class ObjectiveService(Base):
    """A pipeline service that serves an objective."""

    __tablename__ = "objective_services"

    objective_id: Mapped[int] = mapped_column(ForeignKey("objectives.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("pipeline_services.id"), primary_key=True, index=True
    )


class ObjectiveRecommendation(Base):
    """A scrutiny recommendation that serves an objective."""

    __tablename__ = "objective_recommendations"

    objective_id: Mapped[int] = mapped_column(ForeignKey("objectives.id"), primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("scrutiny_recommendations.id"), primary_key=True, index=True
    )
