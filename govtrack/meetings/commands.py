"""Writes of meetings: meetings and their agendas, attendance, declarations, minutes and their
confirmation and corrections, and actions.

Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select

from govtrack.auth.models import User
from govtrack.core import audit
from govtrack.core.dates import long_date
from govtrack.core.ids import record_id
from govtrack.core.permissions import ensure
from govtrack.core.records import Invalid, Locked, create_record, raise_if, update_record
from govtrack.db import db
from govtrack.meetings import rules
from govtrack.meetings.enums import (
    AgendaStatus,
    AttendanceStatus,
    DeclarationKind,
    GuestCapacity,
    MeetingKind,
    MinutesStatus,
    Outcome,
)
from govtrack.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Meeting,
    MinutesCorrection,
    Resolution,
)
from govtrack.meetings.permissions import (
    can_manage_meetings,
)
from govtrack.meetings.queries import (
    agenda_locked,
    agenda_published,
    attendance_problems_on,
    body_memberships_on,
)
from govtrack.registry.models import Body, Partner, Person

CONFIRMED = "These minutes have been confirmed as a correct record and cannot be altered."
CONFIRMED_INSTEAD = "Add a correction: it is kept beside the confirmed minutes, linked to them."


def ensure_agenda_editable(meeting: Meeting, today: date) -> None:
    if not rules.agenda_is_editable(meeting.held_on, today):
        raise agenda_locked()


def _clean_meeting(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "body_id": int(values["body_id"]),
        "kind": MeetingKind(values["kind"]),
        "title": (values.get("title") or "").strip(),
        "held_on": values["held_on"],
        "starts_at": values.get("starts_at"),
        "venue": (values.get("venue") or "").strip(),
        "contact": (values.get("contact") or "").strip(),
    }


def create_meeting(actor: User, values: Mapping[str, Any]) -> Meeting:
    ensure(can_manage_meetings(actor))
    clean = _clean_meeting(values)
    body = db.session.get(Body, clean["body_id"])
    raise_if({"body_id": None if body else "Select an existing body"})
    ensure(can_manage_meetings(actor, body))
    meeting = Meeting(**clean)
    summary = f"Added a meeting of {body.name} on {long_date(clean['held_on'])}"
    return create_record(actor, meeting, summary)


def update_meeting(
    actor: User, meeting: Meeting, values: Mapping[str, Any], version: int | None, today: date
) -> Meeting:
    ensure(can_manage_meetings(actor, meeting))
    ensure_agenda_editable(meeting, today)
    clean = _clean_meeting(values)
    clean["body_id"] = meeting.body_id  # a meeting stays with its body
    summary = f"Edited the meeting of {long_date(meeting.held_on)}"
    return update_record(actor, meeting, clean, version, summary)


def _clean_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "number": (values.get("number") or "").strip(),
        "title": values["title"].strip(),
        "description": (values.get("description") or "").strip(),
        "lead_officer_id": record_id(values.get("lead_officer_id")),
        "exempt_paragraph": record_id(values.get("exempt_paragraph")),
        "urgency_reason": (values.get("urgency_reason") or "").strip(),
    }


def _item_problems(meeting: Meeting, clean: Mapping[str, Any], item: AgendaItem | None):
    problems: dict[str, str | None] = {
        "exempt_paragraph": rules.exempt_paragraph_problem(
            clean["exempt_paragraph"], meeting.body.jurisdiction
        )
    }
    if clean["lead_officer_id"] and db.session.get(Person, clean["lead_officer_id"]) is None:
        problems["lead_officer_id"] = "Select an existing person"
    clash = db.session.scalar(
        select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.number == clean["number"]
        )
    )
    if clean["number"] and clash is not None and (item is None or clash != item.id):
        problems["number"] = f"Item {clean['number']} is already on this agenda"
    return problems


def add_item(actor: User, meeting: Meeting, values: Mapping[str, Any], today: date) -> AgendaItem:
    """Add an item; once the agenda is published it is a supplementary item, dated today, and
    needs the reason it is urgent (LGA 1972 s.100B(4)(b))."""
    ensure(can_manage_meetings(actor, meeting))
    ensure_agenda_editable(meeting, today)
    clean = _clean_item(values)
    late = agenda_published(meeting)
    clean["added_late_on"] = today if late else None
    if not late:
        clean["urgency_reason"] = ""
    position = (
        db.session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        or 0
    ) + 1
    if not clean["number"]:
        clean["number"] = str(position)
    problems = _item_problems(meeting, clean, None)
    problems["urgency_reason"] = rules.late_item_problem(late, clean["urgency_reason"])
    raise_if(problems)
    item = AgendaItem(meeting_id=meeting.id, position=position, **clean)
    summary = (
        f"Added supplementary item {item.number} ({item.title}) to the published agenda"
        if late
        else f"Added item {item.number} ({item.title}) to the agenda"
    )
    return create_record(actor, item, summary)


def update_item(
    actor: User, item: AgendaItem, values: Mapping[str, Any], version: int | None, today: date
) -> AgendaItem:
    ensure(can_manage_meetings(actor, item))
    ensure_agenda_editable(item.meeting, today)
    clean = _clean_item(values)
    if not clean["number"]:
        clean["number"] = item.number
    if not item.late:
        clean["urgency_reason"] = ""
    problems = _item_problems(item.meeting, clean, item)
    problems["urgency_reason"] = rules.late_item_problem(item.late, clean["urgency_reason"])
    raise_if(problems)
    update_record(actor, item, clean, version, f"Edited agenda item {clean['number']}")
    for resolution in item.resolutions:  # the register searches the item's title too
        resolution.search_text = _resolution_search_text(item, resolution.text)
    db.session.flush()
    return item


def publish_agenda(
    actor: User, meeting: Meeting, reason: str, version: int | None, today: date, now: datetime
) -> Meeting:
    """Publish the agenda; short notice needs a reason (urgency), which is recorded."""
    ensure(can_manage_meetings(actor, meeting))
    ensure_agenda_editable(meeting, today)
    if meeting.agenda_status is AgendaStatus.PUBLISHED:
        raise Locked("This agenda has already been published.", "Edit its items instead.")
    if not meeting.items:
        raise Invalid({"reason": "Add at least one item before publishing the agenda"})
    notice = rules.notice(today, meeting.held_on, meeting.body.jurisdiction)
    reason = (reason or "").strip()
    if notice.short and not reason:
        raise Invalid({"reason": notice.explain()})
    values = {
        "agenda_status": AgendaStatus.PUBLISHED,
        "agenda_published_on": today,
        "agenda_published_at": now,
        "short_notice_reason": reason if notice.short else "",
    }
    summary = f"Published the agenda ({notice.clear_days} clear days' notice)"
    return update_record(actor, meeting, values, version, summary)


# Attendance, guests and declarations -----------------------------------------------------


def _ensure_proceedings_open(meeting: Meeting, today: date) -> None:
    closed = rules.proceedings_closed(meeting.held_on, meeting.minutes_status, today)
    if closed == rules.BEFORE_THE_MEETING:
        raise Locked(
            "Attendance and minutes are recorded at or after the meeting.",
            f"Come back on {long_date(meeting.held_on)}.",
        )
    if closed == rules.MINUTES_CONFIRMED:
        raise Locked(CONFIRMED, CONFIRMED_INSTEAD)


def _ensure_minutes_open(meeting: Meeting) -> None:
    if rules.minutes_confirmed(meeting.minutes_status):
        raise Locked(CONFIRMED, CONFIRMED_INSTEAD)


def record_attendance(
    actor: User,
    meeting: Meeting,
    entries: Sequence[rules.AttendanceEntry],
    today: date,
) -> list[Attendance]:
    """Record who was present, sent apologies, was absent or substituted, replacing what was
    recorded before (each change audited)."""
    ensure(can_manage_meetings(actor, meeting))
    _ensure_proceedings_open(meeting, today)
    memberships = body_memberships_on(meeting.body_id, meeting.held_on)
    problems = attendance_problems_on(entries, memberships)
    if problems:
        names = dict(
            db.session.execute(
                select(Person.id, Person.name).where(Person.id.in_({p for p, _ in problems}))
            ).all()
        )
        raise Invalid(
            {f"person-{pid}": f"{names.get(pid, 'Someone')} {message}" for pid, message in problems}
        )
    existing = {
        a.person_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    wanted = {entry.person_id: entry for entry in entries}
    saved = []
    for person_id, row in existing.items():
        if person_id not in wanted:
            audit.record(
                actor,
                "delete",
                row,
                "Removed an attendance record",
                before=audit.snapshot(row),
                after={},
            )
            db.session.delete(row)
    db.session.flush()
    for person_id, entry in wanted.items():
        row = existing.get(person_id)
        values = {"status": entry.status, "substitute_for_id": entry.substitute_for_id}
        if row is None:
            row = Attendance(meeting_id=meeting.id, person_id=person_id, **values)
            create_record(actor, row, f"Recorded attendance: {entry.status.label}")
        else:
            update_record(
                actor, row, values, row.version, f"Changed attendance to {entry.status.label}"
            )
        saved.append(row)
    return saved


def add_guest(actor: User, meeting: Meeting, values: Mapping[str, Any], today: date) -> Guest:
    ensure(can_manage_meetings(actor, meeting))
    _ensure_proceedings_open(meeting, today)
    person_id = record_id(values.get("person_id"))
    name = (values.get("name") or "").strip()
    raise_if(
        {
            "name": None if (person_id or name) else "Choose a person or type the name",
            "person_id": None
            if not person_id or db.session.get(Person, person_id)
            else "Select an existing person",
        }
    )
    guest = Guest(
        meeting_id=meeting.id,
        person_id=person_id,
        name="" if person_id else name,
        capacity=GuestCapacity(values["capacity"]),
    )
    return create_record(actor, guest, f"Recorded {guest.capacity.label.lower()} in attendance")


def remove_guest(actor: User, guest: Guest, today: date) -> None:
    meeting = db.session.get(Meeting, guest.meeting_id)
    ensure(can_manage_meetings(actor, meeting))
    _ensure_minutes_open(meeting)
    audit.record(
        actor,
        "delete",
        guest,
        "Removed a person in attendance",
        before=audit.snapshot(guest),
        after={},
    )
    db.session.delete(guest)
    db.session.flush()


def add_declaration(
    actor: User, meeting: Meeting, values: Mapping[str, Any], today: date
) -> Declaration:
    ensure(can_manage_meetings(actor, meeting))
    _ensure_proceedings_open(meeting, today)
    person_id = record_id(values.get("person_id"))
    item_id = record_id(values.get("item_id"))
    present = set(
        db.session.scalars(
            select(Attendance.person_id).where(
                Attendance.meeting_id == meeting.id,
                Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE]),
            )
        )
    )
    item = db.session.get(AgendaItem, item_id) if item_id else None
    raise_if(
        {
            "person_id": None
            if person_id in present
            else "Only a member recorded as present can declare an interest: "
            "record attendance first",
            "item_id": None
            if item is not None and item.meeting_id == meeting.id
            else "Select an item on this meeting's agenda",
        }
    )
    declaration = Declaration(
        item_id=item.id,
        person_id=person_id,
        kind=DeclarationKind(values["kind"]),
        text=(values.get("text") or "").strip(),
    )
    return create_record(
        actor, declaration, f"Recorded a declaration of interest on item {item.number}"
    )


# Minutes -----------------------------------------------------------------------------------


def _resolution_search_text(item: AgendaItem, text: str) -> str:
    return f"{text}\n{item.title}"


def write_minute(
    actor: User,
    item: AgendaItem,
    minutes: str,
    outcome: str | None,
    resolutions: Iterable[str],
    version: int | None,
    today: date,
) -> AgendaItem:
    """Write (or rewrite, until confirmed) an item's minute: narrative, outcome, resolutions."""
    meeting = item.meeting
    ensure(can_manage_meetings(actor, meeting))
    _ensure_proceedings_open(meeting, today)
    texts = [t.strip() for t in resolutions if t and t.strip()]
    outcome_value = Outcome(outcome) if outcome else None
    raise_if(
        {
            "resolutions": "Add the resolution, or choose another outcome"
            if outcome_value is Outcome.RESOLVED and not texts
            else None
        }
    )
    before_resolutions = [r.text for r in item.resolutions]
    update_record(
        actor,
        item,
        {"minutes": minutes.strip(), "outcome": outcome_value},
        version,
        f"Minuted item {item.number}",
    )
    if texts != before_resolutions:
        db.session.execute(delete(Resolution).where(Resolution.item_id == item.id))
        db.session.flush()
        for number, text in enumerate(texts, start=1):
            resolution = Resolution(
                item_id=item.id,
                number=number,
                text=text,
                search_text=_resolution_search_text(item, text),
            )
            db.session.add(resolution)
        db.session.flush()
        audit.record(
            actor,
            "update",
            item,
            f"Resolutions of item {item.number}",
            before={"resolutions": before_resolutions},
            after={"resolutions": texts},
        )
        db.session.expire(item, ["resolutions"])
    _start_minutes(actor, meeting)
    return item


