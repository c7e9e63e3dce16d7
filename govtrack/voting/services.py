"""Use-cases for decisions: rule versions, motions, the vote in the meeting, electronic votes
from absent voters until the deadline, closing, and each member's decisions.

The outcome is always computed by ``rules.decide``; this module gathers its inputs (who sits on
the body on the day, who attended, the current votes) and keeps the record.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from govtrack.auth.models import User, system_actor
from govtrack.core import audit
from govtrack.core.dates import LONDON, long_date
from govtrack.core.ids import record_id
from govtrack.core.permissions import ensure
from govtrack.core.records import Locked, create_record, raise_if, update_record
from govtrack.db import db
from govtrack.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MinutesStatus,
    Resolution,
)
from govtrack.meetings.services import body_memberships_on, exempt_access, visible_items
from govtrack.registry.models import Body, Membership, MembershipRole, Partner, Person
from govtrack.voting import rules
from govtrack.voting.models import (
    CurrentVote,
    Decision,
    DecisionRuleVersion,
    DecisionStatus,
    Motion,
    VoteCast,
)
from govtrack.voting.permissions import can_manage_rules, can_record_votes

VOTER_ROLES = (*rules.VOTING_ROLES, MembershipRole.SUBSTITUTE)


class VoteRefused(Exception):
    """A vote that cannot be accepted; the message says why (shown with a 4xx)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


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


def add_rule_version(
    actor: User, body: Body, rule: rules.RuleVersion, note: str, today: date
) -> DecisionRuleVersion:
    ensure(can_manage_rules(actor, body))
    members, partners = body_size(body.id, max(rule.effective_from, today))
    problems = dict(
        reversed(rules.validate(rule, body.jurisdiction, body.legal_form, members, partners))
    )
    clash = db.session.scalar(
        select(DecisionRuleVersion.id).where(
            DecisionRuleVersion.body_id == body.id,
            DecisionRuleVersion.effective_from == rule.effective_from,
        )
    )
    if clash is not None:
        problems["effective_from"] = (
            f"A version already takes effect on {long_date(rule.effective_from)}: versions are "
            "never changed, so give the new one a later date"
        )
    raise_if(problems)
    version = DecisionRuleVersion(
        body_id=body.id,
        note=note.strip(),
        created_by_id=getattr(actor, "id", None),
        **DecisionRuleVersion.columns_from_rule(rule),
    )
    return create_record(
        actor, version, f"Decision rules '{rule.label}' from {long_date(rule.effective_from)}"
    )


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


def add_motion(actor: User, item: AgendaItem, values: Mapping[str, Any], today: date) -> Motion:
    ensure(can_record_votes(actor, item))
    meeting = item.meeting
    if meeting.held_on > today:
        raise Locked(
            "Motions are recorded at or after the meeting.",
            f"Come back on {long_date(meeting.held_on)}.",
        )
    if meeting.minutes_status is MinutesStatus.CONFIRMED:
        raise Locked(
            "These minutes have been confirmed and cannot change.", "Add a correction instead."
        )
    proposer = record_id(values.get("proposer_id"))
    seconder = record_id(values.get("seconder_id"))
    amends = record_id(values.get("amends_id"))
    amended = db.session.get(Motion, amends) if amends else None
    raise_if(
        {
            "seconder_id": "The seconder cannot be the proposer"
            if proposer and proposer == seconder
            else None,
            "amends_id": "Choose a motion on this item"
            if amends and (amended is None or amended.item_id != item.id)
            else None,
        }
    )
    position = (
        db.session.scalar(select(func.max(Motion.position)).where(Motion.item_id == item.id)) or 0
    ) + 1
    motion = Motion(
        item_id=item.id,
        position=position,
        text=values["text"].strip(),
        proposer_id=proposer,
        seconder_id=seconder,
        amends_id=amends,
    )
    kind = "an amendment" if amends else "a motion"
    return create_record(actor, motion, f"Recorded {kind} on item {item.number}")


