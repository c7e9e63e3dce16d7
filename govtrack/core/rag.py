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

Milestones are judged by the slip rule instead (``derive_milestone``, stated for the page by
``Thresholds.rule``), which measures a forecast against its baseline.

A manual override replaces the derived RAG and must give a reason; ``Assessment.overridden``
says so, so pages can show that a RAG is a judgement rather than the rule's answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from govtrack.core.dates import long_date
from govtrack.core.enums import LabelledEnum

DEFAULT_TOLERANCE_DAYS = 28


class RAG(LabelledEnum):
    BLUE = ("blue", "Complete")
    GREEN = ("green", "Green")
    AMBER = ("amber", "Amber")
    RED = ("red", "Red")
    GREY = ("grey", "No data")

    @property
    def tag_class(self) -> str:
        """The GOV.UK Frontend tag that shows this colour, the same on every page."""
        return RAG_TAG_CLASSES[self]


# GOV.UK Frontend has no amber tag: its yellow is the amber every RAG page shows.
RAG_TAG_CLASSES = {
    RAG.BLUE: "govuk-tag--blue",
    RAG.GREEN: "govuk-tag--green",
    RAG.AMBER: "govuk-tag--yellow",
    RAG.RED: "govuk-tag--red",
    RAG.GREY: "govuk-tag--grey",
}

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
    return f"{n} day" if n == 1 else f"{n:,} days"


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

    @property
    def no_data(self) -> int:
        """The items without data (grey), counted apart from the measured ones."""
        return sum(self.counts.values()) - self.measured

    @property
    def in_words(self) -> str:
        """The counts as a page states them: "2 green, 1 red; 3 with no data (counted apart)",
        the measured colours that occur in order, the grey ones apart."""
        parts = [
            f"{n} {colour.label.lower()}"
            for colour, n in self.counts.items()
            if colour is not RAG.GREY and n
        ]
        text = ", ".join(parts) if parts else "nothing measured"
        grey = self.counts.get(RAG.GREY, 0)
        return f"{text}; {grey} with no data (counted apart)" if grey else text

    def share(self, colour: RAG) -> float | None:
        """The percentage of measured items of ``colour`` (None for grey or nothing measured)."""
        if colour is RAG.GREY or not self.measured:
            return None
        return 100 * self.counts[colour] / self.measured


