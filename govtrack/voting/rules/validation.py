"""Checking a rule version when it is entered: every problem, by field, in words a clerk can
act on (a quorum that cannot be met, a majority that cannot be reached, electronic votes the
law forbids)."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from govtrack.registry.enums import Jurisdiction, LegalForm
from govtrack.voting.enums import (
    Comparison,
    ElectronicMode,
    MajorityBase,
    QuorumOf,
    VotingUnit,
)
from govtrack.voting.rules.electronic import remote_votes_refusal
from govtrack.voting.rules.versions import COUNTING_MODES, RuleVersion
from govtrack.voting.rules.words import fraction_words


def validate(
    rule: RuleVersion,
    jurisdiction: Jurisdiction,
    legal_form: LegalForm,
    membership_size: int,
    partners_count: int,
) -> list[tuple[str, str]]:
    """Why a rule version cannot be accepted for a body: (field, message) pairs, empty if it
    can. ``membership_size`` counts the body's voting members; ``partners_count`` its
    constituent partners."""
    problems: list[tuple[str, str]] = []
    if not rule.label.strip():
        problems.append(("label", "Give the rule version a name."))
    problems += _quorum_problems(rule, membership_size, partners_count)
    problems += _majority_problems(rule)
    problems += _electronic_problems(rule, jurisdiction, legal_form)
    return problems


def _quorum_problems(
    rule: RuleVersion, membership_size: int, partners_count: int
) -> list[tuple[str, str]]:
    """The quorum must be reachable by the body as it is; each member represents one partner."""
    problems: list[tuple[str, str]] = []
    by_members = rule.quorum_of is QuorumOf.MEMBERS
    size = membership_size if by_members else partners_count
    noun = "members" if by_members else "partners"

    def beyond(count: int) -> str | None:
        if count > size:
            return f"the body has {size}"
        if not by_members and count > membership_size:
            return f"the body has {membership_size} members to represent them"
        return None

    if rule.quorum_number is not None and rule.quorum_fraction is not None:
        problems.append(
            ("quorum_fraction", "Give the quorum as a number or as a fraction, not both.")
        )
    if rule.quorum_number is not None:
        if rule.quorum_number < 1:
            problems.append(("quorum_number", "A quorum must be at least 1."))
        elif why := beyond(rule.quorum_number):
            problems.append(
                (
                    "quorum_number",
                    f"A quorum of {rule.quorum_number} {noun} can never be reached: {why}.",
                )
            )
    if rule.quorum_fraction is not None:
        problems += _quorum_fraction_problems(Fraction(rule.quorum_fraction), size, noun, beyond)
    if rule.quorum_minimum < 0:
        problems.append(("quorum_minimum", "A minimum cannot be negative."))
    elif why := beyond(rule.quorum_minimum):
        problems.append(
            (
                "quorum_minimum",
                f"A minimum of {rule.quorum_minimum} {noun} can never be reached: {why}.",
            )
        )
    problems += _partner_problems(rule, membership_size, partners_count)
    return problems


def _quorum_fraction_problems(
    fraction: Fraction, size: int, noun: str, beyond: Callable[[int], str | None]
) -> list[tuple[str, str]]:
    if not 0 < fraction <= 1:
        return [
            (
                "quorum_fraction",
                "A quorum fraction must be more than nothing and no more than the whole "
                "(between 0 and 1).",
            )
        ]
    if why := beyond(math.ceil(fraction * size)):
        return [
            (
                "quorum_fraction",
                f"{fraction_words(fraction).capitalize()} of {size} {noun}, rounded up, is "
                f"{math.ceil(fraction * size)}, which can never be reached: {why}.",
            )
        ]
    return []


def _partner_problems(
    rule: RuleVersion, membership_size: int, partners_count: int
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if rule.quorum_every_partner:
        if partners_count < 1:
            problems.append(("quorum_every_partner", "The body has no partners to be represented."))
        elif membership_size < partners_count:
            problems.append(
                (
                    "quorum_every_partner",
                    f"One member from each of the {partners_count} partners can never be "
                    f"present: the body has {membership_size} members.",
                )
            )
    if rule.voting_unit is VotingUnit.PARTNER and partners_count < 1:
        problems.append(("voting_unit", "One vote per partner needs at least one partner."))
    return problems


def _majority_problems(rule: RuleVersion) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    # Below half, a motion and its opposite could both be carried.
    threshold = Fraction(rule.threshold)
    if not Fraction(1, 2) <= threshold <= 1:
        problems.append(("threshold", "The majority must be between half and all of the base."))
    elif threshold == 1 and rule.comparison is Comparison.MORE_THAN:
        problems.append(("comparison", "'More than all' can never be reached: choose 'at least'."))
    if rule.base is MajorityBase.FOR_AGAINST and rule.abstentions_in_base:
        problems.append(
            (
                "abstentions_in_base",
                "Votes for and against leave abstentions out; choose 'all votes cast' to count "
                "them.",
            )
        )
    if rule.base is MajorityBase.CAST and not rule.abstentions_in_base:
        problems.append(
            (
                "abstentions_in_base",
                "All votes cast include abstentions; choose 'votes for and against' to leave "
                "them out.",
            )
        )
    return problems


def _electronic_problems(
    rule: RuleVersion, jurisdiction: Jurisdiction, legal_form: LegalForm
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    refusal = remote_votes_refusal(jurisdiction, legal_form)
    counting = rule.electronic_mode in COUNTING_MODES
    if counting and refusal:
        problems.append(
            (
                "electronic_mode",
                f"{refusal} Choose 'consultation responses only': absent members' responses "
                "are then shown beside the decision and never counted.",
            )
        )
    if rule.electronic_counts_for_quorum:
        if not counting:
            problems.append(
                (
                    "electronic_counts_for_quorum",
                    "Electronic votes can count towards the quorum only when they are counted "
                    "votes.",
                )
            )
        elif refusal:
            problems.append(("electronic_counts_for_quorum", refusal))
    if rule.electronic_mode is not ElectronicMode.OFF and rule.response_window_days < 1:
        problems.append(
            ("response_window_days", "Give a response window of at least 1 working day.")
        )
    return problems
