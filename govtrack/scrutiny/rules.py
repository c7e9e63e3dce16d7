"""The rules of scrutiny recommendations as pure functions: response due dates, overdue
responses, review dates, what an update may say, and the RAG a recommendation shows."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from govtrack.core import rag
from govtrack.core.dates import day_range_problem, long_date
from govtrack.scrutiny.enums import Assessment, EventKind, ResponseDecision, Status

# Local Government Act 2000 s.9FE: the executive must respond to an overview and scrutiny
# committee's report within two months of receiving it.
HOST_RESPONSE_MONTHS = 2
# Other partners answer within the days their partnership agreement gives (set per inquiry).
DEFAULT_PARTNER_RESPONSE_DAYS = 56
REVIEW_MONTHS = 6

# Review events that move a recommendation's status or RAG: their page says from what to what.
STATE_CHANGING_EVENTS = frozenset(
    {EventKind.RAG_CHANGE, EventKind.STATUS_CHANGE, EventKind.SIGN_OFF, EventKind.REOPEN}
)


# An update may set any status but "signed off": only a scrutiny member's sign-off closes.
UPDATE_STATUSES = tuple(s for s in Status if s is not Status.SIGNED_OFF)
CLOSED = (Status.SIGNED_OFF,)
# What an addressee reports when it has done what was asked of it.
DELIVERED = (Status.IMPLEMENTED, Status.SUPERSEDED)
# Finished with, one way or another: nothing more is expected of the addressee.
FINISHED = (*DELIVERED, Status.NOT_IMPLEMENTED)

# The colour of a recommendation's status tag (GOV.UK Frontend tag modifiers), the same on every
# page that shows it.
STATUS_TAG_CLASSES = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.IN_PROGRESS: "govuk-tag--light-blue",
    Status.IMPLEMENTED: "govuk-tag--turquoise",
    Status.NOT_IMPLEMENTED: "govuk-tag--orange",
    Status.SUPERSEDED: "govuk-tag--grey",
    Status.SIGNED_OFF: "govuk-tag--green",
}

_PROGRESS = {
    Status.NOT_STARTED: rag.Progress.NOT_STARTED,
    Status.IN_PROGRESS: rag.Progress.IN_PROGRESS,
    Status.NOT_IMPLEMENTED: rag.Progress.IN_PROGRESS,
    # Implemented (awaiting sign-off), superseded and signed off are delivered: blue.
    Status.IMPLEMENTED: rag.Progress.COMPLETE,
    Status.SUPERSEDED: rag.Progress.COMPLETE,
    Status.SIGNED_OFF: rag.Progress.COMPLETE,
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter (31 Dec + 2
    months is 28 or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# No statute set the executive a time to answer a scrutiny report before the Local Government
# and Public Involvement in Health Act 2007 (Royal Assent 30 October 2007), which first required
# the executive to respond (now LGA 2000 s.9FE): a report received earlier has no due date for
# the body's own council, so its response is never "overdue".
RESPONSE_DUTY_SINCE = date(2007, 10, 30)


def response_due(received_on: date | None, host: bool, partner_days: int) -> date | None:
    """When an addressee's response is due: two months after the report was received for the
    scrutiny body's own council (s.9FE; none for a report received before the duty existed),
    else the days the partnership agreement gives."""
    if received_on is None:
        return None
    if host:
        if received_on < RESPONSE_DUTY_SINCE:
            return None
        return add_months(received_on, HOST_RESPONSE_MONTHS)
    return received_on + timedelta(days=partner_days)


def inquiry_dates_problem(started_on: date | None, reported_on: date | None) -> str | None:
    """The final report cannot be received before the inquiry started."""
    if started_on and reported_on and reported_on < started_on:
        return "The report date must be on or after the start date"
    return None


def no_due_date_because(received_on: date | None) -> str:
    """Why an addressee's response has no due date (``response_due`` gave none)."""
    if received_on is None:
        return "no report date yet"
    return f"no time set by law for a report received before {_day(RESPONSE_DUTY_SINCE)}"


