"""Reads of decisions that the pages need: rule versions, motions and movers, who may vote on the
day (the electorate), the current votes and outcome, a decision's page and each member's
decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from govtrack.auth.models import User
from govtrack.core.dates import LONDON
from govtrack.core.records import Locked
from govtrack.db import db
from govtrack.meetings.enums import AttendanceStatus
from govtrack.meetings.models import AgendaItem, Attendance, Meeting
from govtrack.meetings.queries import body_memberships_on, exempt_access, visible_items
from govtrack.meetings.rules import minutes_confirmed
from govtrack.registry.enums import MembershipRole
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.registry.services import own_person
from govtrack.voting import enums, rules
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import CurrentVote, Decision, DecisionRuleVersion, Motion, VoteCast

VOTER_ROLES = (*rules.VOTING_ROLES, MembershipRole.SUBSTITUTE)


# Rule versions ----------------------------------------------------------------------------


def rule_versions(body_id: int) -> list[DecisionRuleVersion]:
    stmt = (
        select(DecisionRuleVersion)
        .where(DecisionRuleVersion.body_id == body_id)
        .order_by(DecisionRuleVersion.effective_from.desc())
    )
    return list(db.session.scalars(stmt))


def rule_in_force(body_id: int, on: date) -> tuple[DecisionRuleVersion | None, rules.RuleVersion]:
    """The stored version in force on a day, and its rule (the 1972 Act's if none is stored)."""
    stmt = (
        select(DecisionRuleVersion)
        .where(DecisionRuleVersion.body_id == body_id, DecisionRuleVersion.effective_from <= on)
        .order_by(DecisionRuleVersion.effective_from.desc())
        .limit(1)
    )
    version = db.session.scalar(stmt)
    return version, (version.to_rule() if version else rules.LGA1972_DEFAULTS)


def body_size(body_id: int, on: date) -> tuple[int, int]:
    """(voting members, partners represented) of a body on a day."""
    memberships = body_memberships_on(body_id, on)
    voting = [m for m in memberships if m.role in rules.VOTING_ROLES]
    return len(voting), len({m.partner_id for m in voting})


# Motions ----------------------------------------------------------------------------------


def motions_of_items(item_ids: list[int]) -> dict[int, list[Motion]]:
    if not item_ids:
        return {}
    stmt = (
        select(Motion)
        .where(Motion.item_id.in_(item_ids))
        .options(joinedload(Motion.proposer), joinedload(Motion.seconder))
        .order_by(Motion.position, Motion.id)
    )
    out: dict[int, list[Motion]] = {}
    for motion in db.session.scalars(stmt):
        out.setdefault(motion.item_id, []).append(motion)
    return out


def movers(meeting: Meeting) -> list[rules.Voter]:
    """Who may move or second a motion at a meeting: the members present and entitled to vote
    there (a substitute standing in for a member included), and the person presiding."""
    people = electorate(meeting)
    return sorted(
        (
            v
            for v in people.voters
            if v.present
            and (
                v.role in rules.VOTING_ROLES
                or (v.role is MembershipRole.SUBSTITUTE and v.substitute_for is not None)
                or v.presiding
            )
        ),
        key=lambda v: v.name,
    )


def motion_locked(motion: Motion, meeting: Meeting) -> Locked | None:
    """Why a motion can no longer be corrected (its vote has started, or the minutes are
    confirmed), or None while it can."""
    if db.session.scalar(select(Decision.id).where(Decision.motion_id == motion.id)) is not None:
        return Locked(
            "The vote on this motion has started, so the motion cannot be corrected.",
            "A mistake in it is put right by a correction to the minutes.",
        )
    if minutes_confirmed(meeting.minutes_status):
        return Locked(
            "These minutes have been confirmed and cannot change.", "Add a correction instead."
        )
    return None


# Who may vote -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Electorate:
    """Who sits on the body on the meeting day, as the rules engine sees them."""

    voters: tuple[rules.Voter, ...]
    partners: tuple[rules.PartnerSeat, ...]

    def voter(self, person_id: int) -> rules.Voter | None:
        return next((v for v in self.voters if v.person_id == person_id), None)


def electorate(meeting: Meeting, presiding_id: int | None = None) -> Electorate:
    memberships = body_memberships_on(meeting.body_id, meeting.held_on)
    attendance = list(
        db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    )
    return _electorate(memberships, attendance, presiding_id)


def electorates(meetings: list[Meeting]) -> dict[int, Electorate]:
    """The electorate of several meetings in two queries (for lists of decisions)."""
    if not meetings:
        return {}
    memberships = list(
        db.session.scalars(
            select(Membership)
            .where(Membership.body_id.in_({m.body_id for m in meetings}))
            .options(joinedload(Membership.person), joinedload(Membership.partner))
        )
    )
    attendance: dict[int, list[Attendance]] = {}
    for a in db.session.scalars(
        select(Attendance).where(Attendance.meeting_id.in_([m.id for m in meetings]))
    ):
        attendance.setdefault(a.meeting_id, []).append(a)
    out = {}
    for meeting in meetings:
        day = meeting.held_on
        on_the_day = [
            m
            for m in memberships
            if m.body_id == meeting.body_id
            and (m.start_on is None or m.start_on <= day)
            and (m.end_on is None or m.end_on >= day)
        ]
        on_the_day.sort(key=lambda m: (m.person.name, m.id))
        out[meeting.id] = _electorate(on_the_day, attendance.get(meeting.id, []), None)
    return out


def _electorate(
    memberships: list[Membership], attendance_rows: list[Attendance], presiding_id: int | None
) -> Electorate:
    memberships = [
        m for m in memberships if m.role in VOTER_ROLES or m.role in rules.NON_VOTING_ROLES
    ]
    attendance = {a.person_id: a for a in attendance_rows}
    present = {
        pid
        for pid, a in attendance.items()
        if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)
    }
    if presiding_id is None:  # the chair presides if present, else the vice-chair
        for role in (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR):
            chosen = next(
                (m.person_id for m in memberships if m.role is role and m.person_id in present),
                None,
            )
            if chosen is not None:
                presiding_id = chosen
                break
    voting_members = {m.person_id for m in memberships if m.role in rules.VOTING_ROLES}
    voters, seen = [], set()
    for m in memberships:
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        standing_for = attendance.get(m.person_id)
        stands_in_for = standing_for.substitute_for_id if standing_for else None
        if stands_in_for is not None and stands_in_for not in voting_members:
            stands_in_for = None  # only a voting member's place can be taken
        voters.append(
            rules.Voter(
                person_id=m.person_id,
                partner_id=m.partner_id,
                role=m.role,
                present=m.person_id in present,
                presiding=m.person_id == presiding_id,
                name=m.person.name,
                substitute_for=stands_in_for,
            )
        )
    partners: dict[int, rules.PartnerSeat] = {}
    for m in memberships:
        seat = partners.get(m.partner_id) or rules.PartnerSeat(
            partner_id=m.partner_id, name=m.partner.name
        )
        if m.role in rules.VOTING_ROLES and seat.representative_id is None:
            seat = rules.PartnerSeat(seat.partner_id, seat.name, m.person_id, seat.substitute_id)
        elif m.role is MembershipRole.SUBSTITUTE and seat.substitute_id is None:
            seat = rules.PartnerSeat(
                seat.partner_id, seat.name, seat.representative_id, m.person_id
            )
        partners[m.partner_id] = seat
    return Electorate(tuple(sorted(voters, key=lambda v: v.person_id)), tuple(partners.values()))