def _count(value: Any) -> int:
    """A show-of-hands count as typed (negative counts are refused by the caller)."""
    try:
        return int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


# Who may vote -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Electorate:
    """Who sits on the body on the meeting day, as the rules engine sees them."""

    voters: tuple[rules.Voter, ...]
    partners: tuple[rules.PartnerSeat, ...]

    def voter(self, person_id: int) -> rules.Voter | None:
        return next((v for v in self.voters if v.person_id == person_id), None)


def electorate(meeting: Meeting, presiding_id: int | None = None) -> Electorate:
    memberships = [
        m
        for m in body_memberships_on(meeting.body_id, meeting.held_on)
        if m.role in VOTER_ROLES or m.role in rules.NON_VOTING_ROLES
    ]
    attendance = {
        a.person_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
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
            joinedload(Decision.rule_version),
        )
    )
    return db.session.scalar(stmt)


def decisions_of_motions(motion_ids: list[int]) -> dict[int, Decision]:
    if not motion_ids:
        return {}
    stmt = select(Decision).where(Decision.motion_id.in_(motion_ids))
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


def vote_history(decision_id: int) -> list[VoteCast]:
    stmt = (
        select(VoteCast)
        .where(VoteCast.decision_id == decision_id)
        .options(joinedload(VoteCast.person))
        .order_by(VoteCast.id)
    )
    return list(db.session.scalars(stmt))


def _lock_decision(decision: Decision) -> Decision:
    """Hold the decision's row until the transaction ends, and read it afresh.

    Votes on one decision, and its closing, then take turns: each sees every vote committed
    before it, so a double-submitted form finds the first vote and is refused, the check that
    everyone has voted (closing early) counts every vote, and the decision closes once with an
    outcome counting every accepted vote. Without it the current-vote check and the insert of
    two simultaneous requests interleave and both are recorded. (SQLite runs one writing
    transaction at a time and is not sent the FOR UPDATE.)
    """
    stmt = (
        select(Decision)
        .where(Decision.id == decision.id)
        # FOR NO KEY UPDATE: the votes' foreign keys to the decision do not wait for it.
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()


def _rule_of(decision: Decision) -> rules.RuleVersion:
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
            [rules.Choice.FOR] * (decision.meeting_for or 0)
            + [rules.Choice.AGAINST] * (decision.meeting_against or 0)
            + [rules.Choice.ABSTAIN] * (decision.meeting_abstain or 0)
        )
        voted = {v.voter_id for v in out if v.channel is rules.Channel.IN_MEETING}
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
        _rule_of(decision),
        meeting.body.jurisdiction,
        meeting.body.legal_form,
        people.voters,
        votes,
        partners=people.partners,
        casting_vote=decision.casting_vote,
        closed=decision.status is DecisionStatus.CLOSED if closed is None else closed,
    )