def response_overdue(
    due: date | None, responded_on: date | None, today: date, signed_off: bool = False
) -> bool:
    """A response is overdue when none has been given and its due date has passed, unless the
    recommendation has been signed off: scrutiny has closed it, so nothing is awaited."""
    return not signed_off and due is not None and responded_on is None and today > due


def next_review(last_review: date, months: int = REVIEW_MONTHS) -> date:
    """By default a recommendation comes back for review six months after its last review."""
    return add_months(last_review, months)


def review_due(next_review_on: date | None, status: Status, on: date) -> bool:
    """An open recommendation is due for review on or after its next review date."""
    return status not in CLOSED and next_review_on is not None and next_review_on <= on


@dataclass(frozen=True)
class UpdateInput:
    on: date | None
    text: str
    assessment: Assessment | None
    status: Status | None
    new_target_date: date | None
    slip_reason: str
    rag_override: rag.RAG | None
    rag_reason: str
    # Issue 7: a manual override needs a reason and an expiry date.
    rag_override_until: date | None = None


# Local Government Act 2000 (Royal Assent 28 July 2000) created overview and scrutiny
# committees: no recommendation of one, and no update on it, can be older.
SCRUTINY_SINCE = date(2000, 7, 28)


def _day(d: date) -> str:
    return long_date(d)


@dataclass(frozen=True)
class Earliest:
    """The first day an update on an inquiry's recommendations can be dated, and why."""

    on: date
    why: str


def earliest_update(reported_on: date | None, started_on: date | None) -> Earliest:
    """Recommendations are made in the final report, so progress on them cannot be reported
    before it was received; without that date, before the inquiry started."""
    if reported_on is not None:
        return Earliest(reported_on, "the day the inquiry's final report was received")
    if started_on is not None:
        return Earliest(
            started_on, "the day the inquiry started (its final report's date is not recorded)"
        )
    return Earliest(
        SCRUTINY_SINCE,
        "when the Local Government Act 2000 created scrutiny committees (the inquiry has no "
        "start or report date recorded)",
    )


def update_problems(
    update: UpdateInput,
    current_status: Status,
    today: date,
    earliest: Earliest | None = None,
) -> dict[str, str | None]:
    """Why an update is refused, field by field (None where the field is fine). ``earliest``
    is the first day it may be dated (``earliest_update``)."""
    problems: dict[str, str | None] = {}
    if current_status in CLOSED:
        problems["text"] = (
            "This recommendation has been signed off, so it takes no more updates. "
            "A scrutiny member can reopen it, with a reason, if there is more to do"
        )
    if update.on is None:
        problems["on"] = "Enter the date of the update"
    elif update.on > today:
        problems["on"] = "The date of the update must be today or in the past"
    elif earliest is not None and update.on < earliest.on:
        problems["on"] = (
            f"The date of the update must be on or after {_day(earliest.on)}, {earliest.why}"
        )
    if not update.text.strip():
        problems["text"] = problems.get("text") or "Enter the update"
    if update.assessment is Assessment.SLIPPED:
        if update.new_target_date is None:
            problems["new_target_date"] = "Give the new target date for a slipped recommendation"
        elif update.on is not None and update.new_target_date <= update.on:
            problems["new_target_date"] = (
                f"The new target date must be after the date of the update ({_day(update.on)})"
            )
        if not update.slip_reason.strip():
            problems["slip_reason"] = "Give the reason the recommendation has slipped"
    if update.status is Status.SIGNED_OFF:
        problems["status"] = "Only a scrutiny member can sign a recommendation off"
    problems["rag_reason"] = rag.override_problem(update.rag_override, update.rag_reason)
    problems["rag_override_until"] = override_until_problem(
        update.rag_override, update.rag_override_until, today
    )
    return problems


def override_until_problem(override: rag.RAG | None, until: date | None, today: date) -> str | None:
    """An override needs an end date after today (so after the update's own date too): from
    that date the derived RAG shows again."""
    if override is None:
        return (
            "Choose the RAG to show until this date, or leave the date blank"
            if until is not None
            else None
        )
    if until is None:
        return "Give the date the override ends"
    if until <= today:
        return "The date the override ends must be in the future"
    return None


