"""The dashboards' rules as pure functions: the sentences that say a chart in words, the table
of RAG counts (grey counted apart, never in the percentages), the date "since the last
reporting date" is measured from, and what makes a reporting period valid."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from govtrack.core.dates import long_date
from govtrack.core.rag import RAG, RollUp, roll_up

# Without a recorded reporting period, "since the last reporting date" means the last 30 days.
DEFAULT_LOOKBACK_DAYS = 30
UPCOMING_DAYS = 30
MEASURED = (RAG.BLUE, RAG.GREEN, RAG.AMBER, RAG.RED)


@dataclass(frozen=True)
class AreaCounts:
    """One area's RAG counts and how many of them turned red or amber since a date."""

    label: str  # plural, lower case: "recommendations"
    counts: Mapping[RAG, int]
    turned_red: int | None = None
    turned_amber: int | None = None
    # False for roll-ups of other areas' items (objectives), left out of a combined total.
    in_total: bool = True

    @property
    def roll_up(self) -> RollUp:
        return rollup_from_counts(self.counts)


def rollup_from_counts(counts: Mapping[RAG, int]) -> RollUp:
    """``rag.roll_up`` from counts rather than one colour per item."""
    present = [colour for colour in RAG if counts.get(colour, 0)]
    result = roll_up(present)
    full = {colour: counts.get(colour, 0) for colour in RAG}
    measured = sum(n for colour, n in full.items() if colour is not RAG.GREY)
    return RollUp(rag=result.rag, counts=full, measured=measured, rule=result.rule)


def combined(areas: Iterable[AreaCounts]) -> RollUp:
    """The roll-up of everything in every area (the programme's, a partner's, a body's): each
    item once, so areas that roll up other areas' items (objectives) are left out."""
    total = dict.fromkeys(RAG, 0)
    for area in areas:
        if not area.in_total:
            continue
        for colour, n in area.counts.items():
            total[colour] += n
    return rollup_from_counts(total)


def left_out_note(areas: Iterable[AreaCounts]) -> str:
    """What the combined count leaves out, and why, in a sentence; nothing when it counts every
    area."""
    apart = [area.label for area in areas if not area.in_total]
    if not apart:
        return ""
    return (
        f"The overall count leaves out {' and '.join(apart)}: each is a roll-up of the items "
        "counted in the other areas, so counting it too would count them twice."
    )


def percent(value: float | None) -> str | None:
    return None if value is None else f"{value:.0f}%"


TABLE_HEADERS = (
    "Area",
    "Complete",
    "Green",
    "Amber",
    "Red",
    "Red (% of measured)",
    "No data (counted apart)",
)


def table_rows(areas: Sequence[AreaCounts]) -> list[list]:
    """The numbers of the RAG-by-area chart, one row per area; percentages of measured items."""
    rows = []
    for area in areas:
        up = area.roll_up
        rows.append(
            [
                area.label.capitalize(),
                *(up.counts[c] for c in MEASURED),
                percent(up.share(RAG.RED)),
                up.counts[RAG.GREY],
            ]
        )
    return rows


OBJECTIVE_HEADERS = ("Objective", "Roll-up", "Complete", "Green", "Amber", "Red", "No data")


def _n(count: int, label: str) -> str:
    # "1 recommendations" reads badly: drop the plural s of the area's first word.
    if count == 1:
        first, _, rest = label.partition(" ")
        first = first[:-1] if first.endswith("s") else first
        label = f"{first} {rest}".strip()
    return f"{count} {label}"


