"""Use-cases for meetings: agendas, publication, attendance, minutes, actions, corrections.

Each checks the permission and the rules, writes, audits, and only flushes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, delete, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from govtrack.auth.models import User
from govtrack.core import audit
from govtrack.core.dates import long_date
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
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
    can_see_exempt_item,
    sees_all_exempt_items,
)
from govtrack.registry import rules as registry_rules
from govtrack.registry.enums import MembershipRole
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.registry.services import current_on

MEMBER_ROLES = (
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.CO_OPTED,
)
CALENDAR_SORTS = {"date": Meeting.held_on, "body": Body.name, "_id": Meeting.id}
ACTION_SORTS = {
    "due": Action.due_on,
    "owner": Person.name,
    "meeting": Meeting.held_on,
    "_id": Action.id,
}

HELD_AGENDA = (
    "The meeting has been held, so its agenda is now part of the record and cannot change."
)
HELD_AGENDA_INSTEAD = (
    "Record what happened in the minutes instead. If the agenda was wrong, say so in the "
    "minutes or, once they are confirmed, add a correction."
)
CONFIRMED = "These minutes have been confirmed as a correct record and cannot be altered."
CONFIRMED_INSTEAD = "Add a correction: it is kept beside the confirmed minutes, linked to them."


# Who may see exempt items ------------------------------------------------------------------


def exempt_access(user: Any, today: date) -> frozenset[int] | None:
    """Bodies whose exempt items the user may see: None means every body (clerks, admins);
    members and officers see those of bodies they currently sit on; the public none."""
    if sees_all_exempt_items(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    stmt = (
        select(Membership.body_id)
        .join(Person, Membership.person_id == Person.id)
        .where(Person.user_id == user.id, current_on(today))
    )
    return frozenset(db.session.scalars(stmt))


def item_visible(item: AgendaItem, body_id: int, access: frozenset[int] | None) -> bool:
    return not item.exempt or can_see_exempt_item(None, body_id, access)


def visible_items(access: frozenset[int] | None) -> ColumnElement[bool]:
    """SQL twin of ``item_visible``: the ``AgendaItem`` row is one whose words (description,
    minute, resolutions, motions, actions, declarations' details, papers) the user may read.

    The one rule every list, dashboard, report, export and feed applies, so an exempt item
    (LGA 1972 Sch. 12A) stays private to clerks, admins and current members of its body. Only
    ``AgendaItem`` need be in the query: its body is found by a subquery of its own.
    """
    if access is None:
        return true()
    open_item = AgendaItem.exempt_paragraph.is_(None)
    if not access:
        return open_item
    # Not correlated: the query around may join meetings too, and must not lend it its own.
    of_their_bodies = select(Meeting.id).where(Meeting.body_id.in_(sorted(access))).correlate(None)
    return or_(open_item, AgendaItem.meeting_id.in_(of_their_bodies))


def on_visible_items(item_id: Any, access: frozenset[int] | None) -> ColumnElement[bool]:
    """SQL: ``item_id`` (an action's, a declaration's, a motion's ... item) is an item the
    user may read, as ``visible_items`` says."""
    if access is None:
        return true()
    return item_id.in_(select(AgendaItem.id).where(visible_items(access)).correlate(None))


# Calendar and meeting pages ---------------------------------------------------------------


def list_meetings(req: ListRequest, per_page: int, user: Any, today: date) -> Page[Meeting]:
    """The meetings calendar: published agendas for everyone, drafts too for clerks."""
    stmt: Select = (
        select(Meeting).join(Body, Meeting.body_id == Body.id).options(joinedload(Meeting.body))
    )
    if not can_manage_meetings(user):
        stmt = stmt.where(Meeting.agenda_status == AgendaStatus.PUBLISHED)
    if body_id := record_id(req.filters.get("body")):
        stmt = stmt.where(Meeting.body_id == body_id)
    when = req.filters.get("when")
    if when == "upcoming":
        stmt = stmt.where(Meeting.held_on >= today)
    elif when == "past":
        stmt = stmt.where(Meeting.held_on < today)
    if year := record_id(req.filters.get("year")):
        stmt = stmt.where(
            Meeting.held_on >= date(year, 1, 1), Meeting.held_on <= date(year, 12, 31)
        )
    return paginate(order_by_choice(stmt, req, CALENDAR_SORTS), req.page, per_page)


def load_meeting(meeting_id: int) -> Meeting | None:
    stmt = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.body).joinedload(Body.host_partner),
            selectinload(Meeting.items).options(
                joinedload(AgendaItem.lead_officer),
                selectinload(AgendaItem.papers),
                selectinload(AgendaItem.resolutions),
                joinedload(AgendaItem.confirms_meeting),
            ),
        )
    )
    return db.session.scalar(stmt)


def load_item(item_id: int) -> AgendaItem | None:
    stmt = (
        select(AgendaItem)
        .where(AgendaItem.id == item_id)
        .options(
            joinedload(AgendaItem.meeting).joinedload(Meeting.body),
            selectinload(AgendaItem.papers),
            selectinload(AgendaItem.resolutions),
            joinedload(AgendaItem.lead_officer),
        )
    )
    return db.session.scalar(stmt)


def meeting_visible(meeting: Meeting, user: Any) -> bool:
    return meeting.agenda_status is AgendaStatus.PUBLISHED or can_manage_meetings(user)


@dataclass
class MeetingRecord:
    """Everything a meeting's page shows, loaded with a fixed number of queries."""

    meeting: Meeting
    attendance: list[Attendance]
    guests: list[Guest]
    declarations: dict[int, list[Declaration]]
    actions: dict[int, list[Action]]
    corrections: list[MinutesCorrection]
    confirmed_by: AgendaItem | None
    access: frozenset[int] | None
    minutes_public: bool = False
    members_expected: list[Membership] = field(default_factory=list)

    def visible(self, item: AgendaItem) -> bool:
        return item_visible(item, self.meeting.body_id, self.access)

    @property
    def present(self) -> list[Attendance]:
        return [
            a
            for a in self.attendance
            if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
        ]

    @property
    def apologies(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status is AttendanceStatus.APOLOGIES]

    @property
    def absent(self) -> list[Attendance]:
        return [a for a in self.attendance if a.status is AttendanceStatus.ABSENT]

    @property
    def agenda_parts(self) -> tuple[list[AgendaItem], list[AgendaItem]]:
        """The items as published, and the supplementary items added after publication."""
        return rules.split_supplementary(self.meeting.items, lambda item: item.late)


@dataclass
class PrintedAgenda:
    """The agenda as councils issue it: front sheet, Part I (open), Part II (exempt), each
    with its supplementary items after the rest."""

    record: MeetingRecord
    memberships: list[Membership]
    part_one: list[AgendaItem]
    part_one_supplementary: list[AgendaItem]
    part_two: list[AgendaItem]
    part_two_supplementary: list[AgendaItem]
    clerks_copy: bool

    @property
    def meeting(self) -> Meeting:
        return self.record.meeting


def printed_agenda(record: MeetingRecord, public: bool) -> PrintedAgenda:
    """The print agenda. The clerk's copy (for those who may see the body's exempt items, unless
    they ask for the public copy) prints Part II in full; the public copy gives each exempt
    item's number, title and paragraph only."""
    meeting = record.meeting
    late = lambda item: item.late  # noqa: E731
    open_items = [item for item in meeting.items if not item.exempt]
    exempt_items = [item for item in meeting.items if item.exempt]
    part_one, part_one_late = rules.split_supplementary(open_items, late)
    part_two, part_two_late = rules.split_supplementary(exempt_items, late)
    clerks_copy = not public and (record.access is None or meeting.body_id in record.access)
    return PrintedAgenda(
        record=record,
        memberships=body_memberships_on(meeting.body_id, meeting.held_on),
        part_one=part_one,
        part_one_supplementary=part_one_late,
        part_two=part_two,
        part_two_supplementary=part_two_late,
        clerks_copy=clerks_copy,
    )


def meeting_record(meeting: Meeting, user: Any, today: date) -> MeetingRecord:
    """The meeting as ``user`` may see it: the actions and corrections of exempt items they may
    not see are not loaded; declarations are (who declared what kind of interest on which item
    is published), their details shown only with the item."""
    item_ids = [item.id for item in meeting.items]
    access = exempt_access(user, today)
    attendance = list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id)
            .options(joinedload(Attendance.person), joinedload(Attendance.substitute_for))
            .join(Person, Attendance.person_id == Person.id)
            .order_by(Person.name)
        )
    )
    guests = list(
        db.session.scalars(
            select(Guest)
            .where(Guest.meeting_id == meeting.id)
            .options(joinedload(Guest.person))
            .order_by(Guest.capacity, Guest.id)
        )
    )
    declarations: dict[int, list[Declaration]] = defaultdict(list)
    actions: dict[int, list[Action]] = defaultdict(list)
    if item_ids:
        for declaration in db.session.scalars(
            select(Declaration)
            .where(Declaration.item_id.in_(item_ids))
            .options(joinedload(Declaration.person))
            .order_by(Declaration.id)
        ):
            declarations[declaration.item_id].append(declaration)
        for action in db.session.scalars(
            select(Action)
            .where(Action.item_id.in_(item_ids), on_visible_items(Action.item_id, access))
            .options(joinedload(Action.owner), joinedload(Action.owner_partner))
            .order_by(Action.id)
        ):
            actions[action.item_id].append(action)
    corrections = list(
        db.session.scalars(
            select(MinutesCorrection)
            .where(
                MinutesCorrection.meeting_id == meeting.id,
                or_(
                    MinutesCorrection.item_id.is_(None),
                    on_visible_items(MinutesCorrection.item_id, access),
                ),
            )
            .options(joinedload(MinutesCorrection.item))
            .order_by(MinutesCorrection.id)
        )
    )
    confirmed_by = db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.confirms_meeting_id == meeting.id)
        .options(joinedload(AgendaItem.meeting))
    )
    return MeetingRecord(
        meeting=meeting,
        attendance=attendance,
        guests=guests,
        declarations=declarations,
        actions=actions,
        corrections=corrections,
        confirmed_by=confirmed_by,
        access=access,
        minutes_public=rules.minutes_are_public(meeting.minutes_status)
        or can_manage_meetings(user),
    )


