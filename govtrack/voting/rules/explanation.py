"""The explanation of an outcome: the lines a clerk can read aloud, from the rule and the
count."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from govtrack.core.dates import long_date
from govtrack.voting.enums import (
    Choice,
    Comparison,
    ElectronicMode,
    MajorityBase,
    OutcomeStatus,
    TieRule,
    VotingUnit,
)
from govtrack.voting.rules.context import Context, Count
from govtrack.voting.rules.outcome import Outcome, Seat, name_of
from govtrack.voting.rules.words import fraction_words, plural


def threshold_words(ctx: Context, count: Count) -> str:
    rule = ctx.rule
    units = "partners" if rule.voting_unit is VotingUnit.PARTNER else "members"
    less = "" if rule.abstentions_in_base else ", less abstentions"
    if rule.base in (MajorityBase.FOR_AGAINST, MajorityBase.CAST):
        noun = plural(count.base, "vote", with_number=False)
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
        share = f"{rule.comparison.label.lower()} {fraction_words(threshold)}"
    return f"Majority needed: {share} of the {count.base} {noun}, so at least {count.needed} for."


def with_explanation(
    ctx: Context, count: Count, outcome: Outcome, casting_vote: Choice | None
) -> Outcome:
    rule = ctx.rule
    lines = [
        f"Decided under the rule version '{rule.label}', in force from "
        f"{long_date(rule.effective_from)}."
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
    ctx: Context, count: Count, outcome: Outcome, casting_vote: Choice | None
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
            return [f"{tie}: {name_of(ctx.presiding)}, presiding, did not use a casting vote."]
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


def _result_line(ctx: Context, count: Count, outcome: Outcome) -> str:
    votes_for = count.votes_for
    if outcome.status is OutcomeStatus.AWAITING:
        text = (
            f"Open for electronic votes: {plural(outcome.awaiting, 'response')} awaited. "
            f"If it closed now it would be {outcome.if_closed_now.label.lower()}."
        )
        if outcome.for_needed == 0:
            text += " It would carry on the votes so far."
        elif outcome.for_needed is not None:
            text += f" {plural(outcome.for_needed, 'more vote')} for would carry it."
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