ROLL_UP_RULE = (
    "The worst status of what it contains: red if anything is red, else amber if anything is "
    "amber, else green if anything is still in progress or not yet started, else blue when "
    "everything is complete. Items not started or without data (grey) are counted apart and "
    "kept out of the percentages; they keep a group from being complete (blue), but otherwise "
    "do not change its status."
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
        # Work not started (grey) is work outstanding: the group is still in progress.
        if overall is RAG.BLUE and counts[RAG.GREY]:
            overall = RAG.GREEN
    return RollUp(rag=overall, counts=counts, measured=measured, rule=ROLL_UP_RULE)


# --- Milestones: the slip rule, the five-point scale, and overrides that expire ----------------


class Scale(LabelledEnum):
    """How a programme reports: three points (red, amber, green) or the IPA's five."""

    THREE_POINT = ("three_point", "Three-point (red, amber, green)")
    FIVE_POINT = ("five_point", "Five-point (IPA Delivery Confidence Assessment)")


class Confidence(LabelledEnum):
    """The Infrastructure and Projects Authority's Delivery Confidence Assessment (DCA)."""

    GREEN = ("green", "Green")
    AMBER_GREEN = ("amber_green", "Amber/Green")
    AMBER = ("amber", "Amber")
    AMBER_RED = ("amber_red", "Amber/Red")
    RED = ("red", "Red")


# The IPA's published definitions (IPA annual reports on the Government Major Projects
# Portfolio; reproduced in the NAO's "Delivering major projects in government", 2016, Figure 7).
DCA_DEFINITIONS = {
    Confidence.GREEN: (
        "Successful delivery of the project on time, budget and quality appears highly likely "
        "and there are no major outstanding issues that at this stage appear to threaten "
        "delivery significantly."
    ),
    Confidence.AMBER_GREEN: (
        "Successful delivery appears probable; however, constant attention will be needed to "
        "ensure risks do not materialise into major issues threatening delivery."
    ),
    Confidence.AMBER: (
        "Successful delivery appears feasible but significant issues already exist, requiring "
        "management attention. These appear resolvable at this stage and, if addressed "
        "promptly, should not present a cost or schedule overrun."
    ),
    Confidence.AMBER_RED: (
        "Successful delivery of the project is in doubt, with major risks or issues apparent in "
        "a number of key areas. Urgent action is needed to address these problems and/or "
        "assess whether resolution is feasible."
    ),
    Confidence.RED: (
        "Successful delivery of the project appears to be unachievable. There are major issues "
        "with project definition, schedule, budget, quality and/or benefits delivery, which at "
        "this stage do not appear to be manageable or resolvable. The project may need "
        "re-scoping and/or its overall viability reassessed."
    ),
}

# Folding five points to three: a mixed rating goes to its WORSE neighbour, so folding never
# hides a risk. Amber/green is not green: the IPA's green means "no major outstanding issues",
# while amber/green still needs "constant attention". Amber/red is red: "urgent action is
# needed", which is what red asks of a three-point reader.
FOLD = {
    Confidence.GREEN: RAG.GREEN,
    Confidence.AMBER_GREEN: RAG.AMBER,
    Confidence.AMBER: RAG.AMBER,
    Confidence.AMBER_RED: RAG.RED,
    Confidence.RED: RAG.RED,
}

FOLD_RULE = (
    "Five-point ratings are folded to three by taking the worse neighbour: amber/green counts "
    "as amber and amber/red as red, so folding never hides a risk."
)

THREE_POINT_CHOICES = (Confidence.RED, Confidence.AMBER, Confidence.GREEN)


def fold(confidence: Confidence) -> RAG:
    """The three-point RAG of a five-point rating (``FOLD_RULE``)."""
    return FOLD[confidence]


def choices_for(scale: Scale) -> tuple[Confidence, ...]:
    """The ratings a person may give on a programme of ``scale``."""
    if scale is Scale.FIVE_POINT:
        return tuple(Confidence)
    return THREE_POINT_CHOICES


DEFAULT_SLIP_TOLERANCE_DAYS = 28
DEFAULT_DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Thresholds:
    """A programme's RAG thresholds."""

    slip_tolerance_days: int = DEFAULT_SLIP_TOLERANCE_DAYS
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS

    def rule(self) -> str:
        """The milestone rule in plain English, with this programme's numbers: exactly what
        ``derive_milestone`` does, in its order."""
        return (
            "Complete is blue, whatever the dates. Marked missed is red, whatever the dates. "
            "Without a baseline date it is grey (no data: "
            "nothing to measure against). Otherwise, in this order: the baseline date has passed "
            "→ red (overdue), whatever the forecast; the forecast is more than "
            f"{_days(self.slip_tolerance_days)} after the baseline → red; the forecast is after "
            "the baseline by up to that → amber (slipped); the baseline is within "
            f"{_days(self.due_soon_days)} → amber (due soon); otherwise grey if work has not "
            "started, else green. Overdue and slip are measured against the baseline, so moving "
            "a forecast later never improves a RAG; only a re-baseline, with its reason, can. "
            "A forecast date that has passed while the baseline is still ahead leaves the colour "
            "as it is (were it amber, entering a later forecast would turn it green again), but "
            "the reason says the forecast is out of date and needs updating, and the milestones "
            "list finds such milestones."
        )


@dataclass(frozen=True)
class MilestoneAssessment:
    rag: RAG
    reason: str
    overridden: bool = False
    # The rating as given (five-point allowed) when overridden.
    confidence: Confidence | None = None
    override_expires_on: date | None = None


def derive_milestone(
    *,
    baseline: date | None,
    forecast: date | None,
    today: date,
    progress: Progress,
    thresholds: Thresholds = Thresholds(),
    missed: bool = False,
) -> MilestoneAssessment:
    """The RAG of a milestone by the slip rule (``Thresholds.rule``), with its reason.

    Every test is against the baseline (the commitment), never the forecast alone: a forecast
    that passes while the baseline is still ahead is not overdue, and a later forecast can only
    widen the slip. So moving a forecast later never improves the RAG. ``missed``: the owner
    has said it was missed, which is red whatever the dates (a missed promise is never green)."""
    tolerance, soon = thresholds.slip_tolerance_days, thresholds.due_soon_days
    if tolerance < 0 or soon < 0:
        raise ValueError("thresholds must not be negative")
    if progress is Progress.COMPLETE:
        return MilestoneAssessment(RAG.BLUE, "Complete.")
    if missed:
        return MilestoneAssessment(RAG.RED, "Marked missed.")
    started = progress is not Progress.NOT_STARTED
    if baseline is None:
        return _without_baseline(started=started, forecast=forecast)
    left = (baseline - today).days
    not_yet = "" if started else " Not started."
    if left < 0:
        return MilestoneAssessment(
            RAG.RED, f"Overdue: its baseline date passed {_days(-left)} ago.{not_yet}"
        )
    slip = (forecast - baseline).days if forecast else 0
    if slip > 0:
        return _slipped(slip, tolerance, not_yet)
    return _on_schedule(
        left=left, soon=soon, forecast=forecast, today=today, started=started, not_yet=not_yet
    )


def _without_baseline(*, started: bool, forecast: date | None) -> MilestoneAssessment:
    """Grey: there is no baseline date to measure the milestone against."""
    if not started and forecast is None:
        return MilestoneAssessment(RAG.GREY, "Not started, and no dates set.")
    return MilestoneAssessment(RAG.GREY, "No baseline date to measure against.")


def _slipped(slip: int, tolerance: int, not_yet: str) -> MilestoneAssessment:
    """A forecast after the baseline: red beyond the tolerance, amber within it."""
    if slip > tolerance:
        return MilestoneAssessment(
            RAG.RED,
            f"Forecast {_days(slip)} after the baseline, beyond the {_days(tolerance)} "
            f"tolerance.{not_yet}",
        )
    return MilestoneAssessment(
        RAG.AMBER,
        f"Forecast {_days(slip)} after the baseline, within the {_days(tolerance)} "
        f"tolerance.{not_yet}",
    )


def _on_schedule(
    *, left: int, soon: int, forecast: date | None, today: date, started: bool, not_yet: str
) -> MilestoneAssessment:
    """A baseline still ahead and not slipped: amber when due soon, else grey or green."""
    when = "today" if left == 0 else f"in {_days(left)}"
    # A passed forecast (the baseline still ahead) keeps its colour; only the reason says so.
    stale = (
        f" Its forecast date, {long_date(forecast)}, has passed: the forecast needs updating."
        if forecast is not None and forecast < today
        else ""
    )
    if left <= soon:
        return MilestoneAssessment(
            RAG.AMBER,
            f"Baseline date {when} (within {_days(soon)}), not complete.{not_yet}{stale}",
        )
    if not started:
        return MilestoneAssessment(
            RAG.GREY, f"Not started; its baseline date is {when}, and it has not slipped.{stale}"
        )
    return MilestoneAssessment(RAG.GREEN, f"Due {when}, on or ahead of its baseline.{stale}")


def milestone_override_problems(
    *,
    confidence: Confidence | None,
    reason: str | None,
    expires_on: date | None,
    today: date,
    scale: Scale = Scale.THREE_POINT,
) -> dict[str, str]:
    """Why an override of a milestone's RAG is refused ({field: message}); empty if it stands."""
    problems: dict[str, str] = {}
    if confidence is None:
        problems["confidence"] = "Choose the RAG to show instead of the derived one"
    elif confidence not in choices_for(scale):
        problems["confidence"] = (
            "This programme reports in three points: choose red, amber or green"
        )
    if not (reason or "").strip():
        problems["reason"] = "Give a reason for overriding the RAG"
    if expires_on is None:
        problems["expires_on"] = "Give the date the override expires"
    elif expires_on <= today:
        problems["expires_on"] = "The expiry date must be after today"
    return problems


def assess_milestone(
    *,
    baseline: date | None,
    forecast: date | None,
    today: date,
    progress: Progress,
    thresholds: Thresholds = Thresholds(),
    override: Confidence | None = None,
    override_reason: str | None = None,
    override_expires_on: date | None = None,
    missed: bool = False,
) -> MilestoneAssessment:
    """The RAG to show: a live override (until it expires; never on a complete or missed
    milestone), else the derived one."""
    derived = derive_milestone(
        baseline=baseline,
        forecast=forecast,
        today=today,
        progress=progress,
        thresholds=thresholds,
        missed=missed,
    )
    if (
        override is None
        or progress is Progress.COMPLETE
        or missed
        or override_expires_on is None
        or override_expires_on <= today
    ):
        return derived
    return MilestoneAssessment(
        fold(override),
        f"Overridden ({override.label}) until {long_date(override_expires_on)}: "
        f"{(override_reason or '').strip()}",
        overridden=True,
        confidence=override,
        override_expires_on=override_expires_on,
    )
