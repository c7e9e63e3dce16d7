"""What the clock does for voting: close decisions whose deadline has passed and remind voters
(run by `flask tick`)."""

from __future__ import annotations

from datetime import datetime

from govtrack.voting import votes


def close_and_remind(now: datetime) -> str:
    """Close decisions past their deadline and remind voters whose vote closes soon."""
    closed = votes.close_due(now)
    reminded = votes.reminders_due(now)
    return f"Closed {closed} decision(s); sent {reminded} reminder(s)."
