"""The seeded decision rules and decisions: the Joint Committee's rules before and after the
revision the documents describe, its decisions of 13 February 2007 carried as the documents say,
and seed files that name the file, record and field of any problem and load nothing."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from govtrack import ROOT
from govtrack.core.seed import SeedError, load_seed
from govtrack.db import db
from govtrack.meetings.models import AgendaItem, Meeting, Resolution
from govtrack.registry.models import Body, Partner
from govtrack.voting import enums, queries, rules
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import Decision, Motion


def joint_committee() -> Body:
    return db.session.scalar(
        select(Body).where(Body.name == "Shared Customer Service Joint Committee")
    )


def decisions_of(held_on: date, body: Body) -> dict[str, tuple[Motion, Decision, AgendaItem]]:
    rows = db.session.execute(
        select(Motion, Decision, AgendaItem)
        .join(Decision, Decision.motion_id == Motion.id)
        .join(AgendaItem, Motion.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.held_on == held_on, Meeting.body_id == body.id)
    ).all()
    return {item.title: (motion, decision, item) for motion, decision, item in rows}


def test_the_joint_committee_has_its_rules_before_and_after_the_revision(app):
    report = load_seed(str(ROOT / "seed"))
    body = joint_committee()

    before, after = sorted(queries.rule_versions(body.id), key=lambda v: v.effective_from)
    assert before.effective_from == date(2003, 4, 1)
    assert before.voting_unit is enums.VotingUnit.PARTNER
    assert before.quorum_of is enums.QuorumOf.PARTNERS
    assert before.quorum_every_partner
    assert before.electronic_mode is enums.ElectronicMode.OFF
    assert "all Partners have a vote" in before.note

    assert after.effective_from == date(2007, 11, 20)
    rule = after.to_rule()
    assert rule.voting_unit is enums.VotingUnit.PARTNER
    assert not rule.quorum_every_partner
    assert rule.quorum_fraction == Fraction(1, 2)
    assert rules.preset_of(rule).key == "simple"
    # The 2007 constitution counted absent partners' responses; the law today does not.
    assert rule.electronic_mode is enums.ElectronicMode.CONSULTATION
    assert not rule.electronic_counts_for_quorum
    assert "Hertfordshire" in after.note

    assert queries.rule_in_force(body.id, date(2007, 2, 13))[0].id == before.id
    assert queries.rule_in_force(body.id, date(2008, 1, 1))[0].id == after.id
    assert any("2 decision rule versions and 2 decisions" in line for line in report)


def test_the_decisions_of_13_february_2007_are_carried_as_the_documents_say(app):
    load_seed(str(ROOT / "seed"))
    body = joint_committee()
    before = queries.rule_in_force(body.id, date(2007, 2, 13))[0]

    decisions = decisions_of(date(2007, 2, 13), body)
    assert set(decisions) == {
        "Alternative CRM proposal from Northgate",
        "Shared Services Contact Centre Partnership Three Year Vision Statement",
    }
    for motion, decision, item in decisions.values():
        assert motion.text.startswith("That ")
        assert decision.status is DecisionStatus.CLOSED
        assert decision.outcome is enums.OutcomeStatus.CARRIED
        assert decision.rule_version_id == before.id
        assert not decision.recorded_vote and not decision.electronic
        assert decision.explanation[0].startswith("Decided under the rule version")
        assert "not computed" in " ".join(decision.explanation)
        # the meetings seed's resolution stands alone: the vote adds no second one
        resolutions = select(func.count()).where(Resolution.item_id == item.id)
        assert db.session.scalar(resolutions) == 1

    _, crm, _ = decisions["Alternative CRM proposal from Northgate"]
    # "agreed unanimously": none against; how many for, and whether anyone abstained, are not
    # minuted, so they stay unknown
    assert (crm.meeting_for, crm.meeting_against, crm.meeting_abstain) == (None, 0, None)
    assert crm.counted_abstain is None
    assert any("agreed unanimously" in line for line in crm.explanation)
    _, vision, _ = decisions[
        "Shared Services Contact Centre Partnership Three Year Vision Statement"
    ]
    assert (vision.meeting_for, vision.meeting_against, vision.meeting_abstain) == (
        None,
        None,
        None,
    )


# A copy of the seed to break or extend ------------------------------------------------------


@pytest.fixture
def seed_copy(tmp_path):
    directory = tmp_path / "seed"
    shutil.copytree(ROOT / "seed", directory)
    return directory


def replace_in(directory, filename, old, new):
    path = directory / filename
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def append_to(directory, filename, text):
    path = directory / filename
    path.write_text(path.read_text() + text)


def nothing_loaded() -> bool:
    return (
        db.session.scalar(select(func.count()).select_from(Partner)) == 0
        and db.session.scalar(select(func.count()).select_from(Decision)) == 0
    )


CRM = "key joint-committee-2007-02-13-alternative-crm"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("outcome: carried", "outcome: won", ("decisions.yaml", f"record 1 ({CRM})", "'outcome'")),
        (
            "item: Alternative CRM proposal from Northgate",
            "item: Alternative CRM",
            ("decisions.yaml", CRM, "'item'", "has no item titled 'Alternative CRM'"),
        ),
        (
            "meeting: joint-committee-2007-02-13",
            "meeting: joint-committee-2007-02-14",
            ("decisions.yaml", CRM, "'meeting'", "no meeting with key"),
        ),
        ("method: as_minuted", "method: show_of_hands", ("decisions.yaml", CRM, "'method'")),
        (
            "  unanimous: true\n  outcome: carried\n",
            "  unanimous: true\n",
            ("decisions.yaml", CRM, "'outcome'", "say what the documents record"),
        ),
    ],
)
def test_a_malformed_decisions_file_names_the_record_and_field_and_loads_nothing(
    app, seed_copy, old, new, expected
):
    replace_in(seed_copy, "decisions.yaml", old, new)
    with pytest.raises(SeedError) as caught:
        load_seed(str(seed_copy))
    for part in expected:
        assert part in str(caught.value), str(caught.value)
    assert nothing_loaded()


def test_counted_remote_votes_for_the_joint_committee_are_refused_by_the_seed(app, seed_copy):
    replace_in(
        seed_copy,
        "decision-rules.yaml",
        "electronic_mode: consultation",
        "electronic_mode: absent_voters",
    )
    with pytest.raises(SeedError) as caught:
        load_seed(str(seed_copy))
    message = str(caught.value)
    assert (
        "decision-rules.yaml, record 2 (key joint-committee-2007-11-20), field 'electronic_mode'"
        in message
    )
    assert "Hertfordshire CC v SSHCLG" in message
    assert nothing_loaded()


def test_a_bad_fraction_in_the_rules_names_the_field(app, seed_copy):
    replace_in(
        seed_copy, "decision-rules.yaml", 'quorum_fraction: "1/2"', 'quorum_fraction: "half"'
    )
    with pytest.raises(
        SeedError, match=r"record 2 \(key joint-committee-2007-11-20\), field 'quorum_fraction'"
    ):
        load_seed(str(seed_copy))


COUNTED = """
- key: sub-group-2006-12-05-questions
  meeting: sub-group-2006-12-05
  item: To consider and determine the questions to be asked during the visit to the Hub at Lancashire County Council
  motion: That the questions be agreed.
  proposer: peter-baker
  method: counts
  counts: {{for: {votes_for}, against: {against}, abstain: 0}}
  outcome: {outcome}
