"""Reads of meetings that the pages need: the calendar, a meeting and its record, who may attend or
stand in, the actions list, attendance figures, and which exempt items a reader may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from govtrack.auth.rights import rights_of
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.core.records import Locked
from govtrack.db import db
from govtrack.meetings import rules
from govtrack.meetings.enums import (
    AgendaStatus,
    AttendanceStatus,
    MeetingKind,
    MinutesStatus,
)
from govtrack.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Meeting,
    MinutesCorrection,
)
from govtrack.meetings.permissions import (
    can_manage_meetings,
    can_see_exempt_item,
    clerked_bodies,
)
from govtrack.registry import rules as registry_rules
from govtrack.registry.enums import MembershipRole
from govtrack.registry.models import Body, Membership, Person
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


# Who may see exempt items ------------------------------------------------------------------


def exempt_access(user: Any, today: date) -> frozenset[int] | None:
    """Bodies whose exempt items the user may see: None means every body (administrators,
    clerks for every body); a clerk for named bodies sees theirs; anyone sees those of the
    bodies they sit on today (``today`` is the registry's own day); the public none."""
    rights = rights_of(user)
    if rights.clerk_bodies is None:
        return None
    return rights.member_bodies | rights.clerk_bodies


def or_clerked(condition: ColumnElement[bool], user: Any) -> ColumnElement[bool]:
    """SQL: ``condition`` holds (a published agenda, public minutes ...) or the meeting is of
    a body the user clerks for (who sees its drafts too)."""
    clerked = clerked_bodies(user)
    if clerked is None:
        return true()
    if not clerked:
        return condition
    return or_(condition, Meeting.body_id.in_(sorted(clerked)))


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
    """The meetings calendar: published agendas for everyone, drafts too for the clerks of
    their bodies."""
    stmt: Select = (
        select(Meeting).join(Body, Meeting.body_id == Body.id).options(joinedload(Meeting.body))
    )
    stmt = stmt.where(or_clerked(Meeting.agenda_status == AgendaStatus.PUBLISHED, user))
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
            # The items with their papers and resolutions in one query (a few of each per
            # item): the meeting's pages stay within their query budget.
            selectinload(Meeting.items).options(
                joinedload(AgendaItem.lead_officer),
                joinedload(AgendaItem.papers),
                joinedload(AgendaItem.resolutions),
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
    return meeting.agenda_status is AgendaStatus.PUBLISHED or can_manage_meetings(user, meeting)


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
    declarations, actions = _declarations_and_actions(item_ids, access)
    corrections = _visible_corrections(meeting.id, access)
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
        or can_manage_meetings(user, meeting),
    )


def _declarations_and_actions(
    item_ids: list[int], access: frozenset[int] | None
) -> tuple[dict[int, list[Declaration]], dict[int, list[Action]]]:
    """The items' declarations (all) and actions (of the items the reader may see), by item."""
    declarations: dict[int, list[Declaration]] = defaultdict(list)
    actions: dict[int, list[Action]] = defaultdict(list)
    if not item_ids:
        return declarations, actions
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
    return declarations, actions


def _visible_corrections(meeting_id: int, access: frozenset[int] | None) -> list[MinutesCorrection]:
    """The meeting's corrections to its minutes as a whole or to items the reader may see."""
    return list(
        db.session.scalars(
            select(MinutesCorrection)
            .where(
                MinutesCorrection.meeting_id == meeting_id,
                or_(
                    MinutesCorrection.item_id.is_(None),
                    on_visible_items(MinutesCorrection.item_id, access),
                ),
            )
            .options(joinedload(MinutesCorrection.item))
            .order_by(MinutesCorrection.id)
        )
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


def agenda_published(meeting: Meeting) -> bool:
    return meeting.agenda_status is AgendaStatus.PUBLISHED


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


def attendance_total(figures: Sequence[AttendanceFigure], label: str) -> AttendanceFigure:
    """The figures summed, for a table's total row: meetings attended of those expected."""
    return AttendanceFigure(
        label=label,
        link_id=0,
        attended=sum(f.attended for f in figures),
        expected=sum(f.expected for f in figures),
    )


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


def _attendance_counts(today: date, where, key, model):
    """(id, name, expected, attended) of each ``model`` (bodies or people) that ``key`` picks
    from the expected attendance, named in the same query."""
    expected = _expected_meetings(today)
    attended = case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)
    k = key(expected)
    stmt = (
        select(k, model.name, func.count(), func.coalesce(func.sum(attended), 0))
        .select_from(expected)
        .outerjoin(
            Attendance,
            and_(
                Attendance.meeting_id == expected.c.meeting_id,
                Attendance.person_id == expected.c.person_id,
            ),
        )
        .join(model, model.id == k)
        .where(where(expected))
        .group_by(k, model.name)
    )
    return db.session.execute(stmt).all()


def _figures(rows, ended: Mapping[int, date | None]) -> list[AttendanceFigure]:
    """(id, name, expected, attended) rows as figures."""
    figures = (
        AttendanceFigure(name, i, int(att), int(exp), ended.get(i)) for i, name, exp, att in rows
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
    rows = _attendance_counts(
        today, lambda e: e.c.person_id == person_id, lambda e: e.c.body_id, Body
    )
    ended = _seats_ended(Membership.person_id == person_id, Membership.body_id, today)
    return _figures(rows, ended)


def attendance_by_member_for_body(body_id: int, today: date) -> list[AttendanceFigure]:
    rows = _attendance_counts(
        today, lambda e: e.c.body_id == body_id, lambda e: e.c.person_id, Person
    )
    ended = _seats_ended(Membership.body_id == body_id, Membership.person_id, today)
    return _figures(rows, ended)