def _end_of_day(day: date) -> datetime:
    """The last moment of a UK day, as a UTC moment."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).astimezone(UTC)


def _receipt() -> str:
    return secrets.token_hex(6).upper()


def _record_vote(
    decision: Decision,
    person_id: int,
    partner_id: int | None,
    choice: rules.Choice,
    channel: rules.Channel,
    actor: Any,
) -> VoteCast:
    """Insert the vote and make it the voter's current one, in one savepoint: the unique
    constraint on current votes turns a race into a refusal, never two current votes."""
    with db.session.begin_nested():
        cast = VoteCast(
            decision_id=decision.id,
            person_id=person_id,
            partner_id=partner_id,
            choice=choice,
            channel=channel,
            receipt=_receipt(),
            recorded_by_id=getattr(actor, "id", None),
        )
        db.session.add(cast)
        db.session.flush()
        current = db.session.scalar(
            select(CurrentVote)
            .where(CurrentVote.decision_id == decision.id, CurrentVote.person_id == person_id)
            .with_for_update()
        )
        if current is None:
            db.session.add(
                CurrentVote(decision_id=decision.id, person_id=person_id, vote_cast_id=cast.id)
            )
        else:
            current.vote_cast_id = cast.id
        db.session.flush()
    audit.record(
        actor, "vote", cast, f"{channel.label} vote {choice.label} (receipt {cast.receipt})"
    )
    return cast


def open_decision(
    actor: User, motion: Motion, values: Mapping[str, Any], today: date, now: datetime
) -> Decision:
    """Record the vote taken in the meeting on a motion and, where the rules allow and the clerk
    asks, put it to absent voters electronically until the deadline; else close it now."""
    ensure(can_record_votes(actor, motion))
    item = db.session.get(AgendaItem, motion.item_id)
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.id == item.meeting_id).options(joinedload(Meeting.body))
    )
    if meeting.held_on > today:
        raise Locked(
            "The vote is recorded at or after the meeting.",
            f"Come back on {long_date(meeting.held_on)}.",
        )
    if db.session.scalar(select(Decision.id).where(Decision.motion_id == motion.id)) is not None:
        raise Locked(
            "The vote on this motion has already been recorded.", "Open the decision to see it."
        )
    undecided = db.session.scalars(
        select(Motion.position)
        .outerjoin(Decision, Decision.motion_id == Motion.id)
        .where(Motion.amends_id == motion.id)
        .where((Decision.id.is_(None)) | (Decision.status == DecisionStatus.OPEN))
    ).all()
    if undecided:
        raise Locked(
            "Amendments are voted on before the motion they amend.",
            "Record the vote on the amendment first; then the motion, as amended if the "
            "amendment was carried.",
        )
    version, rule = rule_in_force(meeting.body_id, meeting.held_on)
    people = electorate(meeting, record_id(values.get("presiding_id")))
    electronic = bool(values.get("electronic"))
    recorded = values.get("method") == "recorded"
    problems: dict[str, str | None] = {}
    if electronic and rule.electronic_mode is rules.ElectronicMode.OFF:
        problems["electronic"] = (
            f"The rules in force ({rule.label}) do not provide for electronic voting: "
            "record the vote taken in the meeting only"
        )
    choices: dict[int, rules.Choice] = {}
    if recorded:
        for voter in people.voters:
            raw = values.get(f"vote-{voter.person_id}")
            if not raw:
                continue
            if not voter.present:
                problems[f"vote-{voter.person_id}"] = (
                    f"{voter.name} was not present: record their vote electronically"
                )
                continue
            if voter.role not in VOTER_ROLES:
                problems[f"vote-{voter.person_id}"] = (
                    f"{voter.name} is {voter.role.label.lower()} and cannot vote"
                )
                continue
            choices[voter.person_id] = rules.Choice(raw)
    counts = {
        k: _count(values.get(k)) for k in ("meeting_for", "meeting_against", "meeting_abstain")
    }
    if not recorded:
        present = sum(1 for v in people.voters if v.present and v.role in VOTER_ROLES)
        if any(c < 0 for c in counts.values()):
            problems["meeting_for"] = "Counts cannot be negative"
        elif sum(counts.values()) > present:
            problems["meeting_for"] = (
                f"The counts add up to {sum(counts.values())} "
                f"but only {present} voters were present"
            )
    casting = values.get("casting_vote") or None
    raise_if(problems)
    decision = Decision(
        motion_id=motion.id,
        rule_version_id=version.id if version else None,
        electronic=electronic,
        opened_at=now,
        presiding_id=record_id(values.get("presiding_id")),
        casting_vote=rules.Choice(casting) if casting else None,
        recorded_vote=recorded,
        **(dict(counts) if not recorded else {}),
    )
    if electronic:
        closes_on = rules.response_deadline(
            today, rule.response_window_days, meeting.body.jurisdiction
        )
        decision.closes_at = _end_of_day(closes_on)
    create_record(
        actor, decision, f"Recorded the vote on motion {motion.position} of item {item.number}"
    )
    for person_id, choice in sorted(choices.items()):
        voter = people.voter(person_id)
        _record_vote(decision, person_id, voter.partner_id, choice, rules.Channel.IN_MEETING, actor)
    if electronic:
        _invite_absent_voters(decision, people, meeting)
    else:
        close_decision(decision, now, actor)
    return decision


def _may_respond(rule: rules.RuleVersion, voter: rules.Voter | None) -> bool:
    if voter is None or voter.role not in VOTER_ROLES:
        return False
    return rule.electronic_mode is rules.ElectronicMode.EVERYONE or not voter.present


def _invite_absent_voters(decision: Decision, people: Electorate, meeting: Meeting) -> None:
    from flask import url_for

    from govtrack.core.mail import send_mail

    rule = _rule_of(decision)
    ids = [v.person_id for v in people.voters if _may_respond(rule, v)]
    accounts = db.session.execute(
        select(Person.id, Person.name, User.email)
        .join(User, Person.user_id == User.id)
        .where(Person.id.in_(ids))
    ).all()
    link = url_for("voting.decision", decision_id=decision.id, _external=True)
    motion = db.session.get(Motion, decision.motion_id)
    closes = decision.closes_at.astimezone(LONDON)
    for _pid, name, email in accounts:
        send_mail(
            email,
            f"Your vote is asked: {meeting.body.name}, {long_date(meeting.held_on)}",
            f"Dear {name},\n\nYou were not at the meeting of {meeting.body.name} on "
            f"{long_date(meeting.held_on)}. The decision on this motion is put to absent "
            f"voters electronically:\n\n{motion.text}\n\nRead the papers and vote "
            f"For, Against or Abstain by {closes:%H:%M} on {long_date(closes.date())}:\n{link}\n\n"
            "You can change your vote until the decision closes.\n",
        )


def close_decision(decision: Decision, now: datetime, actor: Any = None) -> Decision:
    """Fix the outcome and its explanation for ever, and put it in the minutes."""
    _lock_decision(decision)
    if decision.status is DecisionStatus.CLOSED:  # closed meanwhile by another request
        return decision
    outcome = outcome_of(decision, closed=True)
    values = {
        "status": DecisionStatus.CLOSED,
        "outcome": outcome.status,
        "counted_for": outcome.counted.votes_for,
        "counted_against": outcome.counted.votes_against,
        "counted_abstain": outcome.counted.abstentions,
        "closed_at": now,
    }
    update_record(
        actor or system_actor("The clock"),
        decision,
        values,
        decision.version,
        f"Decision closed: {outcome.status.label}",
    )
    decision.explanation = list(outcome.explanation)
    db.session.flush()
    _minute_outcome(decision, outcome)
    return decision


def _minute_outcome(decision: Decision, outcome: rules.Outcome) -> None:
    """A carried motion becomes a resolution of its item (while the minutes are open)."""
    motion = db.session.get(Motion, decision.motion_id)
    item = db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.id == motion.item_id)
        .options(joinedload(AgendaItem.meeting))
    )
    if (
        outcome.status is not rules.OutcomeStatus.CARRIED
        or item.meeting.minutes_status is MinutesStatus.CONFIRMED
    ):
        return
    number = (
        db.session.scalar(select(func.max(Resolution.number)).where(Resolution.item_id == item.id))
        or 0
    ) + 1
    tally = outcome.counted
    text = f"{motion.text} (carried: {tally.text()})"
    db.session.add(
        Resolution(item_id=item.id, number=number, text=text, search_text=f"{text}\n{item.title}")
    )
    db.session.flush()


def refresh(decision: Decision, now: datetime) -> Decision:
    """Close a decision whose deadline has passed (also done by `flask tick`)."""
    if decision.status is DecisionStatus.OPEN and decision.closes_at and decision.closes_at <= now:
        close_decision(decision, now)
    return decision


def close_due(now: datetime) -> int:
    stmt = select(Decision).where(Decision.status == DecisionStatus.OPEN, Decision.closes_at <= now)
    due = list(db.session.scalars(stmt))
    for decision in due:
        close_decision(load_decision(decision.id), now)
    return len(due)


def cast_vote(user: User, decision: Decision, choice: str, now: datetime) -> VoteCast:
    """An absent voter's electronic vote (or a change of it) on an open decision."""
    _lock_decision(decision)  # one vote on a decision at a time: see _lock_decision
    refresh(decision, now)
    if decision.status is DecisionStatus.CLOSED:
        raise VoteRefused("This decision has closed: no more votes can be cast or changed.")
    if not decision.electronic:
        raise VoteRefused("This decision was not put to electronic voting.", 400)
    try:
        wanted = rules.Choice(choice)
    except ValueError as exc:
        raise VoteRefused("Choose For, Against or Abstain.", 400) from exc
    person = db.session.scalar(select(Person).where(Person.user_id == user.id))
    meeting = meeting_of(decision)
    people = electorate(meeting, decision.presiding_id)
    voter = people.voter(person.id) if person else None
    if not _may_respond(_rule_of(decision), voter):
        raise VoteRefused(
            "You are not entitled to vote on this decision: only members of "
            f"{meeting.body.name} who were absent from the meeting may respond electronically.",
            403,
        )
    current = db.session.scalar(
        select(VoteCast)
        .join(CurrentVote, CurrentVote.vote_cast_id == VoteCast.id)
        .where(CurrentVote.decision_id == decision.id, CurrentVote.person_id == person.id)
    )
    if current is not None and current.channel is rules.Channel.IN_MEETING:
        raise VoteRefused(
            f"You voted {current.choice.label} in the meeting: that vote stands "
            f"(receipt {current.receipt})."
        )
    if current is not None and current.choice is wanted:
        raise VoteRefused(
            f"You have already voted {wanted.label}: your vote is unchanged "
            f"(receipt {current.receipt})."
        )
    try:
        cast = _record_vote(
            decision, person.id, voter.partner_id, wanted, rules.Channel.ELECTRONIC, user
        )
    except IntegrityError as exc:  # a simultaneous vote by the same voter won the race
        raise VoteRefused("Your vote was already recorded a moment ago: reload the page.") from exc
    rule = _rule_of(decision)
    # Counted electronic votes may close the decision early (when the rules allow and all have
    # voted); consultation responses are gathered until the deadline.
    if rule.electronic_mode in rules.COUNTING_MODES:
        outcome = outcome_of(decision)
        if outcome.status is not rules.OutcomeStatus.AWAITING:
            close_decision(decision, now, user)
    return cast


