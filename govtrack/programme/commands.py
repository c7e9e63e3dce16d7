"""Writes of the programme plan: milestones (record, edit, slip, re-baseline, complete, override),
objectives, work-plan actions and their links, and the RAG kept in sync as dates pass.

Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections import defaultdict
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
from govtrack.programme import permissions, rules
from govtrack.programme.enums import ActionStatus, ChangeKind, MilestoneStatus
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
from govtrack.programme.queries import (
    action_assessment,
    assessment_of,
    predecessors_of,
    successors_of,
)
from govtrack.programme.rules import ACTION_PROGRESS
from govtrack.registry.models import Partner, Person


def _label(actor: Any) -> tuple[int | None, str]:
    return actor_fields(actor)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _change(
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
        _change(
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


# Writing milestones -----------------------------------------------------------------------

DETAIL_FIELDS = (
    "title", "objective_id", "workstream", "owner_partner_id", "owner_person_id", "notes",
)  # fmt: skip


def _links() -> dict[int, list[int]]:
    links: dict[int, list[int]] = defaultdict(list)
    for milestone_id, predecessor_id in db.session.execute(
        select(MilestonePredecessor.milestone_id, MilestonePredecessor.predecessor_id)
    ):
        links[milestone_id].append(predecessor_id)
    return links


def _predecessor_problem(
    programme: Programme, milestone_id: int | None, predecessor_ids: Sequence[int]
) -> str | None:
    if not predecessor_ids:
        return None
    found = set(
        db.session.scalars(
            select(Milestone.id).where(
                Milestone.id.in_(predecessor_ids), Milestone.programme_id == programme.id
            )
        )
    )
    if found != set(predecessor_ids):
        return "Choose predecessors from the list"
    if rules.creates_cycle(milestone_id, predecessor_ids, _links()):
        return "A milestone cannot come after itself: these predecessors make a loop"
    return None


def _detail_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": (values.get("title") or "").strip(),
        "objective_id": values.get("objective_id") or None,
        "workstream": (values.get("workstream") or "").strip(),
        "owner_partner_id": values.get("owner_partner_id") or None,
        "owner_person_id": values.get("owner_person_id") or None,
        "notes": (values.get("notes") or "").strip(),
    }


def _detail_problems(clean: Mapping[str, Any]) -> dict[str, str | None]:
    return {
        "title": None if clean["title"] else "Enter the milestone's title",
        "owner_person_id": _owner_problem(clean["owner_partner_id"], clean["owner_person_id"]),
    }


def _owner_problem(partner_id: Any, person_id: Any) -> str | None:
    """The person who owns a milestone works for the council that owns it."""
    if not person_id:
        return None
    person = db.session.get(Person, int(person_id))
    if person is None:
        return "Choose the owner from the list"
    if partner_id and person.partner_id != int(partner_id):
        return (
            f"{person.name} does not work for the owning partner: choose someone who does, "
            "or change the owning partner"
        )
    return None


def _set_predecessors(milestone: Milestone, predecessor_ids: Sequence[int]) -> None:
    db.session.execute(
        delete(MilestonePredecessor).where(MilestonePredecessor.milestone_id == milestone.id)
    )
    for predecessor_id in sorted(set(predecessor_ids)):
        db.session.add(
            MilestonePredecessor(milestone_id=milestone.id, predecessor_id=predecessor_id)
        )


# The RAG rule measures a forecast against the baseline; without one it would be grey (no data).
NO_BASELINE = "Give the milestone a baseline date first: a forecast is measured against it"


def _complete_before_problem(milestone: Milestone, predecessor_ids: Sequence[int]) -> str | None:
    """A complete milestone may gain a predecessor only if that one was complete first.
    (Links already recorded are left alone, so an unrelated edit is never blocked by them.)"""
    if milestone.status is not MilestoneStatus.COMPLETE:
        return None
    current = {p.id for p in predecessors_of(milestone.id)}
    added = set(predecessor_ids) - current
    if not added:
        return None
    new = db.session.scalars(
        select(Milestone).where(Milestone.id.in_(added)).order_by(Milestone.title, Milestone.id)
    )
    problem = rules.completion_problem(
        milestone.actual_date, [(p.title, p.status, p.actual_date) for p in new]
    )
    if problem is None:
        return None
    done = milestone.actual_date
    when = f" on {long_date(done)}" if done else ""
    return f"This milestone was completed{when}. {problem}"


def create_milestone(
    actor: Any, programme: Programme, values: Mapping[str, Any], today: date
) -> Milestone:
    clean = _detail_values(values)
    ensure(
        permissions.can_edit_partner_milestones(actor, clean["owner_partner_id"])
        if not permissions.can_manage_programme(actor)
        else True
    )
    baseline = values.get("baseline_date")
    forecast = values.get("forecast_date")
    status = values.get("status") or MilestoneStatus.NOT_STARTED
    status = MilestoneStatus(status)
    predecessor_ids = [int(i) for i in values.get("predecessor_ids") or []]
    problems: dict[str, str | None] = dict(_detail_problems(clean))
    problems.update(
        rules.date_problems(
            starts_on=programme.starts_on, today=today, baseline=baseline, forecast=forecast
        )
    )
    if status is MilestoneStatus.COMPLETE:
        problems["status"] = "Record the milestone first, then record its completion"
    if forecast is not None and baseline is None and "forecast_date" not in problems:
        problems["forecast_date"] = NO_BASELINE
    if not permissions.can_manage_programme(actor) and clean["owner_partner_id"] is None:
        problems["owner_partner_id"] = "Choose the partner that owns the milestone (your council)"
    problems["predecessor_ids"] = _predecessor_problem(programme, None, predecessor_ids)
    raise_if(problems)
    milestone = Milestone(
        programme_id=programme.id,
        baseline_date=baseline,
        forecast_date=forecast,
        status=status,
        **clean,
    )
    create_record(actor, milestone, f"Recorded milestone {clean['title']}")
    actor_id, label = _label(actor)
    db.session.add(
        MilestoneBaseline(
            milestone_id=milestone.id,
            baseline_date=baseline,
            on=today,
            recorded_by_id=actor_id,
            recorded_by=label,
        )
    )
    _change(actor, milestone, ChangeKind.CREATED, today, after=status.label)
    _set_predecessors(milestone, predecessor_ids)
    sync_rag(actor, milestone, programme, today)
    db.session.flush()
    return milestone


def update_milestone(
    actor: Any, milestone: Milestone, values: Mapping[str, Any], version: int | None, today: date
) -> Milestone:
    """Edit a milestone's details and predecessors (dates have their own use-cases)."""
    ensure(permissions.can_edit_milestone(actor, milestone))
    check_version(milestone, version)
    clean = _detail_values(values)
    predecessor_ids = [int(i) for i in values.get("predecessor_ids") or []]
    problems: dict[str, str | None] = dict(_detail_problems(clean))
    if not permissions.can_edit_partner_milestones(actor, clean["owner_partner_id"]):
        problems["owner_partner_id"] = "You can give a milestone only to your own council"
    problems["predecessor_ids"] = _predecessor_problem(
        milestone.programme, milestone.id, predecessor_ids
    ) or _complete_before_problem(milestone, predecessor_ids)
    raise_if(problems)
    before = {p.id: p.title for p in predecessors_of(milestone.id)}
    details_before = _detail_names(milestone)
    update_record(actor, milestone, clean, version, f"Edited milestone {clean['title']}")
    details = rules.detail_change_text(details_before, _detail_names(milestone))
    _set_predecessors(milestone, predecessor_ids)
    after = {p.id: p.title for p in predecessors_of(milestone.id)}
    changed = rules.predecessor_change_text(
        [after[i] for i in after.keys() - before.keys()],
        [before[i] for i in before.keys() - after.keys()],
    )
    if changed:
        audit.record(
            actor,
            "update",
            milestone,
            f"Changed the predecessors of {milestone.title}",
            before={"predecessors": _named(before)},
            after={"predecessors": _named(after)},
        )
    text = f"{details} {changed}".strip() or "Saved with nothing changed."
    _change(actor, milestone, ChangeKind.DETAILS, today, text=text)
    db.session.flush()
    return milestone


