"""Meeting rules as pure functions: notice (clear days), exempt information, who may attend,
the minutes' life cycle, and the status of actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TypeVar

import holidays

from govtrack.core.dates import long_date
from govtrack.meetings.enums import AgendaStatus, AttendanceStatus, MinutesStatus
from govtrack.registry.enums import Jurisdiction, MembershipRole

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

T = TypeVar("T")

_SUBDIVISION = {Jurisdiction.ENGLAND: "ENG", Jurisdiction.WALES: "WLS"}


@cache
def _bank_holidays(jurisdiction: Jurisdiction, year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv=_SUBDIVISION[jurisdiction], years=year))


def is_working_day(day: date, jurisdiction: Jurisdiction) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(jurisdiction, day.year)


# Counting working days stops here: the law asks for five clear days at most, and a meeting
# further ahead has more than enough whatever its date, so a date typed as 31/12/9999 cannot
# cost seconds of counting on every view of its page.
MAX_COUNTED_DAYS = 366


def clear_days(published_on: date, meeting_on: date, jurisdiction: Jurisdiction) -> int:
    """Working days strictly between publication and the meeting: the day of publication, the
    meeting day, weekends and the nation's bank holidays do not count. Counted up to
    ``MAX_COUNTED_DAYS``: a meeting further ahead gives that many."""
    return working_days(
        published_on + timedelta(days=1), meeting_on - timedelta(days=1), jurisdiction
    )


def working_days(first: date, last: date, jurisdiction: Jurisdiction) -> int:
    """Working days from ``first`` to ``last``, both included, counted up to
    ``MAX_COUNTED_DAYS`` (so the work is bounded whatever the dates)."""
    count = 0
    day = first
    while day <= last and count < MAX_COUNTED_DAYS:
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
        if self.clear_days >= MAX_COUNTED_DAYS:
            return f"Publishing now gives more than {MAX_COUNTED_DAYS - 1} clear days' notice."
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


# Schedule 12A: Part 1 holds the English paragraphs, Part 4 the Welsh ones.
_SCHEDULE_PART = {Jurisdiction.ENGLAND: 1, Jurisdiction.WALES: 4}


def _exempt_parts(paragraph: int, jurisdiction: Jurisdiction) -> tuple[str, str]:
    """("paragraph 3 of Schedule 12A", what the paragraph covers) for a paragraph of either
    nation (an item keeps its paragraph if the body's nation is later corrected)."""
    for nation_paragraphs in (EXEMPT_PARAGRAPHS[jurisdiction], *EXEMPT_PARAGRAPHS.values()):
        if paragraph in nation_paragraphs:
            return f"paragraph {paragraph} of Schedule 12A", nation_paragraphs[paragraph]
    return f"paragraph {paragraph} of Schedule 12A", ""


def exempt_paragraph_label(paragraph: int | None, jurisdiction: Jurisdiction) -> str:
    """The reason an item is private, said on its own: 'Exempt under paragraph 3 of ...'."""
    if paragraph is None:
        return ""
    citation, text = _exempt_parts(paragraph, jurisdiction)
    return f"Exempt under {citation}: {text}" if text else f"Exempt under {citation}"


def exempt_paragraph_reason(paragraph: int | None, jurisdiction: Jurisdiction) -> str:
    """The reason said after an 'Exempt' tag, so the word is not said twice."""
    if paragraph is None:
        return ""
    citation, text = _exempt_parts(paragraph, jurisdiction)
    return f"Under {citation}: {text}" if text else f"Under {citation}"


def not_for_publication(paragraph: int, jurisdiction: Jurisdiction) -> str:
    """The marking a printed exempt item carries, in the words councils print."""
    part = _SCHEDULE_PART.get(jurisdiction, 1)
    for nation, paragraphs in EXEMPT_PARAGRAPHS.items():
        if paragraph in paragraphs and paragraph not in EXEMPT_PARAGRAPHS[jurisdiction]:
            part = _SCHEDULE_PART[nation]
    return (
        f"NOT FOR PUBLICATION by virtue of paragraph {paragraph} of Part {part} of "
        "Schedule 12A to the Local Government Act 1972"
    )


def item_heading(number: str | None, title: str) -> str:
    """'4. Budget monitoring' for a numbered item; the title alone where the papers print no
    number (no stray '. ')."""
    number = (number or "").strip()
    return f"{number}. {title}" if number else title


def exempt_paragraph_problem(paragraph: int | None, jurisdiction: Jurisdiction) -> str | None:
    if paragraph is None or paragraph in EXEMPT_PARAGRAPHS[jurisdiction]:
        return None
    allowed = EXEMPT_PARAGRAPHS[jurisdiction]
    return (
        f"Choose a paragraph that applies in {jurisdiction.label} "
        f"({min(allowed)} to {max(allowed)})"
    )


def agenda_published(status: AgendaStatus) -> bool:
    """Published: open to inspection, so a new item is a supplementary one (s.100B(4))."""
    return status is AgendaStatus.PUBLISHED


def agenda_is_editable(meeting_on: date, today: date) -> bool:
    """An agenda can change until the meeting day is over."""
    return meeting_on >= today


# Local Government Act 1972 s.100B(4): an item may be considered only if the agenda including
# it was open to inspection for the clear days' notice, or (b) the chair, for special
# circumstances stated in the minutes, takes it as a matter of urgency. An item added after the
# agenda was published is therefore a supplementary item with a reason for urgency: publishing a
# skeleton agenda first and filling it in later cannot pass the notice check.
LATE_ITEM_REASON_NEEDED = (
    "The agenda has been published, so this is a supplementary item. Give the reason it is "
    "urgent: the meeting can take it only as a matter of urgency, for reasons recorded in the "
    "minutes (Local Government Act 1972, section 100B(4)(b))"
)


def late_item_problem(late: bool, urgency_reason: str) -> str | None:
    """A supplementary item needs the reason it is urgent; other items need none."""
    if late and not (urgency_reason or "").strip():
        return LATE_ITEM_REASON_NEEDED
    return None


def split_supplementary(
    items: Sequence[T], is_late: Callable[[T], bool]
) -> tuple[list[T], list[T]]:
    """The agenda as published and the supplementary items added after it, each in order."""
    return [i for i in items if not is_late(i)], [i for i in items if is_late(i)]


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


# Why the proceedings of a meeting cannot be recorded (see ``proceedings_closed``).
BEFORE_THE_MEETING = "before the meeting"
MINUTES_CONFIRMED = "minutes confirmed"


def meeting_day_reached(meeting_on: date, today: date) -> bool:
    """Attendance, minutes, motions and votes are recorded on or after the meeting day."""
    return meeting_on <= today


def proceedings_closed(meeting_on: date, status: MinutesStatus, today: date) -> str | None:
    """Why attendance, minutes, actions and motions cannot be recorded now: the meeting day has
    not come (``BEFORE_THE_MEETING``) or its minutes are confirmed as a correct record
    (``MINUTES_CONFIRMED``: they change only by a correction); None while they can."""
    if not meeting_day_reached(meeting_on, today):
        return BEFORE_THE_MEETING
    if minutes_confirmed(status):
        return MINUTES_CONFIRMED
    return None


def proceedings_open(meeting_on: date, status: MinutesStatus, today: date) -> bool:
    """The meeting day has come and the minutes are not confirmed."""
    return proceedings_closed(meeting_on, status, today) is None


def minutes_are_public(status: MinutesStatus) -> bool:
    return status in (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED)


def minutes_confirmed(status: MinutesStatus) -> bool:
    """Confirmed as a correct record: the minutes, actions and motions then change only by a
    correction."""
    return status is MinutesStatus.CONFIRMED


@dataclass(frozen=True)
class MinutesState:
    """What a meeting's page offers and says for the stage its minutes are at."""

    exist: bool  # any minutes at all (not "None"): they can be printed
    draft: bool  # a draft only clerks see: it can be published
    awaiting_confirmation: bool  # published, not yet confirmed as a correct record
    confirmed: bool  # a correct record: corrected, never edited


def minutes_state(status: MinutesStatus) -> MinutesState:
    return MinutesState(
        exist=status is not MinutesStatus.NONE,
        draft=status is MinutesStatus.DRAFT,
        awaiting_confirmation=status is MinutesStatus.PUBLISHED,
        confirmed=minutes_confirmed(status),
    )


# The colour of an action's status tag (GOV.UK Frontend tag modifiers), the same on the
# meeting's page and the list of actions.
ACTION_STATUS_TAG_CLASSES = {
    "done": "govuk-tag--green",
    "overdue": "govuk-tag--red",
    "open": "govuk-tag--blue",
}


def action_status(due_on: date | None, done_on: date | None, today: date) -> str:
    """'done', 'overdue' (due date passed and not done) or 'open'."""
    if done_on is not None:
        return "done"
    if due_on is not None and due_on < today:
        return "overdue"
    return "open"


def action_done_problem(done_on: date | None, today: date, meeting_on: date) -> str | None:
    """An action is done on a day that has come, and not before the meeting that set it."""
    if done_on is None:
        return None
    if done_on > today:
        return "The date the action was done must be today or in the past"
    if done_on < meeting_on:
        return (
            "The date the action was done cannot be before the meeting it arose from "
            f"({long_date(meeting_on)})"
        )
    return None


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
    represents: Mapping[int, int] | None = None,
    partner_names: Mapping[int, str] | None = None,
) -> list[tuple[int, str]]:
    """Why a set of attendance entries cannot stand, against the body's membership that day:
    (person id, what is wrong) pairs; the service puts the person's name in front.

    ``members`` may attend as members; ``substitutes`` may stand in for one of the
    ``replaceable`` members (all of them unless given: a co-opted member's place, for one, is
    not a substitute's to take). ``represents`` gives the partner each person sits for: a
    partner nominates its own substitutes, so a substitute stands in only for a member of the
    same partner (``partner_names`` names them in the reason).
    """
    replaceable = members if replaceable is None else replaceable
    represents = represents or {}
    partner_names = partner_names or {}
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
        elif (mismatch := _partner_mismatch(who, entry.substitute_for_id, represents)) is not None:
            own, other = mismatch
            problems.append(
                (
                    who,
                    f"represents {partner_names.get(own, 'another partner')}, so can stand in "
                    "only for one of its own members, not for a member representing "
                    f"{partner_names.get(other, 'another partner')}",
                )
            )
        elif entry.substitute_for_id in substituted:
            problems.append((who, "stands in for a member someone else already stands in for"))
        else:
            substituted[entry.substitute_for_id] = who
    for member, substitute in substituted.items():
        if seen.get(member) is AttendanceStatus.PRESENT:
            problems.append((substitute, "cannot stand in for a member who is present"))
    return problems


