"""Reads of the programme plan that the pages need: milestones and their history, objectives with
their linked services and recommendations, the choices forms offer (each a fixed number of
queries). The programme keeps the links; the linked services and recommendations are read
through the figures the pipeline and scrutiny register (``area_named``), never their tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, String, cast, func, literal_column, select, union_all
from sqlalchemy.orm import joinedload

from govtrack.core import audit, rag
from govtrack.core.dates import parse_day
from govtrack.core.figures import area_named
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.db import db
from govtrack.programme import rules
from govtrack.programme.conditions import due_within, forecast_out_of_date_on, overdue_on
from govtrack.programme.enums import MilestoneStatus
from govtrack.programme.models import (
    Milestone,
    MilestoneBaseline,
    MilestoneChange,
    MilestonePredecessor,
    MilestoneRagChange,
    Objective,
    ObjectiveRecommendation,
    ObjectiveService,
    Programme,
    WorkPlanAction,
)
from govtrack.programme.rules import ACTION_PROGRESS
from govtrack.registry import figures as registry

# The areas, registered by the pipeline and scrutiny, whose items an objective links by id.
SERVICES = "services"
RECOMMENDATIONS = "recommendations"

# Programme --------------------------------------------------------------------------------


def current_programme() -> Programme | None:
    """The partnership's programme (the first recorded)."""
    return db.session.scalar(select(Programme).order_by(Programme.id).limit(1))


# RAG ----------------------------------------------------------------------------------------


def assessment_of(milestone: Milestone, programme: Programme, today: date):
    return rag.assess_milestone(
        baseline=milestone.baseline_date,
        forecast=milestone.forecast_date,
        today=today,
        progress=rules.progress_of(milestone.status),
        thresholds=programme.thresholds,
        override=milestone.override_confidence,
        override_reason=milestone.override_reason,
        override_expires_on=milestone.override_expires_on,
        missed=milestone.status is MilestoneStatus.MISSED,
    )


def action_assessment(action: WorkPlanAction, today: date) -> rag.Assessment:
    return rag.derive(due=action.due, today=today, progress=ACTION_PROGRESS[action.status])


# Reading milestones -----------------------------------------------------------------------


def load_milestone(milestone_id: int) -> Milestone | None:
    return db.session.get(
        Milestone,
        milestone_id,
        options=[
            joinedload(Milestone.programme),
            joinedload(Milestone.objective),
        ],
    )


def predecessors_of(milestone_id: int) -> list[Milestone]:
    stmt = (
        select(Milestone)
        .join(MilestonePredecessor, MilestonePredecessor.predecessor_id == Milestone.id)
        .where(MilestonePredecessor.milestone_id == milestone_id)
        .order_by(Milestone.baseline_date, Milestone.id)
    )
    return list(db.session.scalars(stmt))


def successors_of(milestone_id: int) -> list[Milestone]:
    stmt = (
        select(Milestone)
        .join(MilestonePredecessor, MilestonePredecessor.milestone_id == Milestone.id)
        .where(MilestonePredecessor.predecessor_id == milestone_id)
        .order_by(Milestone.baseline_date, Milestone.id)
    )
    return list(db.session.scalars(stmt))


def baselines_of(milestone_id: int) -> list[MilestoneBaseline]:
    stmt = (
        select(MilestoneBaseline)
        .where(MilestoneBaseline.milestone_id == milestone_id)
        .order_by(MilestoneBaseline.id)
    )
    return list(db.session.scalars(stmt))


def changes_of(milestone_id: int) -> list[MilestoneChange]:
    stmt = (
        select(MilestoneChange)
        .where(MilestoneChange.milestone_id == milestone_id)
        # In the order recorded: a completion dated earlier than the day it was entered still
        # follows the milestone's own "Recorded" row. The page shows both dates.
        .order_by(MilestoneChange.recorded_at, MilestoneChange.id)
    )
    return list(db.session.scalars(stmt))