# Decisions --------------------------------------------------------------------------------


def load_decision(decision_id: int) -> Decision | None:
    stmt = (
        select(Decision)
        .where(Decision.id == decision_id)
        .options(
            joinedload(Decision.motion)
            .joinedload(Motion.item)
            .joinedload(AgendaItem.meeting)
            .joinedload(Meeting.body),
            joinedload(Decision.motion).joinedload(Motion.proposer),
            joinedload(Decision.motion).joinedload(Motion.seconder),
            joinedload(Decision.rule_version),
        )
    )
    return db.session.scalar(stmt)


def decisions_of_motions(motion_ids: list[int]) -> dict[int, Decision]:
    """The decisions on several motions, by motion, with who presided (named in the minutes
    when they gave a casting vote), in one query."""
    if not motion_ids:
        return {}
    stmt = (
        select(Decision)
        .where(Decision.motion_id.in_(motion_ids))
        .options(joinedload(Decision.presiding))
    )
    return {d.motion_id: d for d in db.session.scalars(stmt)}


def current_votes(decision_id: int) -> list[VoteCast]:
    stmt = (
        select(VoteCast)
        .join(CurrentVote, CurrentVote.vote_cast_id == VoteCast.id)
        .where(CurrentVote.decision_id == decision_id)
        .options(joinedload(VoteCast.person))
        .order_by(VoteCast.person_id)
    )
    return list(db.session.scalars(stmt))


