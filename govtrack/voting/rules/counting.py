"""Counting a decision: who holds each seat and which vote counts for it, the tallies, the
base of the majority and the votes needed, and the votes not counted (consultation responses
and votes ignored, with why)."""

from __future__ import annotations

from collections.abc import Iterable

from govtrack.voting.enums import (
    Channel,
    Choice,
    MajorityBase,
    OutcomeStatus,
    QuorumOf,
    TieRule,
    VotingUnit,
)
from govtrack.voting.rules.context import Context, Count, HeldSeat
from govtrack.voting.rules.outcome import (
    CastingVote,
    QuorumCheck,
    Response,
    Seat,
    Tally,
    Vote,
    Voter,
    name_of,
    votes_needed,
)
from govtrack.voting.rules.quorum import check_quorum
from govtrack.voting.rules.versions import NON_VOTING_ROLES, VOTING_ROLES, RuleVersion


def index_votes(ctx: Context, votes: Iterable[Vote]) -> dict[tuple[int, Channel], Vote]:
    index: dict[tuple[int, Channel], Vote] = {}
    for vote in votes:
        voter = ctx.voters.get(vote.voter_id)
        if voter is None:
            raise ValueError(f"a vote from person {vote.voter_id}, who is not on the body")
        key = (vote.voter_id, vote.channel)
        if key in index:
            raise ValueError(f"{name_of(voter)} has two current votes {vote.channel.label.lower()}")
        if vote.channel is Channel.IN_MEETING and not voter.present:
            raise ValueError(f"{name_of(voter)} voted in the meeting but is not recorded present")
        index[key] = vote
    return index


def _seat(
    ctx: Context,
    index: dict[tuple[int, Channel], Vote],
    label: str,
    partner_id: int,
    primary: Voter | None,
    substitute: Voter | None,
) -> HeldSeat:
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
    return HeldSeat(label, partner_id, primary, substitute, holder, vote, asked)


def count_votes(
    ctx: Context, index: dict[tuple[int, Channel], Vote], casting_vote: Choice | None
) -> Count:
    rule = ctx.rule
    seats, member_seats = _all_seats(ctx, index)
    in_meeting, electronic = _tallies(seats)
    first = in_meeting + electronic
    taking_part = sum(seat.holder is not None for seat in seats)

    quorum = check_quorum(ctx, seats, member_seats)

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
        casting = CastingVote(ctx.presiding.person_id, name_of(ctx.presiding), casting_vote)
    decided = first if casting is None else first.with_choice(casting.choice)

    base = _base(rule, decided, taking_part, len(seats))
    needed = votes_needed(rule, base)
    carried = decided.votes_for >= needed and not (equality and rule.tie_rule is TieRule.FALLS)
    return Count(
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
    ctx: Context, index: dict[tuple[int, Channel], Vote]
) -> tuple[tuple[HeldSeat, ...], tuple[HeldSeat, ...]]:
    """The seats that vote (one a partner, or one a member) and every member's seat."""
    member_seats = tuple(
        sorted(
            (
                _seat(ctx, index, name_of(v), v.partner_id, v, ctx.substitutes.get(v.person_id))
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


def _tallies(seats: tuple[HeldSeat, ...]) -> tuple[Tally, Tally]:
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


def _awaited(
    ctx: Context, seats: tuple[HeldSeat, ...], quorum: QuorumCheck
) -> tuple[HeldSeat, ...]:
    """Those awaited, in the order that carries soonest: partners still needed for the quorum,
    then those already taking part (they do not enlarge a base of those present)."""
    by_partner = ctx.rule.quorum_every_partner or ctx.rule.quorum_of is QuorumOf.PARTNERS

    def priority(seat: HeldSeat) -> tuple:
        missing = ctx.partner_names.get(seat.partner_id) in quorum.missing_partners
        return (not (by_partner and missing), seat.holder is None, seat.key)

    return tuple(sorted((s for s in seats if s.asked is not None), key=priority))


def for_still_needed(
    ctx: Context,
    index: dict[tuple[int, Channel], Vote],
    casting_vote: Choice | None,
    count: Count,
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
        if count_votes(ctx, more, casting_vote).status is OutcomeStatus.CARRIED:
            return k
    return None


def uncounted_votes(
    ctx: Context, index: dict[tuple[int, Channel], Vote], count: Count
) -> tuple[tuple[Response, ...], tuple[Response, ...]]:
    """The votes not counted: consultation responses (electronic responses from those who hold
    or could hold a seat) and ignored votes (from anyone else), each with the reason."""
    counted = {(s.vote.voter_id, s.vote.channel) for s in count.seats if s.vote is not None}
    seat_of: dict[int, HeldSeat] = {}
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
        into.append(Response(voter.person_id, name_of(voter), vote.choice, vote.channel, reason))

    def order(response: Response) -> tuple:
        return (response.name, response.person_id, response.channel.value)

    return tuple(sorted(consultation, key=order)), tuple(sorted(ignored, key=order))


def _why_not_counted(
    ctx: Context,
    index: dict[tuple[int, Channel], Vote],
    vote: Vote,
    voter: Voter,
    seat: HeldSeat | None,
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
            return False, f"{name_of(seat.holder)} {how} for {seat.label}"
        if seat.holder == seat.primary:
            return False, f"{name_of(seat.holder)} {how}, so the substitute does not stand in"
        return False, f"{name_of(seat.holder)} stood in for them"
    if seat is not None:
        return True, ctx.not_counted_because(voter)
    if partner_unit:
        partner = ctx.partner_names.get(voter.partner_id, "their partner")
        return False, f"only the designated representative or substitute votes for {partner}"
    return False, "a substitute votes only in place of an absent member"


def public_seat(seat: HeldSeat) -> Seat:
    person = seat.holder or seat.asked or seat.primary or seat.substitute
    return Seat(
        label=seat.label,
        partner_id=seat.partner_id,
        voter_id=person.person_id if person else None,
        voter_name=name_of(person) if person else "no one",
        substitute_for=name_of(seat.primary) if seat.substituted else None,
        present=bool(seat.holder and seat.holder.present),
        choice=seat.vote.choice if seat.vote else None,
        channel=seat.vote.channel if seat.vote else None,
    )