def replaceable_members(memberships: Iterable[Membership]) -> set[int]:
    """Members whose place a substitute may take: the chair, vice-chair and members."""
    voting = (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER)
    return {m.person_id for m in memberships if m.role in voting}


def body_memberships_on(body_id: int, day: date) -> list[Membership]:
    """The body's membership on a day, people loaded, in the councils' order: Chair,
    Vice-chair, Members, Substitutes, then others; by name within each."""
    stmt = (
        select(Membership)
        .where(Membership.body_id == body_id, current_on(day))
        .join(Person, Membership.person_id == Person.id)
        .options(joinedload(Membership.person), joinedload(Membership.partner))
        .order_by(Person.name, Membership.id)
    )
    return sorted(db.session.scalars(stmt), key=lambda m: registry_rules.role_rank(m.role))


def attendance_problems_on(
    entries: Sequence[rules.AttendanceEntry], memberships: Sequence[Membership]
) -> list[tuple[int, str]]:
    """The attendance rule applied to the body's membership on the meeting day: who may
    attend, whose place a substitute may take, and which partner each sits for."""
    return rules.attendance_problems(
        entries,
        {m.person_id for m in memberships if m.role in MEMBER_ROLES},
        {m.person_id for m in memberships if m.role is MembershipRole.SUBSTITUTE},
        replaceable_members(memberships),
        represents={m.person_id: m.partner_id for m in memberships},
        partner_names={m.partner_id: m.partner.name for m in memberships},
    )


