"""Seed the meetings in the source documents from seed/meetings.yaml.

Historical meetings are written directly (the agenda and attendance rules of a live meeting do
not apply to the record of one held in 2006), but every record is validated: members must
belong to the body on the day, confirmations must point at an earlier meeting of the body.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from govtrack.auth.models import system_actor
from govtrack.core.dates import long_date
from govtrack.core.records import create_record
from govtrack.core.seed import SeedError, SeedRun
from govtrack.db import db
from govtrack.meetings import queries, rules
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
    Resolution,
)

FILE = "meetings.yaml"


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AttendanceSeed(_Seed):
    person: str
    status: AttendanceStatus
    substitute_for: str | None = None


class GuestSeed(_Seed):
    person: str | None = None
    name: str | None = Field(default=None, max_length=200)
    capacity: GuestCapacity

    @model_validator(mode="after")
    def named(self):
        if not (self.person or self.name):
            raise ValueError("give a person key or a name")
        return self


class DeclarationSeed(_Seed):
    person: str
    kind: DeclarationKind
    text: str = ""


class ActionSeed(_Seed):
    text: str = Field(min_length=1)
    owner: str | None = None
    owner_partner: str
    due_on: date | None = None
    done_on: date | None = None


class ItemSeed(_Seed):
    number: str = Field(default="", max_length=10)
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    lead_officer: str | None = None
    exempt_paragraph: int | None = None
    minutes: str = ""
    outcome: Outcome | None = None
    resolutions: list[str] = []
    declarations: list[DeclarationSeed] = []
    actions: list[ActionSeed] = []


class MeetingSeed(_Seed):
    key: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    body: str
    kind: MeetingKind
    date: dt.date
    time: dt.time | None = None
    venue: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=200)
    minutes_status: Literal["none", "draft", "published", "confirmed"]
    confirmed_by: str | None = None
    attendance: list[AttendanceSeed] = []
    others: list[GuestSeed] = []
    items: list[ItemSeed] = []


def seed_meetings(run: SeedRun) -> None:
    actor = system_actor("Seed loader")
    records = run.records(FILE, MeetingSeed, "key")
    confirmations: list[tuple[str, MeetingSeed]] = []
    for label, rec in run.each(records, "Meetings"):
        body = run.resolve("body", rec.body, FILE, label, "body")
        meeting = Meeting(
            body_id=body.id,
            kind=rec.kind,
            title=rec.title,
            held_on=rec.date,
            starts_at=rec.time,
            venue=rec.venue,
            agenda_status=AgendaStatus.PUBLISHED,
            minutes_status=MinutesStatus(rec.minutes_status),
        )
        create_record(actor, meeting, f"Recorded the meeting of {body.name} on {rec.date}")
        run.remember("meeting", rec.key, meeting)
        _attendance(run, actor, label, rec, meeting)
        for position, item_rec in enumerate(rec.items, start=1):
            _item(run, actor, label, rec, meeting, position, item_rec)
        if rec.confirmed_by:
            confirmations.append((label, rec))
    for label, rec in confirmations:
        _confirmation(run, label, rec)
    run.report.append(f"Loaded {len(records)} meetings.")


def _attendance(run: SeedRun, actor, label: str, rec: MeetingSeed, meeting: Meeting) -> None:
    memberships = queries.body_memberships_on(meeting.body_id, meeting.held_on)
    entries = []
    for index, a in enumerate(rec.attendance):
        person = run.resolve("person", a.person, FILE, label, f"attendance.{index}.person")
        standing_for = (
            run.resolve(
                "person", a.substitute_for, FILE, label, f"attendance.{index}.substitute_for"
            )
            if a.substitute_for
            else None
        )
        entries.append(
            rules.AttendanceEntry(person.id, a.status, standing_for.id if standing_for else None)
        )
    problems = queries.attendance_problems_on(entries, memberships)
    if problems:
        person_id, message = problems[0]
        raise SeedError(FILE, label, "attendance", f"person #{person_id} {message}")
    for entry in entries:
        create_record(
            actor,
            Attendance(
                meeting_id=meeting.id,
                person_id=entry.person_id,
                status=entry.status,
                substitute_for_id=entry.substitute_for_id,
            ),
            f"Recorded attendance: {entry.status.label}",
        )
    for index, g in enumerate(rec.others):
        person = (
            run.resolve("person", g.person, FILE, label, f"others.{index}.person")
            if g.person
            else None
        )
        create_record(
            actor,
            Guest(
                meeting_id=meeting.id,
                person_id=person.id if person else None,
                name="" if person else (g.name or ""),
                capacity=g.capacity,
            ),
            f"Recorded {g.capacity.label.lower()} in attendance",
        )


def _item(run, actor, label, rec: MeetingSeed, meeting: Meeting, position: int, item_rec: ItemSeed):
    where = f"items.{position - 1}"
    problem = rules.exempt_paragraph_problem(
        item_rec.exempt_paragraph, run.keys["body"][rec.body].jurisdiction
    )
    if problem:
        raise SeedError(FILE, label, f"{where}.exempt_paragraph", problem)
    lead = (
        run.resolve("person", item_rec.lead_officer, FILE, label, f"{where}.lead_officer")
        if item_rec.lead_officer
        else None
    )
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        number=item_rec.number,
        title=item_rec.title,
        description=item_rec.description,
        lead_officer_id=lead.id if lead else None,
        exempt_paragraph=item_rec.exempt_paragraph,
        minutes=item_rec.minutes.strip(),
        outcome=item_rec.outcome,
    )
    create_record(actor, item, f"Recorded item {item.number or position}: {item.title}")
    for number, text in enumerate(item_rec.resolutions, start=1):
        db.session.add(
            Resolution(
                item_id=item.id, number=number, text=text, search_text=f"{text}\n{item.title}"
            )
        )
    _declarations(run, actor, label, rec, item, where, item_rec)
    _actions_arising(run, actor, label, item, where, item_rec)


def _declarations(
    run, actor, label, rec: MeetingSeed, item: AgendaItem, where: str, item_rec: ItemSeed
) -> None:
    """The item's declarations of interest, each by a member present at the meeting."""
    present = {
        run.keys["person"][a.person].id
        for a in rec.attendance
        if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    }
    for index, d in enumerate(item_rec.declarations):
        person = run.resolve(
            "person", d.person, FILE, label, f"{where}.declarations.{index}.person"
        )
        if person.id not in present:
            raise SeedError(
                FILE,
                label,
                f"{where}.declarations.{index}.person",
                "only a member present can declare an interest",
            )
        create_record(
            actor,
            Declaration(item_id=item.id, person_id=person.id, kind=d.kind, text=d.text),
            "Recorded a declaration of interest",
        )


