"""The seeded programme: the vision statement's nine objectives, the 35 milestones the papers
state with their dated statements and RAG history, predecessors and links; and seed problems
named with their file, record and field."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from govtrack import ROOT
from govtrack.core.rag import RAG
from govtrack.core.seed import SeedError, load_seed
from govtrack.db import db
from govtrack.programme import queries
from govtrack.programme.enums import ChangeKind, MilestoneStatus
from govtrack.programme.models import (
    Milestone,
    MilestoneBaseline,
    MilestoneChange,
    MilestonePredecessor,
    MilestoneRagChange,
    Objective,
    ObjectiveRecommendation,
    ObjectiveService,
    WorkPlanAction,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def by_key(key: str) -> Milestone:
    return db.session.scalar(select(Milestone).where(Milestone.key == key))


def test_the_nine_objectives_and_35_milestones_load_with_their_history(app):
    report = load_seed(str(ROOT / "seed"))
    assert any("9 objectives" in line and "35 milestones" in line for line in report)
    assert count(Objective) == 9
    assert count(Milestone) == 35
    assert count(WorkPlanAction) == 1
    assert count(MilestoneBaseline) == 35
    assert (
        db.session.scalar(select(func.count()).where(MilestoneChange.kind == ChangeKind.PROGRESS))
        == 23
    )
    numbers = db.session.scalars(select(Objective.number).order_by(Objective.number)).all()
    assert numbers == list(range(1, 10))
    first = db.session.scalar(select(Objective).where(Objective.number == 1))
    assert first.title.startswith("Each Council will offer a single point of access")
    assert (
        db.session.scalar(select(func.count()).where(ObjectiveService.objective_id == first.id))
        == 33
    )
    assert count(ObjectiveRecommendation) == 5  # 5.a, 5.b, 5.c, 5.d, 5.f
    assert count(MilestonePredecessor) > 0


def test_the_issues_milestones_are_met_or_missed_as_the_papers_say(app):
    load_seed(str(ROOT / "seed"))
    phase_two = by_key("phase-two-first-wave")
    assert phase_two.baseline_date == date(2007, 2, 28)
    assert phase_two.status is MilestoneStatus.MISSED
    assert phase_two.rag is RAG.RED
    hours = by_key("hub-extended-hours-8-to-8")
    assert (hours.baseline_date, hours.status) == (date(2007, 4, 30), MilestoneStatus.MISSED)
    crm = by_key("crm-decision")
    assert crm.forecast_date == date(2007, 2, 28)
    assert crm.actual_date == date(2007, 2, 13)
    assert crm.rag is RAG.BLUE
    assert by_key("crm-implementation-complete").baseline_date == date(2007, 10, 31)
    # The CRM decision's RAG history starts from the papers: amber (slipped) after the
    # postponement of 26 January 2007, blue from the decision on 13 February 2007.
    history = queries.rag_changes_of(crm.id)
    assert history[-1].to_rag is RAG.BLUE and history[-1].on == date(2007, 2, 13)
    assert history[0].on < date(2007, 2, 13)
    assert all(c.from_rag is None for c in history[:1])
    # Every seeded milestone has a RAG history whose last entry is its current RAG.
    for milestone in db.session.scalars(select(Milestone)):
        last = db.session.scalar(
            select(MilestoneRagChange)
            .where(MilestoneRagChange.milestone_id == milestone.id)
            .order_by(MilestoneRagChange.on.desc(), MilestoneRagChange.id.desc())
            .limit(1)
        )
        assert last is not None and last.to_rag is milestone.rag, milestone.key


def test_a_seeded_milestone_is_complete_only_where_a_paper_says_it_happened(app):
    load_seed(str(ROOT / "seed"))
    # 20 Nov 2007 says the vision has "an associated action plan" and that the Joint Committee
    # had not met since: no paper says the work plan was presented to it.
    assert by_key("work-plan-2007-08").status is not MilestoneStatus.COMPLETE
    complete = db.session.scalars(
        select(Milestone).where(Milestone.status == MilestoneStatus.COMPLETE)
    ).all()
    assert {m.key for m in complete} == {
        "proposition-to-districts",
        "districts-decide-participation",
        "technology-partner-appointed",
        "red-rose-hub-delivered",
        "customer-service-centre-opens",
        "website-overhaul",
        "northgate-final-offer",
        "crm-decision",
        "northgate-agreement-varied",
        "crm-implementation-start",
        "social-care-first-offices-live",
        "registration-service-live",
        "vision-draft-to-board",
        "vision-agreed",
    }
    # Each complete one cites the paper that says so, by its path in the repository.
    assert all(m.source.startswith("seed/sources/") for m in complete)


def test_predecessors_of_a_seeded_milestone(app):
    load_seed(str(ROOT / "seed"))
    finish = by_key("crm-implementation-complete")
    assert [p.key for p in queries.predecessors_of(finish.id)] == ["crm-implementation-start"]


@pytest.fixture
def seed_copy(tmp_path):
    target = tmp_path / "seed"
    shutil.copytree(ROOT / "seed", target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("objective: overflow-and-extended-hours\n", "objective: no-such-objective\n", "objective"),
        ("baseline: 2007-04-30        #", "baseline: 2001-04-30        #", "baseline"),
        (
            "predecessors: [crm-implementation-start]",
            "predecessors: [no-such-milestone]",
            "predecessors.0",
        ),
    ],
)
def test_a_bad_key_or_date_names_the_file_record_and_field(app, seed_copy, old, new, field):
    path = seed_copy / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        load_seed(str(seed_copy))
    assert caught.value.file == "programme.yaml"
    assert caught.value.field == field


def test_a_loop_of_predecessors_is_refused(app, seed_copy):
    path = seed_copy / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    old = "predecessors: [technology-partner-appointed]"
    assert old in text
    path.write_text(text.replace(old, "predecessors: [contact-centre-functioning]"), "utf-8")
    with pytest.raises(SeedError) as caught:
        load_seed(str(seed_copy))
    assert caught.value.field == "predecessors"
