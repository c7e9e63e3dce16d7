"""The one RAG engine: red / amber / green status, plus blue (complete) and grey (not started,
no data), derived from plain dates and progress, and the rule for overriding it by hand.

Pure functions only (no Flask, no database), so recommendations, milestones, services and
objectives are all judged by the same rule. The derivation, in order:

1. complete (implemented, signed off, delivered) -> BLUE, whatever the dates;
2. no target or forecast date -> GREY when not started ("no data"), else GREY as well: there
   is nothing to measure progress against;
3. today after the date -> RED (overdue);
4. the date within ``tolerance_days`` of today -> AMBER (at risk);
5. otherwise -> GREEN.

A manual override replaces the derived RAG and must give a reason; ``Assessment.overridden``
says so, so pages can show that a RAG is a judgement rather than the rule's answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from govtrack.db import LabelledEnum

DEFAULT_TOLERANCE_DAYS = 28


class RAG(LabelledEnum):
    BLUE = ("blue", "Complete")
    GREEN = ("green", "Green")
    AMBER = ("amber", "Amber")
    RED = ("red", "Red")
    GREY = ("grey", "No data")


# How bad each colour is, for comparisons and roll-ups (higher is worse). Grey is not on this
# scale: it says nothing about delivery, so it is counted apart.
SEVERITY = {RAG.BLUE: 0, RAG.GREEN: 1, RAG.AMBER: 2, RAG.RED: 3}

# Colours a person may choose when overriding (blue and grey come only from progress and data).
OVERRIDABLE = (RAG.RED, RAG.AMBER, RAG.GREEN)


class Progress(LabelledEnum):
    NOT_STARTED = ("not_started", "Not started")
    IN_PROGRESS = ("in_progress", "In progress")
    COMPLETE = ("complete", "Complete")


@dataclass(frozen=True)
class Assessment:
    rag: RAG
    reason: str
    overridden: bool = False


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def derive(
    *,
    due: date | None,
    today: date,
    progress: Progress,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> Assessment:
    """The RAG the rule gives, with its reason in plain English."""
    if tolerance_days < 0:
        raise ValueError("tolerance_days must not be negative")
    if progress is Progress.COMPLETE:
        return Assessment(RAG.BLUE, "Complete.")
    if due is None:
        if progress is Progress.NOT_STARTED:
            return Assessment(RAG.GREY, "Not started, and no target date set.")
        return Assessment(RAG.GREY, "No target date to measure progress against.")
    left = (due - today).days
    if left < 0:
        return Assessment(RAG.RED, f"Past its target date by {_days(-left)}.")
    if left <= tolerance_days:
        when = "today" if left == 0 else f"in {_days(left)}"
        return Assessment(
            RAG.AMBER,
            f"Target date {when}, within the {_days(tolerance_days)} tolerance, and not complete.",
        )
    return Assessment(RAG.GREEN, f"Target date in {_days(left)}.")


def override_problem(rag: RAG | None, reason: str | None) -> str | None:
    """Why an override is refused, or None when it may stand."""
    if rag is None:
        return None
    if rag not in OVERRIDABLE:
        return "A RAG can be overridden only to red, amber or green"
    if not (reason or "").strip():
        return "Give a reason for overriding the RAG"
    return None


def assess(
    *,
    due: date | None,
    today: date,
    progress: Progress,
    override: RAG | None = None,
    override_reason: str | None = None,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> Assessment:
    """The RAG to show: the derived one, or a valid override (complete is always blue)."""
    derived = derive(due=due, today=today, progress=progress, tolerance_days=tolerance_days)
    if override is None or progress is Progress.COMPLETE:
        return derived
    problem = override_problem(override, override_reason)
    if problem:
        raise ValueError(problem)
    return Assessment(override, f"Overridden: {override_reason.strip()}", overridden=True)


def worse(a: RAG, b: RAG) -> bool:
    """True if ``a`` is a worse delivery status than ``b`` (grey is neither)."""
    if a is RAG.GREY or b is RAG.GREY:
        return False
    return SEVERITY[a] > SEVERITY[b]


@dataclass(frozen=True)
class RollUp:
    """The RAG of a group (an objective, a partner, a body, the programme) from its items."""

    rag: RAG
    counts: dict[RAG, int]  # every colour, grey included (grey is counted apart)
    measured: int  # the items that are not grey: the base of the percentages
    rule: str  # the rule in plain English, shown on the page beside the result

    def share(self, colour: RAG) -> float | None:
        """The percentage of measured items of ``colour`` (None for grey or nothing measured)."""
        if colour is RAG.GREY or not self.measured:
            return None
        return 100 * self.counts[colour] / self.measured


ROLL_UP_RULE = (
    "The worst status of what it contains: red if anything is red, else amber if anything is "
    "amber, else green if anything is still in progress, else blue when everything is complete. "
    "Items not started or without data (grey) are counted apart and do not change it."
)


def roll_up(rags: Iterable[RAG]) -> RollUp:
    """Roll items' RAG up to their group by ``ROLL_UP_RULE`` (worst of the measured items)."""
    counts = dict.fromkeys(RAG, 0)
    for colour in rags:
        counts[colour] += 1
    measured = sum(n for colour, n in counts.items() if colour is not RAG.GREY)
    if not measured:
        overall = RAG.GREY
    else:
        overall = max((colour for colour in SEVERITY if counts[colour]), key=lambda c: SEVERITY[c])
    return RollUp(rag=overall, counts=counts, measured=measured, rule=ROLL_UP_RULE)