@dataclass(frozen=True)
class DecisionPage:
    """What a decision's page shows the user: the outcome, the votes, and their own vote."""

    outcome: rules.Outcome
    votes: list[VoteCast]
    may_vote: bool
    my_vote: VoteCast | None


def decision_page(decision: Decision, user: Any, now: datetime) -> DecisionPage:
    refresh(decision, now)
    votes = current_votes(decision.id)
    may_vote, my_vote = False, None
    person = (
        db.session.scalar(select(Person).where(Person.user_id == user.id))
        if getattr(user, "is_authenticated", False)
        else None
    )
    if person is not None and decision.electronic:
        people = electorate(meeting_of(decision), decision.presiding_id)
        open_now = decision.status is DecisionStatus.OPEN
        may_vote = open_now and _may_respond(_rule_of(decision), people.voter(person.id))
        my_vote = next((v for v in votes if v.person_id == person.id), None)
    shown = votes if decision.recorded_vote or decision.electronic else []
    return DecisionPage(outcome_of(decision), shown, may_vote, my_vote)


@dataclass(frozen=True)
class MyDecision:
    decision: Decision
    motion: Motion
    meeting: Meeting
    my_vote: VoteCast | None


def my_decisions(user: User, now: datetime) -> tuple[list[MyDecision], list[MyDecision]]:
    """(awaiting my response, decided or voted), for the member's page."""
    person = db.session.scalar(select(Person).where(Person.user_id == user.id))
    if person is None:
        return [], []
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
            .joinedload(Meeting.body)
        )
        .order_by(Decision.opened_at.desc())
        .limit(200)
    )
    decisions = list(db.session.scalars(stmt))
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
    awaiting, done = [], []
    for d in decisions:
        entry = MyDecision(d, d.motion, d.motion.item.meeting, mine.get(d.id))
        open_now = d.status is DecisionStatus.OPEN and (d.closes_at is None or d.closes_at > now)
        (awaiting if open_now and entry.my_vote is None else done).append(entry)
    return awaiting, done