def rag_changes_of(milestone_id: int) -> list[MilestoneRagChange]:
    stmt = (
        select(MilestoneRagChange)
        .where(MilestoneRagChange.milestone_id == milestone_id)
        .order_by(MilestoneRagChange.on, MilestoneRagChange.id)
    )
    return list(db.session.scalars(stmt))


MILESTONE_SORTS = {
    "due": func.coalesce(Milestone.forecast_date, Milestone.baseline_date),
    "title": Milestone.title,
    "rag": Milestone.rag,
    "_id": Milestone.id,
}
MILESTONE_FILTERS = ("objective", "partner", "rag", "status", "overdue", "since")
# "overdue=next30": due in the next 30 days (the dashboards' "Due in the next 30 days").
UPCOMING_FILTER = re.compile(r"next(\d{1,3})")
# "rag=red_amber": red or amber (the dashboards' "turned red or amber" list).
RED_OR_AMBER = "red_amber"
# "overdue=forecast_passed": open milestones whose forecast date has passed (needs updating).
FORECAST_PASSED = "forecast_passed"


def milestone_list(req: ListRequest, per_page: int, today: date) -> Page[Milestone]:
    """One page of milestones, filtered: three queries whatever the page size."""
    stmt = select(Milestone).options(joinedload(Milestone.objective))
    f = req.filters
    objective_id = record_id(f.get("objective"))
    if f.get("objective") == "none":
        stmt = stmt.where(Milestone.objective_id.is_(None))
    elif objective_id:
        stmt = stmt.where(Milestone.objective_id == objective_id)
    partner_id = record_id(f.get("partner"))
    if partner_id:
        stmt = stmt.where(Milestone.owner_partner_id == partner_id)
    if f.get("rag") in {c.value for c in rag.RAG}:
        stmt = stmt.where(Milestone.rag == rag.RAG(f["rag"]))
    elif f.get("rag") == RED_OR_AMBER:
        stmt = stmt.where(Milestone.rag.in_([rag.RAG.RED, rag.RAG.AMBER]))
    since = parse_day(f.get("since"))
    if since is not None:
        stmt = stmt.where(Milestone.rag_since >= since)
    if f.get("status") in {s.value for s in MilestoneStatus}:
        stmt = stmt.where(Milestone.status == MilestoneStatus(f["status"]))
    upcoming = UPCOMING_FILTER.fullmatch(f.get("overdue", ""))
    if f.get("overdue") == "yes":
        stmt = stmt.where(overdue_on(today))
    elif f.get("overdue") == FORECAST_PASSED:
        stmt = stmt.where(forecast_out_of_date_on(today))
    elif upcoming:
        stmt = stmt.where(
            Milestone.status != MilestoneStatus.COMPLETE,
            Milestone.actual_date.is_(None),
            due_within(today, int(upcoming.group(1))),
        )
    stmt = order_by_choice(stmt, req, MILESTONE_SORTS)
    return paginate(stmt, req.page, per_page)


def all_objectives(programme_id: int) -> list[Objective]:
    stmt = (
        select(Objective)
        .where(Objective.programme_id == programme_id)
        .order_by(Objective.position, Objective.number)
    )
    return list(db.session.scalars(stmt))


def people_of_partners() -> list[registry.PersonSummary]:
    """People who may own a milestone, grouped by their council (the form names it)."""
    return registry.people_of_partners()


def owner_codes(*records: Sequence[Any]) -> dict[int, str]:
    """The short code of each owning partner of these milestones and actions, by id (the
    registry's figure: one query, or none when no record names a partner)."""
    ids = {r.owner_partner_id for group in records for r in group}
    return {i: p.code for i, p in registry.partners_by_id(ids).items()}


@dataclass(frozen=True)
class Owners:
    """Who owns a milestone, as its page names them (from the registry's figures)."""

    partner: registry.PartnerSummary | None
    person: registry.PersonSummary | None


def owners_of(milestone: Milestone) -> Owners:
    return Owners(
        registry.partner(milestone.owner_partner_id), registry.person(milestone.owner_person_id)
    )


