"""Writes of votes: each vote stored (in the meeting or electronically from an absent voter
until the deadline), the decision closed with its outcome minuted and told, and reminders to
those who have not voted yet.

The outcome is always computed by ``rules.decide``; these use-cases gather its inputs and keep the
record. Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from govtrack.auth.models import User, system_actor
from govtrack.core import audit
from govtrack.core.dates import LONDON, long_date
from govtrack.core.records import update_record
from govtrack.db import db
from govtrack.meetings.enums import MinutesStatus
from govtrack.meetings.models import AgendaItem, Meeting, Resolution
from govtrack.registry.models import Body, Person
from govtrack.registry.services import own_person
from govtrack.voting import enums, rules
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import CurrentVote, Decision, Motion, VoteCast
from govtrack.voting.queries import (
    Electorate,
    current_votes,
    decision_link,
    electorate,
    electronic_refusal_of,
    is_consultation,
    load_decision,
    meeting_of,
    outcome_of,
    rule_of,
)


class VoteRefused(Exception):
    """A vote that cannot be accepted; the message says why (shown with a 4xx)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def lock_decision(decision: Decision) -> Decision:
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


def _receipt() -> str:
    return secrets.token_hex(6).upper()


def store_vote(
    decision: Decision,
    person_id: int,
    partner_id: int | None,
    choice: enums.Choice,
    channel: enums.Channel,
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


def outcome_values(outcome: rules.Outcome) -> dict[str, Any]:
    return {
        "outcome": outcome.status,
        "counted_for": outcome.counted.votes_for,
        "counted_against": outcome.counted.votes_against,
        "counted_abstain": outcome.counted.abstentions,
    }


def _responded(decision_id: int) -> set[int]:
    """Those whose current vote on the decision was given electronically."""
    return {
        v.person_id for v in current_votes(decision_id) if v.channel is enums.Channel.ELECTRONIC
    }


def close_decision(decision: Decision, now: datetime, actor: Any = None) -> Decision:
    """Fix the outcome and its explanation for ever, put it in the minutes, and tell those who
    voted or responded. A consultation's outcome was fixed (and minuted) in the meeting:
    closing its window ends the responses and changes nothing else."""
    _close_once(decision, now, actor)
    return decision


def _close_once(decision: Decision, now: datetime, actor: Any = None) -> bool:
    """Close the decision unless, once its row is locked, it is found closed already (by a
    vote, a page or another tick meanwhile); whether this call closed it."""
    lock_decision(decision)
    if decision.status is DecisionStatus.CLOSED:  # closed meanwhile by another request
        return False
    meeting = meeting_of(decision)
    decided_in_meeting = decision.outcome is not None and is_consultation(decision, meeting.body)
    outcome = None if decided_in_meeting else outcome_of(decision, closed=True)
    values: dict[str, Any] = {"status": DecisionStatus.CLOSED, "closed_at": now}
    if outcome is not None:
        values |= outcome_values(outcome)
    update_record(
        actor or system_actor("The clock"),
        decision,
        values,
        decision.version,
        f"Decision closed: {decision.outcome.label if outcome is None else outcome.status.label}",
    )
    if outcome is not None:
        decision.explanation = list(outcome.explanation)
        db.session.flush()
        minute_outcome(decision, outcome)
    if decision.electronic:
        _tell_the_outcome(decision, meeting)
    return True


def _tell_the_outcome(decision: Decision, meeting: Meeting) -> None:
    """E-mail everyone who voted or responded on a decision its outcome, with the link."""
    from govtrack.core.mail import send_mail

    motion = db.session.get(Motion, decision.motion_id)
    link = decision_link(decision.id)
    consultation = is_consultation(decision, meeting.body)
    voters = select(CurrentVote.person_id).where(CurrentVote.decision_id == decision.id)
    for name, email in db.session.execute(
        select(Person.name, User.email)
        .join(User, Person.user_id == User.id)
        .where(Person.id.in_(voters))
        .order_by(Person.name)
    ):
        tally = (
            f"{decision.counted_for} for, {decision.counted_against} against, "
            f"{decision.counted_abstain} abstaining"
            if decision.counted_for is not None
            else "counts not recorded"
        )
        note = (
            "The outcome was decided at the meeting; electronic responses were consultation "
            "and did not count towards it.\n"
            if consultation
            else ""
        )
        send_mail(
            email,
            f"Decided: {decision.outcome.label}: {meeting.body.name}, {long_date(meeting.held_on)}",
            f"Dear {name},\n\nThe decision on this motion of {meeting.body.name} "
            f"({long_date(meeting.held_on)}) has closed:\n\n{motion.text}\n\nOutcome: "
            f"{decision.outcome.label} ({tally}).\n{note}\nThe decision, with why:\n{link}\n",
        )


def minute_outcome(decision: Decision, outcome: rules.Outcome) -> None:
    """A carried motion becomes a resolution of its item while the minutes are still a draft.
    Published minutes never change silently: a later change goes through a correction."""
    motion = db.session.get(Motion, decision.motion_id)
    item = db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.id == motion.item_id)
        .options(joinedload(AgendaItem.meeting))
    )
    if outcome.status is not enums.OutcomeStatus.CARRIED or item.meeting.minutes_status not in (
        MinutesStatus.NONE,
        MinutesStatus.DRAFT,
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
    """Close the open decisions past their deadline; how many this call closed. Whether each is
    still open is decided after its row is locked, so two ticks at once close it once and
    only the one that closed it counts it."""
    stmt = select(Decision.id).where(
        Decision.status == DecisionStatus.OPEN, Decision.closes_at <= now
    )
    closed = 0
    for decision_id in list(db.session.scalars(stmt)):
        closed += _close_once(load_decision(decision_id), now)
    return closed


def cast_vote(user: User, decision: Decision, choice: str, now: datetime) -> VoteCast:
    """An absent voter's electronic vote (or a change of it) on an open decision."""
    lock_decision(decision)  # one vote on a decision at a time: see lock_decision
    refresh(decision, now)
    if decision.status is DecisionStatus.CLOSED:
        raise VoteRefused("This decision has closed: no more votes can be cast or changed.")
    if not decision.electronic:
        raise VoteRefused("This decision was not put to electronic voting.", 400)
    try:
        wanted = enums.Choice(choice)
    except ValueError as exc:
        raise VoteRefused("Choose For, Against or Abstain.", 400) from exc
    person = own_person(user)
    meeting = meeting_of(decision)
    people = electorate(meeting, decision.presiding_id)
    voter = people.voter(person.id) if person else None
    responded = _responded(decision.id)
    why = (
        electronic_refusal_of(decision, people, person.id, meeting.body, responded - {person.id})
        if person
        else f"You are not a voting member of {meeting.body.name}."
    )
    if why is not None:
        word = "respond" if is_consultation(decision, meeting.body) else "vote"
        raise VoteRefused(f"You are not entitled to {word} on this decision. {why}", 403)
    current = db.session.scalar(
        select(VoteCast)
        .join(CurrentVote, CurrentVote.vote_cast_id == VoteCast.id)
        .where(CurrentVote.decision_id == decision.id, CurrentVote.person_id == person.id)
    )
    if current is not None and current.channel is enums.Channel.IN_MEETING:
        raise VoteRefused(
            f"You voted {current.choice.label} in the meeting: that vote stands "
            f"(receipt {current.receipt})."
        )
    if current is not None and current.choice is wanted:
        if is_consultation(decision, meeting.body):
            raise VoteRefused(
                f"You have already responded {wanted.label}: your response is unchanged "
                f"(receipt {current.receipt})."
            )
        raise VoteRefused(
            f"You have already voted {wanted.label}: your vote is unchanged "
            f"(receipt {current.receipt})."
        )
    try:
        cast = store_vote(
            decision, person.id, voter.partner_id, wanted, enums.Channel.ELECTRONIC, user
        )
    except IntegrityError as exc:  # a simultaneous vote by the same voter won the race
        raise VoteRefused("Your vote was already recorded a moment ago: reload the page.") from exc
    rule = rule_of(decision)
    # Counted electronic votes may close the decision early (when the rules allow and all have
    # voted); consultation responses are gathered until the deadline.
    if rule.electronic_mode in rules.COUNTING_MODES:
        outcome = outcome_of(decision)
        if outcome.status is not enums.OutcomeStatus.AWAITING:
            close_decision(decision, now, user)
    return cast


def reminders_due(now: datetime) -> int:
    """Remind absent voters who have not voted, once, on the last working day before closing;
    how many reminders this call sent. "Once" is checked after the decision's row is locked:
    a tick running at the same moment finds it reminded (or closed) and sends nothing."""
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
        lock_decision(decision)  # read afresh: another tick or a vote may have got there first
        if decision.status is not DecisionStatus.OPEN or decision.reminded_at is not None:
            continue
        # The lock reloads the row, so the motion is read explicitly (never lazily).
        motion = db.session.get(Motion, decision.motion_id)
        meeting = meeting_of(decision)
        body = meeting.body
        ids = _not_yet_voted(decision, electorate(meeting, decision.presiding_id), body)
        consultation = is_consultation(decision, body)
        for _pid, name, email in db.session.execute(
            select(Person.id, Person.name, User.email)
            .join(User, Person.user_id == User.id)
            .where(Person.id.in_(ids))
        ):
            send_mail(email, *_reminder(decision, motion, body, name, consultation))
            sent += 1
        decision.reminded_at = now
        db.session.flush()
    return sent


def _not_yet_voted(decision: Decision, people: Electorate, body: Body) -> list[int]:
    """Who may still vote or respond electronically and has not (nor, where each partner has
    one vote, has their partner)."""
    votes = current_votes(decision.id)
    voted = {v.person_id for v in votes}
    responded = {v.person_id for v in votes if v.channel is enums.Channel.ELECTRONIC}
    partner_voted = {v.partner_id for v in votes}
    one_per_partner = rule_of(decision).voting_unit is enums.VotingUnit.PARTNER
    return [
        v.person_id
        for v in people.voters
        if v.person_id not in voted
        and not (one_per_partner and v.partner_id in partner_voted)
        and electronic_refusal_of(decision, people, v.person_id, body, responded) is None
    ]


def _reminder(
    decision: Decision, motion: Motion, body: Body, name: str, consultation: bool
) -> tuple[str, str]:
    """The reminder's subject and text: a consultation's response does not count."""
    closes = decision.closes_at.astimezone(LONDON)
    link = decision_link(decision.id)
    if consultation:
        return (
            f"Reminder: the consultation closes soon ({body.name})",
            f"Dear {name},\n\nThe consultation on '{motion.text}' closes at "
            f"{closes:%H:%M} on {long_date(closes.date())}. You have not responded "
            "yet. The outcome was decided at the meeting; your response is recorded "
            f"beside it and does not count towards it.\n{link}\n",
        )
    return (
        f"Reminder: your vote closes soon ({body.name})",
        f"Dear {name},\n\nThe decision on '{motion.text}' closes at "
        f"{closes:%H:%M} on {long_date(closes.date())}. You have not voted yet; "
        f"your vote counts towards the outcome.\n{link}\n",
    )