def reminders_due(now: datetime) -> int:
    """Remind absent voters who have not voted, once, on the last working day before closing."""
    from govtrack.core.mail import send_mail

    soon = now + timedelta(days=1)
    stmt = select(Decision).where(
        Decision.status == DecisionStatus.OPEN,
        Decision.electronic.is_(True),
        Decision.reminded_at.is_(None),
        Decision.closes_at <= soon,
        Decision.closes_at > now,
    )
    sent = 0
    for decision in list(db.session.scalars(stmt)):
        decision = load_decision(decision.id)
        _lock_decision(decision)  # a vote may have closed it meanwhile
        if decision.status is not DecisionStatus.OPEN:
            continue
        meeting = meeting_of(decision)
        people = electorate(meeting, decision.presiding_id)
        voted = {v.person_id for v in current_votes(decision.id)}
        rule = _rule_of(decision)
        ids = [
            v.person_id for v in people.voters if _may_respond(rule, v) and v.person_id not in voted
        ]
        for _pid, name, email in db.session.execute(
            select(Person.id, Person.name, User.email)
            .join(User, Person.user_id == User.id)
            .where(Person.id.in_(ids))
        ):
            send_mail(
                email,
                f"Reminder: your vote closes soon ({meeting.body.name})",
                f"Dear {name},\n\nThe decision on '{decision.motion.text}' closes at "
                f"{decision.closes_at.astimezone(LONDON):%H:%M on %d %B %Y}. "
                "You have not voted yet.\n",
            )
            sent += 1
        decision.reminded_at = now
        db.session.flush()
    return sent


