"""Whether remote and electronic votes may count: by the law of the body's nation and legal
form (Hertfordshire CC v SSHCLG [2021] in England; Wales' multi-location meetings), then by
the rule version's electronic mode and who the voter is."""

from __future__ import annotations

from collections.abc import Iterable

from govtrack.registry.enums import Jurisdiction, LegalForm, MembershipRole
from govtrack.voting.enums import (
    ElectronicMode,
    VotingUnit,
)
from govtrack.voting.rules.outcome import PartnerSeat, Voter, name_of
from govtrack.voting.rules.versions import COUNTING_MODES, NON_VOTING_ROLES, RuleVersion

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
        return f"{name_of(stood_in)} stood in for you at the meeting and voted in your place."
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
        who = f" {name_of(named)} is its designated representative." if named else ""
        return (
            "Each partner has one vote, cast by its designated representative or, failing "
            f"them, its named substitute: you are neither for your partner that day.{who}"
        )
    if person_id == seat.representative_id:
        other = by_id.get(seat.substitute_id) if seat.substitute_id is not None else None
        if other is not None and other.present and not voter.present:
            return f"{name_of(other)} cast {seat.name}'s vote at the meeting."
        return None
    representative = (
        by_id.get(seat.representative_id) if seat.representative_id is not None else None
    )
    if representative is not None and representative.present:
        return f"{name_of(representative)} cast {seat.name}'s vote at the meeting."
    if representative is not None and representative.person_id in set(responded):
        return (
            f"{name_of(representative)}, {seat.name}'s designated representative, has "
            "responded: the partner's one vote is theirs."
        )
    return None
