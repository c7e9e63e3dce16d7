"""The partnership registry: partners, people, governance bodies and who sits on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow
from govtrack.registry.enums import BodyKind, Jurisdiction, LegalForm, MembershipRole, PartnerKind


class Partner(Versioned, Base):
    """A council or contractor in the partnership."""

    __tablename__ = "partners"
    __audit_subject__ = "partner"
    __audit_fields__ = ("name", "code", "kind", "joined_on", "left_on")
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on", "dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_type(PartnerKind, "partner_kind"), index=True)
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Person(Versioned, Base):
    """A councillor or officer; optionally the holder of a user account."""

    __tablename__ = "people"
    __audit_subject__ = "person"
    __audit_fields__ = ("name", "title", "partner_id", "email", "user_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped[Partner] = relationship(lazy="raise")
    user = relationship("User", lazy="raise")


class Body(Versioned, Base):
    """A governance body: joint committee, board, scrutiny panel, task group, cabinet."""

    __tablename__ = "bodies"
    __audit_subject__ = "body"
    __audit_fields__ = (
        "name",
        "kind",
        "legal_form",
        "jurisdiction",
        "host_partner_id",
        "parent_id",
        "terms_of_reference",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[BodyKind] = mapped_column(enum_type(BodyKind, "body_kind"), index=True)
    legal_form: Mapped[LegalForm] = mapped_column(enum_type(LegalForm, "legal_form"))
    jurisdiction: Mapped[Jurisdiction] = mapped_column(enum_type(Jurisdiction, "jurisdiction"))
    host_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    terms_of_reference: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    host_partner: Mapped[Partner | None] = relationship(lazy="raise")
    parent: Mapped[Body | None] = relationship(remote_side=[id], lazy="raise")


class Membership(Versioned, Base):
    """A person's seat on a body, representing a partner, in a role, over dates (inclusive)."""

    __tablename__ = "memberships"
    __audit_subject__ = "membership"
    __audit_fields__ = ("person_id", "body_id", "partner_id", "role", "start_on", "end_on")
    __table_args__ = (
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on", "dates"),
        Index("ix_memberships_body_dates", "body_id", "end_on", "start_on"),
        Index("ix_memberships_person", "person_id", "body_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(enum_type(MembershipRole, "membership_role"))
    start_on: Mapped[date | None]
    end_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    person: Mapped[Person] = relationship(lazy="raise")
    body: Mapped[Body] = relationship(lazy="raise")
    partner: Mapped[Partner] = relationship(lazy="raise")
