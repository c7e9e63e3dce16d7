"""A milestone's states as SQL conditions (due, overdue, forecast out of date), shared by the
programme's dashboard figures and its pages' queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func

from govtrack.programme.enums import MilestoneStatus
from govtrack.programme.models import Milestone

milestone_due = func.coalesce(Milestone.forecast_date, Milestone.baseline_date)
OPEN = Milestone.status != MilestoneStatus.COMPLETE


def due_within(today: date, days: int) -> Any:
    """Due (forecast, else baseline) from today to ``days`` ahead."""
    return milestone_due.between(today, today + timedelta(days=days))


def overdue_on(today: date) -> Any:
    """An open milestone is overdue once its baseline has passed (``rag.derive_milestone``)."""
    return (Milestone.status != MilestoneStatus.COMPLETE) & (Milestone.baseline_date < today)


def forecast_out_of_date_on(today: date) -> Any:
    """``rules.forecast_out_of_date`` in SQL: open, not missed, its forecast date passed."""
    return (
        Milestone.status.not_in([MilestoneStatus.COMPLETE, MilestoneStatus.MISSED])
        & Milestone.actual_date.is_(None)
        & (Milestone.forecast_date < today)
    )
