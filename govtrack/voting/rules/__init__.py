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

The rules are split by question, each module small enough to read at once:
- ``versions``: what a rule version is made of, the Act's defaults and the majority presets;
- ``electronic``: whether remote and electronic votes may count, by law and by the rule;
- ``validation``: checking a rule version when it is entered;
- ``window``: the response window, in working days;
- ``outcome``: the inputs of a decision (voters, partners' seats, votes) and its outcome;
- ``decision``: ``decide``, the outcome function, in named steps through
  ``context`` (who is on the body and who stands in for whom), ``counting`` (the seats, votes
  and majority), ``quorum`` and ``explanation`` (the words a clerk reads aloud);
- ``words``: the small wording helpers they share.

Import from here (``govtrack.voting.rules``); the modules are how the package is laid out.
"""

from govtrack.voting.rules.decision import decide
from govtrack.voting.rules.electronic import (
    STATUTORY_FORMS,
    electronic_refusal,
    electronic_votes_count,
    remote_votes_may_count,
    remote_votes_refusal,
)
from govtrack.voting.rules.outcome import (
    OUTCOME_TAG_CLASSES,
    CastingVote,
    Outcome,
    PartnerSeat,
    QuorumCheck,
    Response,
    Seat,
    Tally,
    Vote,
    Voter,
    votes_needed,
)
from govtrack.voting.rules.validation import validate
from govtrack.voting.rules.versions import (
    COUNTING_MODES,
    LGA1972_DEFAULTS,
    MAJORITY_PRESETS,
    NON_VOTING_ROLES,
    VOTING_ROLES,
    MajorityPreset,
    RuleVersion,
    majority_presets,
    preset_of,
    requirement_text,
    version_in_force,
    with_majority,
)
from govtrack.voting.rules.window import remaining_working_days, response_deadline

__all__ = [
    "COUNTING_MODES",
    "LGA1972_DEFAULTS",
    "MAJORITY_PRESETS",
    "NON_VOTING_ROLES",
    "OUTCOME_TAG_CLASSES",
    "STATUTORY_FORMS",
    "VOTING_ROLES",
    "CastingVote",
    "MajorityPreset",
    "Outcome",
    "PartnerSeat",
    "QuorumCheck",
    "Response",
    "RuleVersion",
    "Seat",
    "Tally",
    "Vote",
    "Voter",
    "decide",
    "electronic_refusal",
    "electronic_votes_count",
    "majority_presets",
    "preset_of",
    "remaining_working_days",
    "remote_votes_may_count",
    "remote_votes_refusal",
    "requirement_text",
    "response_deadline",
    "validate",
    "version_in_force",
    "votes_needed",
    "with_majority",
]
