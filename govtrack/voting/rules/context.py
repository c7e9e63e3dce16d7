"""What a decision is judged in: the rule, who is on the body, the partners' seats, who stands
in for whom and who presides; and the count ``decide`` builds from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govtrack.registry.enums import Jurisdiction, LegalForm, MembershipRole
from govtrack.voting.enums import (
    Choice,
    ElectronicMode,
    OutcomeStatus,
    VotingUnit,
)
from govtrack.voting.rules.electronic import remote_votes_refusal
from govtrack.voting.rules.outcome import (
    CastingVote,
    PartnerSeat,
    QuorumCheck,
    Tally,
    Vote,
    Voter,
    name_of,
)
from govtrack.voting.rules.versions import (
    COUNTING_MODES,
    NON_VOTING_ROLES,
    VOTING_ROLES,
    RuleVersion,
)


@dataclass(frozen=True)
class Context:
    rule: RuleVersion
    refusal: str | None  # why remote votes cannot count here, if they cannot
    voters: dict[int, Voter]
    partners: tuple[PartnerSeat, ...]
    partner_names: dict[int, str]
    substitutes: dict[int, Voter]  # member or representative id -> who may stand in
    presiding: Voter | None

    def counts_electronic(self, voter: Voter) -> bool:
        mode = self.rule.electronic_mode
        if self.refusal is not None or mode not in COUNTING_MODES:
            return False
        return mode is ElectronicMode.EVERYONE or not voter.present

    def not_counted_because(self, voter: Voter) -> str:
        mode = self.rule.electronic_mode
        if mode in COUNTING_MODES and self.refusal:
            return "remote votes cannot count for this body"
        if mode is ElectronicMode.OFF:
            return "electronic voting is off under this rule version"
        if mode is ElectronicMode.CONSULTATION:
            if self.refusal:
                return "remote votes cannot count for this body"
            return "this rule version takes electronic responses as consultation only"
        return "present at the meeting, where electronic votes count only for absent members"


@dataclass(frozen=True)
class HeldSeat:
    label: str
    partner_id: int
    primary: Voter | None  # the member, or the partner's designated representative
    substitute: Voter | None
    holder: Voter | None  # whoever takes part for the seat
    vote: Vote | None  # the vote counted for it
    asked: Voter | None  # whose electronic response could still count

    @property
    def substituted(self) -> bool:
        return self.holder is not None and self.primary is not None and self.holder != self.primary

    @property
    def key(self) -> tuple:
        first = self.primary or self.substitute
        return (self.label, self.partner_id, first.person_id if first else 0)


@dataclass(frozen=True)
class Count:
    seats: tuple[HeldSeat, ...]
    member_seats: tuple[HeldSeat, ...]
    quorum: QuorumCheck
    in_meeting: Tally
    electronic: Tally
    taking_part: int
    equality: bool
    casting: CastingVote | None
    base: int
    needed: int
    carried: bool
    awaited: tuple[HeldSeat, ...]

    @property
    def status(self) -> OutcomeStatus:
        if not self.quorum.reached:
            return OutcomeStatus.NOT_QUORATE
        return OutcomeStatus.CARRIED if self.carried else OutcomeStatus.LOST

    @property
    def votes_for(self) -> int:
        extra = self.casting is not None and self.casting.choice is Choice.FOR
        return self.in_meeting.votes_for + self.electronic.votes_for + extra


def make_context(
    rule: RuleVersion,
    jurisdiction: Jurisdiction,
    legal_form: LegalForm,
    voters: Iterable[Voter],
    partners: Iterable[PartnerSeat],
    casting_vote: Choice | None,
) -> Context:
    by_id: dict[int, Voter] = {}
    for voter in voters:
        if voter.person_id in by_id:
            raise ValueError(f"{name_of(voter)} is given more than once")
        by_id[voter.person_id] = voter
    seats = _seats(rule, by_id, partners)
    return Context(
        rule=rule,
        refusal=remote_votes_refusal(jurisdiction, legal_form),
        voters=by_id,
        partners=tuple(seats),
        partner_names={p.partner_id: p.name for p in seats},
        substitutes=_substitutes(rule, by_id, seats),
        presiding=_presiding(by_id, casting_vote),
    )


def _seats(
    rule: RuleVersion, by_id: dict[int, Voter], partners: Iterable[PartnerSeat]
) -> list[PartnerSeat]:
    """The partners' seats, checked against the voters (or one per voting member's partner)."""
    seats = sorted(partners, key=lambda p: (p.name, p.partner_id))
    if len({p.partner_id for p in seats}) != len(seats):
        raise ValueError("a partner is given more than once")
    if rule.voting_unit is VotingUnit.PARTNER and not seats:
        raise ValueError("one vote per partner needs the partners and their representatives")
    for seat in seats:
        for role, person_id in (
            ("representative", seat.representative_id),
            ("substitute", seat.substitute_id),
        ):
            if person_id is None:
                continue
            voter = by_id.get(person_id)
            if voter is None:
                raise ValueError(f"{seat.name}'s {role} is not among the voters")
            if voter.role in NON_VOTING_ROLES:
                raise ValueError(f"{seat.name}'s {role} {name_of(voter)} is not a voting member")
    if not seats:
        partner_ids = sorted({v.partner_id for v in by_id.values() if v.role in VOTING_ROLES})
        seats = [PartnerSeat(pid, f"Partner {pid}") for pid in partner_ids]
    return seats


def _substitutes(
    rule: RuleVersion, by_id: dict[int, Voter], seats: list[PartnerSeat]
) -> dict[int, Voter]:
    """Who stands in for whom: member's person id -> their substitute."""
    substitutes: dict[int, Voter] = {}
    for voter in sorted(by_id.values(), key=lambda v: v.person_id):
        if voter.role is not MembershipRole.SUBSTITUTE or voter.substitute_for is None:
            continue
        member = by_id.get(voter.substitute_for)
        if member is None or member.role not in VOTING_ROLES:
            raise ValueError(f"{name_of(voter)} stands in for someone who is not a member")
        if member.person_id in substitutes:
            raise ValueError(f"two substitutes stand in for {name_of(member)}")
        substitutes[member.person_id] = voter
    if rule.voting_unit is VotingUnit.PARTNER:
        # The named substitute stands in for the designated representative.
        for seat in seats:
            if seat.representative_id is None or seat.substitute_id is None:
                continue
            substitute = by_id[seat.substitute_id]
            if substitute.role is MembershipRole.SUBSTITUTE and substitute.substitute_for is None:
                if seat.representative_id in substitutes:
                    raise ValueError(f"two substitutes stand in for {seat.name}'s representative")
                substitutes[seat.representative_id] = substitute
    return substitutes


def _presiding(by_id: dict[int, Voter], casting_vote: Choice | None) -> Voter | None:
    presiding = [v for v in by_id.values() if v.presiding]
    if len(presiding) > 1:
        raise ValueError("only one person presides")
    chair = presiding[0] if presiding else None
    if casting_vote in (Choice.FOR, Choice.AGAINST) and (
        chair is None or not chair.present or chair.role in NON_VOTING_ROLES
    ):
        raise ValueError("a casting vote is given only by a voting member presiding in the meeting")
    return chair
