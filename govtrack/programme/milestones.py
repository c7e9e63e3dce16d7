"""Writes of milestones: record and edit them (with their predecessors), slip a forecast,
re-baseline, record completion, override the RAG and end an override; each change is history.

Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select

from govtrack.core import audit, rag
from govtrack.core.audit import actor_fields
from govtrack.core.dates import long_date
from govtrack.core.permissions import ensure
from govtrack.core.records import create_record, raise_if, update_record
from govtrack.core.versioning import check_version
from govtrack.db import db
from govtrack.programme import permissions, rules
from govtrack.programme.commands import record_change, sync_rag
from govtrack.programme.enums import ChangeKind, MilestoneStatus
from govtrack.programme.models import (
    Milestone,
    MilestoneBaseline,
    MilestonePredecessor,
    Objective,
    Programme,
)
from govtrack.programme.queries import (
    predecessors_of,
    successors_of,
)
from govtrack.registry import figures as registry

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
    person = registry.person(int(person_id))
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
    actor_id, label = actor_fields(actor)
    db.session.add(
        MilestoneBaseline(
            milestone_id=milestone.id,
            baseline_date=baseline,
            on=today,
            recorded_by_id=actor_id,
            recorded_by=label,
        )
    )
    record_change(actor, milestone, ChangeKind.CREATED, today, after=status.label)
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
    record_change(actor, milestone, ChangeKind.DETAILS, today, text=text)
    db.session.flush()
    return milestone


def _detail_names(milestone: Milestone) -> dict[str, str]:
    """A milestone's details as the history names them (objective, partner, person by name)."""

    def ident(record_id: Any) -> int | None:
        return int(record_id) if record_id else None

    objective_id = ident(milestone.objective_id)
    objective = db.session.get(Objective, objective_id) if objective_id else None
    partner = registry.partner(ident(milestone.owner_partner_id))
    person = registry.person(ident(milestone.owner_person_id))
    return {
        "title": f"“{milestone.title}”",
        "objective": f"{objective.number}. {objective.title}" if objective else "",
        "workstream": milestone.workstream,
        "owner_partner": partner.name if partner else "",
        "owner_person": person.name if person else "",
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
        record_change(
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
        record_change(
            actor, milestone, ChangeKind.FORECAST, today, before_forecast, forecast, comment
        )
    if before_status != status:
        record_change(
            actor, milestone, ChangeKind.STATUS, today, before_status.label, status.label, comment
        )
    if before_forecast == forecast and before_status == status and comment:
        record_change(actor, milestone, ChangeKind.PROGRESS, today, text=comment)


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
    actor_id, label = actor_fields(actor)
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
    record_change(actor, milestone, ChangeKind.BASELINE, today, before, baseline, reason)
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
    record_change(actor, milestone, ChangeKind.ACTUAL, actual, before_actual, actual, comment)
    if before_status is not MilestoneStatus.COMPLETE:
        record_change(
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
    record_change(
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
    record_change(actor, milestone, ChangeKind.OVERRIDE_ENDED, today, before=before, text="Ended")
    sync_rag(actor, milestone, milestone.programme, today)
    db.session.flush()
    return milestone