def stand_in_choices(memberships: Sequence[Membership]) -> dict[int, list[Membership]]:
    """For each substitute, the members they may stand in for (their own partner's)."""
    represents = {m.person_id: m.partner_id for m in memberships}
    replaceable = replaceable_members(memberships)
    voting = [m for m in memberships if m.person_id in replaceable]
    return {
        sub.person_id: [
            m
            for m in voting
            if m.person_id
            in rules.stand_in_choices(sub.person_id, [v.person_id for v in voting], represents)
        ]
        for sub in memberships
        if sub.role is MembershipRole.SUBSTITUTE
    }


def meetings_of_body(body_id: int, only_published: bool = True) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.body_id == body_id).order_by(Meeting.held_on)
    if only_published:
        stmt = stmt.where(Meeting.agenda_status == AgendaStatus.PUBLISHED)
    return list(db.session.scalars(stmt.options(selectinload(Meeting.items))))


def earlier_meetings_to_confirm(meeting: Meeting) -> list[Meeting]:
    """Earlier meetings of the same body whose minutes are published and not yet confirmed."""
    stmt = (
        select(Meeting)
        .where(
            Meeting.body_id == meeting.body_id,
            Meeting.held_on < meeting.held_on,
            Meeting.minutes_status == MinutesStatus.PUBLISHED,
        )
        .order_by(Meeting.held_on.desc())
    )
    return list(db.session.scalars(stmt))


# Writing: meetings and agendas --------------------------------------------------------------


def agenda_locked() -> Locked:
    return Locked(HELD_AGENDA, HELD_AGENDA_INSTEAD)


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


def agenda_published(meeting: Meeting) -> bool:
    return meeting.agenda_status is AgendaStatus.PUBLISHED


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
    if meeting.minutes_status is MinutesStatus.CONFIRMED:
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
        if meeting.minutes_status is MinutesStatus.CONFIRMED:
            raise Locked(CONFIRMED, CONFIRMED_INSTEAD)
        raise Invalid({"status": problem})
    if wanted is MinutesStatus.CONFIRMED:
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
    if earlier.minutes_status is MinutesStatus.CONFIRMED:
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
    if meeting.minutes_status is not MinutesStatus.CONFIRMED:
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


