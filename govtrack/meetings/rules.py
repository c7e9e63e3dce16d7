"""Meeting rules as pure functions: notice (clear days), exempt information, who may attend,
the minutes' life cycle, and the status of actions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from govtrack.meetings.models import AttendanceStatus, MinutesStatus
from govtrack.registry.models import Jurisdiction

# Local Government Act 1972 s.100B(3): an agenda is open to inspection at least five clear days
# before the meeting in England; in Wales three clear days (as the partnership's issue sets out).
NOTICE_CLEAR_DAYS = {Jurisdiction.ENGLAND: 5, Jurisdiction.WALES: 3}

# Local Government Act 1972 Sch. 12A: Part 1 (England) paragraphs 1-7; Part 4 (Wales) 12-18.
EXEMPT_PARAGRAPHS: dict[Jurisdiction, dict[int, str]] = {
    Jurisdiction.ENGLAND: {
        1: "Information relating to any individual",
        2: "Information which is likely to reveal the identity of an individual",
        3: "Information relating to the financial or business affairs of any particular "
        "person (including the authority holding that information)",
        4: "Information relating to consultations or negotiations in connection with a "
        "labour relations matter",
        5: "Information in respect of which a claim to legal professional privilege could be "
        "maintained in legal proceedings",
        6: "Information which reveals that the authority proposes to give a notice imposing "
        "requirements on a person, or to make an order or direction under any enactment",
        7: "Information relating to action in connection with the prevention, investigation "
        "or prosecution of crime",
    },
    Jurisdiction.WALES: {
        12: "Information relating to a particular individual",
        13: "Information which is likely to reveal the identity of an individual",
        14: "Information relating to the financial or business affairs of any particular "
        "person (including the authority holding that information)",
        15: "Information relating to consultations or negotiations in connection with a "
        "labour relations matter",
        16: "Information in respect of which a claim to legal professional privilege could be "
        "maintained in legal proceedings",
        17: "Information which reveals that the authority proposes to give a notice imposing "
        "requirements on a person, or to make an order or direction under any enactment",
        18: "Information relating to action in connection with the prevention, investigation "
        "or prosecution of crime",
    },
}

_SUBDIVISION = {Jurisdiction.ENGLAND: "ENG", Jurisdiction.WALES: "WLS"}


@cache
def _bank_holidays(jurisdiction: Jurisdiction, year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv=_SUBDIVISION[jurisdiction], years=year))


def is_working_day(day: date, jurisdiction: Jurisdiction) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(jurisdiction, day.year)


def clear_days(published_on: date, meeting_on: date, jurisdiction: Jurisdiction) -> int:
    """Working days strictly between publication and the meeting: the day of publication, the
    meeting day, weekends and the nation's bank holidays do not count."""
    count = 0
    day = published_on + timedelta(days=1)
    while day < meeting_on:
        if is_working_day(day, jurisdiction):
            count += 1
        day += timedelta(days=1)
    return count


@dataclass(frozen=True)
class Notice:
    clear_days: int
    required: int

    @property
    def short(self) -> bool:
        return self.clear_days < self.required

    def explain(self) -> str:
        days = "day" if self.clear_days == 1 else "days"
        if self.short:
            return (
                f"Publishing now gives {self.clear_days} clear {days}' notice; the law asks for "
                f"{self.required}. Give the reason the meeting is urgent."
            )
        return f"Publishing now gives {self.clear_days} clear {days}' notice."


def notice(published_on: date, meeting_on: date, jurisdiction: Jurisdiction) -> Notice:
    return Notice(
        clear_days(published_on, meeting_on, jurisdiction), NOTICE_CLEAR_DAYS[jurisdiction]
    )


def exempt_paragraph_label(paragraph: int | None, jurisdiction: Jurisdiction) -> str:
    if paragraph is None:
        return ""
    for nation_paragraphs in (EXEMPT_PARAGRAPHS[jurisdiction], *EXEMPT_PARAGRAPHS.values()):
        if paragraph in nation_paragraphs:
            text = nation_paragraphs[paragraph]
            return f"Exempt under paragraph {paragraph} of Schedule 12A: {text}"
    return f"Exempt under paragraph {paragraph} of Schedule 12A"


