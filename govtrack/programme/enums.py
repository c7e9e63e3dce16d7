"""The closed sets of the programme: milestone and action states, kinds of milestone change."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class ChangeKind(LabelledEnum):
    CREATED = ("created", "Recorded")
    FORECAST = ("forecast", "Forecast changed")
    ACTUAL = ("actual", "Completion recorded")
    STATUS = ("status", "Status changed")
    BASELINE = ("baseline", "Re-baselined")
    OVERRIDE = ("override", "RAG overridden")
    OVERRIDE_ENDED = ("override_ended", "Override ended")
    DETAILS = ("details", "Details edited")
    PROGRESS = ("progress", "Progress reported")


class MilestoneStatus(LabelledEnum):
    NOT_STARTED = ("not_started", "Not started")
    IN_PROGRESS = ("in_progress", "In progress")
    COMPLETE = ("complete", "Complete")
    MISSED = ("missed", "Missed")
    # The papers say nothing after the milestone was set (seeded from the documents).
    NOT_REPORTED = ("not_reported", "Not reported")


class ActionStatus(LabelledEnum):
    NOT_STARTED = ("not_started", "Not started")
    IN_PROGRESS = ("in_progress", "In progress")
    COMPLETE = ("complete", "Complete")
