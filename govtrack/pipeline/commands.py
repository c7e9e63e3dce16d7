"""Writes of the service-integration pipeline: record and edit services and directorates, and move
services between stages. Each checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from govtrack.core import audit
from govtrack.core.permissions import ensure
from govtrack.core.records import create_record, raise_if, update_record
from govtrack.core.versioning import check_version
from govtrack.db import db
from govtrack.pipeline import rules
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage
from govtrack.pipeline.models import Directorate, Service, StageTransition
from govtrack.pipeline.permissions import (
    can_edit_partner_services,
    can_edit_service,
    can_manage_directorates,
)
from govtrack.pipeline.queries import EDITABLE, last_move_on

TEXT_FIELDS = (
    "name", "integration_lead", "further_integration", "head_of_service",
    "head_of_service_meeting_note", "note",
)  # fmt: skip


def _directorate_problems(values: Mapping[str, Any], current: Directorate | None):
    code = values["code"]
    clash = db.session.scalar(
        select(Directorate.id).where(
            Directorate.partner_id == values["partner_id"],
            Directorate.code == code,
            Directorate.id != (current.id if current else -1),
        )
    )
    return {
        "code": (
            "Enter the directorate's short code, like ENV"
            if not code
            else f"The partner already has a directorate {code}"
            if clash
            else None
        ),
        "partner_id": None if values["partner_id"] else "Choose the partner",
    }


def create_directorate(actor: Any, values: Mapping[str, Any]) -> Directorate:
    clean = {
        "partner_id": values.get("partner_id"),
        "code": (values.get("code") or "").strip().upper(),
        "name": (values.get("name") or "").strip(),
    }
    raise_if(_directorate_problems(clean, None))
    ensure(can_manage_directorates(actor, clean["partner_id"]))
    directorate = Directorate(**clean)
    return create_record(actor, directorate, f"Added directorate {clean['code']}")


def update_directorate(
    actor: Any, directorate: Directorate, values: Mapping[str, Any], version: int | None
) -> Directorate:
    ensure(can_manage_directorates(actor, directorate.partner_id))
    clean = {
        "partner_id": directorate.partner_id,
        "code": (values.get("code") or "").strip().upper(),
        "name": (values.get("name") or "").strip(),
    }
    raise_if(_directorate_problems(clean, directorate))
    return update_record(
        actor,
        directorate,
        {"code": clean["code"], "name": clean["name"]},
        version,
        f"Edited directorate {clean['code']}",
    )


def clean_service_values(values: Mapping[str, Any]) -> dict[str, Any]:
    clean = {name: values.get(name) for name in EDITABLE if name in values}
    for name in TEXT_FIELDS:
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    if "partially_integrated" in clean:
        clean["partially_integrated"] = bool(clean["partially_integrated"])
    if "mechanisms" in clean:
        clean["mechanisms"] = {
            Mechanism(k).value: MechanismStatus(v).value
            for k, v in (clean["mechanisms"] or {}).items()
            if v
        }
    return clean


def service_problems(
    values: Mapping[str, Any],
    current: Service | None,
    stage: Stage | None,
    today: date,
    stage_since: date | None = None,
) -> dict[str, str | None]:
    """What is wrong with a service's values, by form field. ``stage`` is the stage it is at
    (None when the form's stage was itself refused); ``stage_since`` is given for a new service,
    the date it reached that stage."""
    partner_id = values.get("partner_id")
    integrated = values.get("date_integrated")
    problems: dict[str, str | None] = {
        "name": None if values.get("name") else "Enter the service's name",
        "partner_id": None if partner_id else "Choose the partner that owns the service",
        "enquiries_per_month": rules.enquiries_problem(values.get("enquiries_per_month")),
        "date_integrated": rules.date_integrated_problem(integrated, today, stage),
        "planned_integration_date": rules.planned_date_problem(
            values.get("planned_integration_date"), today
        ),
        "head_of_service_meeting": rules.meeting_date_problem(
            values.get("head_of_service_meeting"), today
        ),
        "further_integration": rules.length_problem(
            values.get("further_integration"),
            rules.FURTHER_INTEGRATION_MAX,
            "Potential for further integration",
        ),
        "note": rules.length_problem(values.get("note"), rules.NOTE_MAX, "Notes"),
    }
    if current is None and stage_since is not None:
        _add_stage_since_problem(problems, stage_since, integrated, today)
    directorate_id = values.get("directorate_id")
    if directorate_id is not None and partner_id:
        problems["directorate_id"] = _directorate_choice_problem(directorate_id, partner_id)
    if values.get("name") and partner_id:
        clash = db.session.scalar(
            select(Service.id).where(
                Service.partner_id == partner_id,
                Service.name == values["name"],
                Service.id != (current.id if current else -1),
            )
        )
        if clash:
            problems["name"] = "The partner already has a service with this name"
    return problems


def _add_stage_since_problem(
    problems: dict[str, str | None], stage_since: date, integrated: date | None, today: date
) -> None:
    """A new service's date at its stage: not in the future nor before the records begin, and
    the date integrated (when it has no problem of its own) must fit it."""
    if stage_since > today:
        problems["stage_since"] = "The date the service reached its stage must be today or earlier"
    elif early := rules.earliest_problem(stage_since, "The date the service reached its stage"):
        problems["stage_since"] = early
    elif integrated is not None and not problems["date_integrated"]:
        problems["date_integrated"] = rules.integrated_window_problem(
            integrated, reached=stage_since, stage=None, moved_on=None
        )


def _directorate_choice_problem(directorate_id: int, partner_id: int) -> str | None:
    owner = db.session.scalar(
        select(Directorate.partner_id).where(Directorate.id == directorate_id)
    )
    if owner is None:
        return "Choose a directorate from the list"
    if owner != partner_id:
        return "Choose a directorate of the partner that owns the service"
    return None


def create_service(
    actor: Any, values: Mapping[str, Any], stage: Stage, stage_since: date, today: date
) -> Service:
    """Record a service at a stage, with the transition that puts it there on ``stage_since``."""
    clean = clean_service_values(values)
    raise_if(service_problems(clean, None, stage, today, stage_since))
    ensure(can_edit_partner_services(actor, clean["partner_id"]))
    service = Service(stage=stage, **clean)
    create_record(actor, service, f"Added service {service.name} at {stage.numbered}")
    _transition(actor, service, None, stage, stage_since, "")
    return service


def update_service(
    actor: Any, service: Service, values: Mapping[str, Any], version: int | None, today: date
) -> Service:
    """Edit everything but the stage (stages change only by a recorded move)."""
    ensure(can_edit_service(actor, service))
    clean = clean_service_values(values)
    raise_if(service_problems(clean, service, service.stage, today))
    if clean.get("partner_id") != service.partner_id:
        ensure(can_edit_partner_services(actor, clean.get("partner_id")))
    return update_record(actor, service, clean, version, f"Edited service {clean['name']}")


def _transition(
    actor: Any, service: Service, from_stage: Stage | None, to: Stage, on: date, reason: str
) -> StageTransition:
    actor_id, label = audit.actor_fields(actor)
    row = StageTransition(
        service_id=service.id,
        moved_on=on,
        from_stage=from_stage,
        to_stage=to,
        reason=reason,
        recorded_by_id=actor_id,
        recorded_by=label,
    )
    db.session.add(row)
    return row


class StaleMove(Exception):
    """The form was opened on a stage the service has left."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def move_service(
    actor: Any,
    service: Service,
    *,
    seen: Stage | None,
    version: int | None,
    to: Stage,
    on: date,
    reason: str,
    date_integrated: date | None,
    today: date,
) -> StageTransition:
    """Record a move and bring the service's stage (and date integrated) into step with it."""
    ensure(can_edit_service(actor, service))
    reason = (reason or "").strip()
    # Only a move to Operational takes the date integrated (the one typed, else the one the
    # service has); a date typed for a move to any other stage is refused by the rules.
    integrated = date_integrated
    if to == Stage.OPERATIONAL and integrated is None:
        integrated = service.date_integrated
    move = rules.Move(
        current=service.stage,
        seen=seen,
        to=to,
        on=on,
        reason=reason,
        date_integrated=integrated,
        last_move_on=last_move_on(service.id),
    )
    problems = rules.transition_problems(move, today)
    if "from_stage" in problems:
        raise StaleMove(problems["from_stage"])
    raise_if(problems)
    check_version(service, version)
    before = audit.snapshot(service)
    from_stage = service.stage
    service.stage = to
    if to == Stage.OPERATIONAL:
        service.date_integrated = integrated
    elif from_stage == Stage.OPERATIONAL:
        # No longer integrated: the date goes (the audit entry keeps the old one), so no view
        # counts the service as integrated; reaching Operational again asks for a new date.
        service.date_integrated = None
    db.session.flush()
    summary = f"Moved {service.name} from {from_stage.numbered} to {to.numbered}"
    if reason:
        summary += f": {reason}"
    audit.record(actor, "update", service, summary, before=before)
    return _transition(actor, service, from_stage, to, on, reason)
