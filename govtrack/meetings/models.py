"""Meetings of governance bodies: agendas, papers, attendance, declarations, minutes,
resolutions, actions arising and corrections to confirmed minutes."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govtrack.core.audit import HistoryRow
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow
from govtrack.meetings.enums import (
    AgendaStatus,
    AttendanceStatus,
    DeclarationKind,
    GuestCapacity,
    MeetingKind,
    MinutesStatus,
    Outcome,
)
from govtrack.registry.models import Body, Partner, Person


class Meeting(Versioned, Base):
    """A meeting of a body on a day. The start time is local (Europe/London) wall-clock time,
    as the summons gives it, and may be unknown for historical meetings."""

    __tablename__ = "meetings"
    __audit_subject__ = "meeting"
    __audit_fields__ = (
        "body_id",
        "kind",
        "title",
        "held_on",
        "starts_at",
        "venue",
        "agenda_status",
        "agenda_published_on",
        "short_notice_reason",
        "minutes_status",
        "contact",
    )
    __table_args__ = (Index("ix_meetings_body_date", "body_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind, "meeting_kind"))
    title: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time | None]
    venue: Mapped[str] = mapped_column(String(200), default="")
    # Who to ask about the meeting, as the agenda's front sheet gives it (the clerk, usually).
    contact: Mapped[str] = mapped_column(String(300), default="")
    agenda_status: Mapped[AgendaStatus] = mapped_column(
        enum_type(AgendaStatus, "agenda_status"), default=AgendaStatus.DRAFT, index=True
    )
    agenda_published_on: Mapped[date | None]
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    short_notice_reason: Mapped[str] = mapped_column(Text, default="")
    minutes_status: Mapped[MinutesStatus] = mapped_column(
        enum_type(MinutesStatus, "minutes_status"), default=MinutesStatus.NONE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    body: Mapped[Body] = relationship(lazy="raise")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        lazy="raise",
        foreign_keys="AgendaItem.meeting_id",
    )

    @property
    def name(self) -> str:
        return self.title or self.kind.label


class AgendaItem(Versioned, Base):
    """A numbered item on an agenda, with its minute once written."""

    __tablename__ = "agenda_items"
    __audit_subject__ = "agenda_item"
    __audit_fields__ = (
        "meeting_id",
        "position",
        "number",
        "title",
        "description",
        "lead_officer_id",
        "exempt_paragraph",
        "minutes",
        "outcome",
        "confirms_meeting_id",
        "added_late_on",
        "urgency_reason",
    )
    __table_args__ = (
        UniqueConstraint("meeting_id", "position"),
        CheckConstraint(
            "exempt_paragraph IS NULL OR exempt_paragraph BETWEEN 1 AND 7 "
            "OR exempt_paragraph BETWEEN 12 AND 18",
            "exempt_paragraph",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    position: Mapped[int]
    number: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    lead_officer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    exempt_paragraph: Mapped[int | None]
    minutes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, "item_outcome"))
    # Set on the item of a later meeting that confirmed an earlier meeting's minutes.
    confirms_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), unique=True)
    # A supplementary item, added after the agenda was published (LGA 1972 s.100B(4)(b)): the
    # day it was added and the special circumstances that make it urgent.
    added_late_on: Mapped[date | None]
    urgency_reason: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(
        back_populates="items", lazy="raise", foreign_keys=[meeting_id]
    )
    confirms_meeting: Mapped[Meeting | None] = relationship(
        lazy="raise", foreign_keys=[confirms_meeting_id]
    )
    lead_officer: Mapped[Person | None] = relationship(lazy="raise")
    papers: Mapped[list[Paper]] = relationship(order_by="Paper.id", lazy="raise")
    resolutions: Mapped[list[Resolution]] = relationship(order_by="Resolution.number", lazy="raise")

    @property
    def exempt(self) -> bool:
        return self.exempt_paragraph is not None

    @property
    def late(self) -> bool:
        return self.added_late_on is not None


class Paper(Base):
    """A report attached to an item; the file is stored by content hash outside static/."""

    __tablename__ = "papers"
    __audit_subject__ = "paper"
    __audit_fields__ = ("item_id", "filename", "content_type", "size", "sha256")

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Resolution(Base):
    """A numbered resolution of an item: the decision register lists these."""

    __tablename__ = "resolutions"
    __audit_subject__ = "resolution"
    __audit_fields__ = ("item_id", "number", "text")
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    # The words the decision register searches: the resolution and its item's title.
    search_text: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[AgendaItem] = relationship(lazy="raise", overlaps="resolutions")


class Attendance(Versioned, Base):
    """A member's attendance at a meeting: present, apologies, absent, or substituting."""

    __tablename__ = "attendance"
    __audit_subject__ = "attendance"
    __audit_fields__ = ("meeting_id", "person_id", "status", "substitute_for_id")
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        Index("ix_attendance_person", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status")
    )
    substitute_for_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(lazy="raise", foreign_keys=[person_id])
    substitute_for: Mapped[Person | None] = relationship(
        lazy="raise", foreign_keys=[substitute_for_id]
    )


class Guest(Base):
    """Someone else in attendance: an officer, witness or visitor (named, or a seeded person)."""

    __tablename__ = "meeting_guests"
    __audit_subject__ = "guest"
    __audit_fields__ = ("meeting_id", "person_id", "name", "capacity")

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[GuestCapacity] = mapped_column(enum_type(GuestCapacity, "guest_capacity"))

    person: Mapped[Person | None] = relationship(lazy="raise")

    @property
    def display_name(self) -> str:
        return self.person.name if self.person is not None else self.name


class Declaration(Base):
    """A member's declaration of interest in an item."""

    __tablename__ = "declarations"
    __audit_subject__ = "declaration"
    __audit_fields__ = ("item_id", "person_id", "kind", "text")

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[DeclarationKind] = mapped_column(enum_type(DeclarationKind, "declaration_kind"))
    text: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(lazy="raise")
    item: Mapped[AgendaItem] = relationship(lazy="raise")


class Action(Versioned, Base):
    """An action arising from an item: what, whose, by when; open until marked done."""

    __tablename__ = "actions"
    __audit_subject__ = "action"
    __audit_fields__ = ("item_id", "text", "owner_id", "owner_partner_id", "due_on", "done_on")
    __table_args__ = (
        Index("ix_actions_owner", "owner_id", "done_on"),
        Index("ix_actions_partner", "owner_partner_id", "done_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]

    item: Mapped[AgendaItem] = relationship(lazy="raise")
    owner: Mapped[Person | None] = relationship(lazy="raise")
    owner_partner: Mapped[Partner] = relationship(lazy="raise")


class MinutesCorrection(HistoryRow, Base):
    """A correction to confirmed minutes: a new, linked entry; the confirmed text never changes."""

    __tablename__ = "minutes_corrections"
    __audit_subject__ = "minutes_correction"
    __audit_fields__ = ("meeting_id", "item_id", "text")

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    text: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_by_label: Mapped[str] = mapped_column(String(200))

    item: Mapped[AgendaItem | None] = relationship(lazy="raise")