def override_live(until: date | None, today: date) -> bool:
    """An override stands until its end date, which is the first day the derived RAG shows
    again (as a milestone's expiry); one recorded without an end stands, as it did."""
    return until is None or until > today


def response_problems(
    *,
    partner_id: int | None,
    addressee_ids: Iterable[int],
    decision: ResponseDecision | None,
    responded_on: date | None,
    reasons: str,
    today: date,
    earliest: Earliest | None = None,
) -> dict[str, str | None]:
    """Why a response is refused, field by field (None where the field is fine). A response
    answers the final report, so it cannot predate it: ``earliest`` is the first day it may be
    dated, as for updates (``earliest_update``)."""
    ids = set(addressee_ids)
    partner = None
    if partner_id is None:
        partner = "Choose the partner whose response this is"
    elif ids and partner_id not in ids:
        partner = "This recommendation is not addressed to that partner"
    when = None
    if responded_on is None:
        when = "Enter the date of the response"
    elif responded_on > today:
        when = "The date of the response must be today or in the past"
    elif earliest is not None and responded_on < earliest.on:
        when = f"The date of the response must be on or after {_day(earliest.on)}, {earliest.why}"
    return {
        "partner_id": partner,
        "decision": None if decision else "Choose the partner's decision",
        "responded_on": when,
        "reasons": "Give the reasons for the decision"
        if decision and decision is not ResponseDecision.ACCEPTED and not reasons.strip()
        else None,
    }


def report_day_problem(typed: str, day: date | None, today: date, name: str) -> str | None:
    """Why a date asked of the monitoring report (``name``: 'as at', 'changed since') is refused:
    typed but not a real date, or in the future (the report is history: a future date would
    show RAGs projected from today's records). Empty is fine: the report's default."""
    if not typed.strip():
        return None
    if day is None:
        return f"Enter the '{name}' date like 20/11/2007 or 20 November 2007"
    if problem := day_range_problem(day, f"The '{name}' date"):
        return problem
    if day > today:
        return f"The '{name}' date must be today or in the past"
    return None


@dataclass(frozen=True)
class HistoryItem:
    """One dated entry of a recommendation's history, as far as its current state goes: an
    update (any of status, assessment, new target, override) or a sign-off or reopening."""

    on: date
    order: tuple  # ties on the same date: the order the entries were recorded
    status: Status | None = None
    assessment: Assessment | None = None
    new_target_date: date | None = None
    rag_override: rag.RAG | None = None
    rag_reason: str = ""
    signed_off: bool = False
    rag_override_until: date | None = None
    # An update's own id and the update it corrects (both None for a sign-off or reopening).
    id: int | None = None
    corrects_id: int | None = None
    # The partner whose update it is; None for a general update, a sign-off or a reopening,
    # which speak for every addressee.
    partner_id: int | None = None