def _detail_names(milestone: Milestone) -> dict[str, str]:
    """A milestone's details as the history names them (objective, partner, person by name)."""

    def name(model: Any, record_id: int | None, shown: Any) -> str:
        record = db.session.get(model, int(record_id)) if record_id else None
        return shown(record) if record is not None else ""

    return {
        "title": f"“{milestone.title}”",
        "objective": name(Objective, milestone.objective_id, lambda o: f"{o.number}. {o.title}"),
        "workstream": milestone.workstream,
        "owner_partner": name(Partner, milestone.owner_partner_id, lambda p: p.name),
        "owner_person": name(Person, milestone.owner_person_id, lambda p: p.name),
        "notes": milestone.notes,
    }


def _named(milestones: Mapping[int, str]) -> list[str]:
    return [f"{title} (#{i})" for i, title in sorted(milestones.items(), key=lambda m: m[1])]


EDITABLE_STATUSES = (
    MilestoneStatus.NOT_STARTED,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.MISSED,
)


def update_forecast(
    actor: Any,
    milestone: Milestone,
    values: Mapping[str, Any],
    version: int | None,
    today: date,
) -> Milestone:
    """Slip (or bring forward) the forecast and say where the work stands."""
    ensure(permissions.can_edit_milestone(actor, milestone))
    forecast = values.get("forecast_date")
    status = MilestoneStatus(values.get("status") or milestone.status)
    comment = (values.get("comment") or "").strip()
    raise_if(_forecast_problems(milestone, forecast, status, comment, today))
    check_version(milestone, version)
    before_forecast, before_status = milestone.forecast_date, milestone.status
    changes: dict[str, Any] = {"forecast_date": forecast, "status": status}
    # A missed milestone is always red: an override it carried ends (and is recorded as ended).
    ended = milestone.override_confidence if status is MilestoneStatus.MISSED else None
    if ended is not None:
        changes.update(override_confidence=None, override_reason="", override_expires_on=None)
    update_record(actor, milestone, changes, version, f"Updated the forecast of {milestone.title}")
    if ended is not None:
        _change(
            actor,
            milestone,
            ChangeKind.OVERRIDE_ENDED,
            today,
            before=ended.label,
            text="Marked missed: a missed milestone is always red.",
        )
    _record_forecast_changes(
        actor, milestone, (before_forecast, before_status), (forecast, status), comment, today
    )
    sync_rag(actor, milestone, milestone.programme, today)
    db.session.flush()
    return milestone