def _actions_arising(run, actor, label, item: AgendaItem, where: str, item_rec: ItemSeed) -> None:
    """The actions arising from the item, each owned by a partner (and a person, if named)."""
    for index, a in enumerate(item_rec.actions):
        owner = (
            run.resolve("person", a.owner, FILE, label, f"{where}.actions.{index}.owner")
            if a.owner
            else None
        )
        partner = run.resolve(
            "partner", a.owner_partner, FILE, label, f"{where}.actions.{index}.owner_partner"
        )
        create_record(
            actor,
            Action(
                item_id=item.id,
                text=a.text,
                owner_id=owner.id if owner else None,
                owner_partner_id=partner.id,
                due_on=a.due_on,
                done_on=a.done_on,
            ),
            "Recorded an action arising",
        )


def _confirmation(run: SeedRun, label: str, rec: MeetingSeed) -> None:
    """Link confirmed minutes to the later meeting's item that confirmed them."""
    earlier = run.keys["meeting"][rec.key]
    later = run.resolve("meeting", rec.confirmed_by, FILE, label, "confirmed_by")
    if later.body_id != earlier.body_id or later.held_on <= earlier.held_on:
        raise SeedError(FILE, label, "confirmed_by", "must be a later meeting of the same body")
    when = long_date(earlier.held_on)
    items = db.session.query(AgendaItem).filter(AgendaItem.meeting_id == later.id).all()
    confirming = [i for i in items if "minutes" in i.title.lower()]
    if not confirming:
        raise SeedError(
            FILE, label, "confirmed_by", f"{rec.confirmed_by} has no minutes item confirming {when}"
        )
    confirming[0].confirms_meeting_id = earlier.id
    db.session.flush()
