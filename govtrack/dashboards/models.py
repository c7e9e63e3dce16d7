"""What the dashboards store: the reporting periods that "since the last reporting date" and
the highlight report are measured against, and the daily RAG counts of the areas whose RAG is
derived from dates rather than kept with a history (services, actions arising), so RAG over
time can be drawn for them too."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govtrack.core.audit import HistoryRow
from govtrack.core.rag import RAG
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow


class ReportingPeriod(Versioned, Base):
    """A period the programme reports on (to the Joint Committee, to a scrutiny panel)."""

    __tablename__ = "reporting_periods"
    __audit_subject__ = "reporting_period"
    __audit_fields__ = ("programme_id", "title", "starts_on", "ends_on")
    __history_label__ = "title"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", "ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The programme reported on; none for a period of the partnership as a whole.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RagObservation(HistoryRow, Base):
    """How many items of an area were of a RAG on a day, as the clock saw it (never changed)."""

    __tablename__ = "rag_observations"
    __table_args__ = (
        UniqueConstraint("area", "on", "rag"),
        CheckConstraint("count >= 0", "count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(index=True)
    rag: Mapped[RAG] = mapped_column(enum_type(RAG, "observed_rag"))
    count: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