def _forecast_problems(
    milestone: Milestone,
    forecast: date | None,
    status: MilestoneStatus,
    comment: str,
    today: date,
) -> dict[str, str | None]:
    problems: dict[str, str | None] = dict(
        rules.date_problems(starts_on=milestone.programme.starts_on, today=today, forecast=forecast)
    )
    if milestone.status is MilestoneStatus.COMPLETE:
        problems["forecast_date"] = "This milestone is complete: its forecast no longer changes"
    elif forecast is not None and milestone.baseline_date is None:
        problems["forecast_date"] = NO_BASELINE
    if status not in EDITABLE_STATUSES:
        problems["status"] = "Use “Record completion” to complete a milestone"
    problems["comment"] = rules.slip_reason_problem(
        baseline=milestone.baseline_date,
        forecast_before=milestone.forecast_date,
        forecast=forecast,
        status_before=milestone.status,
        status=status,
        reason=comment,
    )
    if (
        forecast is not None
        and forecast < today
        and status is not MilestoneStatus.MISSED
        and "forecast_date" not in problems
    ):
        problems["forecast_date"] = (
            "A forecast is a date still to come: enter today or a later date "
            "(or mark the milestone missed)"
        )
    return problems


def _record_forecast_changes(
    actor: Any,
    milestone: Milestone,
    before: tuple[date | None, MilestoneStatus],
    after: tuple[date | None, MilestoneStatus],
    comment: str,
    today: date,
) -> None:
    """The milestone's history rows for a forecast update: the forecast and the status each
    when changed, else the comment alone as progress."""
    (before_forecast, before_status), (forecast, status) = before, after
    if before_forecast != forecast:
        _change(actor, milestone, ChangeKind.FORECAST, today, before_forecast, forecast, comment)
    if before_status != status:
        _change(
            actor, milestone, ChangeKind.STATUS, today, before_status.label, status.label, comment
        )
    if before_forecast == forecast and before_status == status and comment:
        _change(actor, milestone, ChangeKind.PROGRESS, today, text=comment)


def rebaseline(
    actor: Any,
    milestone: Milestone,
    values: Mapping[str, Any],
    version: int | None,
    today: date,
) -> Milestone:
    """A new baseline, with the reason; the old one is kept and shown."""
    ensure(permissions.can_edit_milestone(actor, milestone))
    baseline = values.get("baseline_date")
    reason = (values.get("reason") or "").strip()
    problems: dict[str, str | None] = dict(
        rules.date_problems(starts_on=milestone.programme.starts_on, today=today, baseline=baseline)
    )
    if baseline is None:
        problems["baseline_date"] = "Enter the new baseline date"
    elif baseline == milestone.baseline_date:
        problems["baseline_date"] = "This is the current baseline: enter a different date"
    if not reason:
        problems["reason"] = "Give the reason for re-baselining"
    raise_if(problems)
    check_version(milestone, version)
    before = milestone.baseline_date
    update_record(
        actor, milestone, {"baseline_date": baseline}, version, f"Re-baselined {milestone.title}"
    )
    actor_id, label = _label(actor)
    db.session.add(
        MilestoneBaseline(
            milestone_id=milestone.id,
            baseline_date=baseline,
            previous_date=before,
            reason=reason,
            on=today,
            recorded_by_id=actor_id,
            recorded_by=label,
        )
    )
    _change(actor, milestone, ChangeKind.BASELINE, today, before, baseline, reason)
    sync_rag(actor, milestone, milestone.programme, today)
    db.session.flush()
    return milestone


