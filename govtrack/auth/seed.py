"""Whether accounts are loaded (the demo accounts themselves are seeded by the registry,
which links each to its person)."""

from __future__ import annotations

from sqlalchemy import select

from govtrack.auth.models import User
from govtrack.db import db


def accounts_loaded() -> bool:
    """Whether any account is in the database already."""
    return db.session.scalar(select(User.id).limit(1)) is not None
