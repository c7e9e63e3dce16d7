"""The service-integration pipeline's rules as pure functions: stages, transitions, shares of
the enquiries, the overdue flag, positions as at a date and the time spent in each stage.

Appendix A of LCC's Cabinet report of 28 February 2007 ("CAS service integration current
position - as at 22/03/07") is the model: seven project stages, a "Partially Integrated" flag,
and each service's share of the contact centre's average monthly telephone enquiries.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from govtrack.core import rag
from govtrack.core.dates import long_date
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage

# Transitions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A stage change someone asks for, with what their form was showing."""

    current: Stage | None  # the stage the service is in now (None: not yet recorded)
    seen: Stage | None  # the stage the form was opened on
    to: Stage
    on: date
    reason: str
    date_integrated: date | None
    last_move_on: date | None  # the date of the service's latest recorded transition


# No date in the pipeline's history may be earlier than this. The partnership's programme began
# on 1 March 2002 (seed/programme.yaml) and Appendix A's earliest date integrated is 1 June 2003;
# the two years' margin leaves room for a service a council had already brought into its own
# contact centre before the partnership. An earlier date (1 January 0001) is a slip of the
# keyboard. A fixed date, not read from the programme's records, keeps the pipeline its own.
EARLIEST_DAY = date(2000, 1, 1)


def earliest_problem(value: date | None, what: str) -> str | None:
    """A date before the pipeline's first day is refused, naming the field (``what``)."""
    if value is not None and value < EARLIEST_DAY:
        return f"{what} must be {long_date(EARLIEST_DAY)} or later"
    return None


def transition_problems(move: Move, today: date) -> dict[str, str]:
    """Everything wrong with a move, by form field; empty when it may be recorded.

    Moving backwards or skipping a stage needs a reason; Operational needs the date the service
    was integrated, not in the future; a move from a stage the service has left (a stale form)
    is refused; history is kept in date order.
    """
    problems: dict[str, str] = {}
    stale = stale_problem(move.current, move.seen)
    if stale:
        return {"from_stage": stale}
    if move.to == move.current:
        problems["to_stage"] = f"The service is already at {move.to.numbered}"
    elif not move.reason.strip():
        if move.current is not None and move.to < move.current:
            problems["reason"] = (
                f"Give a reason for moving the service back from {move.current.numbered} "
                f"to {move.to.numbered}"
            )
        elif move.current is not None and move.to > move.current + 1:
            skipped = ", ".join(s.label for s in Stage if move.current < s < move.to)
            problems["reason"] = f"Give a reason for skipping {skipped}"
    if move.on > today:
        problems["moved_on"] = "The date of the move must be today or in the past"
    elif early := earliest_problem(move.on, "The date of the move"):
        problems["moved_on"] = early
    elif move.last_move_on is not None and move.on < move.last_move_on:
        problems["moved_on"] = (
            f"The date of the move cannot be before the service's last move, on "
            f"{long_day(move.last_move_on)}"
        )
    problem = date_integrated_problem(move.date_integrated, today, move.to)
    if problem is None and move.to == Stage.OPERATIONAL and move.date_integrated is not None:
        problem = integrated_window_problem(
            move.date_integrated,
            reached=move.last_move_on,
            stage=move.current,
            moved_on=move.on if "moved_on" not in problems else None,
        )
    if problem:
        problems["date_integrated"] = problem
    return problems


def long_day(value: date) -> str:
    """1 June 2003, as the pages print a date."""
    return long_date(value)


def integrated_window_problem(
    value: date, *, reached: date | None, stage: Stage | None, moved_on: date | None
) -> str | None:
    """The date integrated is the day the service went live: not before the day it reached the
    stage it is leaving (or, on a new service, the day it reached its stage), and not after
    the move that makes it Operational."""
    if reached is not None and value < reached:
        since = f"reached {stage.numbered}" if stage is not None else "reached its stage"
        return f"The date integrated cannot be before {long_day(reached)}, when the service {since}"
    if moved_on is not None and value > moved_on:
        return (
            f"The date integrated cannot be after the date of the move ({long_day(moved_on)}): "
            "a service is Operational from the day it was integrated"
        )
    return None


def stale_problem(current: Stage | None, seen: Stage | None) -> str | None:
    """A form opened on a stage the service has since left must not move it."""
    if seen == current:
        return None
    now = current.numbered if current else "no stage"
    was = seen.numbered if seen else "an unknown stage"
    return (
        f"This service is now at {now}, not {was} as on the page you moved it from: someone "
        "moved it after you opened the page. Nothing was saved. Check its stage history "
        "below, then move it again if you still need to."
    )


