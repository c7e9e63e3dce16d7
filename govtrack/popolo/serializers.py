"""Records as Popolo objects (https://www.popoloproject.com/specs/), one plain function per
kind. Ids carry their kind ("partner-3", "body-5", "person-12") so they never collide across
kinds, and they stay stable while the row exists. Only what the public site shows goes out:
no e-mail addresses, user accounts or agenda items; motions, vote events (decisions) and votes
only as the caller may see them on the site."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import url_for

from govtrack.core.dates import LONDON
from govtrack.meetings.models import Meeting
from govtrack.registry.enums import PartnerKind
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.voting.enums import Choice, DecisionStatus, OutcomeStatus
from govtrack.voting.models import Decision, Motion, VoteCast

SCHEMA_BASE = "http://www.popoloproject.com/schemas/"
PARTNER_CODE_SCHEME = "govtrack-partner-code"

# Popolo's words for the options of a vote and the result of a vote event.
OPTIONS = {Choice.FOR: "yes", Choice.AGAINST: "no", Choice.ABSTAIN: "abstain"}
RESULTS = {
    OutcomeStatus.CARRIED: "pass",
    OutcomeStatus.LOST: "fail",
    OutcomeStatus.NOT_QUORATE: "fail",
}

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


def _moment(value: datetime) -> str:
    return value.astimezone(LONDON).isoformat(timespec="seconds")


def decision_result(decision: Decision | None) -> str | None:
    """ "pass" or "fail" once the outcome is final: when the decision has closed, or at once
    where it was decided in the meeting (electronic responses being consultation only);
    nothing while votes that count are awaited."""
    if decision is None or decision.outcome is None:
        return None
    return RESULTS[decision.outcome]


def motion(
    record: Motion, meeting: Meeting, decision: Decision | None, requirement: str | None = None
) -> dict[str, Any]:
    """A motion (or amendment) moved at a meeting (the legislative session); ``requirement`` is
    what it needed to be carried under the rules in force."""
    return {
        "id": popolo_id("motion", record.id),
        "organization_id": popolo_id("body", meeting.body_id),
        "legislative_session_id": popolo_id("meeting", meeting.id),
        "creator_id": popolo_id("person", record.proposer_id),
        "text": record.text,
        "classification": "amendment" if record.amends_id else "motion",
        "date": event_start(meeting),
        "requirement": requirement,
        "result": decision_result(decision),
        "sources": [_link("meetings.meeting", "Agenda and minutes", meeting_id=meeting.id)],
    }


def vote_counts(decision: Decision, counted: dict[Choice, int]) -> list[dict[str, Any]]:
    """The votes for each option: the meeting's counts where it gave counts, plus the named
    votes that count; for a closed decision, the votes counted when it closed. An option is left
    out only when its number is not known (a decision recorded as minuted, without numbers)."""
    stored = {
        Choice.FOR: decision.counted_for,
        Choice.AGAINST: decision.counted_against,
        Choice.ABSTAIN: decision.counted_abstain,
    }
    if decision.status is DecisionStatus.CLOSED and any(v is not None for v in stored.values()):
        return [
            {"option": OPTIONS[choice], "value": value}
            for choice, value in stored.items()
            if value is not None
        ]
    meeting_counts = {
        Choice.FOR: decision.meeting_for,
        Choice.AGAINST: decision.meeting_against,
        Choice.ABSTAIN: decision.meeting_abstain,
    }
    return [
        {"option": OPTIONS[choice], "value": (meeting_counts[choice] or 0) + counted.get(choice, 0)}
        for choice in Choice
        if decision.recorded_vote or meeting_counts[choice] is not None or choice in counted
    ]


def vote_event_end(decision: Decision, meeting: Meeting) -> str:
    """When voting ended: at the meeting, or when electronic voting closed (or will close)."""
    end = decision.closed_at if decision.status is DecisionStatus.CLOSED else decision.closes_at
    if not decision.electronic or end is None:
        return event_start(meeting)
    return _moment(end)


def vote_event(
    decision: Decision, record: Motion, meeting: Meeting, counted: dict[Choice, int]
) -> dict[str, Any]:
    """The vote on a motion (a govtrack decision), with its counts inline."""
    return {
        "id": popolo_id("decision", decision.id),
        "organization_id": popolo_id("body", meeting.body_id),
        "legislative_session_id": popolo_id("meeting", meeting.id),
        "motion_id": popolo_id("motion", record.id),
        "start_date": event_start(meeting),
        "end_date": vote_event_end(decision, meeting),
        "result": decision_result(decision),
        "counts": vote_counts(decision, counted),
        "sources": [_link("voting.decision", "The vote and why", decision_id=decision.id)],
    }


def vote(record: VoteCast) -> dict[str, Any]:
    """A voter's current vote; the group is the partner they voted for, when recorded."""
    return {
        "id": popolo_id("vote", record.id),
        "vote_event_id": popolo_id("decision", record.decision_id),
        "voter_id": popolo_id("person", record.person_id),
        "option": OPTIONS[record.choice],
        # Every counted vote is one vote (one per member, or the one of a partner); a casting
        # vote is not a vote cast but the presiding member's second vote, shown in the counts.
        "weight": 1,
        "group_id": popolo_id("partner", record.partner_id),
    }