def action_owners(user: Any, today: date) -> list[tuple[int, str]]:
    """(id, name) of everyone who owns an action ``user`` may see, for the list's filter."""
    owned = select(Action.owner_id).where(
        Action.owner_id.is_not(None),
        on_visible_items(Action.item_id, exempt_access(user, today)),
    )
    stmt = select(Person.id, Person.name).where(Person.id.in_(owned)).order_by(Person.name)
    return [(row.id, row.name) for row in db.session.execute(stmt)]


def list_actions(req: ListRequest, per_page: int, user: Any, today: date) -> Page[Action]:
    """Actions arising, filtered; those of exempt items only for whoever may see the item."""
    stmt: Select = (
        select(Action)
        .join(AgendaItem, Action.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .outerjoin(Person, Action.owner_id == Person.id)
        .where(visible_items(exempt_access(user, today)))
        .options(
            joinedload(Action.owner),
            joinedload(Action.owner_partner),
            joinedload(Action.item).joinedload(AgendaItem.meeting).joinedload(Meeting.body),
        )
    )
    if owner := record_id(req.filters.get("owner")):
        stmt = stmt.where(Action.owner_id == owner)
    if partner := record_id(req.filters.get("partner")):
        stmt = stmt.where(Action.owner_partner_id == partner)
    if body := record_id(req.filters.get("body")):
        stmt = stmt.where(Meeting.body_id == body)
    status = req.filters.get("status", "")
    if status == "done":
        stmt = stmt.where(Action.done_on.is_not(None))
    elif status == "overdue":
        stmt = stmt.where(Action.done_on.is_(None), Action.due_on < today)
    elif status in ("", "outstanding"):
        stmt = stmt.where(Action.done_on.is_(None))
    return paginate(order_by_choice(stmt, req, ACTION_SORTS), req.page, per_page)


# Attendance statistics ---------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceFigure:
    label: str
    link_id: int
    attended: int
    expected: int
    # When the person's seat on the body ended (None: still a member).
    ended_on: date | None = None

    @property
    def rate(self) -> str:
        return rules.attendance_rate(self.attended, self.expected)


def _expected_meetings(today: date):
    """(membership, meeting) pairs: formal meetings held while a member (not as substitute)."""
    return (
        select(Membership.person_id, Membership.body_id, Meeting.id.label("meeting_id"))
        .join(Meeting, Meeting.body_id == Membership.body_id)
        .where(
            Meeting.kind == MeetingKind.FORMAL,
            Meeting.held_on <= today,
            Membership.role.in_(MEMBER_ROLES),
            or_(Membership.start_on.is_(None), Membership.start_on <= Meeting.held_on),
            or_(Membership.end_on.is_(None), Membership.end_on >= Meeting.held_on),
        )
        .distinct()
        .subquery()
    )


def _attendance_counts(today: date, where, group_by):
    expected = _expected_meetings(today)
    attended = case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)
    stmt = (
        select(*group_by(expected), func.count(), func.coalesce(func.sum(attended), 0))
        .select_from(expected)
        .outerjoin(
            Attendance,
            and_(
                Attendance.meeting_id == expected.c.meeting_id,
                Attendance.person_id == expected.c.person_id,
            ),
        )
        .where(where(expected))
        .group_by(*group_by(expected))
    )
    return db.session.execute(stmt).all()


def _figures(rows, model, ended: Mapping[int, date | None]) -> list[AttendanceFigure]:
    """(id, expected, attended) rows as figures named from ``model`` (bodies or people)."""
    ids = [row[0] for row in rows]
    names = dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())
    figures = (
        AttendanceFigure(names[i], i, int(att), int(exp), ended.get(i)) for i, exp, att in rows
    )
    return sorted(figures, key=lambda f: f.label)


def _seats_ended(where, key, today: date) -> dict[int, date | None]:
    """When each seat (a person's membership of a body, as a member) ended, keyed by ``key``."""
    ends: dict[int, list[date | None]] = defaultdict(list)
    stmt = select(key, Membership.end_on).where(where, Membership.role.in_(MEMBER_ROLES))
    for k, end_on in db.session.execute(stmt):
        ends[k].append(end_on)
    return {k: rules.membership_ended_on(e, today) for k, e in ends.items()}


def attendance_by_body_for_person(person_id: int, today: date) -> list[AttendanceFigure]:
    rows = _attendance_counts(today, lambda e: e.c.person_id == person_id, lambda e: [e.c.body_id])
    ended = _seats_ended(Membership.person_id == person_id, Membership.body_id, today)
    return _figures(rows, Body, ended)


def attendance_by_member_for_body(body_id: int, today: date) -> list[AttendanceFigure]:
    rows = _attendance_counts(today, lambda e: e.c.body_id == body_id, lambda e: [e.c.person_id])
    ended = _seats_ended(Membership.body_id == body_id, Membership.person_id, today)
    return _figures(rows, Person, ended)
