"""Writes of the programme plan: the milestones' RAG kept in sync as dates pass (and the history
of their changes), the programme's settings, objectives, work-plan actions and their links.
Writing milestones themselves is in ``milestones``.

Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select

from govtrack.auth.models import system_actor
from govtrack.core import audit, rag
from govtrack.core.audit import actor_fields
from govtrack.core.dates import long_date
from govtrack.core.figures import area_named
from govtrack.core.permissions import ensure
from govtrack.core.records import create_record, raise_if, update_record
from govtrack.core.versioning import check_version
from govtrack.db import db
from govtrack.programme import permissions
from govtrack.programme.enums import ActionStatus, ChangeKind, MilestoneStatus
from govtrack.programme.models import (
    Milestone,
    MilestoneChange,
    MilestoneRagChange,
    Objective,
    ObjectiveRecommendation,
    ObjectiveService,
    Programme,
    WorkPlanAction,
)
from govtrack.programme.queries import (
    action_assessment,
    assessment_of,
)
from govtrack.programme.rules import ACTION_PROGRESS


def _label(actor: Any) -> tuple[int | None, str]:
    return actor_fields(actor)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record_change(
    actor: Any,
    milestone: Milestone,
    kind: ChangeKind,
    on: date,
    before: Any = None,
    after: Any = None,
    text: str = "",
    source: str = "",
) -> MilestoneChange:
    actor_id, label = _label(actor)
    change = MilestoneChange(
        milestone_id=milestone.id,
        kind=kind,
        on=on,
        from_value=_text(before),
        to_value=_text(after),
        text=text,
        source=source,
        recorded_by_id=actor_id,
        recorded_by=label,
    )
    db.session.add(change)
    return change


def sync_rag(actor: Any, milestone: Milestone, programme: Programme, today: date) -> bool:
    """Bring the stored RAG in line with the rule for ``today``; an expired override ends.
    Records a RAG change (dated ``today``) when the colour changes. True if it changed."""
    if (
        milestone.override_confidence is not None
        and milestone.override_expires_on is not None
        and milestone.override_expires_on <= today
    ):
        record_change(
            actor,
            milestone,
            ChangeKind.OVERRIDE_ENDED,
            today,
            before=milestone.override_confidence.label,
            text=f"The override expired on {long_date(milestone.override_expires_on)}.",
        )
        milestone.override_confidence = None
        milestone.override_reason = ""
        milestone.override_expires_on = None
    result = assessment_of(milestone, programme, today)
    reason = result.reason[:300]
    changed = milestone.rag != result.rag or milestone.rag_since is None
    if changed:
        db.session.add(
            MilestoneRagChange(
                milestone_id=milestone.id,
                on=today,
                from_rag=None if milestone.rag_since is None else milestone.rag,
                to_rag=result.rag,
                reason=reason,
                overridden=result.overridden,
                recorded_by=_label(actor)[1],
            )
        )
        milestone.rag = result.rag
        milestone.rag_since = today
    if milestone.rag_reason != reason:
        milestone.rag_reason = reason
    return changed


def _sync_action(action: WorkPlanAction, today: date) -> None:
    result = action_assessment(action, today)
    action.rag = result.rag
    action.rag_reason = result.reason[:300]


def refresh_rags(actor: Any, today: date) -> int:
    """The daily tick: dates pass and overrides expire. Returns how many milestones changed."""
    changed = 0
    programmes = {p.id: p for p in db.session.scalars(select(Programme))}
    open_milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.status != MilestoneStatus.COMPLETE)
        .execution_options(yield_per=500)
    )
    for milestone in open_milestones:
        changed += sync_rag(actor, milestone, programmes[milestone.programme_id], today)
    for action in db.session.scalars(
        select(WorkPlanAction).where(WorkPlanAction.status != ActionStatus.COMPLETE)
    ):
        before = audit.snapshot(action)
        _sync_action(action, today)
        audit.record(actor, "update", action, "RAG re-derived as dates passed", before=before)
    db.session.flush()
    return changed


# The programme's settings ---------------------------------------------------------------


def update_programme(
    actor: Any, programme: Programme, values: Mapping[str, Any], version: int | None, today: date
) -> Programme:
    """Change the name, start, scale or thresholds; every open milestone's RAG is re-derived
    at once by the new thresholds (each change recorded)."""
    ensure(permissions.can_manage_programme(actor))
    starts_on = values.get("starts_on")
    raw_scale = values.get("reporting") or programme.reporting
    clean = {
        "name": (values.get("name") or "").strip(),
        "starts_on": starts_on,
        "reporting": rag.Scale(raw_scale),
        "slip_tolerance_days": values.get("slip_tolerance_days"),
        "due_soon_days": values.get("due_soon_days"),
    }
    problems: dict[str, str | None] = {
        "name": None if clean["name"] else "Enter the programme's name",
        "starts_on": None if starts_on else "Enter the programme's start date",
    }
    if starts_on is not None:
        firsts = db.session.execute(
            select(
                func.min(Milestone.baseline_date),
                func.min(Milestone.forecast_date),
                func.min(Milestone.actual_date),
            ).where(Milestone.programme_id == programme.id)
        ).one()
        earliest = min((d for d in firsts if d is not None), default=None)
        if earliest is not None and starts_on > earliest:
            problems["starts_on"] = (
                f"A milestone is dated {long_date(earliest)}: the programme must "
                "start on or before it"
            )
    for name in ("slip_tolerance_days", "due_soon_days"):
        if clean[name] is None or clean[name] < 0:
            problems[name] = "Enter a number of days, 0 or more"
    raise_if(problems)
    update_record(actor, programme, clean, version, f"Changed the settings of {clean['name']}")
    open_milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.programme_id == programme.id)
        .where(Milestone.status != MilestoneStatus.COMPLETE)
    )
    for milestone in open_milestones:
        sync_rag(actor, milestone, programme, today)
    db.session.flush()
    return programme


# Objectives, actions and links ------------------------------------------------------------


def _objective_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "number": values.get("number"),
        "title": (values.get("title") or "").strip(),
        "text": (values.get("text") or "").strip(),
    }


def _objective_problems(
    programme: Programme, clean: Mapping[str, Any], current: Objective | None
) -> dict[str, str | None]:
    number = clean["number"]
    clash = (
        db.session.scalar(
            select(Objective.id).where(
                Objective.programme_id == programme.id,
                Objective.number == number,
                Objective.id != (current.id if current else -1),
            )
        )
        if number
        else None
    )
    return {
        "number": "Enter the objective's number (1 or more)"
        if not number or number < 1
        else f"Objective {number} already exists"
        if clash
        else None,
        "title": None if clean["title"] else "Enter the objective's title",
    }


def create_objective(actor: Any, programme: Programme, values: Mapping[str, Any]) -> Objective:
    ensure(permissions.can_manage_programme(actor))
    clean = _objective_values(values)
    raise_if(_objective_problems(programme, clean, None))
    objective = Objective(programme_id=programme.id, position=clean["number"], **clean)
    return create_record(actor, objective, f"Added objective {clean['number']}")


def update_objective(
    actor: Any, objective: Objective, values: Mapping[str, Any], version: int | None
) -> Objective:
    ensure(permissions.can_manage_programme(actor))
    clean = _objective_values(values)
    raise_if(_objective_problems(objective.programme, clean, objective))
    clean["position"] = clean["number"]
    return update_record(actor, objective, clean, version, f"Edited objective {clean['number']}")


def _action_values(values: Mapping[str, Any]) -> dict[str, Any]:
    status = values.get("status") or ActionStatus.NOT_STARTED
    return {
        "title": (values.get("title") or "").strip(),
        "owner_partner_id": values.get("owner_partner_id") or None,
        "due": values.get("due"),
        "status": ActionStatus(status),
        "done_on": values.get("done_on"),
    }


def _action_problems(
    programme: Programme, clean: Mapping[str, Any], today: date
) -> dict[str, str | None]:
    start = programme.starts_on
    problems: dict[str, str | None] = {
        "title": None if clean["title"] else "Enter what the action is",
    }
    if clean["due"] is not None and clean["due"] < start:
        problems["due"] = "The due date must be on or after the programme start"
    done = clean["done_on"]
    if clean["status"] is ActionStatus.COMPLETE and done is None:
        problems["done_on"] = "Enter the date the action was done"
    elif done is not None and clean["status"] is not ActionStatus.COMPLETE:
        problems["done_on"] = "Only a complete action has a date done: mark it complete"
    elif done is not None and done > today:
        problems["done_on"] = "The date done must be today or in the past"
    elif done is not None and done < start:
        problems["done_on"] = "The date done must be on or after the programme start"
    return problems


def create_action(
    actor: Any, objective: Objective, values: Mapping[str, Any], today: date
) -> WorkPlanAction:
    ensure(permissions.can_manage_programme(actor))
    clean = _action_values(values)
    raise_if(_action_problems(objective.programme, clean, today))
    action = WorkPlanAction(objective_id=objective.id, **clean)
    _sync_action(action, today)
    return create_record(actor, action, f"Added work-plan action {clean['title']}")


def update_action(
    actor: Any,
    action: WorkPlanAction,
    values: Mapping[str, Any],
    version: int | None,
    today: date,
) -> WorkPlanAction:
    ensure(permissions.can_manage_programme(actor))
    clean = _action_values(values)
    raise_if(_action_problems(action.objective.programme, clean, today))
    result = rag.derive(due=clean["due"], today=today, progress=ACTION_PROGRESS[clean["status"]])
    clean.update(rag=result.rag, rag_reason=result.reason[:300])
    return update_record(actor, action, clean, version, f"Edited work-plan action {clean['title']}")


def set_links(
    actor: Any,
    objective: Objective,
    service_ids: Sequence[int],
    recommendation_ids: Sequence[int],
    version: int | None,
) -> Objective:
    """Which services and recommendations serve the objective (audited on the objective)."""
    ensure(permissions.can_manage_programme(actor))
    check_version(objective, version)
    service_ids = sorted(set(service_ids))
    recommendation_ids = sorted(set(recommendation_ids))
    raise_if(_link_problems(service_ids, recommendation_ids))
    before_services = sorted(
        db.session.scalars(
            select(ObjectiveService.service_id).where(ObjectiveService.objective_id == objective.id)
        )
    )
    before_recs = sorted(
        db.session.scalars(
            select(ObjectiveRecommendation.recommendation_id).where(
                ObjectiveRecommendation.objective_id == objective.id
            )
        )
    )
    _replace_links(objective.id, service_ids, recommendation_ids)
    audit.record(
        actor,
        "update",
        objective,
        f"Changed what serves objective {objective.number}",
        before={"services": before_services, "recommendations": before_recs},
        after={"services": service_ids, "recommendations": recommendation_ids},
    )
    db.session.flush()
    return objective


def _link_problems(
    service_ids: Sequence[int], recommendation_ids: Sequence[int]
) -> dict[str, str | None]:
    # Whether they exist, by the pipeline's and scrutiny's figures (not their tables).
    known_services = area_named("services").existing(service_ids)
    known_recs = area_named("recommendations").existing(recommendation_ids)
    return {
        "service_ids": None
        if known_services == set(service_ids)
        else "Choose services from the list",
        "recommendation_ids": None
        if known_recs == set(recommendation_ids)
        else "Choose recommendations from the list",
    }


def _replace_links(
    objective_id: int, service_ids: Sequence[int], recommendation_ids: Sequence[int]
) -> None:
    db.session.execute(
        delete(ObjectiveService).where(ObjectiveService.objective_id == objective_id)
    )
    db.session.execute(
        delete(ObjectiveRecommendation).where(ObjectiveRecommendation.objective_id == objective_id)
    )
    for service_id in service_ids:
        db.session.add(ObjectiveService(objective_id=objective_id, service_id=service_id))
    for recommendation_id in recommendation_ids:
        db.session.add(
            ObjectiveRecommendation(objective_id=objective_id, recommendation_id=recommendation_id)
        )


def system() -> Any:
    return system_actor("Programme")
