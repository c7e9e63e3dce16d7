"""Seed decision rules and the historical decisions in the source documents from
seed/decision-rules.yaml and seed/decisions.yaml.

Rule versions go through ``services.add_rule_version``, so the law and reachability checks apply
to them as to a clerk's entry. Historical motions and votes are written directly, as the meetings
seed writes historical meetings (the live rules about when a vote may be recorded do not apply to
one taken in 2007), but every outcome that can be computed is computed by the rules engine.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from govtrack.auth.models import system_actor
from govtrack.core.dates import LONDON, long_date, today
from govtrack.core.records import create_record
from govtrack.core.seed import SeedError, SeedRun
from govtrack.db import db
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.voting import commands, enums, queries, rules
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import Decision, Motion

RULES_FILE = "decision-rules.yaml"
DECISIONS_FILE = "decisions.yaml"
KEY = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAJORITIES = [preset.key for preset in rules.majority_presets()]


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _fraction(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError("give a fraction such as 1/2") from None
    return value


class RuleVersionSeed(_Seed):
    key: str = Field(pattern=KEY)
    body: str
    label: str = Field(min_length=1, max_length=200)
    effective_from: dt.date
    voting_unit: enums.VotingUnit = enums.VotingUnit.MEMBER
    quorum_of: enums.QuorumOf = enums.QuorumOf.MEMBERS
    quorum_number: int | None = None
    quorum_fraction: str | None = None
    quorum_minimum: int = 0
    quorum_every_partner: bool = False
    electronic_counts_for_quorum: bool = False
    majority: str | None = None  # a preset's key; else threshold, comparison, base
    threshold: str | None = None
    comparison: enums.Comparison = enums.Comparison.MORE_THAN
    base: enums.MajorityBase = enums.MajorityBase.FOR_AGAINST
    abstentions_in_base: bool = False
    tie_rule: enums.TieRule = enums.TieRule.CASTING_VOTE
    electronic_mode: enums.ElectronicMode = enums.ElectronicMode.OFF
    response_window_days: int = 5
    close_early: bool = False
    note: str = ""

    _fractions = field_validator("quorum_fraction", "threshold")(_fraction)

    @field_validator("majority")
    @classmethod
    def known_majority(cls, value: str | None) -> str | None:
        if value is not None and value not in MAJORITIES:
            raise ValueError(f"choose one of {', '.join(MAJORITIES)}")
        return value


class CountsSeed(_Seed):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    votes_for: int = Field(alias="for", ge=0)
    against: int = Field(ge=0)
    abstain: int = Field(default=0, ge=0)


class DecisionSeed(_Seed):
    key: str = Field(pattern=KEY)
    meeting: str
    item: str = Field(min_length=1)  # the item's title, as in meetings.yaml
    motion: str = Field(min_length=1)
    proposer: str | None = None
    seconder: str | None = None
    method: Literal["counts", "as_minuted"]
    counts: CountsSeed | None = None
    unanimous: bool = False
    outcome: Literal["carried", "lost", "not_quorate"] | None = None
    minuted: str = ""  # the documents' words about the decision


def seed_voting(run: SeedRun) -> None:
    actor = system_actor("Seed loader")
    versions = run.records(RULES_FILE, RuleVersionSeed, "key")
    for label, rec in run.each(versions, "Decision rules"):
        body = run.resolve("body", rec.body, RULES_FILE, label, "body")
        if rec.quorum_number is not None and rec.quorum_fraction is not None:
            raise SeedError(
                RULES_FILE, label, "quorum_fraction", "give the quorum as a number or a fraction"
            )
        with run.saving(RULES_FILE, label):
            version = commands.add_rule_version(actor, body, _rule(rec), rec.note, today())
        run.remember("decision_rules", rec.key, version)
    decisions = run.records(DECISIONS_FILE, DecisionSeed, "key")
    for label, rec in run.each(decisions, "Decisions"):
        _decision(run, actor, label, rec)
    run.report.append(
        f"Loaded {len(versions)} decision rule versions and {len(decisions)} decisions."
    )


def _rule(rec: RuleVersionSeed) -> rules.RuleVersion:
    """The rule version, made as the rule form makes it."""
    if rec.quorum_number is not None:
        kind = "number"
    else:
        kind = "fraction" if rec.quorum_fraction is not None else "none"
    values = rec.model_dump(exclude={"key", "body", "note"}) | {
        "quorum_kind": kind,
        "threshold": rec.threshold or "1/2",
        "majority": rec.majority or "custom",
    }
    return commands.rule_from_values(values)


def _decision(run: SeedRun, actor, label: str, rec: DecisionSeed) -> None:
    f = DECISIONS_FILE
    meeting = run.resolve("meeting", rec.meeting, f, label, "meeting")
    items = list(
        db.session.scalars(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting.id, AgendaItem.title == rec.item
            )
        )
    )
    if len(items) != 1:
        found = "no item" if not items else f"{len(items)} items"
        raise SeedError(f, label, "item", f"{rec.meeting} has {found} titled '{rec.item}'")
    item = items[0]
    proposer = run.resolve("person", rec.proposer, f, label, "proposer") if rec.proposer else None
    seconder = run.resolve("person", rec.seconder, f, label, "seconder") if rec.seconder else None
    if proposer is not None and proposer is seconder:
        raise SeedError(f, label, "seconder", "the seconder cannot be the proposer")
    _check_method(f, label, rec)

    position = len(queries.motions_of_items([item.id]).get(item.id, [])) + 1
    motion = create_record(
        actor,
        Motion(
            item_id=item.id,
            position=position,
            text=rec.motion,
            proposer_id=proposer.id if proposer else None,
            seconder_id=seconder.id if seconder else None,
        ),
        f"Recorded a motion on item {item.number or item.position}",
    )
    version, rule = queries.rule_in_force(meeting.body_id, meeting.held_on)
    moment = _moment(meeting)
    decision = Decision(
        motion_id=motion.id,
        rule_version_id=version.id if version else None,
        electronic=False,
        opened_at=moment,
        recorded_vote=False,
    )
    if rec.method == "counts":
        _counted(run, label, rec, meeting, decision)
    else:
        # Unanimous: nobody voted against. Whether anyone abstained is not minuted, so the
        # abstentions stay unknown (None), never 0.
        against = 0 if rec.unanimous else None
        decision.meeting_against = decision.counted_against = against
        decision.meeting_abstain = decision.counted_abstain = None
        decision.outcome = enums.OutcomeStatus(rec.outcome)
        decision.explanation = _as_minuted(rule, rec)
    decision.status = DecisionStatus.CLOSED
    decision.closed_at = moment
    create_record(
        actor,
        decision,
        f"Recorded the vote on motion {position} of item {item.number or item.position}: "
        f"{decision.outcome.label}",
    )


def _check_method(f: str, label: str, rec: DecisionSeed) -> None:
    if rec.method == "counts":
        if rec.counts is None:
            raise SeedError(f, label, "counts", "give the counts for, against and abstain")
        if rec.unanimous and (rec.counts.against or rec.counts.abstain):
            raise SeedError(
                f, label, "unanimous", "a unanimous vote has no votes against or abstentions"
            )
        return
    if rec.counts is not None:
        raise SeedError(f, label, "counts", "counts are given only with method 'counts'")
    if rec.outcome is None:
        raise SeedError(f, label, "outcome", "say what the documents record the outcome was")
    if not rec.minuted:
        raise SeedError(f, label, "minuted", "quote what the documents say about the decision")


def _counted(run, label: str, rec: DecisionSeed, meeting: Meeting, decision: Decision) -> None:
    """The outcome from the counts, the attendance and the rules, by the rules engine."""
    counts = rec.counts
    assert counts is not None
    people = queries.electorate(meeting)
    present = sum(1 for v in people.voters if v.present and v.role in queries.VOTER_ROLES)
    total = counts.votes_for + counts.against + counts.abstain
    if total > present:
        raise SeedError(
            DECISIONS_FILE,
            label,
            "counts",
            f"the counts add up to {total} but {present} voters are recorded present at "
            f"{rec.meeting} (meetings.yaml)",
        )
    decision.meeting_for = counts.votes_for
    decision.meeting_against = counts.against
    decision.meeting_abstain = counts.abstain
    db.session.add(decision)
    db.session.flush()
    outcome = queries.outcome_of(queries.load_decision(decision.id), closed=True)
    if rec.outcome is not None and outcome.status.value != rec.outcome:
        raise SeedError(
            DECISIONS_FILE,
            label,
            "outcome",
            f"the documents say {rec.outcome} but the rules give "
            f"{outcome.status.label.lower()}: {outcome.explanation[-1]}",
        )
    decision.outcome = outcome.status
    decision.explanation = [*([rec.minuted] if rec.minuted else []), *outcome.explanation]


def _as_minuted(rule: rules.RuleVersion, rec: DecisionSeed) -> list[str]:
    lines = [
        f"Decided under the rule version '{rule.label}', in force from "
        f"{long_date(rule.effective_from)}.",
        rec.minuted,
        "The documents record neither who attended nor how many voted, so the quorum and the "
        "count cannot be checked: the outcome is recorded as the documents give it, not "
        "computed.",
    ]
    if rec.unanimous:
        lines.append(
            "Unanimous: no votes against; the number of votes for, and whether anyone "
            "abstained, are not recorded."
        )
    lines.append(f"{enums.OutcomeStatus(rec.outcome).label}, as recorded.")
    return lines


def _moment(meeting: Meeting) -> dt.datetime:
    """The meeting's start as a UTC moment; its day at midnight when no time is recorded."""
    start = dt.datetime.combine(meeting.held_on, meeting.starts_at or dt.time(0), tzinfo=LONDON)
    return start.astimezone(dt.UTC)
