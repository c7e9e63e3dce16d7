"""User accounts, the rights granted to them, their single-use links and recovery codes.

An account holds any number of rights (``AccountRight``): administrator, clerk for every body
or for named ones, officer (of the partner its person works for, or a named partner), scrutiny
member, councillor. Rights that follow the registry (sitting on a body today, being a partner's
officer) are added when a request asks (``govtrack.auth.rights``), not stored here.
"""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.rules import ROLE_RANK
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow


class User(Versioned, UserMixin, Base):
    __tablename__ = "users"
    __audit_subject__ = "user"
    __audit_fields__ = ("email", "name", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # None until an invited person sets one (and for accounts that only use single sign-on).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Raised to end every session of the account at once, on every app instance: a session
    # carries the number it was opened with and is refused once they differ.
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last time step a TOTP code was accepted at, so a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    grants: Mapped[list[AccountRight]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        # Loaded where an account's page shows them; permission checks read the rights in
        # one query with the registry's facts (govtrack.auth.rights).
        lazy="select",
        foreign_keys="AccountRight.user_id",
        order_by="AccountRight.id",
    )

    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_users_oidc"),)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What the session keeps: the account and its session version (see ``session_version``)."""
        return f"{self.id}.{self.session_version}"

    @property
    def role(self) -> Role | None:
        """The account's highest granted right, for a one-word label; None with no grants."""
        granted = [grant.right for grant in self.grants]
        return min(granted, key=ROLE_RANK.index) if granted else None

    @role.setter
    def role(self, value: Role) -> None:
        """Grant exactly this right, everywhere (what a one-role account had)."""
        self.grants = [AccountRight(right=value)]

    @property
    def rights_label(self) -> str:
        return ", ".join(grant.label for grant in self.grants) or "No granted rights"


class AccountRight(Base):
    """One right granted to an account: administrator, or a clerk for all bodies (``body_id``
    None) or one body, an officer of the linked person's partner (``partner_id`` None) or a
    named one, a scrutiny member for every scrutiny body or one, a councillor."""

    __tablename__ = "account_rights"
    __audit_subject__ = "account_right"
    __audit_fields__ = ("user_id", "right", "body_id", "partner_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    right: Mapped[Role] = mapped_column(enum_type(Role, "account_right"))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])

    __table_args__ = (
        UniqueConstraint("user_id", "right", "body_id", "partner_id", name="uq_account_rights"),
    )

    @property
    def label(self) -> str:
        """How the right reads on account pages (body and partner names are added by them)."""
        return self.right.label


class AccountLink(Base):
    """A single-use link sent by e-mail: an invitation (72 hours) or a password reset (one
    hour). Only a hash of the token is kept; the link is refused once used, revoked or old."""

    __tablename__ = "account_links"
    __audit_subject__ = "account_link"
    __audit_fields__ = ("user_id", "purpose", "expires_at", "used_at", "revoked_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[LinkPurpose] = mapped_column(enum_type(LinkPurpose, "account_link_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_account_links_user_purpose", "user_id", "purpose"),)


class RecoveryCode(Base):
    """A one-time two-factor recovery code (hashed), for a person who has lost their device."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SystemActor:
    """Who acts when no person does: the seed loader, a command, the clock."""

    id = None
    role = Role.ADMIN
    is_authenticated = True
    email = "system"

    def __init__(self, name: str) -> None:
        self.name = name


def system_actor(name: str) -> SystemActor:
    return SystemActor(name)