"""


def test_a_vote_with_counts_is_decided_by_the_rules_engine(app, seed_copy):
    # 5 December 2006: three members present, no rule version, so the 1972 Act's majority
    append_to(
        seed_copy, "decisions.yaml", COUNTED.format(votes_for=2, against=1, outcome="carried")
    )
    load_seed(str(seed_copy))

    decision = db.session.scalar(
        select(Decision)
        .join(Motion, Decision.motion_id == Motion.id)
        .where(Motion.text == "That the questions be agreed.")
    )
    assert decision.outcome is enums.OutcomeStatus.CARRIED
    assert (decision.meeting_for, decision.meeting_against, decision.meeting_abstain) == (2, 1, 0)
    assert decision.rule_version_id is None
    assert any("Votes counted: 2 for, 1 against" in line for line in decision.explanation)


def test_an_outcome_the_rules_do_not_give_is_refused(app, seed_copy):
    append_to(
        seed_copy, "decisions.yaml", COUNTED.format(votes_for=1, against=2, outcome="carried")
    )
    with pytest.raises(SeedError) as caught:
        load_seed(str(seed_copy))
    message = str(caught.value)
    assert "record 3 (key sub-group-2006-12-05-questions), field 'outcome'" in message
    assert "the rules give lost" in message
    assert nothing_loaded()


def test_counts_beyond_those_present_are_refused(app, seed_copy):
    append_to(
        seed_copy, "decisions.yaml", COUNTED.format(votes_for=4, against=0, outcome="carried")
    )
    with pytest.raises(SeedError, match=r"field 'counts': the counts add up to 4 but 3 voters"):
        load_seed(str(seed_copy))
