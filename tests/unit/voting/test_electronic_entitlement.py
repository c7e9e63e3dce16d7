"""Who may vote or respond electronically (``rules.electronic_refusal``), checked against the
outcome engine: whoever is refused could never have changed the count, and whoever is let in
casts a vote that counts. Also what a motion needs, in words (Popolo's 'requirement')."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.registry.enums import Jurisdiction, LegalForm, MembershipRole
from govtrack.voting.enums import (
    Channel,
    Choice,
    Comparison,
    ElectronicMode,
    MajorityBase,
    VotingUnit,
)
from govtrack.voting.rules import (
    LGA1972_DEFAULTS,
    MAJORITY_PRESETS,
    VOTING_ROLES,
    PartnerSeat,
    RuleVersion,
    Vote,
    Voter,
    decide,
    electronic_refusal,
    electronic_votes_count,
    requirement_text,
)

ENGLAND, WALES = Jurisdiction.ENGLAND, Jurisdiction.WALES
BOARD, JOINT_COMMITTEE = LegalForm.OFFICER_BOARD, LegalForm.LGA1972_JOINT_COMMITTEE
CHAIR, MEMBER, SUBSTITUTE = MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.SUBSTITUTE
CO_OPTED = MembershipRole.CO_OPTED


def rule(**changes) -> RuleVersion:
    return replace(
        RuleVersion("Board terms", date(2007, 4, 1), electronic_mode=ElectronicMode.ABSENT_VOTERS),
        **changes,
    )


def seats(voters: list[Voter]) -> list[PartnerSeat]:
    """Each partner's representative (its first voting member) and named substitute, as the
    services choose them."""
    out = []
    for partner_id in sorted({v.partner_id for v in voters}):
        mine = [v for v in voters if v.partner_id == partner_id]
        rep = next((v.person_id for v in mine if v.role in VOTING_ROLES), None)
        sub = next((v.person_id for v in mine if v.role is SUBSTITUTE), None)
        out.append(PartnerSeat(partner_id, f"Council {partner_id}", rep, sub))
    return out


BEA = Voter(2, 20, MEMBER, present=False, name="Bea")
BOB = Voter(3, 20, MEMBER, present=False, name="Bob")
ANN = Voter(1, 10, CHAIR, present=True, presiding=True, name="Ann")
SAL = Voter(4, 20, SUBSTITUTE, present=False, name="Sal")


def test_one_vote_per_partner_refuses_a_second_member_of_the_partner():
    voters = [ANN, BEA, BOB]
    partner = rule(voting_unit=VotingUnit.PARTNER)
    assert electronic_refusal(partner, BEA.person_id, voters, seats(voters)) is None
    why = electronic_refusal(partner, BOB.person_id, voters, seats(voters))
    assert "one vote" in why and "Bea is its designated representative" in why
    # One vote per member: Bob votes for himself.
    assert electronic_refusal(rule(), BOB.person_id, voters, seats(voters)) is None


def test_the_named_substitute_answers_only_while_the_representative_has_not():
    voters = [ANN, BEA, SAL]
    partner = rule(voting_unit=VotingUnit.PARTNER)
    assert electronic_refusal(partner, SAL.person_id, voters, seats(voters)) is None
    why = electronic_refusal(partner, SAL.person_id, voters, seats(voters), responded={2})
    assert "Bea" in why and "has responded" in why
    present = [ANN, replace(BEA, present=True), SAL]
    assert "cast Council 20's vote at the meeting" in electronic_refusal(
        partner, SAL.person_id, present, seats(present)
    )


def test_those_present_non_voting_members_and_strangers_are_refused():
    voters = [ANN, BEA, Voter(5, 10, CO_OPTED, name="Cora")]
    assert "You were at the meeting" in electronic_refusal(rule(), ANN.person_id, voters)
    assert "not a voting member" in electronic_refusal(rule(), 5, voters)
    assert "not a voting member" in electronic_refusal(rule(), 99, voters)
    everyone = rule(electronic_mode=ElectronicMode.EVERYONE)
    assert electronic_refusal(everyone, ANN.person_id, voters) is None
    assert "do not provide" in electronic_refusal(
        rule(electronic_mode=ElectronicMode.OFF), BEA.person_id, voters
    )


def test_a_member_whose_substitute_stood_in_is_refused():
    stand_in = Voter(4, 20, SUBSTITUTE, present=True, name="Sal", substitute_for=BEA.person_id)
    voters = [ANN, BEA, stand_in]
    assert "Sal stood in for you" in electronic_refusal(rule(), BEA.person_id, voters)


def test_consultation_responses_do_not_count_where_the_law_or_the_rule_says_so():
    assert not electronic_votes_count(
        rule(electronic_mode=ElectronicMode.CONSULTATION), ENGLAND, BOARD
    )
    assert not electronic_votes_count(rule(), ENGLAND, JOINT_COMMITTEE)
    assert electronic_votes_count(rule(), ENGLAND, BOARD)
    assert electronic_votes_count(rule(), WALES, JOINT_COMMITTEE)


@st.composite
def worlds(draw):
    """A board of two or three partners, each with one to three people (a chair on the
    first), some present, some having voted in the meeting; one vote per member or partner;
    electronic votes for absent voters or for everyone."""
    voters: list[Voter] = []
    person = 1
    for partner_id in range(1, draw(st.integers(2, 3)) + 1):
        for n in range(draw(st.integers(1, 3))):
            if partner_id == 1 and n == 0:
                role = CHAIR
            else:
                role = draw(st.sampled_from([MEMBER, MEMBER, SUBSTITUTE, CO_OPTED]))
            voters.append(
                Voter(person, partner_id, role, present=draw(st.booleans()), name=f"P{person}")
            )
            person += 1
    the_rule = rule(
        voting_unit=draw(st.sampled_from(list(VotingUnit))),
        electronic_mode=draw(
            st.sampled_from([ElectronicMode.ABSENT_VOTERS, ElectronicMode.EVERYONE])
        ),
    )
    votes = [
        Vote(v.person_id, draw(st.sampled_from(list(Choice))))
        for v in voters
        if v.present and v.role in VOTING_ROLES and draw(st.booleans())
    ]
    return the_rule, voters, seats(voters), votes


def counted(the_rule, voters, partners, votes):
    outcome = decide(the_rule, ENGLAND, BOARD, voters, votes, partners=partners, closed=True)
    return outcome.counted


@settings(max_examples=50, deadline=None)
@given(worlds(), st.sampled_from(list(Choice)))
def test_whoever_is_refused_could_not_change_the_count_and_whoever_is_let_in_counts(world, choice):
    the_rule, voters, partners, votes = world
    before = counted(the_rule, voters, partners, votes)
    voted_in_meeting = {v.voter_id for v in votes}
    for voter in voters:
        if voter.person_id in voted_in_meeting:
            continue
        refusal = electronic_refusal(the_rule, voter.person_id, voters, partners)
        after = counted(
            the_rule, voters, partners, [*votes, Vote(voter.person_id, choice, Channel.ELECTRONIC)]
        )
        if refusal is None:
            assert after.total == before.total + 1, voter
        else:
            assert after == before, (voter, refusal)


def test_a_motion_needs_what_the_rule_in_force_says():
    assert requirement_text(LGA1972_DEFAULTS) == "Simple majority of votes cast"
    for preset in MAJORITY_PRESETS:
        assert requirement_text(replace(LGA1972_DEFAULTS, **_fields(preset))) == preset.label
    custom = replace(
        LGA1972_DEFAULTS,
        threshold=Fraction(3, 5),
        comparison=Comparison.AT_LEAST,
        base=MajorityBase.PRESENT,
        abstentions_in_base=True,
    )
    assert requirement_text(custom) == (
        "At least three fifths of those present (abstentions counted)"
    )


def _fields(preset) -> dict:
    return {
        "threshold": preset.threshold,
        "comparison": preset.comparison,
        "base": preset.base,
        "abstentions_in_base": preset.abstentions_in_base,
    }