def record_completion(
    actor: Any,
    milestone: Milestone,
    values: Mapping[str, Any],
    version: int | None,
    today: date,
) -> Milestone:
    """The milestone was achieved on ``actual_date`` (not in the future, not before its
    predecessors)."""
    ensure(permissions.can_edit_milestone(actor, milestone))
    actual = values.get("actual_date")
    comment = (values.get("comment") or "").strip()
    problems: dict[str, str | None] = dict(
        rules.date_problems(starts_on=milestone.programme.starts_on, today=today, actual=actual)
    )
    if actual is None:
        problems["actual_date"] = "Enter the date the milestone was achieved"
    elif "actual_date" not in problems:
        problems["actual_date"] = rules.completion_problem(
            actual,
            [(p.title, p.status, p.actual_date) for p in predecessors_of(milestone.id)],
            [(s.title, s.status, s.actual_date) for s in successors_of(milestone.id)],
        )
    raise_if(problems)
    check_version(milestone, version)
    before_actual, before_status = milestone.actual_date, milestone.status
    update_record(
        actor,
        milestone,
        {
            "actual_date": actual,
            "status": MilestoneStatus.COMPLETE,
            "override_confidence": None,
            "override_reason": "",
            "override_expires_on": None,
        },
        version,
        f"Recorded completion of {milestone.title}",
    )
    _change(actor, milestone, ChangeKind.ACTUAL, actual, before_actual, actual, comment)
    if before_status is not MilestoneStatus.COMPLETE:
        _change(
            actor,
            milestone,
            ChangeKind.STATUS,
            actual,
            before_status.label,
            MilestoneStatus.COMPLETE.label,
        )
    sync_rag(actor, milestone, milestone.programme, today)
    db.session.flush()
    return milestone


def override_rag(
    actor: Any,
    milestone: Milestone,
    values: Mapping[str, Any],
    version: int | None,
    today: date,
) -> Milestone:
    """Show a judged RAG instead of the derived one, with a reason, until an expiry date."""
    ensure(permissions.can_override_rag(actor, milestone))
    raw = values.get("confidence")
    confidence = rag.Confidence(raw) if raw else None
    reason = (values.get("reason") or "").strip()
    expires_on = values.get("expires_on")
    problems: dict[str, str | None] = dict(
        rag.milestone_override_problems(
            confidence=confidence,
            reason=reason,
            expires_on=expires_on,
            today=today,
            scale=milestone.programme.reporting,
        )
    )
    if len(reason) > rules.OVERRIDE_REASON_MAX:
        problems["reason"] = rules.OVERRIDE_REASON_TOO_LONG
    if milestone.status is MilestoneStatus.COMPLETE:
        problems["confidence"] = "A complete milestone is always blue: it cannot be overridden"
    elif milestone.status is MilestoneStatus.MISSED:
        problems["confidence"] = (
            "A missed milestone is always red: it cannot be overridden (change its status first "
            "if it was marked missed by mistake)"
        )
    raise_if(problems)
    check_version(milestone, version)
    update_record(
        actor,
        milestone,
        {
            "override_confidence": confidence,
            "override_reason": reason,
            "override_expires_on": expires_on,
        },
        version,
        f"Overrode the RAG of {milestone.title}",
    )
    _change(
        actor,
        milestone,
        ChangeKind.OVERRIDE,
        today,
        after=f"{confidence.label} until {long_date(expires_on)}",
        text=reason,
    )
    sync_rag(actor, milestone, milestone.programme, today)
    db.session.flush()
    return milestone


def end_override(actor: Any, milestone: Milestone, version: int | None, today: date) -> Milestone:
    ensure(permissions.can_override_rag(actor, milestone))
    check_version(milestone, version)
    if milestone.override_confidence is None:
        return milestone
    before = milestone.override_confidence.label
    update_record(
        actor,
        milestone,
        {"override_confidence": None, "override_reason": "", "override_expires_on": None},
        version,
        f"Ended the RAG override of {milestone.title}",
    )
    _change(actor, milestone, ChangeKind.OVERRIDE_ENDED, today, before=before, text="Ended")
    sync_rag(actor, milestone, milestone.programme, today)
    db.session.flush()
    return milestone


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
