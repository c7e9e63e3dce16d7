"""``decide``: the outcome of a decision, in named steps (the context, the count, the outcome,
its explanation); the law behind it is in the package's docstring."""

from __future__ import annotations

from collections.abc import Iterable

from govtrack.registry.enums import Jurisdiction, LegalForm
from govtrack.voting.enums import (
    Channel,
    Choice,
    OutcomeStatus,
    VotingUnit,
)
from govtrack.voting.rules.context import Context, Count, HeldSeat, make_context
from govtrack.voting.rules.counting import (
    count_votes,
    for_still_needed,
    index_votes,
    public_seat,
    uncounted_votes,
)
from govtrack.voting.rules.explanation import threshold_words, with_explanation
from govtrack.voting.rules.outcome import Outcome, PartnerSeat, Vote, Voter, name_of
from govtrack.voting.rules.versions import COUNTING_MODES, RuleVersion


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
    ctx = make_context(rule, jurisdiction, legal_form, voters, partners, casting_vote)
    index = index_votes(ctx, votes)
    count = count_votes(ctx, index, casting_vote)
    outcome = _outcome(ctx, index, count, casting_vote, closed)
    return with_explanation(ctx, count, outcome, casting_vote)


def _outcome(
    ctx: Context,
    index: dict[tuple[int, Channel], Vote],
    count: Count,
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
    for_needed = for_still_needed(ctx, index, casting_vote, count) if electronic_open else None

    consultation, ignored = uncounted_votes(ctx, index, count)
    return Outcome(
        status=status,
        if_closed_now=count.status,
        rule_label=rule.label,
        rule_effective_from=rule.effective_from,
        entitled=tuple(public_seat(seat) for seat in count.seats),
        quorum=count.quorum,
        in_meeting=count.in_meeting,
        electronic=count.electronic,
        base=count.base,
        votes_needed=count.needed,
        threshold_text=threshold_words(ctx, count),
        casting=count.casting,
        consultation=consultation,
        ignored=ignored,
        substitutions=_substitutions(rule, count.seats),
        awaited=tuple(public_seat(seat) for seat in awaited),
        for_needed=for_needed,
        explanation=(),
    )


def _substitutions(rule: RuleVersion, seats: tuple[HeldSeat, ...]) -> tuple[str, ...]:
    """Who took whose place, in words, in alphabetical order."""
    return tuple(
        sorted(
            f"{name_of(s.holder)} took the place of {name_of(s.primary)} for {s.label}"
            if rule.voting_unit is VotingUnit.PARTNER
            else f"{name_of(s.holder)} took the place of {name_of(s.primary)}"
            for s in seats
            if s.substituted
        )
    )