def _partner_mismatch(
    substitute: int, member: int, represents: Mapping[int, int]
) -> tuple[int, int] | None:
    own, other = represents.get(substitute), represents.get(member)
    if own is None or other is None or own == other:
        return None
    return own, other


def stand_in_choices(
    substitute: int, replaceable: Iterable[int], represents: Mapping[int, int]
) -> list[int]:
    """The members a substitute may stand in for: those of the partner that nominated them."""
    own = represents.get(substitute)
    return [m for m in replaceable if own is None or represents.get(m) == own]


def membership_ended_on(ends: Iterable[date | None], today: date) -> date | None:
    """When a person's seat on a body ended, given the end dates of their memberships of it
    (None: open-ended): the last end date if every one has passed, else None (still a member)."""
    ends = list(ends)
    if not ends or any(end is None or end >= today for end in ends):
        return None
    return max(ends)  # type: ignore[type-var]


def attendance_rate(attended: int, expected: int) -> str:
    if expected == 0:
        return "no meetings expected"
    return f"{attended} of {expected} ({round(100 * attended / expected)}%)"


def stands_in(role: MembershipRole) -> bool:
    """A substitute stands in for a member of the partner that nominated them."""
    return role is MembershipRole.SUBSTITUTE


def attendance_choices(role: MembershipRole) -> tuple[AttendanceStatus, ...]:
    """What the attendance form offers a person of this role: a substitute was present as a
    substitute or was absent (apologies are a member's to send); a member anything but
    substitute."""
    if stands_in(role):
        return (AttendanceStatus.SUBSTITUTE, AttendanceStatus.ABSENT)
    return tuple(s for s in AttendanceStatus if s is not AttendanceStatus.SUBSTITUTE)
