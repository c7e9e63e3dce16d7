"""Figures for the home page."""

from __future__ import annotations

from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.registry.models import Body, Membership, Partner
from govtrack.registry.services import current_on


def home_figures() -> dict[str, int]:
    day = today()
    return {
        "partners": db.session.scalar(
            select(func.count(Partner.id)).where(
                (Partner.left_on.is_(None)) | (Partner.left_on >= day)
            )
        )
        or 0,
        "bodies": db.session.scalar(select(func.count(Body.id))) or 0,
        "members": db.session.scalar(
            select(func.count(func.distinct(Membership.person_id))).where(current_on(day))
        )
        or 0,
    }
