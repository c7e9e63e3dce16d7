"""The programme's rules as pure functions: milestone statuses and their progress, the dates a
milestone may carry, predecessors (no cycles; complete only after them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from govtrack.core.dates import long_date
from govtrack.core.rag import FOLD, Confidence, Progress
from govtrack.programme.enums import ActionStatus, MilestoneStatus

PROGRESS = {
    MilestoneStatus.NOT_STARTED: Progress.NOT_STARTED,
    MilestoneStatus.IN_PROGRESS: Progress.IN_PROGRESS,
    MilestoneStatus.COMPLETE: Progress.COMPLETE,
    MilestoneStatus.MISSED: Progress.IN_PROGRESS,
    MilestoneStatus.NOT_REPORTED: Progress.IN_PROGRESS,
}

ACTION_PROGRESS = {
    ActionStatus.NOT_STARTED: Progress.NOT_STARTED,
    ActionStatus.IN_PROGRESS: Progress.IN_PROGRESS,
    ActionStatus.COMPLETE: Progress.COMPLETE,
}


# The longest override reason a milestone keeps (the column's length): longer is refused, never
# cut short without saying.
OVERRIDE_REASON_MAX = 300
OVERRIDE_REASON_TOO_LONG = (
    f"The reason must be {OVERRIDE_REASON_MAX} characters or fewer: say the rest in the "
    "milestone's notes"
)


def progress_of(status: MilestoneStatus) -> Progress:
    return PROGRESS[status]


def is_complete(status: MilestoneStatus) -> bool:
    """Whether a milestone of this status is complete (done, its actual date recorded)."""
    return PROGRESS[status] is Progress.COMPLETE


# The colour of a milestone's status tag (GOV.UK Frontend tag modifiers), the same on every
# page that shows it.
MILESTONE_STATUS_TAG_CLASSES = {
    MilestoneStatus.NOT_STARTED: "govuk-tag--grey",
    MilestoneStatus.IN_PROGRESS: "govuk-tag--light-blue",
    MilestoneStatus.COMPLETE: "govuk-tag--blue",
    MilestoneStatus.MISSED: "govuk-tag--red",
    MilestoneStatus.NOT_REPORTED: "govuk-tag--grey",
}


def confidence_note(confidence: Confidence | None) -> str:
    """The five-point rating an override gave, to show beside the RAG where folding it to three
    points hides it (amber/green, amber/red); nothing otherwise."""
    if confidence is None or FOLD[confidence].value == confidence.value:
        return ""
    return confidence.label


SLIP_REASON_NEEDED = "Give the reason the milestone has slipped, and what is being done about it"
MISSED_REASON_NEEDED = "Give the reason the milestone was missed, and what is being done about it"


def slipped(expected: date | None, forecast: date | None) -> bool:
    """A forecast slips when it moves later than the day the milestone was expected (its
    forecast so far, else its baseline). Bringing it forward, or clearing it, is no slip."""
    return expected is not None and forecast is not None and forecast > expected


def slip_reason_problem(
    *,
    baseline: date | None,
    forecast_before: date | None,
    forecast: date | None,
    status_before: MilestoneStatus,
    status: MilestoneStatus,
    reason: str,
) -> str | None:
    """A slip, or marking a milestone missed, is history a reader will ask about: it needs a
    reason (the highlight report's "What slipped" shows it)."""
    if reason.strip():
        return None
    if status is MilestoneStatus.MISSED and status_before is not MilestoneStatus.MISSED:
        return MISSED_REASON_NEEDED
    if slipped(forecast_before or baseline, forecast):
        return SLIP_REASON_NEEDED
    return None


def forecast_out_of_date(
    status: MilestoneStatus, forecast: date | None, actual: date | None, today: date
) -> bool:
    """An open milestone whose forecast date has passed: the forecast needs updating. (Not a
    missed one: a missed milestone may keep the date it was missed by as its forecast.) Its
    RAG is not changed by this (``rag.Thresholds.rule`` says why); lists flag it instead."""
    return (
        status not in (MilestoneStatus.COMPLETE, MilestoneStatus.MISSED)
        and actual is None
        and forecast is not None
        and forecast < today
    )


def date_problems(
    *,
    starts_on: date,
    today: date,
    baseline: date | None = None,
    forecast: date | None = None,
    actual: date | None = None,
) -> dict[str, str]:
    """Dates a milestone may not carry ({field: message})."""
    problems: dict[str, str] = {}
    start = long_date(starts_on)
    for name, value, label in (
        ("baseline_date", baseline, "The baseline date"),
        ("forecast_date", forecast, "The forecast date"),
        ("actual_date", actual, "The actual date"),
    ):
        if value is not None and value < starts_on:
            problems[name] = f"{label} must be on or after the programme start, {start}"
    if actual is not None and actual > today and "actual_date" not in problems:
        problems["actual_date"] = "The actual date must be today or in the past"
    return problems


def creates_cycle(
    milestone_id: int | None, predecessor_ids: Iterable[int], links: Mapping[int, Iterable[int]]
) -> bool:
    """True if making ``predecessor_ids`` the predecessors of ``milestone_id`` closes a loop.

    ``links`` maps each milestone to its current predecessors.
    """
    wanted = set(predecessor_ids)
    if milestone_id is None:
        return False
    if milestone_id in wanted:
        return True
    seen: set[int] = set()
    stack = list(wanted)
    while stack:
        node = stack.pop()
        if node == milestone_id:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(links.get(node, ()))
    return False


def _shown(day: date) -> str:
    return long_date(day)


def completion_problem(
    actual: date | None,
    predecessors: Iterable[tuple[str, MilestoneStatus, date | None]],
    successors: Iterable[tuple[str, MilestoneStatus, date | None]] = (),
) -> str | None:
    """Why a milestone cannot be complete on ``actual`` given its predecessors (each complete,
    on or before it) and its successors (none completed before it), or None.

    ``actual`` may be unknown (a milestone the papers show complete without a date): then only
    the predecessors' statuses can be checked."""
    for title, status, done_on in predecessors:
        if status is not MilestoneStatus.COMPLETE:
            return f"It cannot be complete before its predecessor “{title}” is complete"
        if actual is not None and done_on is not None and done_on > actual:
            return (
                f"It cannot be complete before its predecessor “{title}”, "
                f"completed on {_shown(done_on)}"
            )
    for title, status, done_on in successors:
        if (
            status is MilestoneStatus.COMPLETE
            and actual is not None
            and done_on is not None
            and done_on < actual
        ):
            return (
                f"It cannot be complete after its successor “{title}”, "
                f"completed on {_shown(done_on)}"
            )
    return None


# A milestone's details as the history names them, in the order it lists their changes.
DETAIL_FIELDS = (
    ("title", "Title"),
    ("objective", "Objective"),
    ("workstream", "Workstream"),
    ("owner_partner", "Owning partner"),
    ("owner_person", "Owner"),
    ("notes", "Notes"),
)


def detail_change_text(before: Mapping[str, str], after: Mapping[str, str]) -> str:
    """The history's words for an edit of a milestone's details, naming each field that
    changed with its old and new value ("" when none did). Notes are long: only said edited."""
    parts = []
    for key, label in DETAIL_FIELDS:
        old, new = before.get(key) or "", after.get(key) or ""
        if old == new:
            continue
        if key == "notes":
            parts.append("Notes edited.")
        else:
            parts.append(f"{label}: {old or 'none'} → {new or 'none'}.")
    return " ".join(parts)


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def long_dates_in(text: str) -> str:
    """``text`` with each ISO date (2026-12-31) written as the pages write dates (31 December
    2026): history rows keep dates as recorded, and are shown in the long form."""

    def shown(match: re.Match) -> str:
        try:
            return long_date(date(*(int(part) for part in match.groups())))
        except ValueError:
            return match.group(0)

    return _ISO_DAY.sub(shown, text or "")


def predecessor_change_text(added: Iterable[str], removed: Iterable[str]) -> str:
    """The history's words for a change of predecessors ("" when there was none)."""

    def named(titles: list[str]) -> str:
        return ", ".join(f"“{t}”" for t in titles)

    added, removed = sorted(added), sorted(removed)
    parts = []
    if added:
        parts.append(f"Predecessor{'s' if len(added) > 1 else ''} added: {named(added)}.")
    if removed:
        parts.append(f"Predecessor{'s' if len(removed) > 1 else ''} removed: {named(removed)}.")
    return " ".join(parts)