def date_integrated_problem(value: date | None, today: date, stage: Stage | None) -> str | None:
    """An Operational service needs its date integrated; any other has none (it is not
    integrated). ``stage`` is the stage the service is at, or is moving to; None when not
    known (a stage refused for itself), when only the date itself is checked."""
    if value is None:
        if stage == Stage.OPERATIONAL:
            return "Enter the date the service was integrated (it is Operational)"
        return None
    if stage is not None and stage != Stage.OPERATIONAL:
        return (
            "Leave the date integrated empty: only an Operational service has one, not one "
            f"at {stage.numbered}"
        )
    if value > today:
        return "The date integrated must be today or in the past"
    return earliest_problem(value, "The date integrated")


# The most contact-centre telephone enquiries a month one service may record. Appendix A's 33
# services came to 18,768 a month in all, so a million for one service is far beyond any real
# figure yet still well inside the database's 32-bit whole numbers: a larger one is a typing
# slip, and it is refused with a message rather than failing when it is saved.
MAX_ENQUIRIES_PER_MONTH = 1_000_000


ENQUIRIES_LABEL = "Average contact-centre telephone enquiries a month"


def enquiries_problem(value: int | None, what: str = ENQUIRIES_LABEL) -> str | None:
    """``what`` names the field as the user sees it (the form's label, the sheet's column)."""
    if value is not None and value < 0:
        return f"{what} must be 0 or more"
    if value is not None and value > MAX_ENQUIRIES_PER_MONTH:
        return f"{what} must be {MAX_ENQUIRIES_PER_MONTH:,} or fewer"
    return None


# How far ahead a date may be set. A planned integration date is a plan: the partnership's
# programme ran over years, so twenty years ahead is already far beyond any real plan and a
# later year (2150) is a slip. A head-of-service meeting may be one arranged ahead, but not
# more than five years ahead.
PLANNED_YEARS_AHEAD = 20
MEETING_YEARS_AHEAD = 5


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def ahead_problem(value: date | None, today: date, years: int, what: str) -> str | None:
    """A date before the pipeline's first day, or more than ``years`` after today, is refused."""
    if value is None:
        return None
    if early := earliest_problem(value, what):
        return early
    latest = years_after(today, years)
    if value > latest:
        return f"{what} must be {long_day(latest)} or earlier (not more than {years} years ahead)"
    return None


def planned_date_problem(value: date | None, today: date) -> str | None:
    return ahead_problem(value, today, PLANNED_YEARS_AHEAD, "The planned integration date")


def meeting_date_problem(value: date | None, today: date) -> str | None:
    return ahead_problem(
        value, today, MEETING_YEARS_AHEAD, "The date of the head-of-service meeting"
    )


# The longest free text of a service's long fields and of a move's reason: a few paragraphs
# (Appendix A's longest "potential for further integration" is one line). Longer text is a
# paste gone wrong; it is refused with a message rather than stored.
FURTHER_INTEGRATION_MAX = 2000
NOTE_MAX = 4000
REASON_MAX = 2000


def length_problem(text: str | None, limit: int, what: str) -> str | None:
    if text is not None and len(text) > limit:
        return f"{what} must be {limit:,} characters or fewer"
    return None


# Positions and figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One recorded transition, as the rules need it."""

    on: date
    sequence: int  # the order of recording (the row id): ties on a date go by it
    to: Stage


def stage_on(steps: Iterable[Step], day: date) -> Stage | None:
    """The stage the history gives for ``day``: the latest move on or before it."""
    latest: Step | None = None
    for step in steps:
        if step.on > day:
            continue
        if latest is None or (step.on, step.sequence) > (latest.on, latest.sequence):
            latest = step
    return latest.to if latest else None


@dataclass(frozen=True)
class Edit:
    """A change to a service's fields recorded after the day asked for, as the audit log has it:
    {field: (before, after)}, and, when the change came with a move, the date of that move."""

    changes: Mapping[str, Sequence[Any]]
    moved_on: date | None = None


