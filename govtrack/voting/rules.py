"""Decision rules as pure functions: who may vote, the quorum, the majority, what a tie does and
whether electronic votes count, and the outcome of a decision with the explanation a clerk can
read aloud.

The law behind the defaults and the refusals (England and Wales):
- Local Government Act 1972 Sch. 12 para 39: a question is decided by a majority of the members
  present and voting (abstentions do not count); on an equality of votes the person presiding
  has a second or casting vote. A body's constituting agreement may say a tie means the motion
  is not carried.
- Joint committees have no statutory quorum: the constituting agreement (here the
  Inter-Authority Agreement) sets it. Co-opted non-voting members never vote.
- England: since Hertfordshire CC v SSHCLG [2021] EWHC 1093 (Admin) a member who is not
  physically present at a meeting of a council, committee or joint committee under the 1972 Act
  cannot vote or count towards its quorum; absent members' electronic responses are consultation
  responses shown beside the decision, never counted. Wales (Local Government and Elections
  (Wales) Act 2021 s.47) provides for multi-location meetings, so remote members there are
  present. Officer boards and non-statutory bodies may decide electronically if their terms of
  reference allow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from govtrack.core.dates import long_date
from govtrack.meetings.rules import MAX_COUNTED_DAYS, is_working_day, working_days
from govtrack.registry.enums import Jurisdiction, LegalForm, MembershipRole
from govtrack.voting.enums import (
    Channel,
    Choice,
    Comparison,
    ElectronicMode,
    MajorityBase,
    OutcomeStatus,
    QuorumOf,
    TieRule,
    VotingUnit,
)

# ---------------------------------------------------------------------------------------------
# The closed sets a rule version is made of
# ---------------------------------------------------------------------------------------------


VOTING_ROLES = frozenset({MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER})
# Co-opted members and officer advisers never vote and never count towards the quorum.
NON_VOTING_ROLES = frozenset({MembershipRole.CO_OPTED, MembershipRole.OFFICER_ADVISER})
COUNTING_MODES = frozenset({ElectronicMode.ABSENT_VOTERS, ElectronicMode.EVERYONE})


# ---------------------------------------------------------------------------------------------
# Rule versions
# ---------------------------------------------------------------------------------------------


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
        raise ValueError(f"{len(current)} rule versions take effect on {_long_date(latest)}")
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
        f"{rule.comparison.label} {_fraction_words(Fraction(rule.threshold))} of "
        f"{base} (abstentions {abstentions})"
    )


# ---------------------------------------------------------------------------------------------
# What the law allows
# ---------------------------------------------------------------------------------------------

# Hertfordshire CC v SSHCLG [2021] EWHC 1093 (Admin) concerned councils, committees and joint
# committees under the 1972 Act. Executives (cabinets) in England are treated the same: the 2020
# regulations that let them meet remotely lapsed on 7 May 2021 with the rest, and nothing has
# replaced them, so a member must be physically present to vote.
STATUTORY_FORMS = frozenset(
    {LegalForm.LGA1972_COMMITTEE, LegalForm.LGA1972_JOINT_COMMITTEE, LegalForm.EXECUTIVE}
)


def remote_votes_may_count(jurisdiction: Jurisdiction, legal_form: LegalForm) -> bool:
    """Whether the law lets a remote (electronic) vote count. Wales: yes (s.47 of the 2021 Act,
    multi-location meetings); England: only for officer boards and non-statutory bodies."""
    return not (jurisdiction is Jurisdiction.ENGLAND and legal_form in STATUTORY_FORMS)


def remote_votes_refusal(jurisdiction: Jurisdiction, legal_form: LegalForm) -> str | None:
    """Why remote votes cannot count for this body, in plain words, or None if they can."""
    if remote_votes_may_count(jurisdiction, legal_form):
        return None
    label = legal_form.label[0].lower() + legal_form.label[1:]
    article = "An" if label[0] in "aeiou" else "A"
    return (
        f"{article} {label} in England cannot count remote votes: since Hertfordshire CC v "
        "SSHCLG [2021] EWHC 1093 (Admin) a member who is not physically present at the meeting "
        "cannot vote or count towards its quorum."
    )


def electronic_votes_count(
    rule: RuleVersion, jurisdiction: Jurisdiction, legal_form: LegalForm
) -> bool:
    """Whether electronic responses under ``rule`` are counted votes. Where they are not (the
    rule takes consultation responses only, or the law refuses remote votes), the outcome is
    decided in the meeting and is final there; responses are gathered beside it."""
    return rule.electronic_mode in COUNTING_MODES and remote_votes_may_count(
        jurisdiction, legal_form
    )


def electronic_refusal(
    rule: RuleVersion,
    person_id: int,
    voters: Iterable[Voter],
    partners: Iterable[PartnerSeat] = (),
    responded: Iterable[int] = (),
    body_name: str = "the body",
) -> str | None:
    """Why a person may not vote (or respond) electronically on a decision, in plain words, or
    None if they may. ``responded`` are those with a current electronic vote.

    One vote per member: a chair, vice-chair or member absent from the meeting (anyone, where
    the rule lets everyone vote electronically), unless a substitute stood in for them there.
    One vote per partner: only the partner's voter that day, its designated representative or,
    when the representative is neither in the meeting nor has responded, its named substitute.
    Nobody is given a receipt for a vote that could never count."""
    if rule.electronic_mode is ElectronicMode.OFF:
        return "The rules in force do not provide for electronic voting."
    by_id = {v.person_id: v for v in voters}
    voter = by_id.get(person_id)
    if voter is None or voter.role in NON_VOTING_ROLES:
        return f"You are not a voting member of {body_name} on the day of the meeting."
    if voter.present and rule.electronic_mode is not ElectronicMode.EVERYONE:
        return (
            "You were at the meeting, so your vote there is the one that counts: only members "
            "absent from it may respond electronically."
        )
    stood_in = next(
        (v for v in by_id.values() if v.substitute_for == person_id and v.present), None
    )
    if rule.voting_unit is VotingUnit.PARTNER:
        return _partner_vote_refusal(voter, by_id, partners, responded)
    if voter.role is MembershipRole.SUBSTITUTE:
        return (
            "A substitute votes only in the place of a member, standing in for them at the meeting."
        )
    if stood_in is not None:
        return f"{_name(stood_in)} stood in for you at the meeting and voted in your place."
    return None


def _partner_vote_refusal(
    voter: Voter,
    by_id: dict[int, Voter],
    partners: Iterable[PartnerSeat],
    responded: Iterable[int],
) -> str | None:
    """Why ``voter`` may not cast their partner's one electronic vote, or None if they may: only
    its designated representative or, failing them, its named substitute."""
    person_id = voter.person_id
    seat = next((p for p in partners if person_id in (p.representative_id, p.substitute_id)), None)
    if seat is None:
        owner = next((p for p in partners if p.partner_id == voter.partner_id), None)
        named = by_id.get(owner.representative_id) if owner and owner.representative_id else None
        who = f" {_name(named)} is its designated representative." if named else ""
        return (
            "Each partner has one vote, cast by its designated representative or, failing "
            f"them, its named substitute: you are neither for your partner that day.{who}"
        )
    if person_id == seat.representative_id:
        other = by_id.get(seat.substitute_id) if seat.substitute_id is not None else None
        if other is not None and other.present and not voter.present:
            return f"{_name(other)} cast {seat.name}'s vote at the meeting."
        return None
    representative = (
        by_id.get(seat.representative_id) if seat.representative_id is not None else None
    )
    if representative is not None and representative.present:
        return f"{_name(representative)} cast {seat.name}'s vote at the meeting."
    if representative is not None and representative.person_id in set(responded):
        return (
            f"{_name(representative)}, {seat.name}'s designated representative, has "
            "responded: the partner's one vote is theirs."
        )
    return None


# ---------------------------------------------------------------------------------------------
# Checking a rule version when it is entered
# ---------------------------------------------------------------------------------------------


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
                f"{_fraction_words(fraction).capitalize()} of {size} {noun}, rounded up, is "
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


# ---------------------------------------------------------------------------------------------
# The response window
# ---------------------------------------------------------------------------------------------


def response_deadline(opened_on: date, window_days: int, jurisdiction: Jurisdiction) -> date:
    """The last day for electronic responses: the ``window_days``-th working day after the day
    the decision is opened (that day does not count; weekends and the nation's bank holidays
    do not count)."""
    if not 1 <= window_days <= MAX_COUNTED_DAYS:
        raise ValueError(f"a response window is 1 to {MAX_COUNTED_DAYS} working days")
    day, left = opened_on, window_days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, jurisdiction):
            left -= 1
    return day


def remaining_working_days(today: date, closes_on: date, jurisdiction: Jurisdiction) -> int:
    """Working days left to respond, today included if it is one; 0 once the window closed
    (counted up to a year's worth, like every count of working days)."""
    return working_days(today, closes_on, jurisdiction)


# ---------------------------------------------------------------------------------------------
# The inputs of a decision
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The outcome
# ---------------------------------------------------------------------------------------------


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
            f"{_plural(self.abstentions, 'abstention')}"
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


# ---------------------------------------------------------------------------------------------
# The outcome function
# ---------------------------------------------------------------------------------------------


def decide(
    rule: RuleVersion,
    jurisdiction: Jurisdiction,
    legal_form: LegalForm,
    voters: Iterable[Voter],
    votes: Iterable[Vote],
    *,
    partners: Iterable[PartnerSeat] = (),
    casting_vote: Choice | None = None,
    closed: bool = False,
) -> Outcome:
    """The outcome of a decision under ``rule`` from who is on the body (``voters``, with their
    attendance), the constituent ``partners`` (required for one vote per partner; otherwise
    they only name the partners and say which must be represented) and the current ``votes``.

    Who votes. One vote per member: each chair, vice-chair and member holds a seat; a substitute
    (``Voter.substitute_for``) takes it only when the member does not take part. One vote per
    partner: the partner's designated representative holds it or, failing them, its named
    substitute; the substitution is recorded. Either way the holder is whoever of the two is
    in the meeting (the member or representative first), else whoever has a counted electronic
    vote. Co-opted members, officer advisers and anyone else are not entitled: their votes are
    listed as ignored.

    Electronic votes count only where the law allows (see ``remote_votes_may_count``) and the
    rule's electronic mode covers the voter; otherwise they are consultation responses, shown
    beside the decision and never counted. An in-meeting vote supersedes the same voter's
    electronic one.

    Ties. An equality of votes is as many For as Against (at least one each). Under the casting
    vote rule the presiding member's ``casting_vote`` (For or Against; Abstain means they
    declined) is added as a second vote and the threshold applied again; without it the
    threshold is applied as it stands. Under 'the motion falls' an equality is never carried.

    ``closed`` says the response window has closed. Until then a decision that counts
    electronic votes is awaiting (votes may still change), unless the rule lets it close early
    and no response is still awaited (those in the meeting had their chance there). The result
    does not depend on the order of any input.

    Raises ValueError on input the services must never pass: a person twice, a vote from
    someone unknown or twice on one channel, an in-meeting vote from someone absent, two
    people presiding, a casting vote with nobody able to give one.
    """
    ctx = _context(rule, jurisdiction, legal_form, voters, partners, casting_vote)
    index = _index_votes(ctx, votes)
    count = _count(ctx, index, casting_vote)
    outcome = _outcome(ctx, index, count, casting_vote, closed)
    return _with_explanation(ctx, count, outcome, casting_vote)


# ---------------------------------------------------------------------------------------------
# How decide works
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
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
class _Seat:
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
class _Count:
    seats: tuple[_Seat, ...]
    member_seats: tuple[_Seat, ...]
    quorum: QuorumCheck
    in_meeting: Tally
    electronic: Tally
    taking_part: int
    equality: bool
    casting: CastingVote | None
    base: int
    needed: int
    carried: bool
    awaited: tuple[_Seat, ...]

    @property
    def status(self) -> OutcomeStatus:
        if not self.quorum.reached:
            return OutcomeStatus.NOT_QUORATE
        return OutcomeStatus.CARRIED if self.carried else OutcomeStatus.LOST

    @property
    def votes_for(self) -> int:
        extra = self.casting is not None and self.casting.choice is Choice.FOR
        return self.in_meeting.votes_for + self.electronic.votes_for + extra


def _outcome(
    ctx: _Context,
    index: dict[tuple[int, Channel], Vote],
    count: _Count,
    casting_vote: Choice | None,
    closed: bool,
) -> Outcome:
    """The outcome from the count, before its explanation: awaiting while electronic votes may
    still come in (and change it), else what the count gives."""
    rule = ctx.rule
    electronic_open = (
        not closed
        and ctx.refusal is None
        and rule.electronic_mode in COUNTING_MODES
        and not (rule.close_early and not count.awaited)
    )
    status = OutcomeStatus.AWAITING if electronic_open else count.status
    awaited = count.awaited if electronic_open else ()
    for_needed = _for_needed(ctx, index, casting_vote, count) if electronic_open else None

    consultation, ignored = _uncounted(ctx, index, count)
    return Outcome(
        status=status,
        if_closed_now=count.status,
        rule_label=rule.label,
        rule_effective_from=rule.effective_from,
        entitled=tuple(_public_seat(seat) for seat in count.seats),
        quorum=count.quorum,
        in_meeting=count.in_meeting,
        electronic=count.electronic,
        base=count.base,
        votes_needed=count.needed,
        threshold_text=_threshold_text(ctx, count),
        casting=count.casting,
        consultation=consultation,
        ignored=ignored,
        substitutions=_substitutions(rule, count.seats),
        awaited=tuple(_public_seat(seat) for seat in awaited),
        for_needed=for_needed,
        explanation=(),
    )


def _substitutions(rule: RuleVersion, seats: tuple[_Seat, ...]) -> tuple[str, ...]:
    """Who took whose place, in words, in alphabetical order."""
    return tuple(
        sorted(
            f"{_name(s.holder)} took the place of {_name(s.primary)} for {s.label}"
            if rule.voting_unit is VotingUnit.PARTNER
            else f"{_name(s.holder)} took the place of {_name(s.primary)}"
            for s in seats
            if s.substituted
        )
    )


def _context(
    rule: RuleVersion,
    jurisdiction: Jurisdiction,
    legal_form: LegalForm,
    voters: Iterable[Voter],
    partners: Iterable[PartnerSeat],
    casting_vote: Choice | None,
) -> _Context:
    by_id: dict[int, Voter] = {}
    for voter in voters:
        if voter.person_id in by_id:
            raise ValueError(f"{_name(voter)} is given more than once")
        by_id[voter.person_id] = voter
    seats = _seats(rule, by_id, partners)
    return _Context(
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
                raise ValueError(f"{seat.name}'s {role} {_name(voter)} is not a voting member")
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
            raise ValueError(f"{_name(voter)} stands in for someone who is not a member")
        if member.person_id in substitutes:
            raise ValueError(f"two substitutes stand in for {_name(member)}")
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


def _index_votes(ctx: _Context, votes: Iterable[Vote]) -> dict[tuple[int, Channel], Vote]:
    index: dict[tuple[int, Channel], Vote] = {}
    for vote in votes:
        voter = ctx.voters.get(vote.voter_id)
        if voter is None:
            raise ValueError(f"a vote from person {vote.voter_id}, who is not on the body")
        key = (vote.voter_id, vote.channel)
        if key in index:
            raise ValueError(f"{_name(voter)} has two current votes {vote.channel.label.lower()}")
        if vote.channel is Channel.IN_MEETING and not voter.present:
            raise ValueError(f"{_name(voter)} voted in the meeting but is not recorded present")
        index[key] = vote
    return index


def _seat(
    ctx: _Context,
    index: dict[tuple[int, Channel], Vote],
    label: str,
    partner_id: int,
    primary: Voter | None,
    substitute: Voter | None,
) -> _Seat:
    candidates = [v for v in (primary, substitute) if v is not None]
    holder = next((v for v in candidates if v.present), None)
    if holder is None:
        holder = next(
            (
                v
                for v in candidates
                if (v.person_id, Channel.ELECTRONIC) in index and ctx.counts_electronic(v)
            ),
            None,
        )
    vote = None
    if holder is not None:
        vote = index.get((holder.person_id, Channel.IN_MEETING))
        if vote is None and ctx.counts_electronic(holder):
            vote = index.get((holder.person_id, Channel.ELECTRONIC))
    asked = None
    if vote is None:
        if holder is not None:
            asked = holder if ctx.counts_electronic(holder) else None
        else:
            asked = next((v for v in candidates if ctx.counts_electronic(v)), None)
    return _Seat(label, partner_id, primary, substitute, holder, vote, asked)


def _count(
    ctx: _Context, index: dict[tuple[int, Channel], Vote], casting_vote: Choice | None
) -> _Count:
    rule = ctx.rule
    seats, member_seats = _all_seats(ctx, index)
    in_meeting, electronic = _tallies(seats)
    first = in_meeting + electronic
    taking_part = sum(seat.holder is not None for seat in seats)

    quorum = _quorum(ctx, seats, member_seats)

    # LGA 1972 Sch. 12 para 39(2): on an equality of votes the person presiding has a second or
    # casting vote (here, unless the rule version says a tie means the motion falls).
    equality = first.votes_for == first.votes_against > 0
    casting = None
    if (
        equality
        and rule.tie_rule is TieRule.CASTING_VOTE
        and casting_vote in (Choice.FOR, Choice.AGAINST)
        and ctx.presiding is not None
    ):
        casting = CastingVote(ctx.presiding.person_id, _name(ctx.presiding), casting_vote)
    decided = first if casting is None else first.with_choice(casting.choice)

    base = _base(rule, decided, taking_part, len(seats))
    needed = votes_needed(rule, base)
    carried = decided.votes_for >= needed and not (equality and rule.tie_rule is TieRule.FALLS)
    return _Count(
        seats=seats,
        member_seats=member_seats,
        quorum=quorum,
        in_meeting=in_meeting,
        electronic=electronic,
        taking_part=taking_part,
        equality=equality,
        casting=casting,
        base=base,
        needed=needed,
        carried=carried,
        awaited=_awaited(ctx, seats, quorum),
    )


def _all_seats(
    ctx: _Context, index: dict[tuple[int, Channel], Vote]
) -> tuple[tuple[_Seat, ...], tuple[_Seat, ...]]:
    """The seats that vote (one a partner, or one a member) and every member's seat."""
    member_seats = tuple(
        sorted(
            (
                _seat(ctx, index, _name(v), v.partner_id, v, ctx.substitutes.get(v.person_id))
                for v in ctx.voters.values()
                if v.role in VOTING_ROLES
            ),
            key=lambda s: s.key,
        )
    )
    if ctx.rule.voting_unit is not VotingUnit.PARTNER:
        return member_seats, member_seats
    seats = tuple(
        _seat(
            ctx,
            index,
            p.name,
            p.partner_id,
            ctx.voters.get(p.representative_id) if p.representative_id is not None else None,
            ctx.voters.get(p.substitute_id) if p.substitute_id is not None else None,
        )
        for p in ctx.partners
    )
    return seats, member_seats


def _tallies(seats: tuple[_Seat, ...]) -> tuple[Tally, Tally]:
    """The votes cast in the meeting and the counted electronic votes, tallied apart."""
    in_meeting, electronic = Tally(), Tally()
    for seat in seats:
        if seat.vote is None:
            continue
        if seat.vote.channel is Channel.IN_MEETING:
            in_meeting = in_meeting.with_choice(seat.vote.choice)
        else:
            electronic = electronic.with_choice(seat.vote.choice)
    return in_meeting, electronic


def _base(rule: RuleVersion, decided: Tally, taking_part: int, n_seats: int) -> int:
    """The number the majority is a share of. The casting vote is a vote: it enlarges a base of
    votes, not one of people."""
    left_out = 0 if rule.abstentions_in_base else decided.abstentions
    if rule.base in (MajorityBase.FOR_AGAINST, MajorityBase.CAST):
        return decided.total - left_out
    if rule.base is MajorityBase.PRESENT:
        return taking_part - left_out
    return n_seats - left_out


def _awaited(ctx: _Context, seats: tuple[_Seat, ...], quorum: QuorumCheck) -> tuple[_Seat, ...]:
    """Those awaited, in the order that carries soonest: partners still needed for the quorum,
    then those already taking part (they do not enlarge a base of those present)."""
    by_partner = ctx.rule.quorum_every_partner or ctx.rule.quorum_of is QuorumOf.PARTNERS

    def priority(seat: _Seat) -> tuple:
        missing = ctx.partner_names.get(seat.partner_id) in quorum.missing_partners
        return (not (by_partner and missing), seat.holder is None, seat.key)

    return tuple(sorted((s for s in seats if s.asked is not None), key=priority))


def _quorum(
    ctx: _Context, seats: tuple[_Seat, ...], member_seats: tuple[_Seat, ...]
) -> QuorumCheck:
    rule = ctx.rule
    # Counted electronic votes count towards the quorum only if the rule says so (and they are
    # counted at all, which the law decides).
    electronic_ids = (
        {
            s.holder.person_id
            for s in seats
            if s.holder is not None and s.vote is not None and s.vote.channel is Channel.ELECTRONIC
        }
        if rule.electronic_counts_for_quorum
        else set()
    )

    def at_quorum(seat: _Seat) -> bool:
        holder = seat.holder
        return holder is not None and (holder.present or holder.person_id in electronic_ids)

    # A partner is represented by its vote-holder (one vote per partner) or by any of its
    # members' seats (one vote per member).
    representing = seats if rule.voting_unit is VotingUnit.PARTNER else member_seats
    represented = {s.partner_id for s in representing if at_quorum(s)}
    missing = tuple(p.name for p in ctx.partners if p.partner_id not in represented)

    if rule.quorum_of is QuorumOf.MEMBERS:
        size = len(member_seats)
        present = sum(at_quorum(s) for s in member_seats)
        by_electronic = sum(
            at_quorum(s) and s.holder is not None and not s.holder.present for s in member_seats
        )
        noun, verb = "members", "present"
    else:
        size = len(ctx.partners)
        present = sum(p.partner_id in represented for p in ctx.partners)
        in_person = {s.partner_id for s in representing if s.holder and s.holder.present}
        by_electronic = present - sum(p.partner_id in in_person for p in ctx.partners)
        noun, verb = "partners", "represented"

    needed, basis = _quorum_needed(rule, size)
    reached = present >= needed and not (rule.quorum_every_partner and missing)
    check = QuorumCheck(
        of=rule.quorum_of,
        size=size,
        needed=needed,
        present=present,
        by_electronic_vote=by_electronic,
        missing_partners=missing,
        reached=reached,
        text="",
    )
    return replace(check, text=_quorum_text(rule, check, basis, noun, verb))


def _quorum_needed(rule: RuleVersion, size: int) -> tuple[int, str]:
    """How many the quorum needs of ``size``, and on what basis (in words, or empty)."""
    if rule.quorum_number is not None:
        basis_needed, basis = rule.quorum_number, ""
    elif rule.quorum_fraction is not None:
        basis_needed = math.ceil(Fraction(rule.quorum_fraction) * size)
        basis = f"{_fraction_words(Fraction(rule.quorum_fraction))}, rounded up"
    else:
        basis_needed, basis = 0, "no quorum is set"
    needed = max(basis_needed, rule.quorum_minimum, 1)
    if rule.quorum_minimum > basis_needed and rule.quorum_minimum == needed:
        basis = f"{basis}, raised to the minimum of {rule.quorum_minimum}".lstrip(", ")
    return needed, basis


def _quorum_text(rule: RuleVersion, check: QuorumCheck, basis: str, noun: str, verb: str) -> str:
    """The quorum line of the explanation."""
    every = rule.quorum_every_partner
    text = f"Quorum: needs {check.needed} of {check.size} {noun}"
    if basis:
        text += f" ({basis})"
    if every:
        text += " including one from each partner"
    text += f"; {check.present} {verb}"
    if check.by_electronic_vote:
        text += f" ({check.by_electronic_vote} by counted electronic vote)"
    if check.missing_partners and (every or rule.quorum_of is QuorumOf.PARTNERS):
        text += f"; not represented: {', '.join(check.missing_partners)}"
    text += ". Quorate." if check.reached else ". Not quorate."
    return text


def _for_needed(
    ctx: _Context,
    index: dict[tuple[int, Channel], Vote],
    casting_vote: Choice | None,
    count: _Count,
) -> int | None:
    """The fewest further votes For, from those awaited in order, that would carry the motion."""
    if count.status is OutcomeStatus.CARRIED:
        return 0
    more = dict(index)
    for k, seat in enumerate(count.awaited, start=1):
        asked = seat.asked
        assert asked is not None
        more[(asked.person_id, Channel.ELECTRONIC)] = Vote(
            asked.person_id, Choice.FOR, Channel.ELECTRONIC
        )
        if _count(ctx, more, casting_vote).status is OutcomeStatus.CARRIED:
            return k
    return None


def _uncounted(
    ctx: _Context, index: dict[tuple[int, Channel], Vote], count: _Count
) -> tuple[tuple[Response, ...], tuple[Response, ...]]:
    """The votes not counted: consultation responses (electronic responses from those who hold
    or could hold a seat) and ignored votes (from anyone else), each with the reason."""
    counted = {(s.vote.voter_id, s.vote.channel) for s in count.seats if s.vote is not None}
    seat_of: dict[int, _Seat] = {}
    for seat in count.seats:
        for voter in (seat.primary, seat.substitute):
            if voter is not None:
                seat_of.setdefault(voter.person_id, seat)
    consultation: list[Response] = []
    ignored: list[Response] = []
    for key, vote in index.items():
        if key in counted:
            continue
        voter = ctx.voters[vote.voter_id]
        shown, reason = _why_not_counted(ctx, index, vote, voter, seat_of.get(voter.person_id))
        into = consultation if shown else ignored
        into.append(Response(voter.person_id, _name(voter), vote.choice, vote.channel, reason))

    def order(response: Response) -> tuple:
        return (response.name, response.person_id, response.channel.value)

    return tuple(sorted(consultation, key=order)), tuple(sorted(ignored, key=order))


def _why_not_counted(
    ctx: _Context,
    index: dict[tuple[int, Channel], Vote],
    vote: Vote,
    voter: Voter,
    seat: _Seat | None,
) -> tuple[bool, str]:
    """Whether an uncounted vote is a consultation response (else it is ignored), and why it
    was not counted."""
    partner_unit = ctx.rule.voting_unit is VotingUnit.PARTNER
    if voter.role in NON_VOTING_ROLES:
        return False, f"{voter.role.label.lower()}: does not vote"
    if vote.channel is Channel.ELECTRONIC and (voter.person_id, Channel.IN_MEETING) in index:
        return False, "replaced by their vote in the meeting"
    if seat is not None and seat.holder is not None and seat.holder != voter:
        how = "attended" if seat.holder.present else "voted"
        if partner_unit:
            return False, f"{_name(seat.holder)} {how} for {seat.label}"
        if seat.holder == seat.primary:
            return False, f"{_name(seat.holder)} {how}, so the substitute does not stand in"
        return False, f"{_name(seat.holder)} stood in for them"
    if seat is not None:
        return True, ctx.not_counted_because(voter)
    if partner_unit:
        partner = ctx.partner_names.get(voter.partner_id, "their partner")
        return False, f"only the designated representative or substitute votes for {partner}"
    return False, "a substitute votes only in place of an absent member"


def _public_seat(seat: _Seat) -> Seat:
    person = seat.holder or seat.asked or seat.primary or seat.substitute
    return Seat(
        label=seat.label,
        partner_id=seat.partner_id,
        voter_id=person.person_id if person else None,
        voter_name=_name(person) if person else "no one",
        substitute_for=_name(seat.primary) if seat.substituted else None,
        present=bool(seat.holder and seat.holder.present),
        choice=seat.vote.choice if seat.vote else None,
        channel=seat.vote.channel if seat.vote else None,
    )


# ---------------------------------------------------------------------------------------------
# The explanation
# ---------------------------------------------------------------------------------------------


def _threshold_text(ctx: _Context, count: _Count) -> str:
    rule = ctx.rule
    units = "partners" if rule.voting_unit is VotingUnit.PARTNER else "members"
    less = "" if rule.abstentions_in_base else ", less abstentions"
    if rule.base in (MajorityBase.FOR_AGAINST, MajorityBase.CAST):
        noun = _plural(count.base, "vote", with_number=False)
        if rule.abstentions_in_base:
            noun += " cast, abstentions included"
        else:
            noun += " for and against"
        if count.casting is not None:
            noun += " (with the casting vote)"
    elif rule.base is MajorityBase.PRESENT:
        noun = f"{units} taking part{less}"
    else:
        noun = f"{units} entitled to vote{less}"
    threshold = Fraction(rule.threshold)
    if threshold == 1 and rule.comparison is Comparison.AT_LEAST:
        share = "all"
    else:
        share = f"{rule.comparison.label.lower()} {_fraction_words(threshold)}"
    return f"Majority needed: {share} of the {count.base} {noun}, so at least {count.needed} for."


def _with_explanation(
    ctx: _Context, count: _Count, outcome: Outcome, casting_vote: Choice | None
) -> Outcome:
    rule = ctx.rule
    lines = [
        f"Decided under the rule version '{rule.label}', in force from "
        f"{_long_date(rule.effective_from)}."
    ]

    def seat_text(seat: Seat) -> str:
        if seat.substitute_for:
            who = f"{seat.voter_name}, substitute for {seat.substitute_for}"
        else:
            who = seat.voter_name
        if rule.voting_unit is VotingUnit.PARTNER:
            return f"{seat.label} ({who})"
        return who

    unit = "partners, one vote each" if rule.voting_unit is VotingUnit.PARTNER else "members"
    names = "; ".join(seat_text(s) for s in outcome.entitled) or "no one"
    lines.append(f"Entitled to vote: {len(outcome.entitled)} {unit}: {names}.")
    lines.extend(f"Substitution: {text}." for text in outcome.substitutions)
    lines.append(outcome.quorum.text)

    votes = f"Votes counted: {outcome.counted.text()}"
    if outcome.electronic.total:
        votes += (
            f" (in the meeting {outcome.in_meeting.text()}; "
            f"electronically {outcome.electronic.text()})"
        )
    lines.append(votes + ".")
    lines.append(outcome.threshold_text)

    lines.extend(_casting_lines(ctx, count, outcome, casting_vote))

    if ctx.refusal and rule.electronic_mode is not ElectronicMode.OFF:
        lines.append(
            f"{ctx.refusal} Electronic responses are shown as consultation responses and not "
            "counted."
        )
    lines.extend(_uncounted_lines(outcome))
    lines.append(_result_line(ctx, count, outcome))
    return replace(outcome, explanation=tuple(lines))


def _casting_lines(
    ctx: _Context, count: _Count, outcome: Outcome, casting_vote: Choice | None
) -> list[str]:
    """What an equality of votes led to, or that a casting vote given was not needed."""
    rule = ctx.rule
    if count.equality:
        tie = f"Equality of votes ({count.in_meeting.votes_for + count.electronic.votes_for} each)"
        if rule.tie_rule is TieRule.FALLS:
            return [f"{tie}: under this rule version a tie means the motion is not carried."]
        if count.casting is not None:
            return [
                f"{tie}: {count.casting.name}, presiding, gave a second or casting vote "
                f"{count.casting.choice.label.lower()} (Local Government Act 1972 Sch. 12 "
                "para 39(2))."
            ]
        if ctx.presiding is None:
            return [f"{tie}: nobody presided, so there was no casting vote."]
        if casting_vote is Choice.ABSTAIN:
            return [f"{tie}: {_name(ctx.presiding)}, presiding, did not use a casting vote."]
        return [f"{tie}: no casting vote was given."]
    if (
        casting_vote in (Choice.FOR, Choice.AGAINST)
        and outcome.status is not OutcomeStatus.AWAITING
    ):
        return ["There was no equality of votes, so the casting vote was not used."]
    return []


def _uncounted_lines(outcome: Outcome) -> list[str]:
    lines = []
    for label, responses in (
        ("Consultation responses, shown beside the decision and not counted", outcome.consultation),
        ("Not counted", outcome.ignored),
    ):
        by_reason: dict[str, list[str]] = {}
        for r in responses:
            by_reason.setdefault(r.reason, []).append(f"{r.name} ({r.choice.label.lower()})")
        for reason in sorted(by_reason):
            lines.append(f"{label} ({reason}): {', '.join(by_reason[reason])}.")
    return lines


def _result_line(ctx: _Context, count: _Count, outcome: Outcome) -> str:
    votes_for = count.votes_for
    if outcome.status is OutcomeStatus.AWAITING:
        text = (
            f"Open for electronic votes: {_plural(outcome.awaiting, 'response')} awaited. "
            f"If it closed now it would be {outcome.if_closed_now.label.lower()}."
        )
        if outcome.for_needed == 0:
            text += " It would carry on the votes so far."
        elif outcome.for_needed is not None:
            text += f" {_plural(outcome.for_needed, 'more vote')} for would carry it."
        else:
            text += " No number of further votes for can carry it."
        return text
    if outcome.status is OutcomeStatus.NOT_QUORATE:
        return "Not quorate: no decision can be taken."
    if outcome.status is OutcomeStatus.CARRIED:
        return f"Carried: {votes_for} for, {count.needed} needed."
    if count.equality and ctx.rule.tie_rule is TieRule.FALLS:
        return "Lost on an equality of votes."
    return f"Lost: {votes_for} for, {count.needed} needed."


def _name(voter: Voter | None) -> str:
    if voter is None:
        return "no one"
    return voter.name or f"Person {voter.person_id}"


_FRACTION_WORDS = {
    Fraction(1, 2): "half",
    Fraction(1, 3): "one third",
    Fraction(2, 3): "two thirds",
    Fraction(1, 4): "one quarter",
    Fraction(3, 4): "three quarters",
    Fraction(1, 5): "one fifth",
    Fraction(2, 5): "two fifths",
    Fraction(3, 5): "three fifths",
    Fraction(4, 5): "four fifths",
    Fraction(1): "all",
}


def _fraction_words(fraction: Fraction) -> str:
    return _FRACTION_WORDS.get(fraction, f"{fraction.numerator}/{fraction.denominator}")


def _plural(count: int, word: str, *, with_number: bool = True) -> str:
    noun = word if count == 1 else f"{word}s"
    return f"{count} {noun}" if with_number else noun


def _long_date(value: date) -> str:
    return long_date(value)


# The colour of an outcome's tag (GOV.UK Frontend tag modifiers), the same on the meeting's page
# and the decision's.
OUTCOME_TAG_CLASSES = {
    OutcomeStatus.CARRIED: "govuk-tag--green",
    OutcomeStatus.LOST: "govuk-tag--red",
    OutcomeStatus.NOT_QUORATE: "govuk-tag--orange",
    OutcomeStatus.AWAITING: "govuk-tag--blue",
}
