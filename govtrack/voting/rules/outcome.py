"""The inputs of a decision (voters with their attendance, partners' seats, votes) and its
outcome: the tallies, seats, quorum, casting vote and explanation ``decide`` returns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from govtrack.registry.enums import MembershipRole
from govtrack.voting.enums import (
    Channel,
    Choice,
    Comparison,
    OutcomeStatus,
    QuorumOf,
)
from govtrack.voting.rules.versions import RuleVersion
from govtrack.voting.rules.words import plural


@dataclass(frozen=True)
class Voter:
    """Someone on the body on the day of the decision.

    ``present`` means in the meeting: physically in England; in Wales, in person or remotely
    in a multi-location meeting. ``substitute_for`` is the member a substitute stands in for.
    """

    person_id: int
    partner_id: int
    role: MembershipRole = MembershipRole.MEMBER
    present: bool = False
    presiding: bool = False
    name: str = ""
    substitute_for: int | None = None


@dataclass(frozen=True)
class PartnerSeat:
    """A constituent partner, with (for one vote per partner) its designated representative and
    named substitute."""

    partner_id: int
    name: str
    representative_id: int | None = None
    substitute_id: int | None = None


@dataclass(frozen=True)
class Vote:
    """A voter's current vote on one channel. The caller passes only current votes: at most one
    per voter in the meeting and one electronically (a changed vote replaces the earlier one)."""

    voter_id: int
    choice: Choice
    channel: Channel = Channel.IN_MEETING


@dataclass(frozen=True)
class Tally:
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.votes_for + other.votes_for,
            self.votes_against + other.votes_against,
            self.abstentions + other.abstentions,
        )

    def with_choice(self, choice: Choice) -> Tally:
        return Tally(
            self.votes_for + (choice is Choice.FOR),
            self.votes_against + (choice is Choice.AGAINST),
            self.abstentions + (choice is Choice.ABSTAIN),
        )

    @property
    def total(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    def text(self) -> str:
        return (
            f"{self.votes_for} for, {self.votes_against} against, "
            f"{plural(self.abstentions, 'abstention')}"
        )


@dataclass(frozen=True)
class Seat:
    """One vote the rules give: a member's (one vote per member) or a partner's.

    ``voter_id`` is who holds it: the member, or the substitute standing in (then
    ``substitute_for`` names whom they replace); while nobody takes part, the person asked.
    ``choice`` and ``channel`` are the vote counted for the seat, if any.
    """

    label: str
    partner_id: int
    voter_id: int | None
    voter_name: str
    substitute_for: str | None
    present: bool
    choice: Choice | None
    channel: Channel | None


@dataclass(frozen=True)
class Response:
    """A vote that was not counted, and why."""

    person_id: int
    name: str
    choice: Choice
    channel: Channel
    reason: str


@dataclass(frozen=True)
class QuorumCheck:
    of: QuorumOf
    size: int
    needed: int
    present: int
    by_electronic_vote: int
    missing_partners: tuple[str, ...]
    reached: bool
    text: str


@dataclass(frozen=True)
class CastingVote:
    person_id: int
    name: str
    choice: Choice


@dataclass(frozen=True)
class Outcome:
    """The result of a decision with everything the page shows beside it.

    ``status`` is final (carried, lost, not quorate) unless the decision is open for counted
    electronic votes (awaiting); ``if_closed_now`` is what it would be if it closed now.
    ``for_needed`` (while open) is how many more votes For from those awaited would carry it, 0
    if it already would, None if no number could. ``awaited`` lists the seats whose response is
    still awaited, in the order ``for_needed`` counts them.
    """

    status: OutcomeStatus
    if_closed_now: OutcomeStatus
    rule_label: str
    rule_effective_from: date
    entitled: tuple[Seat, ...]
    quorum: QuorumCheck
    in_meeting: Tally
    electronic: Tally
    base: int
    votes_needed: int
    threshold_text: str
    casting: CastingVote | None
    consultation: tuple[Response, ...]
    ignored: tuple[Response, ...]
    substitutions: tuple[str, ...]
    awaited: tuple[Seat, ...]
    for_needed: int | None
    explanation: tuple[str, ...]

    @property
    def counted(self) -> Tally:
        """The votes counted, in the meeting and electronically (without any casting vote)."""
        return self.in_meeting + self.electronic

    @property
    def awaiting(self) -> int:
        return len(self.awaited)


def votes_needed(rule: RuleVersion, base: int) -> int:
    """The fewest votes For that meet the threshold on a base: 'more than half' of 16 is 9,
    'at least half' of 16 is 8. Never fewer than one: nothing is carried with no vote For."""
    share = Fraction(rule.threshold) * base
    if rule.comparison is Comparison.MORE_THAN:
        return max(math.floor(share) + 1, 1)
    return max(math.ceil(share), 1)


# The colour of an outcome's tag (GOV.UK Frontend tag modifiers), the same on the meeting's page
# and the decision's.
OUTCOME_TAG_CLASSES = {
    OutcomeStatus.CARRIED: "govuk-tag--green",
    OutcomeStatus.LOST: "govuk-tag--red",
    OutcomeStatus.NOT_QUORATE: "govuk-tag--orange",
    OutcomeStatus.AWAITING: "govuk-tag--blue",
}


def name_of(voter: Voter | None) -> str:
    if voter is None:
        return "no one"
    return voter.name or f"Person {voter.person_id}"