def milestone_choices(
    programme_id: int,
    objective_id: int | None,
    exclude: int | None = None,
    keep: Sequence[int] = (),
) -> list[Milestone]:
    """The milestones offered as predecessors: those serving the same objective (or, without
    one, the programme-level ones), and any already chosen, so the form stays a readable size."""
    same = (
        Milestone.objective_id == objective_id if objective_id else Milestone.objective_id.is_(None)
    )
    stmt = select(Milestone).where(
        Milestone.programme_id == programme_id, same | Milestone.id.in_(list(keep))
    )
    if exclude is not None:
        stmt = stmt.where(Milestone.id != exclude)
    return list(db.session.scalars(stmt.order_by(Milestone.title, Milestone.id)))


# Objectives: their parts and roll-ups ----------------------------------------------------


@dataclass(frozen=True)
class ObjectiveSummary:
    objective: Objective
    roll_up: rag.RollUp
    milestones: int
    actions: int
    services: int
    recommendations: int


def _merge(*parts: Mapping[rag.RAG, int]) -> list[rag.RAG]:
    colours: list[rag.RAG] = []
    for counts in parts:
        for colour, n in counts.items():
            colours.extend([colour] * n)
    return colours


def objective_summaries(programme: Programme | None, today: date) -> list[ObjectiveSummary]:
    """Each objective of the programme (of every programme, by programme, for None) with the
    roll-up of everything that serves it: four queries however many programmes and objectives
    (the objectives; their milestones and work-plan actions by colour; the linked
    recommendations' and services' colours, from their areas)."""
    if programme is not None:
        objectives = all_objectives(programme.id)
    else:
        stmt = select(Objective).order_by(
            Objective.programme_id, Objective.position, Objective.number
        )
        objectives = list(db.session.scalars(stmt))
    ids = [o.id for o in objectives]
    milestones, actions = _own_parts(ids)
    recommendations = area_named(RECOMMENDATIONS).rag_by(
        select(
            ObjectiveRecommendation.objective_id, ObjectiveRecommendation.recommendation_id
        ).where(ObjectiveRecommendation.objective_id.in_(ids)),
        today,
    )
    services = area_named(SERVICES).rag_by(
        select(ObjectiveService.objective_id, ObjectiveService.service_id).where(
            ObjectiveService.objective_id.in_(ids)
        ),
        today,
    )
    empty = dict.fromkeys(rag.RAG, 0)
    out = []
    for objective in objectives:
        parts = [
            milestones.get(objective.id, empty),
            actions.get(objective.id, empty),
            services.get(objective.id, empty),
            recommendations.get(objective.id, empty),
        ]
        out.append(
            ObjectiveSummary(
                objective=objective,
                roll_up=rag.roll_up(_merge(*parts)),
                milestones=sum(parts[0].values()),
                actions=sum(parts[1].values()),
                services=sum(parts[2].values()),
                recommendations=sum(parts[3].values()),
            )
        )
    return out


ByColour = dict[int, dict[rag.RAG, int]]


def _own_parts(ids: list[int]) -> tuple[ByColour, ByColour]:
    """The objectives' milestones and work-plan actions by colour, in one query."""
    milestones: ByColour = defaultdict(lambda: dict.fromkeys(rag.RAG, 0))
    actions: ByColour = defaultdict(lambda: dict.fromkeys(rag.RAG, 0))
    if not ids:
        return milestones, actions
    stmt = union_all(
        select(
            literal_column("1", Integer).label("kind"),
            Milestone.objective_id,
            cast(Milestone.rag, String),
            func.count(),
        )
        .where(Milestone.objective_id.in_(ids))
        .group_by(Milestone.objective_id, Milestone.rag),
        select(
            literal_column("2", Integer),
            WorkPlanAction.objective_id,
            cast(WorkPlanAction.rag, String),
            func.count(),
        )
        .where(WorkPlanAction.objective_id.in_(ids))
        .group_by(WorkPlanAction.objective_id, WorkPlanAction.rag),
    )
    for kind, objective_id, colour, n in db.session.execute(stmt):
        (milestones if kind == 1 else actions)[objective_id][rag.RAG(colour)] += n
    return milestones, actions


