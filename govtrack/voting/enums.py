"""The closed sets a decision rule and a vote are made of."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class DecisionStatus(LabelledEnum):
    OPEN = ("open", "Open")
    CLOSED = ("closed", "Closed")


class VotingUnit(LabelledEnum):
    MEMBER = ("member", "One vote per member")
    PARTNER = ("partner", "One vote per partner")


class QuorumOf(LabelledEnum):
    MEMBERS = ("members", "Members present")
    PARTNERS = ("partners", "Partners represented")


class Comparison(LabelledEnum):
    MORE_THAN = ("more_than", "More than")
    AT_LEAST = ("at_least", "At least")


class MajorityBase(LabelledEnum):
    FOR_AGAINST = ("for_against", "Votes for and against")
    CAST = ("cast", "All votes cast, abstentions included")
    PRESENT = ("present", "Those present")
    ENTITLED = ("entitled", "Those entitled to vote")


class TieRule(LabelledEnum):
    CASTING_VOTE = ("casting_vote", "The person presiding has a second or casting vote")
    FALLS = ("falls", "The motion is not carried")


class ElectronicMode(LabelledEnum):
    OFF = ("off", "Off")
    CONSULTATION = ("consultation", "Consultation responses only")
    ABSENT_VOTERS = ("absent_voters", "Counted votes for absent voters")
    EVERYONE = ("everyone", "Counted votes for everyone")


class Choice(LabelledEnum):
    FOR = ("for", "For")
    AGAINST = ("against", "Against")
    ABSTAIN = ("abstain", "Abstain")


class Channel(LabelledEnum):
    IN_MEETING = ("in_meeting", "In the meeting")
    ELECTRONIC = ("electronic", "Electronic")


class OutcomeStatus(LabelledEnum):
    CARRIED = ("carried", "Carried")
    LOST = ("lost", "Lost")
    NOT_QUORATE = ("not_quorate", "Not quorate")
    AWAITING = ("awaiting", "Awaiting votes")