def _start_minutes(actor: Any, meeting: Meeting) -> None:
    """The first minute written makes the minutes a draft."""
    if meeting.minutes_status is MinutesStatus.NONE:
        update_record(
            actor,
            meeting,
            {"minutes_status": MinutesStatus.DRAFT},
            meeting.version,
            "Minutes started (draft)",
        )


def set_minutes_status(
    actor: User, meeting: Meeting, wanted: MinutesStatus, version: int | None
) -> Meeting:
    ensure(can_manage_meetings(actor, meeting))
    problem = rules.minutes_transition_problem(meeting.minutes_status, wanted)
    if problem:
        if rules.minutes_confirmed(meeting.minutes_status):
            raise Locked(CONFIRMED, CONFIRMED_INSTEAD)
        raise Invalid({"status": problem})
    if rules.minutes_confirmed(wanted):
        raise Invalid({"status": "Minutes are confirmed by a later meeting of the body"})
    return update_record(
        actor, meeting, {"minutes_status": wanted}, version, f"Minutes: {wanted.label}"
    )


def confirm_minutes(
    actor: User, meeting: Meeting, earlier_id: int | None, today: date
) -> AgendaItem:
    """At ``meeting``, confirm the published minutes of an earlier meeting of the same body:
    adds the item "Minutes of the meeting held on ..." and locks the earlier minutes."""
    ensure(can_manage_meetings(actor, meeting))
    _ensure_proceedings_open(meeting, today)  # confirmed at the meeting, not before it
    earlier = db.session.get(Meeting, earlier_id) if earlier_id else None
    if earlier is None or earlier.body_id != meeting.body_id or earlier.held_on >= meeting.held_on:
        raise Invalid({"earlier_id": "Choose an earlier meeting of the same body"})
    if rules.minutes_confirmed(earlier.minutes_status):
        raise Locked("Those minutes have already been confirmed.", CONFIRMED_INSTEAD)
    if earlier.minutes_status is not MinutesStatus.PUBLISHED:
        raise Invalid({"earlier_id": "Publish those minutes before a meeting confirms them"})
    when = long_date(earlier.held_on)
    position = (
        db.session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        or 0
    ) + 1
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        number=str(position),
        title=f"Minutes of the meeting held on {when}",
        minutes="",
        outcome=Outcome.RESOLVED,
        confirms_meeting_id=earlier.id,
    )
    create_record(actor, item, f"Added the confirmation of the minutes of {when}")
    text = (
        f"That the minutes of the meeting held on {when} be confirmed as a correct record "
        "and signed by the Chair."
    )
    db.session.add(
        Resolution(
            item_id=item.id, number=1, text=text, search_text=_resolution_search_text(item, text)
        )
    )
    update_record(
        actor,
        earlier,
        {"minutes_status": MinutesStatus.CONFIRMED},
        earlier.version,
        f"Minutes confirmed as a correct record at the meeting of {long_date(meeting.held_on)}",
    )
    _start_minutes(actor, meeting)
    return item


