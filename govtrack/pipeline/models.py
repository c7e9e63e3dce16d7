"""The pipeline's records: directorates (a managed list per partner), services moving into the
shared contact centre, and each service's stage transitions (history, never changed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from govtrack.core.audit import HistoryRow
from govtrack.db import Base, UTCDateTime, Versioned, utcnow
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.rules import mechanism_map
from govtrack.registry.models import Partner


class StageType(TypeDecorator[Stage]):
    """A stage stored as its number (1..7, checked by the table's constraint)."""

    impl = Integer
    cache_ok = True
    enum_class = Stage  # read by the history, which shows a stage as "7 - Operational"

    def process_bind_param(self, value: Any, dialect) -> int | None:
        return None if value is None else int(value)

    def process_result_value(self, value: int | None, dialect) -> Stage | None:
        return None if value is None else Stage(value)


class Directorate(Versioned, Base):
    """A partner's directorate (ACS, ENV, RES, OCE, C&YP for the county)."""

    __tablename__ = "directorates"
    __audit_subject__ = "directorate"
    __audit_fields__ = ("partner_id", "code", "name")
    __history_label__ = "code"
    __table_args__ = (UniqueConstraint("partner_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(160), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped[Partner] = relationship(lazy="raise")


class Service(Versioned, Base):
    """A service being brought into the shared contact centre: one row of Appendix A."""

    __tablename__ = "pipeline_services"
    __audit_subject__ = "pipeline_service"
    __audit_fields__ = (
        "name", "partner_id", "directorate_id", "stage", "partially_integrated",
        "date_integrated", "planned_integration_date", "integration_lead",
        "further_integration", "enquiries_per_month", "head_of_service",
        "head_of_service_meeting", "head_of_service_meeting_note", "mechanisms", "note",
    )  # fmt: skip
    __table_args__ = (
        UniqueConstraint("partner_id", "name"),
        CheckConstraint("stage BETWEEN 1 AND 7", "stage"),
        CheckConstraint("enquiries_per_month IS NULL OR enquiries_per_month >= 0", "enquiries"),
        Index("ix_pipeline_services_stage", "stage", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorates.id"), index=True)
    # Kept in step with the latest transition, in the same transaction.
    stage: Mapped[Stage] = mapped_column(StageType())
    partially_integrated: Mapped[bool] = mapped_column(default=False)
    date_integrated: Mapped[date | None]
    planned_integration_date: Mapped[date | None]
    integration_lead: Mapped[str] = mapped_column(String(120), default="")
    further_integration: Mapped[str] = mapped_column(Text, default="")
    enquiries_per_month: Mapped[int | None]
    head_of_service: Mapped[str] = mapped_column(String(300), default="")
    head_of_service_meeting: Mapped[date | None]
    # When the paper's cell is words, not a date ("via CASDT", "b/f").
    head_of_service_meeting_note: Mapped[str] = mapped_column(String(120), default="")
    # {mechanism value: status value}, only the mechanisms marked.
    mechanisms: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped[Partner] = relationship(lazy="raise")
    directorate: Mapped[Directorate | None] = relationship(lazy="raise")

    @property
    def mechanism_statuses(self):
        return mechanism_map(self.mechanisms)


class StageTransition(HistoryRow, Base):
    """A service moving from one stage to another on a date, who recorded it and why.

    Never changed or deleted: a wrong move is corrected by a new move with a reason.
    """

    __tablename__ = "stage_transitions"
    __audit_subject__ = "stage_transition"
    __audit_fields__ = ("service_id", "moved_on", "from_stage", "to_stage", "reason")
    __table_args__ = (
        CheckConstraint("to_stage BETWEEN 1 AND 7", "to_stage"),
        CheckConstraint("from_stage IS NULL OR from_stage BETWEEN 1 AND 7", "from_stage"),
        Index("ix_stage_transitions_service", "service_id", "moved_on", "id"),
        Index("ix_stage_transitions_moved_on", "moved_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("pipeline_services.id"))
    moved_on: Mapped[date]
    from_stage: Mapped[Stage | None] = mapped_column(StageType())
    to_stage: Mapped[Stage] = mapped_column(StageType())
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Kept as text so the row reads right for ever.
    recorded_by: Mapped[str] = mapped_column(String(200))
