"""Writes of decisions: rule versions, motions, and opening a decision with the vote in the
meeting. Storing votes, closing (with the outcome minuted and told) and reminders are in
``votes``.

The outcome is always computed by ``rules.decide``; these use-cases gather its inputs and keep the
record. Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from govtrack.auth.models import User
from govtrack.core.dates import LONDON, long_date
from govtrack.core.ids import record_id
from govtrack.core.permissions import ensure
from govtrack.core.records import Locked, create_record, raise_if, update_record
from govtrack.db import db
from govtrack.meetings import rules as meeting_rules
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.registry.models import Body, Person
from govtrack.voting import enums, rules
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import Decision, DecisionRuleVersion, Motion
from govtrack.voting.permissions import can_manage_rules, can_record_votes
from govtrack.voting.queries import (
    VOTER_ROLES,
    Electorate,
    body_size,
    decision_link,
    electorate,
    electronic_refusal_of,
    is_consultation,
    motion_locked,
    movers,
    outcome_of,
    rule_in_force,
)
from govtrack.voting.votes import (
    close_decision,
    minute_outcome,
    outcome_values,
    store_vote,
)


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


def _end_of_day(day: date) -> datetime:
    """The last moment of a UK day, as a UTC moment."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).astimezone(UTC)


def _meeting_vote(
    rule: rules.RuleVersion, people: Electorate, values: Mapping[str, Any]
) -> tuple[dict[int, enums.Choice], dict[str, int]]:
    """The vote taken in the meeting as the form gives it: each voter's choice (a recorded
    vote) and the three counts; refused, with every problem named, when it does not add up or
    asks for electronic voting the rules in force do not provide."""
    recorded = values.get("method") == "recorded"
    problems: dict[str, str | None] = {}
    if values.get("electronic") and rule.electronic_mode is enums.ElectronicMode.OFF:
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
    raise_if(problems)
    return choices, counts


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
    choices, counts = _meeting_vote(rule, people, values)
    casting = values.get("casting_vote") or None
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
        store_vote(decision, person_id, voter.partner_id, choice, enums.Channel.IN_MEETING, actor)
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
        outcome_values(outcome),
        decision.version,
        f"Outcome decided in the meeting: {outcome.status.label}",
    )
    decision.explanation = list(outcome.explanation)
    db.session.flush()
    minute_outcome(decision, outcome)


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