def named_votes(decision_ids: list[int]) -> dict[int, list[VoteCast]]:
    """The current votes of several decisions, by decision, in one query."""
    if not decision_ids:
        return {}
    stmt = (
        select(VoteCast)
        .join(CurrentVote, CurrentVote.vote_cast_id == VoteCast.id)
        .where(CurrentVote.decision_id.in_(decision_ids))
        .options(joinedload(VoteCast.person))
        .order_by(VoteCast.person_id)
    )
    out: dict[int, list[VoteCast]] = {}
    for vote in db.session.scalars(stmt):
        out.setdefault(vote.decision_id, []).append(vote)
    for votes in out.values():
        votes.sort(key=lambda v: v.person.name)
    return out


def vote_history(decision_id: int) -> list[VoteCast]:
    stmt = (
        select(VoteCast)
        .where(VoteCast.decision_id == decision_id)
        .options(joinedload(VoteCast.person))
        .order_by(VoteCast.id)
    )
    return list(db.session.scalars(stmt))


def rule_of(decision: Decision) -> rules.RuleVersion:
    if decision.rule_version_id is None:
        return rules.LGA1972_DEFAULTS
    return db.session.get(DecisionRuleVersion, decision.rule_version_id).to_rule()


def _engine_votes(
    decision: Decision, votes: list[VoteCast], people: Electorate
) -> list[rules.Vote]:
    out = [rules.Vote(v.person_id, v.choice, v.channel) for v in votes]
    if not decision.recorded_vote:
        # Counts only: the engine needs a vote per voter; give the counts to those present in a
        # fixed order (the result depends only on the counts).
        present = [v.person_id for v in people.voters if v.present and v.role in VOTER_ROLES]
        choices = (
            [enums.Choice.FOR] * (decision.meeting_for or 0)
            + [enums.Choice.AGAINST] * (decision.meeting_against or 0)
            + [enums.Choice.ABSTAIN] * (decision.meeting_abstain or 0)
        )
        voted = {v.voter_id for v in out if v.channel is enums.Channel.IN_MEETING}
        free = [p for p in present if p not in voted]
        out += [rules.Vote(pid, choice) for pid, choice in zip(free, choices, strict=False)]
    return out


def meeting_of(decision: Decision) -> Meeting:
    """The meeting whose vote this is, with its body."""
    stmt = (
        select(Meeting)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .join(Motion, Motion.item_id == AgendaItem.id)
        .where(Motion.id == decision.motion_id)
        .options(joinedload(Meeting.body))
    )
    return db.session.scalar(stmt)