def values_on(current: Mapping[str, Any], edits: Iterable[Edit], day: date) -> dict[str, Any]:
    """A service's fields as they stood at the end of ``day``: ``current`` with each edit
    recorded after that day undone, newest first.

    A move is dated by the officer, not by when it was recorded: a move dated on or before
    ``day`` belongs to that day's position, so the date integrated it set (reaching
    Operational) or cleared (leaving it) stays, whatever edits it followed. Moves dated after
    ``day`` are undone like any other edit.
    """
    values = dict(current)
    settled_by_move = False
    for edit in edits:
        if edit.moved_on is not None and edit.moved_on <= day:
            stage = edit.changes.get("stage")
            if "date_integrated" in edit.changes or (stage and stage[1] == Stage.OPERATIONAL):
                settled_by_move = True
            continue
        for name, change in edit.changes.items():
            if name in values and not (settled_by_move and name == "date_integrated"):
                values[name] = change[0]
    return values


def service_rag(stage: Stage | None, planned: date | None, today: date) -> rag.Assessment:
    """A service judged by the RAG engine: Operational is complete; the planned integration
    date is its target."""
    progress = rag.Progress.COMPLETE if stage == Stage.OPERATIONAL else rag.Progress.IN_PROGRESS
    return rag.derive(due=planned, today=today, progress=progress)


def is_overdue(stage: Stage | None, planned: date | None, day: date) -> bool:
    """The planned integration date has passed and the service is not Operational."""
    return planned is not None and planned < day and stage != Stage.OPERATIONAL


def shares(volumes: Sequence[int | None], places: int = 2) -> list[Decimal | None]:
    """Each volume's percentage of the total, rounded so the shown shares add up to exactly 100
    (largest remainder); None where there is no volume. All None when the total is 0.

    Worked in whole units of the last place shown (hundredths of a percent), so it is exact.
    """
    total = sum(v for v in volumes if v)
    if not total:
        return [None] * len(volumes)
    scale = 100 * 10**places
    units: list[int | None] = []
    remainders: list[tuple[int, int]] = []
    for index, volume in enumerate(volumes):
        if volume is None:
            units.append(None)
            continue
        whole, remainder = divmod(scale * volume, total)
        units.append(whole)
        remainders.append((-remainder, index))
    short = scale - sum(u for u in units if u is not None)
    for _remainder, index in sorted(remainders)[:short]:
        units[index] += 1  # type: ignore[operator]
    return [None if u is None else Decimal(u).scaleb(-places) for u in units]


@dataclass(frozen=True)
class Spread:
    """How long services spent in a stage, in days."""

    stage: Stage
    count: int
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    shortest: int | None
    longest: int | None


def days_in_stages(histories: Iterable[Sequence[Step]], today: date) -> list[Spread]:
    """For each stage, the spread of completed stays in it (entered, then left by a later move).

    A stay still open today is not counted: it has not finished, so its length is not known.
    """
    stays: dict[Stage, list[int]] = {stage: [] for stage in Stage}
    for steps in histories:
        ordered = sorted(steps, key=lambda s: (s.on, s.sequence))
        for current, following in itertools.pairwise(ordered):
            if current.to != following.to:
                stays[current.to].append((following.on - current.on).days)
    out = []
    for stage, days in stays.items():
        if not days:
            out.append(Spread(stage, 0, None, None, None, None, None))
            continue
        if len(days) > 1:
            q1, _q2, q3 = statistics.quantiles(days, n=4, method="inclusive")
        else:
            q1 = q3 = float(days[0])
        out.append(
            Spread(stage, len(days), float(statistics.median(days)), q1, q3, min(days), max(days))
        )
    return out


def totals_by(keys: Iterable[str], volumes: Iterable[int | None]) -> dict[str, int]:
    """Enquiries a month summed by a key (stage label, directorate), keys in first-seen order."""
    out: dict[str, int] = {}
    for key, volume in zip(keys, volumes, strict=True):
        out[key] = out.get(key, 0) + (volume or 0)
    return out


def slip_days(planned: date | None, actual: date | None) -> int | None:
    """Days the integration came after (+) or before (-) its plan."""
    if planned is None or actual is None:
        return None
    return (actual - planned).days


def mechanism_map(raw: Mapping[str, str] | None) -> dict[Mechanism, MechanismStatus]:
    """Stored mechanisms as enums, in the paper's column order; unknown keys are dropped."""
    raw = raw or {}
    out = {}
    for mechanism in Mechanism:
        if mechanism.value in raw:
            out[mechanism] = MechanismStatus(raw[mechanism.value])
    return out