def partner_name(partner_id: int | None) -> str:
    partner = db.session.get(Partner, partner_id) if partner_id else None
    return partner.name if partner else ""


def rule_from_values(values: Mapping[str, Any]) -> rules.RuleVersion:
    """A rule version from the rule form's values (a preset majority sets its four fields)."""
    from fractions import Fraction

    kind = values.get("quorum_kind") or "none"
    rule = rules.RuleVersion(
        label=(values.get("label") or "").strip(),
        effective_from=values["effective_from"],
        voting_unit=rules.VotingUnit(values.get("voting_unit") or "member"),
        quorum_of=rules.QuorumOf(values.get("quorum_of") or "members"),
        quorum_number=values.get("quorum_number") if kind == "number" else None,
        quorum_fraction=Fraction(values["quorum_fraction"].strip()) if kind == "fraction" else None,
        quorum_minimum=values.get("quorum_minimum") or 0,
        quorum_every_partner=bool(values.get("quorum_every_partner")),
        electronic_counts_for_quorum=bool(values.get("electronic_counts_for_quorum")),
        threshold=Fraction(values.get("threshold") or "1/2"),
        comparison=rules.Comparison(values.get("comparison") or "more_than"),
        base=rules.MajorityBase(values.get("base") or "for_against"),
        abstentions_in_base=bool(values.get("abstentions_in_base")),
        tie_rule=rules.TieRule(values.get("tie_rule") or "casting_vote"),
        electronic_mode=rules.ElectronicMode(values.get("electronic_mode") or "off"),
        response_window_days=values.get("response_window_days") or 0,
        close_early=bool(values.get("close_early")),
    )
    preset = values.get("majority")
    if preset and preset != "custom":
        rule = rules.with_majority(rule, preset)
    return rule