def area_sentence(area: AreaCounts, since: date | None) -> str:
    """'12 milestones are red, 3 of them since 31 March 2007; 2 amber; 40 measured; 5 with no
    data.' — the chart said in words."""
    up = area.roll_up
    red, amber, grey = up.counts[RAG.RED], up.counts[RAG.AMBER], up.counts[RAG.GREY]
    if not up.measured and not grey:
        return f"No {area.label} yet."
    verb = "is" if red == 1 else "are"
    text = f"{_n(red, area.label)} {verb} red"
    if since is not None and area.turned_red is not None:
        text += f" ({area.turned_red} turned red since {long_date(since)})"
    text += f", {amber} amber"
    if since is not None and area.turned_amber is not None:
        text += f" ({area.turned_amber} turned amber since then)"
    text += f", {up.counts[RAG.GREEN]} green and {up.counts[RAG.BLUE]} complete"
    share = up.share(RAG.RED)
    if share is not None:
        text += f": {share:.0f}% of the {up.measured} measured are red"
    if grey:
        text += f". {grey} with no data {'is' if grey == 1 else 'are'} counted apart"
    return text + "."


def last_reporting_date(period_ends: Iterable[date], today: date) -> tuple[date, bool]:
    """The end of the latest reporting period before today, or 30 days ago when none is
    recorded; and whether it came from a recorded period."""
    past = [end for end in period_ends if end < today]
    if past:
        return max(past), True
    return today - timedelta(days=DEFAULT_LOOKBACK_DAYS), False


def period_problems(title: str, starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not (title or "").strip():
        problems["title"] = "Enter the period's title, like 'Quarter 1 2007/08'"
    if starts_on is None:
        problems["starts_on"] = "Enter the date the period starts"
    if ends_on is None:
        problems["ends_on"] = "Enter the date the period ends"
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "The period must end on or after the day it starts"
    return problems


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from ``first``'s month to ``last``'s (``last`` itself for
    the month still running)."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        out.append(min(nxt - timedelta(days=1), last))
        year, month = nxt.year, nxt.month
    return out


def counts_over_time(
    flows: Iterable[tuple[date, RAG | None, RAG, int]], ends: Sequence[date]
) -> list[dict[RAG, int]]:
    """How many items were in each RAG at each of ``ends``, from the RAG changes summed by day
    (``(day, from, to, how many)``, in day order): each change moves items out of ``from``
    (none for an item's first RAG) into ``to``."""
    counts = dict.fromkeys(RAG, 0)
    out: list[dict[RAG, int]] = []
    flows = sorted(flows, key=lambda f: f[0])
    i = 0
    for end in ends:
        while i < len(flows) and flows[i][0] <= end:
            _day, before, after, n = flows[i]
            if before is not None:
                counts[before] -= n
            counts[after] += n
            i += 1
        out.append(dict(counts))
    return out


MAX_MONTHS = 36


def thinned(ends: Sequence[date], most: int = MAX_MONTHS) -> list[date]:
    """At most ``most`` of the month ends, evenly spread, always the first and the last: a long
    history is drawn by quarters or years rather than growing the page."""
    if len(ends) <= most:
        return list(ends)
    step = -(-len(ends) // most)  # ceiling division
    picked = list(ends[::step])
    if picked[-1] != ends[-1]:
        picked[-1] = ends[-1]
    return picked


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sampled_axis(ends: Sequence[date], most: int = MAX_MONTHS) -> str:
    """What the points of ``thinned(ends, most)`` are, truly: each month end, or every Nth
    one (the last point being the latest day) when the history is too long to draw each."""
    if len(ends) <= most:
        return "Month end"
    step = -(-len(ends) // most)
    return f"Every {_ordinal(step)} month end (of {len(ends):,} months), and the latest day"


def last_of_each_month(
    observations: Iterable[tuple[date, RAG, int]],
) -> tuple[list[date], list[dict[RAG, int]]]:
    """From daily totals ``(day, colour, count)``, the last observed day of each month and its
    counts by colour."""
    by_day: dict[date, dict[RAG, int]] = {}
    for day, colour, n in observations:
        by_day.setdefault(day, dict.fromkeys(RAG, 0))[colour] += n
    last: dict[tuple[int, int], date] = {}
    for day in by_day:
        key = (day.year, day.month)
        if key not in last or day > last[key]:
            last[key] = day
    days = sorted(last.values())
    return days, [by_day[d] for d in days]
