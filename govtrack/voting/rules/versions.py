"""What a body's decision rules are made of: the closed sets (who votes, which electronic
modes count), a rule version with the Local Government Act 1972's defaults, the version in
force on a day, and the majority presets a clerk chooses from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from govtrack.core.dates import long_date
from govtrack.registry.enums import MembershipRole
from govtrack.voting.enums import (
    Comparison,
    ElectronicMode,
    MajorityBase,
    QuorumOf,
    TieRule,
    VotingUnit,
)
from govtrack.voting.rules.words import fraction_words

VOTING_ROLES = frozenset({MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER})


# Co-opted members and officer advisers never vote and never count towards the quorum.
NON_VOTING_ROLES = frozenset({MembershipRole.CO_OPTED, MembershipRole.OFFICER_ADVISER})


COUNTING_MODES = frozenset({ElectronicMode.ABSENT_VOTERS, ElectronicMode.EVERYONE})


@dataclass(frozen=True)
class RuleVersion:
    """One version of a body's decision rules, in force from ``effective_from``.

    Every field but the label and the date defaults to the Local Government Act 1972: a simple
    majority of those present and voting (more than half of the votes for and against,
    abstentions left out), the presiding member's casting vote on an equality, no electronic
    voting. The Act sets no quorum for committees or joint committees, so by default none is
    set (``quorum_number`` and ``quorum_fraction`` both None): then one voter taking part is
    enough; the constituting agreement should say more.

    The quorum is ``quorum_number`` or ``ceil(quorum_fraction * size)`` of the members or of the
    partners (``quorum_of``), never below ``quorum_minimum`` (nor 1), and with
    ``quorum_every_partner`` each partner must be represented. A motion is carried when its
    votes For are ``comparison`` ``threshold`` of the ``base``; ``abstentions_in_base`` says
    whether abstentions are in that base. ``response_window_days`` are working days of the
    body's nation.
    """

    label: str
    effective_from: date
    voting_unit: VotingUnit = VotingUnit.MEMBER
    quorum_of: QuorumOf = QuorumOf.MEMBERS
    quorum_number: int | None = None
    quorum_fraction: Fraction | None = None
    quorum_minimum: int = 0
    quorum_every_partner: bool = False
    electronic_counts_for_quorum: bool = False
    threshold: Fraction = Fraction(1, 2)
    comparison: Comparison = Comparison.MORE_THAN
    base: MajorityBase = MajorityBase.FOR_AGAINST
    abstentions_in_base: bool = False
    tie_rule: TieRule = TieRule.CASTING_VOTE
    electronic_mode: ElectronicMode = ElectronicMode.OFF
    response_window_days: int = 5
    close_early: bool = False
    # Keep the running tally and each electronic vote from view until the decision closes
    # (recorded votes are public once it has: the default shows them as they come).
    hide_tally_until_closed: bool = False


# The Act came into force on 1 April 1974.
LGA1972_DEFAULTS = RuleVersion(
    label="Local Government Act 1972, Sch. 12 para 39", effective_from=date(1974, 4, 1)
)


def version_in_force(versions: Iterable[RuleVersion], on: date) -> RuleVersion | None:
    """The version a decision taken ``on`` a day is judged by: the latest to take effect by
    then. Two versions taking effect on the same day are a mistake the caller must fix."""
    in_force = [v for v in versions if v.effective_from <= on]
    if not in_force:
        return None
    latest = max(v.effective_from for v in in_force)
    current = [v for v in in_force if v.effective_from == latest]
    if len(current) > 1:
        raise ValueError(f"{len(current)} rule versions take effect on {long_date(latest)}")
    return current[0]


@dataclass(frozen=True)
class MajorityPreset:
    """A named majority the rule page offers; choosing one sets the four majority fields."""

    key: str
    label: str
    threshold: Fraction
    comparison: Comparison
    base: MajorityBase
    abstentions_in_base: bool


_HALF, _TWO_THIRDS, _THREE_QUARTERS, _ALL = (
    Fraction(1, 2),
    Fraction(2, 3),
    Fraction(3, 4),
    Fraction(1),
)


_MORE, _LEAST = Comparison.MORE_THAN, Comparison.AT_LEAST


_CAST, _ENTITLED = MajorityBase.FOR_AGAINST, MajorityBase.ENTITLED


# 'Votes cast' follows Sch. 12's 'present and voting': abstentions are not votes cast, so they
# are left out of the base. 'Those entitled' counts everyone entitled, abstaining or not.
# Unanimity of those voting is 'nemine contradicente': nobody votes against; abstentions do not
# break it (choose 'all votes cast' as the base to let them).
MAJORITY_PRESETS = (
    MajorityPreset("simple", "Simple majority of votes cast", _HALF, _MORE, _CAST, False),
    MajorityPreset(
        "absolute", "Absolute majority of those entitled to vote", _HALF, _MORE, _ENTITLED, True
    ),
    MajorityPreset(
        "two_thirds_cast", "Two-thirds of votes cast", _TWO_THIRDS, _LEAST, _CAST, False
    ),
    MajorityPreset(
        "two_thirds_entitled",
        "Two-thirds of those entitled to vote",
        _TWO_THIRDS,
        _LEAST,
        _ENTITLED,
        True,
    ),
    MajorityPreset(
        "three_quarters_cast", "Three-quarters of votes cast", _THREE_QUARTERS, _LEAST, _CAST, False
    ),
    MajorityPreset(
        "three_quarters_entitled",
        "Three-quarters of those entitled to vote",
        _THREE_QUARTERS,
        _LEAST,
        _ENTITLED,
        True,
    ),
    MajorityPreset("unanimity_voting", "Unanimity of those voting", _ALL, _LEAST, _CAST, False),
    MajorityPreset(
        "unanimity_entitled", "Unanimity of all entitled to vote", _ALL, _LEAST, _ENTITLED, True
    ),
)


def majority_presets() -> tuple[MajorityPreset, ...]:
    """The named majorities the rule page offers, in the order it lists them."""
    return MAJORITY_PRESETS


def with_majority(rule: RuleVersion, key: str) -> RuleVersion:
    """The rule version with the named majority's four fields."""
    preset = next((p for p in MAJORITY_PRESETS if p.key == key), None)
    if preset is None:
        raise ValueError(f"no majority called {key!r}")
    return replace(
        rule,
        threshold=preset.threshold,
        comparison=preset.comparison,
        base=preset.base,
        abstentions_in_base=preset.abstentions_in_base,
    )


def preset_of(rule: RuleVersion) -> MajorityPreset | None:
    """The named majority a rule version uses, if it uses one."""
    for preset in MAJORITY_PRESETS:
        if (
            Fraction(rule.threshold) == preset.threshold
            and rule.comparison is preset.comparison
            and rule.base is preset.base
            and rule.abstentions_in_base == preset.abstentions_in_base
        ):
            return preset
    return None


def requirement_text(rule: RuleVersion) -> str:
    """What a motion needs to be carried under a rule version, in words (Popolo's motion
    'requirement'): the named majority where the rule uses one, else its four fields."""
    preset = preset_of(rule)
    if preset is not None:
        return preset.label
    base = rule.base.label[0].lower() + rule.base.label[1:]
    abstentions = "counted" if rule.abstentions_in_base else "not counted"
    return (
        f"{rule.comparison.label} {fraction_words(Fraction(rule.threshold))} of "
        f"{base} (abstentions {abstentions})"
    )