def outcome_of(decision: Decision, closed: bool | None = None) -> rules.Outcome:
    """The outcome from the rules, the attendance, the voters and the current votes."""
    meeting = meeting_of(decision)
    people = electorate(meeting, decision.presiding_id)
    votes = _engine_votes(decision, current_votes(decision.id), people)
    return rules.decide(
        rule_of(decision),
        meeting.body.jurisdiction,
        meeting.body.legal_form,
        people.voters,
        votes,
        partners=people.partners,
        casting_vote=decision.casting_vote,
        closed=decision.status is DecisionStatus.CLOSED if closed is None else closed,
    )


def is_consultation(decision: Decision, body: Body) -> bool:
    """Whether the electronic responses on a decision are consultation only (not counted): its
    outcome was then decided, and is final, in the meeting."""
    return decision.electronic and not rules.electronic_votes_count(
        rule_of(decision), body.jurisdiction, body.legal_form
    )


def electronic_refusal_of(
    decision: Decision, people: Electorate, person_id: int, body: Body, responded=()
) -> str | None:
    """Why the person may not vote or respond electronically on the decision, or None."""
    return rules.electronic_refusal(
        rule_of(decision), person_id, people.voters, people.partners, responded, body.name
    )


def decision_link(decision_id: int) -> str:
    """The address of a decision's page for an e-mail: from the request when there is one,
    else (the clock) from the PUBLIC_URL setting."""
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        return url_for("voting.decision", decision_id=decision_id, _external=True)
    path = current_app.url_map.bind("", script_name="/").build(
        "voting.decision", {"decision_id": decision_id}
    )
    return current_app.config.get("PUBLIC_URL", "").rstrip("/") + path


@dataclass(frozen=True)
class DecisionPage:
    """What a decision's page shows the user: the outcome, the votes, and their own vote.

    ``consultation``: electronic responses are consultation only (the outcome was decided in
    the meeting). ``final``: the outcome shown will not change. ``hidden``: the running tally
    and electronic votes are kept from view until the decision closes. ``refusal`` says why a
    signed-in member of the body may not vote electronically on it."""

    outcome: rules.Outcome
    votes: list[VoteCast]
    may_vote: bool
    my_vote: VoteCast | None
    consultation: bool
    final: bool
    hidden: bool
    shown_status: enums.OutcomeStatus
    refusal: str | None = None


def shown_status(decision: Decision, outcome: rules.Outcome | None) -> enums.OutcomeStatus:
    """The outcome a decision shows, the same on its page and on "My decisions": the recorded
    one once fixed (closed, or decided in the meeting), else awaiting votes."""
    if decision.outcome is not None:
        return decision.outcome
    return outcome.status if outcome is not None else enums.OutcomeStatus.AWAITING


def decision_page(decision: Decision, user: Any, now: datetime) -> DecisionPage:
    """What the decision's page shows ``user`` at ``now`` (the caller first closes a decision
    whose deadline has passed, with ``votes.refresh``)."""
    votes = current_votes(decision.id)
    meeting = meeting_of(decision)
    consultation = is_consultation(decision, meeting.body)
    open_now = decision.status is DecisionStatus.OPEN
    hidden = open_now and rule_of(decision).hide_tally_until_closed
    may_vote, my_vote, refusal = False, None, None
    person = own_person(user)
    if person is not None and decision.electronic:
        people = electorate(meeting, decision.presiding_id)
        my_vote = next((v for v in votes if v.person_id == person.id), None)
        if open_now and people.voter(person.id) is not None:
            responded = {v.person_id for v in votes if v.channel is enums.Channel.ELECTRONIC}
            refusal = electronic_refusal_of(
                decision, people, person.id, meeting.body, responded - {person.id}
            )
            in_meeting = my_vote is not None and my_vote.channel is enums.Channel.IN_MEETING
            may_vote = refusal is None and not in_meeting
    shown = votes if decision.recorded_vote or decision.electronic else []
    if hidden or consultation:
        # Hidden until the close; or consultation responses, listed apart as not votes.
        shown = [v for v in shown if v.channel is enums.Channel.IN_MEETING]
    outcome = outcome_of(decision)
    return DecisionPage(
        outcome=outcome,
        votes=shown,
        may_vote=may_vote,
        my_vote=my_vote,
        consultation=consultation,
        final=decision.outcome is not None,
        hidden=hidden,
        shown_status=shown_status(decision, outcome),
        refusal=refusal,
    )


