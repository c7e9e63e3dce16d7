"""Decision rules (versioned), motions, decisions (vote events), votes and the e-mail outbox."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govtrack.core.audit import HistoryRow
from govtrack.db import Base, UTCDateTime, Versioned, enum_type, utcnow
from govtrack.meetings.models import AgendaItem
from govtrack.registry.models import Body, Partner, Person
from govtrack.voting.enums import (
    Channel,
    Choice,
    Comparison,
    DecisionStatus,
    ElectronicMode,
    MajorityBase,
    OutcomeStatus,
    QuorumOf,
    TieRule,
    VotingUnit,
)
from govtrack.voting.rules import RuleVersion


class DecisionRuleVersion(HistoryRow, Base):
    """A version of a body's decision rules from a date. Versions are never changed: a new
    constitution is a new version, and every decision keeps the version it was judged by."""

    __tablename__ = "decision_rule_versions"
    __audit_subject__ = "decision_rules"
    __audit_fields__ = (
        "body_id", "label", "effective_from", "voting_unit", "quorum_of", "quorum_number",
        "quorum_numerator", "quorum_denominator", "quorum_minimum", "quorum_every_partner",
        "electronic_counts_for_quorum", "threshold_numerator", "threshold_denominator",
        "comparison", "base", "abstentions_in_base", "tie_rule", "electronic_mode",
        "response_window_days", "close_early", "hide_tally_until_closed", "note",
    )  # fmt: skip
    __table_args__ = (
        UniqueConstraint("body_id", "effective_from"),
        CheckConstraint(
            "threshold_numerator > 0 AND threshold_denominator > 0 "
            "AND threshold_numerator <= threshold_denominator",
            "threshold",
        ),
        CheckConstraint(
            "quorum_numerator IS NULL OR (quorum_numerator > 0 AND quorum_denominator > 0 "
            "AND quorum_numerator <= quorum_denominator)",
            "quorum_fraction",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    label: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date]
    voting_unit: Mapped[VotingUnit] = mapped_column(enum_type(VotingUnit, "voting_unit"))
    quorum_of: Mapped[QuorumOf] = mapped_column(enum_type(QuorumOf, "quorum_of"))
    quorum_number: Mapped[int | None]
    quorum_numerator: Mapped[int | None]
    quorum_denominator: Mapped[int | None]
    quorum_minimum: Mapped[int] = mapped_column(default=0)
    quorum_every_partner: Mapped[bool] = mapped_column(default=False)
    electronic_counts_for_quorum: Mapped[bool] = mapped_column(default=False)
    threshold_numerator: Mapped[int] = mapped_column(default=1)
    threshold_denominator: Mapped[int] = mapped_column(default=2)
    comparison: Mapped[Comparison] = mapped_column(enum_type(Comparison, "comparison"))
    base: Mapped[MajorityBase] = mapped_column(enum_type(MajorityBase, "majority_base"))
    abstentions_in_base: Mapped[bool] = mapped_column(default=False)
    tie_rule: Mapped[TieRule] = mapped_column(enum_type(TieRule, "tie_rule"))
    electronic_mode: Mapped[ElectronicMode] = mapped_column(
        enum_type(ElectronicMode, "electronic_mode")
    )
    response_window_days: Mapped[int] = mapped_column(default=5)
    close_early: Mapped[bool] = mapped_column(default=False)
    hide_tally_until_closed: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    body: Mapped[Body] = relationship(lazy="raise")

    def to_rule(self) -> RuleVersion:
        quorum_fraction = (
            Fraction(self.quorum_numerator, self.quorum_denominator)
            if self.quorum_numerator
            else None
        )
        return RuleVersion(
            label=self.label,
            effective_from=self.effective_from,
            voting_unit=self.voting_unit,
            quorum_of=self.quorum_of,
            quorum_number=self.quorum_number,
            quorum_fraction=quorum_fraction,
            quorum_minimum=self.quorum_minimum,
            quorum_every_partner=self.quorum_every_partner,
            electronic_counts_for_quorum=self.electronic_counts_for_quorum,
            threshold=Fraction(self.threshold_numerator, self.threshold_denominator),
            comparison=self.comparison,
            base=self.base,
            abstentions_in_base=self.abstentions_in_base,
            tie_rule=self.tie_rule,
            electronic_mode=self.electronic_mode,
            response_window_days=self.response_window_days,
            close_early=self.close_early,
            hide_tally_until_closed=self.hide_tally_until_closed,
        )

    @staticmethod
    def columns_from_rule(rule: RuleVersion) -> dict[str, Any]:
        return {
            "label": rule.label,
            "effective_from": rule.effective_from,
            "voting_unit": rule.voting_unit,
            "quorum_of": rule.quorum_of,
            "quorum_number": rule.quorum_number,
            "quorum_numerator": rule.quorum_fraction.numerator if rule.quorum_fraction else None,
            "quorum_denominator": rule.quorum_fraction.denominator
            if rule.quorum_fraction
            else None,
            "quorum_minimum": rule.quorum_minimum,
            "quorum_every_partner": rule.quorum_every_partner,
            "electronic_counts_for_quorum": rule.electronic_counts_for_quorum,
            "threshold_numerator": rule.threshold.numerator,
            "threshold_denominator": rule.threshold.denominator,
            "comparison": rule.comparison,
            "base": rule.base,
            "abstentions_in_base": rule.abstentions_in_base,
            "tie_rule": rule.tie_rule,
            "electronic_mode": rule.electronic_mode,
            "response_window_days": rule.response_window_days,
            "close_early": rule.close_early,
            "hide_tally_until_closed": rule.hide_tally_until_closed,
        }


class Motion(Versioned, Base):
    """A motion moved on an agenda item, or an amendment to one (voted on first)."""

    __tablename__ = "motions"
    __audit_subject__ = "motion"
    __audit_fields__ = ("item_id", "position", "text", "proposer_id", "seconder_id", "amends_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text)
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    seconder_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("motions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[AgendaItem] = relationship(lazy="raise")
    proposer: Mapped[Person | None] = relationship(lazy="raise", foreign_keys=[proposer_id])
    seconder: Mapped[Person | None] = relationship(lazy="raise", foreign_keys=[seconder_id])


class Decision(Versioned, Base):
    """The vote on a motion (a Popolo vote event): in the meeting, and for absent voters
    electronically until the deadline where the rules allow. Once closed, its outcome and
    explanation are fixed."""

    __tablename__ = "decisions"
    __audit_subject__ = "decision"
    __audit_fields__ = (
        "motion_id", "rule_version_id", "status", "electronic", "closes_at", "presiding_id",
        "casting_vote", "recorded_vote", "meeting_for", "meeting_against", "meeting_abstain",
        "outcome", "counted_for", "counted_against", "counted_abstain", "closed_at",
    )  # fmt: skip
    __table_args__ = (Index("ix_decisions_open", "status", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id"), unique=True)
    rule_version_id: Mapped[int | None] = mapped_column(ForeignKey("decision_rule_versions.id"))
    status: Mapped[DecisionStatus] = mapped_column(
        enum_type(DecisionStatus, "decision_status"), default=DecisionStatus.OPEN
    )
    electronic: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    presiding_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    casting_vote: Mapped[Choice | None] = mapped_column(enum_type(Choice, "casting_vote"))
    # A recorded (named) vote lists each member's vote; otherwise the meeting's counts suffice.
    recorded_vote: Mapped[bool] = mapped_column(default=True)
    meeting_for: Mapped[int | None]
    meeting_against: Mapped[int | None]
    meeting_abstain: Mapped[int | None]
    outcome: Mapped[OutcomeStatus | None] = mapped_column(enum_type(OutcomeStatus, "outcome"))
    # The votes counted when it closed (None where the record does not say).
    counted_for: Mapped[int | None]
    counted_against: Mapped[int | None]
    counted_abstain: Mapped[int | None]
    explanation: Mapped[list[str]] = mapped_column(JSON, default=list)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    motion: Mapped[Motion] = relationship(lazy="raise")
    rule_version: Mapped[DecisionRuleVersion | None] = relationship(lazy="raise")
    presiding: Mapped[Person | None] = relationship(lazy="raise", foreign_keys=[presiding_id])


class VoteCast(HistoryRow, Base):
    """Every vote cast and every change of vote, kept for ever, with its receipt reference."""

    __tablename__ = "votes_cast"
    __audit_subject__ = "vote"
    __audit_fields__ = ("decision_id", "person_id", "partner_id", "choice", "channel", "receipt")
    __table_args__ = (Index("ix_votes_cast_decision", "decision_id", "person_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    choice: Mapped[Choice] = mapped_column(enum_type(Choice, "vote_choice"))
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "vote_channel"))
    receipt: Mapped[str] = mapped_column(String(32), unique=True)
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person: Mapped[Person] = relationship(lazy="raise")
    partner: Mapped[Partner | None] = relationship(lazy="raise")


class CurrentVote(Base):
    """The one current vote of each voter on each decision (the database guarantees one)."""

    __tablename__ = "current_votes"
    __table_args__ = (UniqueConstraint("decision_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    vote_cast_id: Mapped[int] = mapped_column(ForeignKey("votes_cast.id"), unique=True)

    vote: Mapped[VoteCast] = relationship(lazy="raise")
