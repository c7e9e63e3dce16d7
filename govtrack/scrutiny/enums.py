"""The closed sets of scrutiny: response decisions, assessments, statuses, kinds of event."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class EventKind(LabelledEnum):
    CHALLENGE = ("challenge", "Challenge")
    COMMENT = ("comment", "Comment")
    SIGN_OFF = ("sign_off", "Signed off")
    REOPEN = ("reopen", "Reopened")
    STATUS_CHANGE = ("status_change", "Status changed")
    RAG_CHANGE = ("rag_change", "RAG changed")


class ResponseDecision(LabelledEnum):
    ACCEPTED = ("accepted", "Accepted")
    ACCEPTED_IN_PRINCIPLE = ("accepted_in_principle", "Accepted in principle")
    PARTIALLY_ACCEPTED = ("partially_accepted", "Partially accepted")
    REJECTED = ("rejected", "Rejected")


class Assessment(LabelledEnum):
    ACHIEVED = ("achieved", "Achieved")
    ON_TRACK = ("on_track", "On track")
    SLIPPED = ("slipped", "Slipped")
    NOT_ACHIEVED = ("not_achieved", "Not achieved")


class Status(LabelledEnum):
    NOT_STARTED = ("not_started", "Not started")
    IN_PROGRESS = ("in_progress", "In progress")
    IMPLEMENTED = ("implemented", "Implemented \N{EN DASH} awaiting sign-off")
    NOT_IMPLEMENTED = ("not_implemented", "Not implemented")
    SUPERSEDED = ("superseded", "Superseded")
    SIGNED_OFF = ("signed_off", "Complete \N{EN DASH} signed off")