def add_correction(
    actor: User, meeting: Meeting, item_id: int | None, text: str
) -> MinutesCorrection:
    ensure(can_manage_meetings(actor, meeting))
    if not rules.minutes_confirmed(meeting.minutes_status):
        raise Invalid({"text": "These minutes are not confirmed yet: edit them directly"})
    item = db.session.get(AgendaItem, item_id) if item_id else None
    raise_if(
        {
            "item_id": "Select an item of this meeting"
            if item_id and (item is None or item.meeting_id != meeting.id)
            else None,
            "text": None if text.strip() else "Enter the correction",
        }
    )
    actor_id, label = audit.actor_fields(actor)
    correction = MinutesCorrection(
        meeting_id=meeting.id,
        item_id=item_id,
        text=text.strip(),
        made_by_id=actor_id,
        made_by_label=label,
    )
    return create_record(actor, correction, "Added a correction to the confirmed minutes")


# Actions arising ---------------------------------------------------------------------------


def _clean_action(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "text": values["text"].strip(),
        "owner_id": record_id(values.get("owner_id")),
        "owner_partner_id": record_id(values.get("owner_partner_id")),
        "due_on": values.get("due_on"),
    }


def _action_problems(clean: Mapping[str, Any]) -> dict[str, str | None]:
    owner = db.session.get(Person, clean["owner_id"]) if clean["owner_id"] else None
    partner = (
        db.session.get(Partner, clean["owner_partner_id"]) if clean["owner_partner_id"] else None
    )
    return {
        "owner_id": "Select an existing person" if clean["owner_id"] and owner is None else None,
        "owner_partner_id": None if partner else "Select the partner whose action this is",
    }


def add_action(actor: User, item: AgendaItem, values: Mapping[str, Any], today: date) -> Action:
    ensure(can_manage_meetings(actor, item))
    _ensure_proceedings_open(item.meeting, today)  # actions arising are part of the minutes
    clean = _clean_action(values)
    raise_if(_action_problems(clean))
    action = Action(item_id=item.id, **clean)
    return create_record(actor, action, f"Added an action arising from item {item.number}")


def update_action(
    actor: User, action: Action, values: Mapping[str, Any], version: int | None, today: date
) -> Action:
    ensure(can_manage_meetings(actor, action))
    clean = _clean_action(values)
    clean["done_on"] = values.get("done_on")
    meeting_on = db.session.scalar(
        select(Meeting.held_on)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.id == action.item_id)
    )
    problems = _action_problems(clean)
    problems["done_on"] = rules.action_done_problem(clean["done_on"], today, meeting_on)
    raise_if(problems)
    return update_record(actor, action, clean, version, "Edited an action")