@dataclass(frozen=True)
class MyDecision:
    decision: Decision
    motion: Motion
    meeting: Meeting
    my_vote: VoteCast | None
    consultation: bool = False
    refusal: str | None = None

    @property
    def status(self) -> enums.OutcomeStatus:
        return shown_status(self.decision, None)


def my_decisions(user: User, now: datetime) -> tuple[list[MyDecision], list[MyDecision]]:
    """(awaiting my response, decided or voted), for the member's page."""
    person = own_person(user)
    if person is None:
        return [], []
    decisions = _electronic_decisions_of(person, user, now)
    mine = {
        v.decision_id: v
        for v in db.session.scalars(
            select(VoteCast)
            .join(CurrentVote, CurrentVote.vote_cast_id == VoteCast.id)
            .where(
                CurrentVote.person_id == person.id,
                CurrentVote.decision_id.in_([d.id for d in decisions]),
            )
        )
    }
    still_open = [
        d
        for d in decisions
        if d.id not in mine
        and d.status is DecisionStatus.OPEN
        and (d.closes_at is None or d.closes_at > now)
    ]
    people_of = electorates(list({d.motion.item.meeting for d in still_open}))
    responded: dict[int, set[int]] = {}
    for v in named_votes([d.id for d in still_open]).values():
        for vote in v:
            if vote.channel is enums.Channel.ELECTRONIC:
                responded.setdefault(vote.decision_id, set()).add(vote.person_id)
    awaiting, done = [], []
    for d in decisions:
        body = d.motion.item.meeting.body
        rule = d.rule_version.to_rule() if d.rule_version else rules.LGA1972_DEFAULTS
        consultation = not rules.electronic_votes_count(rule, body.jurisdiction, body.legal_form)
        meeting = d.motion.item.meeting
        open_now = d.status is DecisionStatus.OPEN and (d.closes_at is None or d.closes_at > now)
        refusal = None
        if open_now and d.id not in mine:
            refusal = rules.electronic_refusal(
                rule,
                person.id,
                people_of[meeting.id].voters,
                people_of[meeting.id].partners,
                responded.get(d.id, set()),
                body.name,
            )
        entry = MyDecision(d, d.motion, meeting, mine.get(d.id), consultation, refusal)
        (awaiting if open_now and entry.my_vote is None and not refusal else done).append(entry)
    return awaiting, done


def _electronic_decisions_of(person: Person, user: User, now: datetime) -> list[Decision]:
    """The latest 200 electronic decisions of the bodies the person sits on, newest first."""
    bodies = select(Membership.body_id).where(Membership.person_id == person.id)
    stmt = (
        select(Decision)
        .join(Motion, Decision.motion_id == Motion.id)
        .join(AgendaItem, Motion.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Decision.electronic.is_(True), Meeting.body_id.in_(bodies))
        # A former member no longer sees the body's exempt items, here as anywhere.
        .where(visible_items(exempt_access(user, now.astimezone(LONDON).date())))
        .options(
            joinedload(Decision.motion)
            .joinedload(Motion.item)
            .joinedload(AgendaItem.meeting)
            .joinedload(Meeting.body),
            joinedload(Decision.rule_version),
        )
        .order_by(Decision.opened_at.desc())
        .limit(200)
    )
    return list(db.session.scalars(stmt))


def partner_name(partner_id: int | None) -> str:
    partner = db.session.get(Partner, partner_id) if partner_id else None
    return partner.name if partner else ""