def exempt_paragraph_problem(paragraph: int | None, jurisdiction: Jurisdiction) -> str | None:
    if paragraph is None or paragraph in EXEMPT_PARAGRAPHS[jurisdiction]:
        return None
    allowed = EXEMPT_PARAGRAPHS[jurisdiction]
    return (
        f"Choose a paragraph that applies in {jurisdiction.label} "
        f"({min(allowed)} to {max(allowed)})"
    )


def agenda_is_editable(meeting_on: date, today: date) -> bool:
    """An agenda can change until the meeting day is over."""
    return meeting_on >= today


MINUTES_NEXT = {
    MinutesStatus.NONE: {MinutesStatus.DRAFT},
    MinutesStatus.DRAFT: {MinutesStatus.PUBLISHED},
    MinutesStatus.PUBLISHED: {MinutesStatus.CONFIRMED, MinutesStatus.DRAFT},
    MinutesStatus.CONFIRMED: set(),
}


def minutes_transition_problem(current: MinutesStatus, wanted: MinutesStatus) -> str | None:
    if wanted in MINUTES_NEXT[current]:
        return None
    if current is MinutesStatus.CONFIRMED:
        return (
            "These minutes have been confirmed as a correct record and cannot change. "
            "Add a correction instead."
        )
    return f"Minutes that are '{current.label}' cannot become '{wanted.label}'."


def minutes_are_public(status: MinutesStatus) -> bool:
    return status in (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED)


def action_status(due_on: date | None, done_on: date | None, today: date) -> str:
    """'done', 'overdue' (due date passed and not done) or 'open'."""
    if done_on is not None:
        return "done"
    if due_on is not None and due_on < today:
        return "overdue"
    return "open"


@dataclass(frozen=True)
class AttendanceEntry:
    person_id: int
    status: AttendanceStatus
    substitute_for_id: int | None = None


def attendance_problems(
    entries: Iterable[AttendanceEntry],
    members: set[int],
    substitutes: set[int],
    replaceable: set[int] | None = None,
) -> list[tuple[int, str]]:
    """Why a set of attendance entries cannot stand, against the body's membership that day:
    (person id, what is wrong) pairs; the service puts the person's name in front.

    ``members`` may attend as members; ``substitutes`` may stand in for one of the
    ``replaceable`` members (all of them unless given: a co-opted member's place, for one, is
    not a substitute's to take).
    """
    replaceable = members if replaceable is None else replaceable
    problems: list[tuple[int, str]] = []
    seen: dict[int, AttendanceStatus] = {}
    substituted: dict[int, int] = {}
    for entry in entries:
        who = entry.person_id
        if who in seen:
            problems.append((who, "is recorded more than once"))
            continue
        seen[who] = entry.status
        if entry.status is not AttendanceStatus.SUBSTITUTE:
            if who not in members:
                problems.append((who, "is not a member of this body on the meeting date"))
            continue
        if who not in substitutes and who not in members:
            problems.append((who, "is not a member or substitute of this body on that date"))
        elif entry.substitute_for_id is None:
            problems.append((who, "is a substitute: choose the member they stood in for"))
        elif entry.substitute_for_id not in replaceable:
            problems.append((who, "can only stand in for a voting member of the body on that date"))
        elif entry.substitute_for_id in substituted:
            problems.append((who, "stands in for a member someone else already stands in for"))
        else:
            substituted[entry.substitute_for_id] = who
    for member, substitute in substituted.items():
        if seen.get(member) is AttendanceStatus.PRESENT:
            problems.append((substitute, "cannot stand in for a member who is present"))
    return problems


def attendance_rate(attended: int, expected: int) -> str:
    if expected == 0:
        return "no meetings expected"
    return f"{attended} of {expected} ({round(100 * attended / expected)}%)"
