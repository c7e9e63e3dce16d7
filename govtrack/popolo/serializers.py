"""Records as Popolo objects (https://www.popoloproject.com/specs/), one plain function per
kind. Ids carry their kind ("partner-3", "body-5", "person-12") so they never collide across
kinds, and they stay stable while the row exists. Only what the public site shows goes out:
no e-mail addresses, user accounts or agenda items (so no exempt text)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import url_for

from govtrack.core.dates import LONDON
from govtrack.meetings.models import Meeting
from govtrack.registry.models import Body, Membership, Partner, PartnerKind, Person

SCHEMA_BASE = "http://www.popoloproject.com/schemas/"
PARTNER_CODE_SCHEME = "govtrack-partner-code"

# Popolo's classification is a free word; councils of every tier are "council".
PARTNER_CLASSIFICATION = {
    PartnerKind.COUNTY: "council",
    PartnerKind.DISTRICT: "council",
    PartnerKind.UNITARY: "council",
    PartnerKind.CONTRACTOR: "contractor",
    PartnerKind.OTHER: "other",
}


def popolo_id(kind: str, record_id: int | None) -> str | None:
    return None if record_id is None else f"{kind}-{record_id}"


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _link(endpoint: str, note: str, **values: Any) -> dict[str, str]:
    return {"url": url_for(endpoint, _external=True, **values), "note": note}


def partner_organization(partner: Partner) -> dict[str, Any]:
    return {
        "id": popolo_id("partner", partner.id),
        "name": partner.name,
        "classification": PARTNER_CLASSIFICATION[partner.kind],
        "abstract": partner.kind.label,
        "identifiers": [{"identifier": partner.code, "scheme": PARTNER_CODE_SCHEME}],
        "links": [_link("registry.partner", "Partner's page", partner_id=partner.id)],
    }


def body_organization(body: Body) -> dict[str, Any]:
    return {
        "id": popolo_id("body", body.id),
        "name": body.name,
        "classification": body.kind.value,
        "abstract": body.kind.label,
        "description": body.terms_of_reference or None,
        "parent_id": popolo_id("body", body.parent_id),
        "links": [_link("registry.body", "Body's page", body_id=body.id)],
    }


def organization(record: Partner | Body) -> dict[str, Any]:
    """Partners and governance bodies share the organizations collection."""
    if isinstance(record, Partner):
        return partner_organization(record)
    return body_organization(record)


def person(record: Person) -> dict[str, Any]:
    """A name only: the public sees people as names on bodies and in attendance lists."""
    return {"id": popolo_id("person", record.id), "name": record.name}


def membership(record: Membership) -> dict[str, Any]:
    """A seat on a body (the organization), held on behalf of a partner."""
    return {
        "id": popolo_id("membership", record.id),
        "person_id": popolo_id("person", record.person_id),
        "organization_id": popolo_id("body", record.body_id),
        "on_behalf_of_id": popolo_id("partner", record.partner_id),
        "role": record.role.value,
        "label": record.role.label,
        "start_date": _iso_date(record.start_on),
        "end_date": _iso_date(record.end_on),
    }


def event_start(meeting: Meeting) -> str:
    """The day, or the moment with its UK offset (+00:00 or +01:00) when the time is known."""
    if meeting.starts_at is None:
        return meeting.held_on.isoformat()
    moment = datetime.combine(meeting.held_on, meeting.starts_at, tzinfo=LONDON)
    return moment.isoformat(timespec="seconds")


def event_status(meeting: Meeting, today: date) -> str:
    """Open Civic Data's words: a published agenda is "confirmed" until the day has passed."""
    return "passed" if meeting.held_on < today else "confirmed"


def event(meeting: Meeting, today: date) -> dict[str, Any]:
    """A meeting with a published agenda; ``meeting.body`` must be loaded."""
    return {
        "id": popolo_id("meeting", meeting.id),
        "name": f"{meeting.body.name}: {meeting.name}",
        "classification": meeting.kind.value,
        "status": event_status(meeting, today),
        "start_date": event_start(meeting),
        "location": meeting.venue or None,
        "organization_id": popolo_id("body", meeting.body_id),
        "links": [_link("meetings.meeting", "Agenda and minutes", meeting_id=meeting.id)],
    }
