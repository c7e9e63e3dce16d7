"""Writes of decisions: rule versions, motions, the vote in the meeting, electronic votes from
absent voters until the deadline, closing (with the outcome minuted and told), and reminders.

The outcome is always computed by ``rules.decide``; these use-cases gather its inputs and keep the
record. Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
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
from govtrack.meetings import rules as meeting_rules
from govtrack.meetings.enums import MinutesStatus
from govtrack.meetings.models import AgendaItem, Meeting, Resolution
from govtrack.registry.models import Body, Person
from govtrack.registry.services import own_person
from govtrack.voting import enums, rules
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import CurrentVote, Decision, DecisionRuleVersion, Motion, VoteCast
from govtrack.voting.permissions import can_manage_rules, can_record_votes
from govtrack.voting.queries import (
    VOTER_ROLES,
    Electorate,
    body_size,
    current_votes,
    decision_link,
    electorate,
    electronic_refusal_of,
    is_consultation,
    load_decision,
    meeting_of,
    motion_locked,
    movers,
    outcome_of,
    rule_in_force,
    rule_of,
)


class VoteRefused(Exception):
    """A vote that cannot be accepted; the message says why (shown with a 4xx)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


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


def add_motion(actor: User, item: AgendaItem, values: Mapping[str, Any], today: date) -> Motion:
    ensure(can_record_votes(actor, item))
    meeting = item.meeting
    closed = meeting_rules.proceedings_closed(meeting.held_on, meeting.minutes_status, today)
    if closed == meeting_rules.BEFORE_THE_MEETING:
        raise Locked(
            "Motions are recorded at or after the meeting.",
            f"Come back on {long_date(meeting.held_on)}.",
        )
    if closed == meeting_rules.MINUTES_CONFIRMED:
        raise Locked(
            "These minutes have been confirmed and cannot change.", "Add a correction instead."
        )
    proposer = record_id(values.get("proposer_id"))
    seconder = record_id(values.get("seconder_id"))
    amends = record_id(values.get("amends_id"))
    amended = db.session.get(Motion, amends) if amends else None
    raise_if(
        {
            **_mover_problems(meeting, proposer, seconder),
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
    on = f"on item {item.number}" if item.number else f"on '{item.title}'"
    return create_record(actor, motion, f"Recorded {kind} {on}")


def _mover_problems(
    meeting: Meeting, proposer: int | None, seconder: int | None
) -> dict[str, str | None]:
    allowed = {v.person_id for v in movers(meeting)}
    problems: dict[str, str | None] = {}
    for field, person_id, word in (
        ("proposer_id", proposer, "proposer"),
        ("seconder_id", seconder, "seconder"),
    ):
        if person_id is not None and person_id not in allowed:
            problems[field] = (
                f"The {word} must be a member present at the meeting and entitled to vote, or "
                "the person presiding: record their attendance first if they were there"
            )
    if proposer and proposer == seconder:
        problems["seconder_id"] = "The seconder cannot be the proposer"
    return problems


def correct_motion(
    actor: User, motion: Motion, values: Mapping[str, Any], version: int | None
) -> Motion:
    """Correct a motion's words, proposer or seconder, until the vote on it is recorded (then
    it is the record of what was voted on). The audit keeps every earlier wording."""
    ensure(can_record_votes(actor, motion))
    item = db.session.get(AgendaItem, motion.item_id)
    meeting = db.session.get(Meeting, item.meeting_id)
    locked = motion_locked(motion, meeting)
    if locked is not None:
        raise locked
    proposer = record_id(values.get("proposer_id"))
    seconder = record_id(values.get("seconder_id"))
    raise_if(_mover_problems(meeting, proposer, seconder))
    kind = "amendment" if motion.amends_id else "motion"
    label = f" on item {item.number}" if item.number else ""
    return update_record(
        actor,
        motion,
        {"text": values["text"].strip(), "proposer_id": proposer, "seconder_id": seconder},
        version,
        f"Corrected the {kind} {motion.position}{label}",
    )


def _count(value: Any) -> int:
    """A show-of-hands count as typed (negative counts are refused by the caller)."""
    try:
        return int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


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


def _end_of_day(day: date) -> datetime:
    """The last moment of a UK day, as a UTC moment."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).astimezone(UTC)


def _receipt() -> str:
    return secrets.token_hex(6).upper()


def _record_vote(
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
    _ensure_vote_may_be_recorded(motion, meeting, today)
    version, rule = rule_in_force(meeting.body_id, meeting.held_on)
    people = electorate(meeting, record_id(values.get("presiding_id")))
    electronic = bool(values.get("electronic"))
    recorded = values.get("method") == "recorded"
    problems: dict[str, str | None] = {}
    if electronic and rule.electronic_mode is enums.ElectronicMode.OFF:
        problems["electronic"] = (
            f"The rules in force ({rule.label}) do not provide for electronic voting: "
            "record the vote taken in the meeting only"
        )
    choices: dict[int, enums.Choice] = {}
    if recorded:
        choices = _named_choices(people, values, problems)
    counts = {
        k: _count(values.get(k)) for k in ("meeting_for", "meeting_against", "meeting_abstain")
    }
    if not recorded:
        problems["meeting_for"] = _counts_problem(counts, people)
    casting = values.get("casting_vote") or None
    raise_if(problems)
    decision = Decision(
        motion_id=motion.id,
        rule_version_id=version.id if version else None,
        electronic=electronic,
        opened_at=now,
        # Who presided, named even when the chair did by default (the minutes say who gave a
        # casting vote).
        presiding_id=record_id(values.get("presiding_id"))
        or next((v.person_id for v in people.voters if v.presiding), None),
        casting_vote=enums.Choice(casting) if casting else None,
        recorded_vote=recorded,
        **(dict(counts) if not recorded else {}),
    )
    if electronic:
        closes_on = rules.response_deadline(
            today, rule.response_window_days, meeting.body.jurisdiction
        )
        decision.closes_at = _end_of_day(closes_on)
    of_item = f"item {item.number}" if item.number else f"'{item.title}'"
    create_record(actor, decision, f"Recorded the vote on motion {motion.position} of {of_item}")
    for person_id, choice in sorted(choices.items()):
        voter = people.voter(person_id)
        _record_vote(decision, person_id, voter.partner_id, choice, enums.Channel.IN_MEETING, actor)
    if not electronic:
        close_decision(decision, now, actor)
        return decision
    if not rules.electronic_votes_count(rule, meeting.body.jurisdiction, meeting.body.legal_form):
        _decide_in_meeting(actor, decision)
    _invite_absent_voters(decision, people, meeting)
    return decision


def _ensure_vote_may_be_recorded(motion: Motion, meeting: Meeting, today: date) -> None:
    """Refuse (Locked) a vote recorded before the meeting day, twice, or on a motion whose
    amendments are still undecided."""
    if not meeting_rules.meeting_day_reached(meeting.held_on, today):
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


def _named_choices(
    people: Electorate, values: Mapping[str, Any], problems: dict[str, str | None]
) -> dict[int, enums.Choice]:
    """A recorded vote's choices by person, from the form; a vote given for someone absent or
    without a vote is a problem on their field."""
    choices: dict[int, enums.Choice] = {}
    for voter in people.voters:
        raw = values.get(f"vote-{voter.person_id}")
        if not raw:
            continue
        if not voter.present:
            problems[f"vote-{voter.person_id}"] = (
                f"{voter.name} was not present: record their vote electronically"
            )
        elif voter.role not in VOTER_ROLES:
            problems[f"vote-{voter.person_id}"] = (
                f"{voter.name} is {voter.role.label.lower()} and cannot vote"
            )
        else:
            choices[voter.person_id] = enums.Choice(raw)
    return choices


def _counts_problem(counts: Mapping[str, int], people: Electorate) -> str | None:
    """The show of hands' counts: none negative, and no more than the voters present."""
    present = sum(1 for v in people.voters if v.present and v.role in VOTER_ROLES)
    if any(c < 0 for c in counts.values()):
        return "Counts cannot be negative"
    if sum(counts.values()) > present:
        return f"The counts add up to {sum(counts.values())} but only {present} voters were present"
    return None


def _decide_in_meeting(actor: User, decision: Decision) -> None:
    """Responses are consultation only: the outcome is decided in the meeting, final now, and
    the carried motion is drafted into the minute at once (the window only gathers responses
    beside it)."""
    outcome = outcome_of(decision, closed=True)
    update_record(
        actor,
        decision,
        _outcome_values(outcome),
        decision.version,
        f"Outcome decided in the meeting: {outcome.status.label}",
    )
    decision.explanation = list(outcome.explanation)
    db.session.flush()
    _minute_outcome(decision, outcome)


def _outcome_values(outcome: rules.Outcome) -> dict[str, Any]:
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


def _invite_absent_voters(decision: Decision, people: Electorate, meeting: Meeting) -> None:
    from govtrack.core.mail import send_mail

    body = meeting.body
    ids = [
        v.person_id
        for v in people.voters
        if electronic_refusal_of(decision, people, v.person_id, body) is None
    ]
    accounts = db.session.execute(
        select(Person.id, Person.name, User.email)
        .join(User, Person.user_id == User.id)
        .where(Person.id.in_(ids))
    ).all()
    link = decision_link(decision.id)
    motion = db.session.get(Motion, decision.motion_id)
    closes = decision.closes_at.astimezone(LONDON)
    by = f"{closes:%H:%M} on {long_date(closes.date())}"
    consultation = is_consultation(decision, body)
    for _pid, name, email in accounts:
        if consultation:
            outcome = decision.outcome.label.lower() if decision.outcome else "decided"
            send_mail(
                email,
                f"Your response is asked (consultation): {body.name}, {long_date(meeting.held_on)}",
                f"Dear {name},\n\nYou were not at the meeting of {body.name} on "
                f"{long_date(meeting.held_on)}. This motion was {outcome} at the meeting:\n\n"
                f"{motion.text}\n\nThe law lets only the members present at the meeting "
                "decide, so this outcome is final. You are consulted: you may give your response "
                f"(For, Against or Abstain) by {by}. Your response is recorded beside the "
                f"decision; it does not count towards the outcome.\n{link}\n",
            )
        else:
            send_mail(
                email,
                f"Your vote is asked: {body.name}, {long_date(meeting.held_on)}",
                f"Dear {name},\n\nYou were not at the meeting of {body.name} on "
                f"{long_date(meeting.held_on)}. The decision on this motion is put to absent "
                f"voters electronically:\n\n{motion.text}\n\nRead the papers and vote "
                f"For, Against or Abstain by {by}. Your vote counts towards the outcome:"
                f"\n{link}\n\nYou can change your vote until the decision closes.\n",
            )


def close_decision(decision: Decision, now: datetime, actor: Any = None) -> Decision:
    """Fix the outcome and its explanation for ever, put it in the minutes, and tell those who
    voted or responded. A consultation's outcome was fixed (and minuted) in the meeting:
    closing its window ends the responses and changes nothing else."""
    _lock_decision(decision)
    if decision.status is DecisionStatus.CLOSED:  # closed meanwhile by another request
        return decision
    meeting = meeting_of(decision)
    decided_in_meeting = decision.outcome is not None and is_consultation(decision, meeting.body)
    outcome = None if decided_in_meeting else outcome_of(decision, closed=True)
    values: dict[str, Any] = {"status": DecisionStatus.CLOSED, "closed_at": now}
    if outcome is not None:
        values |= _outcome_values(outcome)
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
        _minute_outcome(decision, outcome)
    if decision.electronic:
        _tell_the_outcome(decision, meeting)
    return decision


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


def _minute_outcome(decision: Decision, outcome: rules.Outcome) -> None:
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
        cast = _record_vote(
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
        _lock_decision(decision)  # a vote may have closed it meanwhile
        if decision.status is not DecisionStatus.OPEN:
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


def rule_from_values(values: Mapping[str, Any]) -> rules.RuleVersion:
    """A rule version from the rule form's values (a preset majority sets its four fields)."""
    from fractions import Fraction

    kind = values.get("quorum_kind") or "none"
    rule = rules.RuleVersion(
        label=(values.get("label") or "").strip(),
        effective_from=values["effective_from"],
        voting_unit=enums.VotingUnit(values.get("voting_unit") or "member"),
        quorum_of=enums.QuorumOf(values.get("quorum_of") or "members"),
        quorum_number=values.get("quorum_number") if kind == "number" else None,
        quorum_fraction=Fraction(values["quorum_fraction"].strip()) if kind == "fraction" else None,
        quorum_minimum=values.get("quorum_minimum") or 0,
        quorum_every_partner=bool(values.get("quorum_every_partner")),
        electronic_counts_for_quorum=bool(values.get("electronic_counts_for_quorum")),
        threshold=Fraction(values.get("threshold") or "1/2"),
        comparison=enums.Comparison(values.get("comparison") or "more_than"),
        base=enums.MajorityBase(values.get("base") or "for_against"),
        abstentions_in_base=bool(values.get("abstentions_in_base")),
        tie_rule=enums.TieRule(values.get("tie_rule") or "casting_vote"),
        electronic_mode=enums.ElectronicMode(values.get("electronic_mode") or "off"),
        response_window_days=values.get("response_window_days") or 0,
        close_early=bool(values.get("close_early")),
        hide_tally_until_closed=bool(values.get("hide_tally_until_closed")),
    )
    preset = values.get("majority")
    if preset and preset != "custom":
        rule = rules.with_majority(rule, preset)
    return rule
