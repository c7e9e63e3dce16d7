"""User accounts and the roles that decide what each person may do."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from govtrack.auth.enums import Role
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow


class User(Versioned, UserMixin, Base):
    __tablename__ = "users"
    __audit_subject__ = "user"
    __audit_fields__ = ("email", "name", "role", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


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
