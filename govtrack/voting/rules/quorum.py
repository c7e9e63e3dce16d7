"""The quorum: how many members (or partners) must take part, and whether they do, in words."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from govtrack.voting.enums import (
    Channel,
    QuorumOf,
    VotingUnit,
)
from govtrack.voting.rules.context import Context, HeldSeat
from govtrack.voting.rules.outcome import QuorumCheck
from govtrack.voting.rules.versions import RuleVersion
from govtrack.voting.rules.words import fraction_words


def check_quorum(
    ctx: Context, seats: tuple[HeldSeat, ...], member_seats: tuple[HeldSeat, ...]
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

    def at_quorum(seat: HeldSeat) -> bool:
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
        basis = f"{fraction_words(Fraction(rule.quorum_fraction))}, rounded up"
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