def load_objective(objective_id: int) -> Objective | None:
    return db.session.get(Objective, objective_id, options=[joinedload(Objective.programme)])


@dataclass
class ObjectivePage:
    objective: Objective
    actions: list[WorkPlanAction]
    milestones: Page[Milestone]
    milestone_counts: dict[rag.RAG, int]
    # The pipeline's summaries of the linked services (name, stage, RAG, whether overdue) ...
    services: list[Any]
    # ... and scrutiny's of the linked recommendations (RAG, responses, whether overdue).
    recommendations: list[Any]
    roll_up: rag.RollUp
    # The owning partners' codes of the actions and milestones shown, by id.
    owner_codes: dict[int, str]


def objective_page(objective: Objective, page: int, per_page: int, today: date) -> ObjectivePage:
    """What serves an objective, and its roll-up: a fixed number of queries (the milestones
    are paginated; their RAG counts come from one aggregate)."""
    actions = _objective_actions(objective.id)
    milestones = paginate(
        select(Milestone)
        .where(Milestone.objective_id == objective.id)
        .order_by(func.coalesce(Milestone.forecast_date, Milestone.baseline_date), Milestone.id),
        page,
        per_page,
    )
    counts = _milestone_rag_counts(objective.id)
    services = area_named(SERVICES).linked(
        select(ObjectiveService.service_id).where(ObjectiveService.objective_id == objective.id),
        today,
    )
    recommendations = area_named(RECOMMENDATIONS).linked(
        select(ObjectiveRecommendation.recommendation_id).where(
            ObjectiveRecommendation.objective_id == objective.id
        ),
        today,
    )
    colours = (
        _merge(counts)
        + [a.rag for a in actions]
        + [s.assessment.rag for s in services]
        + [r.rag for r in recommendations]
    )
    return ObjectivePage(
        objective=objective,
        actions=actions,
        milestones=milestones,
        milestone_counts=counts,
        services=services,
        recommendations=recommendations,
        roll_up=rag.roll_up(colours),
        owner_codes=owner_codes(actions, milestones.items),
    )


def _objective_actions(objective_id: int) -> list[WorkPlanAction]:
    return list(
        db.session.scalars(
            select(WorkPlanAction)
            .where(WorkPlanAction.objective_id == objective_id)
            .order_by(WorkPlanAction.due, WorkPlanAction.id)
        )
    )


def _milestone_rag_counts(objective_id: int) -> dict[rag.RAG, int]:
    counts = dict.fromkeys(rag.RAG, 0)
    for colour, n in db.session.execute(
        select(Milestone.rag, func.count())
        .where(Milestone.objective_id == objective_id)
        .group_by(Milestone.rag)
    ):
        counts[colour] += n
    return counts


def load_action(action_id: int) -> WorkPlanAction | None:
    return db.session.get(
        WorkPlanAction,
        action_id,
        options=[joinedload(WorkPlanAction.objective).joinedload(Objective.programme)],
    )


def linkable_services() -> list[tuple[int, str]]:
    """Every service an objective may link, as ``(id, label)`` (the pipeline's figure)."""
    return area_named(SERVICES).choices() or []


def linkable_recommendations() -> list[tuple[int, str]]:
    """Every recommendation an objective may link, as ``(id, label)`` (scrutiny's figure)."""
    return area_named(RECOMMENDATIONS).choices() or []


def linked_ids(objective_id: int) -> tuple[list[int], list[int]]:
    services = list(
        db.session.scalars(
            select(ObjectiveService.service_id).where(ObjectiveService.objective_id == objective_id)
        )
    )
    recs = list(
        db.session.scalars(
            select(ObjectiveRecommendation.recommendation_id).where(
                ObjectiveRecommendation.objective_id == objective_id
            )
        )
    )
    return services, recs


def milestone_history(milestone: Milestone):
    from govtrack.core.history import describe_history

    return describe_history(audit.history_of(Milestone.__audit_subject__, [milestone.id]))
