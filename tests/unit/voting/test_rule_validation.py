"""Checking a rule version when it is entered: rules that cannot be satisfied, and remote votes
the law does not let a body count, are refused with the reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govtrack.registry.enums import Jurisdiction, LegalForm
from govtrack.voting.enums import (
    Choice,
    ElectronicMode,
    MajorityBase,
    OutcomeStatus,
    QuorumOf,
    VotingUnit,
)
from govtrack.voting.rules import (
    LGA1972_DEFAULTS,
    MAJORITY_PRESETS,
    PartnerSeat,
    RuleVersion,
    Vote,
    Voter,
    decide,
    majority_presets,
    preset_of,
    validate,
    with_majority,
)

ENGLAND, WALES = Jurisdiction.ENGLAND, Jurisdiction.WALES
JOINT_COMMITTEE = LegalForm.LGA1972_JOINT_COMMITTEE
STATUTORY = [LegalForm.LGA1972_JOINT_COMMITTEE, LegalForm.LGA1972_COMMITTEE, LegalForm.EXECUTIVE]
NOT_STATUTORY = [LegalForm.OFFICER_BOARD, LegalForm.NON_STATUTORY]
COUNTING = [ElectronicMode.ABSENT_VOTERS, ElectronicMode.EVERYONE]


def rules(**changes) -> RuleVersion:
    return replace(RuleVersion("IAA 2007", date(2007, 4, 1)), **changes)


def problems(rule, jurisdiction=ENGLAND, legal_form=JOINT_COMMITTEE, members=7, partners=7):
    return validate(rule, jurisdiction, legal_form, members, partners)


def fields(rule, **kw) -> set[str]:
    return {field for field, _ in problems(rule, **kw)}


@pytest.mark.parametrize("jurisdiction", list(Jurisdiction))
@pytest.mark.parametrize("legal_form", list(LegalForm))
def test_the_1972_act_defaults_are_accepted_for_every_body(jurisdiction, legal_form):
    assert problems(LGA1972_DEFAULTS, jurisdiction, legal_form) == []


@pytest.mark.parametrize("preset", MAJORITY_PRESETS, ids=lambda p: p.key)
def test_every_named_majority_is_accepted_and_recognised(preset):
    rule = with_majority(rules(), preset.key)
    assert problems(rule) == []
    assert preset_of(rule) == preset


def test_the_named_majorities_are_the_ones_the_issue_lists():
    assert [p.key for p in majority_presets()] == [
        "simple",
        "absolute",
        "two_thirds_cast",
        "two_thirds_entitled",
        "three_quarters_cast",
        "three_quarters_entitled",
        "unanimity_voting",
        "unanimity_entitled",
    ]
    with pytest.raises(ValueError, match="no majority called"):
        with_majority(rules(), "plurality")
    assert preset_of(rules(threshold=Fraction(3, 5))) is None


# --- Quorums that can never be reached -----------------------------------------------------------


def test_quorum_larger_than_the_membership_is_refused():
    assert problems(rules(quorum_number=9)) == [
        ("quorum_number", "A quorum of 9 members can never be reached: the body has 7.")
    ]
    assert problems(rules(quorum_number=7)) == []


def test_quorum_of_partners_larger_than_the_partnership_is_refused():
    rule = rules(quorum_of=QuorumOf.PARTNERS, quorum_number=5)
    assert problems(rule, members=14, partners=4) == [
        ("quorum_number", "A quorum of 5 partners can never be reached: the body has 4.")
    ]
    # Each member represents one partner: three members can never represent four partners.
    assert problems(replace(rule, quorum_number=4), members=3, partners=6) == [
        (
            "quorum_number",
            "A quorum of 4 partners can never be reached: the body has 3 members to represent "
            "them.",
        )
    ]


@pytest.mark.parametrize("fraction", [Fraction(3, 2), Fraction(0), Fraction(-1, 3)])
def test_quorum_fraction_over_one_or_not_above_nothing_is_refused(fraction):
    assert fields(rules(quorum_fraction=fraction)) == {"quorum_fraction"}


def test_quorum_of_all_members_is_accepted():
    assert problems(rules(quorum_fraction=Fraction(1))) == []


def test_quorum_given_as_both_a_number_and_a_fraction_is_refused():
    rule = rules(quorum_number=3, quorum_fraction=Fraction(1, 3))
    assert ("quorum_fraction", "Give the quorum as a number or as a fraction, not both.") in (
        problems(rule)
    )


def test_quorum_of_less_than_one_is_refused():
    assert fields(rules(quorum_number=0)) == {"quorum_number"}


def test_quorum_minimum_larger_than_the_membership_is_refused():
    assert problems(rules(quorum_fraction=Fraction(1, 3), quorum_minimum=8)) == [
        ("quorum_minimum", "A minimum of 8 members can never be reached: the body has 7.")
    ]
    assert fields(rules(quorum_minimum=-1)) == {"quorum_minimum"}


def test_every_partner_represented_is_refused_when_partners_outnumber_members():
    rule = rules(quorum_every_partner=True)
    assert problems(rule, members=3, partners=4) == [
        (
            "quorum_every_partner",
            "One member from each of the 4 partners can never be present: the body has 3 members.",
        )
    ]
    assert fields(rule, partners=0) == {"quorum_every_partner"}


def test_one_vote_per_partner_needs_partners():
    assert fields(rules(voting_unit=VotingUnit.PARTNER), partners=0) == {"voting_unit"}


# --- Majorities that make no sense ---------------------------------------------------------------


@pytest.mark.parametrize("threshold", [Fraction(1, 3), Fraction(0), Fraction(5, 4)])
def test_threshold_outside_half_to_all_is_refused(threshold):
    assert fields(rules(threshold=threshold)) == {"threshold"}


def test_more_than_all_is_refused():
    assert problems(rules(threshold=Fraction(1))) == [
        ("comparison", "'More than all' can never be reached: choose 'at least'.")
    ]


def test_abstentions_must_agree_with_the_base():
    assert fields(rules(base=MajorityBase.FOR_AGAINST, abstentions_in_base=True)) == {
        "abstentions_in_base"
    }
    assert fields(rules(base=MajorityBase.CAST, abstentions_in_base=False)) == {
        "abstentions_in_base"
    }
    for base in (MajorityBase.PRESENT, MajorityBase.ENTITLED):
        for in_base in (True, False):
            assert problems(rules(base=base, abstentions_in_base=in_base)) == []


# --- Remote votes and the law --------------------------------------------------------------------


@pytest.mark.parametrize("legal_form", STATUTORY)
@pytest.mark.parametrize("mode", COUNTING)
def test_counting_remote_votes_for_a_statutory_body_in_england_is_refused(legal_form, mode):
    found = problems(rules(electronic_mode=mode), ENGLAND, legal_form)
    assert [field for field, _ in found] == ["electronic_mode"]
    message = found[0][1]
    assert "in England cannot count remote votes" in message
    assert "Hertfordshire CC v SSHCLG [2021] EWHC 1093 (Admin)" in message
    assert "Choose 'consultation responses only'" in message


def test_the_refusal_names_the_body_plainly():
    message = problems(rules(electronic_mode=ElectronicMode.EVERYONE))[0][1]
    assert message.startswith(
        "A joint committee (Local Government Act 1972) in England cannot count remote votes"
    )
    executive = problems(
        rules(electronic_mode=ElectronicMode.EVERYONE), ENGLAND, LegalForm.EXECUTIVE
    )
    assert executive[0][1].startswith("An executive in England cannot count remote votes")


@pytest.mark.parametrize("legal_form", STATUTORY)
def test_consultation_responses_are_accepted_for_a_statutory_body_in_england(legal_form):
    assert problems(rules(electronic_mode=ElectronicMode.CONSULTATION), ENGLAND, legal_form) == []


@pytest.mark.parametrize("legal_form", STATUTORY + NOT_STATUTORY)
@pytest.mark.parametrize("mode", COUNTING)
def test_remote_votes_may_count_for_any_body_in_wales(legal_form, mode):
    rule = rules(electronic_mode=mode, electronic_counts_for_quorum=True)
    assert problems(rule, WALES, legal_form) == []


@pytest.mark.parametrize("legal_form", NOT_STATUTORY)
@pytest.mark.parametrize("mode", COUNTING)
def test_officer_boards_and_non_statutory_bodies_in_england_may_count_remote_votes(
    legal_form, mode
):
    rule = rules(electronic_mode=mode, electronic_counts_for_quorum=True)
    assert problems(rule, ENGLAND, legal_form) == []


def test_electronic_votes_count_towards_the_quorum_only_where_they_are_counted_votes():
    for mode in (ElectronicMode.OFF, ElectronicMode.CONSULTATION):
        assert fields(rules(electronic_mode=mode, electronic_counts_for_quorum=True)) == {
            "electronic_counts_for_quorum"
        }
    refused = rules(electronic_mode=ElectronicMode.ABSENT_VOTERS, electronic_counts_for_quorum=True)
    assert fields(refused, jurisdiction=ENGLAND) == {
        "electronic_mode",
        "electronic_counts_for_quorum",
    }


def test_response_window_of_less_than_a_working_day_is_refused_when_electronic_voting_is_on():
    assert fields(rules(electronic_mode=ElectronicMode.CONSULTATION, response_window_days=0)) == {
        "response_window_days"
    }
    assert problems(rules(response_window_days=0)) == []


def test_a_rule_version_needs_a_name():
    assert fields(rules(label="  ")) == {"label"}


# --- Property: a rule accepted for a body can be met when everyone attends -----------------------


@given(
    members=st.integers(1, 12),
    partners=st.integers(1, 6),
    quorum_of=st.sampled_from(QuorumOf),
    number=st.none() | st.integers(-1, 14),
    fraction=st.none() | st.fractions(Fraction(-1, 2), Fraction(3, 2), max_denominator=6),
    minimum=st.integers(-1, 14),
    every_partner=st.booleans(),
    unit=st.sampled_from(VotingUnit),
    preset=st.sampled_from(MAJORITY_PRESETS),
)
def test_a_rule_accepted_for_a_body_carries_a_unanimous_vote_when_everyone_attends(
    members, partners, quorum_of, number, fraction, minimum, every_partner, unit, preset
):
    rule = with_majority(
        rules(
            voting_unit=unit,
            quorum_of=quorum_of,
            quorum_number=number,
            quorum_fraction=fraction,
            quorum_minimum=minimum,
            quorum_every_partner=every_partner,
        ),
        preset.key,
    )
    if validate(rule, ENGLAND, JOINT_COMMITTEE, members, partners):
        return
    # Members spread over the partners, each partner with at least one when it can have one.
    voters = [Voter(i, 1 + i % partners, present=True, name=f"Cllr {i}") for i in range(members)]
    seats = [
        PartnerSeat(
            p, f"Partner {p}", next((v.person_id for v in voters if v.partner_id == p), None)
        )
        for p in range(1, partners + 1)
    ]
    votes = [Vote(v.person_id, Choice.FOR) for v in voters]
    outcome = decide(rule, ENGLAND, JOINT_COMMITTEE, voters, votes, partners=seats)
    assert outcome.quorum.reached
    if unit is VotingUnit.MEMBER or members >= partners or preset.base is not MajorityBase.ENTITLED:
        assert outcome.status is OutcomeStatus.CARRIED