class _Correctable(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def corrects_id(self) -> int | None: ...


U = TypeVar("U", bound=_Correctable)


def standing(updates: Iterable[U]) -> list[U]:
    """The updates that still count, in the order given: an update is never changed, so a
    correction is a new update naming the one it corrects, which from then on counts for
    nothing (not as the latest progress, nor for the status, target or RAG it set). A
    correction that is itself corrected still leaves the update it corrected out."""
    updates = list(updates)
    corrected = {u.corrects_id for u in updates if u.corrects_id is not None}
    return [u for u in updates if u.id is None or u.id not in corrected]


@dataclass(frozen=True)
class AddresseeState:
    """Where one addressee stands: the status and assessment its latest updates gave (a general
    update, a sign-off or a reopening speaks for every addressee), and the day of its latest."""

    partner_id: int
    status: Status = Status.NOT_STARTED
    assessment: Assessment | None = None
    on: date | None = None

    @property
    def label(self) -> str:
        """Its state in the council's words (the recommendation's own status says whether it
        awaits sign-off)."""
        if self.status in CLOSED:
            return "Signed off"
        if self.status in DELIVERED:
            return self.status.label.split(" \N{EN DASH} ")[0]
        if self.assessment is Assessment.ACHIEVED:
            return "Achieved"
        return self.status.label

    @property
    def done(self) -> bool:
        """It has done what was asked: reported implemented or superseded (or achieved), or
        the recommendation is signed off."""
        return (
            self.status in DELIVERED
            or self.status in CLOSED
            or self.assessment is Assessment.ACHIEVED
        )


def combined_status(statuses: Iterable[Status]) -> Status:
    """A recommendation addressed to several councils stands where all of them stand: one
    status they share is its status; all delivered (implemented or superseded) is implemented;
    all finished with, some not implemented, is not implemented; any other mix is in progress
    (someone has moved, someone has not finished). None at all: not started."""
    found = set(statuses)
    if not found:
        return Status.NOT_STARTED
    if len(found) == 1:
        return found.pop()
    if found <= set(DELIVERED):
        return Status.IMPLEMENTED
    if found <= set(FINISHED):
        return Status.NOT_IMPLEMENTED
    return Status.IN_PROGRESS


@dataclass(frozen=True)
class State:
    status: Status
    revised_target_date: date | None
    rag_override: rag.RAG | None
    rag_override_reason: str
    rag_override_until: date | None = None
    # Each addressee's own state, in the order the addressees were given (none: partnership).
    addressees: tuple[AddresseeState, ...] = ()

    @property
    def outstanding(self) -> tuple[int, ...]:
        """The addressees that have not yet done what was asked (``AddresseeState.done``)."""
        return tuple(a.partner_id for a in self.addressees if not a.done)


def state_from_history(items: list[HistoryItem], addressees: Iterable[int] = ()) -> State:
    """A recommendation's status, revised target and RAG override, from its history in date
    order (so a back-dated update takes its place in time rather than overriding later news):

    - with no addressees (the partnership's), the status is the latest entry's that set one;
    - addressed to councils, each addressee's status is the latest its own updates or the
      general ones (and sign-offs and reopenings) set, and the recommendation's status is
      theirs combined (``combined_status``): one council's "implemented" does not complete a
      recommendation another council has still to act on;
    - the revised target date is the latest "slipped" update's new date;
    - an override stands until a later assessment or status change without one, or a
      sign-off (and lapses after its end date: ``recommendation_rag`` ignores it then);
    - an update that a correction among ``items`` names is left out (``standing``);
    - an update of a partner that is not (or no longer) an addressee sets no status.
    """
    return HistoryFold(addressees, items).state()


def _key(item: HistoryItem) -> tuple:
    return (item.on, *item.order)


class HistoryFold:
    """``state_from_history`` kept as items are added one by one, in any order (an import
    replays each new update's effect without reading the whole history again each time).

    Every part of the state is what the latest item (in date order) that sets it says: the
    status, each addressee's status, assessment and day, the revised target, and the
    override (set by the latest item with an override, status, assessment or sign-off). So
    the fold keeps the latest item for each part, and an added item is compared only with
    those. A correction leaves the corrected item out, so one added starts the fold again from
    the items that still stand.
    """

    def __init__(self, addressees: Iterable[int] = (), items: Iterable[HistoryItem] = ()) -> None:
        self.ids = list(dict.fromkeys(addressees))
        self.items = list(items)
        self._corrected = {i.corrects_id for i in self.items if i.corrects_id is not None}
        self._refold()

    def _refold(self) -> None:
        self._latest: dict[object, HistoryItem] = {}
        for item in standing(self.items):
            self._take(item)

    def add(self, item: HistoryItem) -> None:
        self.items.append(item)
        if item.corrects_id is not None:
            self._corrected.add(item.corrects_id)
            self._refold()
        elif item.id is None or item.id not in self._corrected:
            self._take(item)

    def _offer(self, part: object, item: HistoryItem) -> None:
        latest = self._latest.get(part)
        # Ties (never between recorded entries: their order ends with their id) go to the
        # item given later, as a stable sort would leave it.
        if latest is None or _key(latest) <= _key(item):
            self._latest[part] = item

    def _take(self, item: HistoryItem) -> None:
        if item.status is not None and (not self.ids or item.partner_id is None):
            self._offer("status", item)
        for pid in self.ids if item.partner_id is None else [item.partner_id]:
            if pid not in self.ids:
                continue
            self._offer(("on", pid), item)
            if item.status is not None:
                self._offer(("status", pid), item)
            if item.assessment is not None:
                self._offer(("assessment", pid), item)
        if item.assessment is Assessment.SLIPPED:
            self._offer("target", item)
        if (
            item.rag_override is not None
            or item.status is not None
            or item.assessment is not None
            or item.signed_off
        ):
            self._offer("override", item)

    def state(self) -> State:
        latest = self._latest
        each = tuple(
            AddresseeState(
                pid,
                latest[("status", pid)].status if ("status", pid) in latest else Status.NOT_STARTED,
                latest[("assessment", pid)].assessment if ("assessment", pid) in latest else None,
                latest[("on", pid)].on if ("on", pid) in latest else None,
            )
            for pid in self.ids
        )
        if self.ids:
            status = combined_status(a.status for a in each)
        else:
            status = latest["status"].status if "status" in latest else Status.NOT_STARTED
        target = latest["target"].new_target_date if "target" in latest else None
        last = latest.get("override")
        if last is not None and last.rag_override is not None:
            return State(
                status, target, last.rag_override, last.rag_reason, last.rag_override_until, each
            )
        return State(status, target, None, "", None, each)


def signoff_problem(
    status: Status,
    latest_assessment: Assessment | None,
    outstanding: Iterable[str] | None = None,
) -> str | None:
    """A recommendation is signed off once it is reported implemented, superseded or achieved;
    one addressed to councils, once every one of them has (``outstanding`` names those that
    have not; None for a recommendation to the partnership as a whole)."""
    if status in CLOSED:
        return "This recommendation is already signed off"
    if outstanding is not None:
        waiting = list(outstanding)
        if not waiting:
            return None
        return (
            "Only a recommendation reported as implemented, superseded or achieved by every "
            f"council it is addressed to can be signed off; still to report: {', '.join(waiting)}. "
            "Add a challenge instead to ask for the evidence"
        )
    if status in DELIVERED or latest_assessment is Assessment.ACHIEVED:
        return None
    return (
        "Only a recommendation reported as implemented, superseded or achieved can be signed "
        "off. Add a challenge instead to ask for the evidence"
    )


def progress_of(status: Status) -> rag.Progress:
    return _PROGRESS[status]


def recommendation_rag(
    *,
    status: Status,
    target_date: date | None,
    revised_target_date: date | None,
    today: date,
    override: rag.RAG | None = None,
    override_reason: str | None = None,
    override_until: date | None = None,
) -> rag.Assessment:
    """A recommendation's RAG: the one engine's rule on its (revised) target date and status.

    Implemented or signed off -> blue; not started with no date -> grey; past the target ->
    red; within the tolerance of it -> amber; else green; unless overridden with a reason,
    until the override's end date has passed.
    """
    live = override is not None and override_live(override_until, today)
    result = rag.assess(
        due=revised_target_date or target_date,
        today=today,
        progress=progress_of(status),
        override=override if live else None,
        override_reason=override_reason,
    )
    if result.overridden and override_until is not None:
        return rag.Assessment(
            result.rag,
            f"Overridden until {_day(override_until)}: {(override_reason or '').strip()}",
            overridden=True,
        )
    return result


@dataclass(frozen=True)
class StateShown:
    """What a recommendation's state shows beside its status tag."""

    rag: bool  # its RAG tag
    reason: str  # the RAG's reason, or "" where it only repeats the tags


def state_shown(status: Status, colour: rag.RAG, overridden: bool, reason: str = "") -> StateShown:
    """A recommendation's status with its RAG, saying each thing once: a signed-off one's status
    already says "Complete", so it has no second "Complete" tag (unless its RAG is overridden),
    and a reason that only repeats the RAG's label ("Complete.") is left out."""
    signed_off = status is Status.SIGNED_OFF
    said = (reason or "").rstrip(".")
    repeats = said == colour.label or (signed_off and said == rag.RAG.BLUE.label)
    return StateShown(
        rag=not (signed_off and colour is rag.RAG.BLUE and not overridden),
        reason="" if repeats else (reason or ""),
    )
