"""Use-cases of the service-integration pipeline: record and edit services, move them between
stages, keep directorates, and read the pipeline now or as it stood on any past date.

Each writing use-case checks the permission and the rules, writes, audits and only flushes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from govtrack.core import audit
from govtrack.core.dates import LONDON
from govtrack.core.models import AuditEntry
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
from govtrack.registry.models import Partner

EDITABLE = (
    "name", "partner_id", "directorate_id", "partially_integrated", "date_integrated",
    "planned_integration_date", "integration_lead", "further_integration",
    "enquiries_per_month", "head_of_service", "head_of_service_meeting",
    "head_of_service_meeting_note", "mechanisms", "note",
)  # fmt: skip
TEXT_FIELDS = (
    "name", "integration_lead", "further_integration", "head_of_service",
    "head_of_service_meeting_note", "note",
)  # fmt: skip
DATE_FIELDS = ("date_integrated", "planned_integration_date", "head_of_service_meeting")


# Directorates -----------------------------------------------------------------------------


def all_directorates() -> list[Directorate]:
    stmt = (
        select(Directorate)
        .join(Partner, Directorate.partner_id == Partner.id)
        .options(joinedload(Directorate.partner))
        .order_by(Partner.code, Directorate.code)
    )
    return list(db.session.scalars(stmt))


def load_directorate(directorate_id: int) -> Directorate | None:
    return db.session.get(Directorate, directorate_id, options=[joinedload(Directorate.partner)])


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


# Services ---------------------------------------------------------------------------------


def load_service(service_id: int) -> Service | None:
    return db.session.get(
        Service,
        service_id,
        options=[joinedload(Service.partner), joinedload(Service.directorate)],
    )


def transitions_of(service_id: int) -> list[StageTransition]:
    stmt = (
        select(StageTransition)
        .where(StageTransition.service_id == service_id)
        .order_by(StageTransition.moved_on, StageTransition.id)
    )
    return list(db.session.scalars(stmt))


def service_history(service: Service):
    from govtrack.core.history import describe_history

    return describe_history(audit.history_of(Service.__audit_subject__, [service.id]))


def lead_suggestions() -> list[str]:
    """The integration leads already used, to suggest (the paper writes them many ways)."""
    stmt = (
        select(Service.integration_lead)
        .where(Service.integration_lead != "")
        .distinct()
        .order_by(Service.integration_lead)
    )
    return list(db.session.scalars(stmt))


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
        if stage_since > today:
            problems["stage_since"] = (
                "The date the service reached its stage must be today or earlier"
            )
        elif early := rules.earliest_problem(stage_since, "The date the service reached its stage"):
            problems["stage_since"] = early
        elif integrated is not None and not problems["date_integrated"]:
            problems["date_integrated"] = rules.integrated_window_problem(
                integrated, reached=stage_since, stage=None, moved_on=None
            )
    directorate_id = values.get("directorate_id")
    if directorate_id is not None and partner_id:
        owner = db.session.scalar(
            select(Directorate.partner_id).where(Directorate.id == directorate_id)
        )
        if owner is None:
            problems["directorate_id"] = "Choose a directorate from the list"
        elif owner != partner_id:
            problems["directorate_id"] = "Choose a directorate of the partner that owns the service"
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


def last_move_on(service_id: int) -> date | None:
    return db.session.scalar(
        select(StageTransition.moved_on)
        .where(StageTransition.service_id == service_id)
        .order_by(StageTransition.moved_on.desc(), StageTransition.id.desc())
        .limit(1)
    )


def last_moves() -> dict[int, date]:
    """Each service's latest move date, in one query."""
    stmt = select(StageTransition.service_id, func.max(StageTransition.moved_on)).group_by(
        StageTransition.service_id
    )
    return dict(db.session.execute(stmt).all())


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


# The pipeline, now or as at a date --------------------------------------------------------


@dataclass
class Row:
    """One service as the board and table show it, on the day asked for."""

    id: int
    version: int
    name: str
    partner_id: int
    partner: str
    directorate: str
    stage: Stage
    partially_integrated: bool
    date_integrated: date | None
    planned_integration_date: date | None
    integration_lead: str
    further_integration: str
    enquiries_per_month: int | None
    head_of_service: str
    head_of_service_meeting: date | None
    head_of_service_meeting_note: str
    mechanisms: dict[Mechanism, MechanismStatus]
    note: str = ""
    overdue: bool = False
    share: Decimal | None = None


@dataclass(frozen=True)
class Filters:
    partner: str = ""
    directorate: str = ""
    lead: str = ""

    def matches(self, row: Row) -> bool:
        return (
            (not self.partner or row.partner == self.partner)
            and (not self.directorate or row.directorate == self.directorate)
            and (not self.lead or row.integration_lead == self.lead)
        )


@dataclass
class Position:
    """The pipeline on a day: every service's row (shares over all of them) and those shown."""

    day: date
    as_at: bool
    rows: list[Row]
    shown: list[Row]
    total_enquiries: int
    options: dict[str, list[str]] = field(default_factory=dict)

    def by_stage(self) -> dict[Stage, list[Row]]:
        columns: dict[Stage, list[Row]] = {stage: [] for stage in Stage}
        for row in self.shown:
            columns[row.stage].append(row)
        return columns


def _row(service: Service, partner_code: str, directorate_code: str) -> Row:
    return Row(
        id=service.id,
        version=service.version,
        name=service.name,
        partner_id=service.partner_id,
        partner=partner_code,
        directorate=directorate_code,
        stage=service.stage,
        partially_integrated=service.partially_integrated,
        date_integrated=service.date_integrated,
        planned_integration_date=service.planned_integration_date,
        integration_lead=service.integration_lead,
        further_integration=service.further_integration,
        enquiries_per_month=service.enquiries_per_month,
        head_of_service=service.head_of_service,
        head_of_service_meeting=service.head_of_service_meeting,
        head_of_service_meeting_note=service.head_of_service_meeting_note,
        mechanisms=rules.mechanism_map(service.mechanisms),
        note=service.note,
    )


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)


def _as_stored(name: str, value: Any) -> Any:
    if name in DATE_FIELDS and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _latest_moves(day: date):
    """Each service's latest move on or before ``day`` (by date, then order of recording)."""
    ranked = (
        select(
            StageTransition.service_id,
            StageTransition.moved_on,
            StageTransition.id,
            StageTransition.to_stage,
            func.row_number()
            .over(
                partition_by=StageTransition.service_id,
                order_by=(StageTransition.moved_on.desc(), StageTransition.id.desc()),
            )
            .label("place"),
        )
        .where(StageTransition.moved_on <= day)
        .subquery()
    )
    return select(ranked.c.service_id, ranked.c.moved_on, ranked.c.id, ranked.c.to_stage).where(
        ranked.c.place == 1
    )


def _edits_recorded_after(day: date) -> dict[int, list[rules.Edit]]:
    """Each service's edits recorded after ``day``, newest first, each move's with its date.

    A move writes its transition and its audit entry in the same transaction, so an entry is
    matched to the transition of the same service and stages recorded nearest to it. Two
    queries, however many services there are.
    """
    end = _end_of(day)
    moves: dict[int, list[StageTransition]] = defaultdict(list)
    for move in db.session.scalars(
        select(StageTransition).where(
            StageTransition.recorded_at >= end, StageTransition.from_stage.is_not(None)
        )
    ):
        moves[move.service_id].append(move)
    edits: dict[int, list[rules.Edit]] = defaultdict(list)
    for entry in db.session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == Service.__audit_subject__,
            AuditEntry.action == "update",
            AuditEntry.at >= end,
        )
        .order_by(AuditEntry.id.desc())
    ):
        moved_on = None
        if stages := entry.changes.get("stage"):
            candidates = [
                m
                for m in moves.get(entry.subject_id, [])
                if (m.from_stage, m.to_stage) == tuple(stages)
            ]
            if candidates:
                moved_on = min(candidates, key=lambda m: abs(m.recorded_at - entry.at)).moved_on
        edits[entry.subject_id].append(rules.Edit(entry.changes, moved_on))
    return edits


def position(day: date, today: date, filters: Filters | None = None) -> Position:
    """Every service as it stood at the end of ``day``: stages rebuilt from the transitions,
    other columns from the audit log's before-values of edits recorded after that day.

    A day before today is "as at": only services with a move on or before it appear. Queries
    are the same in number however many services there are.
    """
    filters = filters or Filters()
    as_at = day < today
    services = list(db.session.scalars(select(Service).order_by(Service.name, Service.id)))
    partners = {p.id: p.code for p in db.session.scalars(select(Partner))}
    directorates = {d.id: d.code for d in db.session.scalars(select(Directorate))}
    if as_at:
        # Only each service's latest move on or before the day is fetched (the one
        # ``rules.stage_on`` would pick), not its whole history.
        steps: dict[int, list[rules.Step]] = defaultdict(list)
        for service_id, moved_on, row_id, to_stage in db.session.execute(_latest_moves(day)):
            steps[service_id].append(rules.Step(moved_on, row_id, to_stage))
        later_edits = _edits_recorded_after(day)
    rows: list[Row] = []
    for service in services:
        if as_at:
            stage = rules.stage_on(steps.get(service.id, []), day)
            if stage is None:
                continue
            values = rules.values_on(
                {name: getattr(service, name) for name in EDITABLE},
                later_edits.get(service.id, []),
                day,
            )
            values = {name: _as_stored(name, value) for name, value in values.items()}
            snapshot = _Snapshot(service, values, stage)
            if snapshot.date_integrated and snapshot.date_integrated > day:
                snapshot.date_integrated = None
        else:
            snapshot = service
        rows.append(
            _row(
                snapshot,
                partners.get(snapshot.partner_id, ""),
                directorates.get(snapshot.directorate_id, ""),
            )
        )
    for row, share in zip(rows, rules.shares([r.enquiries_per_month for r in rows]), strict=True):
        row.share = share
        row.overdue = rules.is_overdue(row.stage, row.planned_integration_date, day)
    shown = [r for r in rows if filters.matches(r)]
    options = {
        "partner": sorted({r.partner for r in rows}),
        "directorate": sorted({r.directorate for r in rows if r.directorate}),
        "lead": sorted({r.integration_lead for r in rows if r.integration_lead}),
    }
    return Position(
        day=day,
        as_at=as_at,
        rows=rows,
        shown=shown,
        total_enquiries=sum(r.enquiries_per_month or 0 for r in rows),
        options=options,
    )


class _Snapshot:
    """A service's values on a past day (a plain object; the ORM record is not touched)."""

    def __init__(self, service: Service, values: Mapping[str, Any], stage: Stage) -> None:
        self.id = service.id
        self.version = service.version
        self.stage = stage
        for name, value in values.items():
            setattr(self, name, value)
        self.mechanisms = self.mechanisms or {}


TABLE_SORTS = {
    "name": lambda r: r.name.lower(),
    "partner": lambda r: r.partner,
    "directorate": lambda r: r.directorate,
    "stage": lambda r: (int(r.stage), r.partially_integrated),
    "integrated": lambda r: (r.date_integrated is None, r.date_integrated or date.min),
    "planned": lambda r: (
        r.planned_integration_date is None,
        r.planned_integration_date or date.min,
    ),
    "lead": lambda r: r.integration_lead.lower(),
    "enquiries": lambda r: (r.enquiries_per_month is None, r.enquiries_per_month or 0),
    "share": lambda r: (r.share is None, r.share or 0),
    "head": lambda r: r.head_of_service.lower(),
    "meeting": lambda r: (r.head_of_service_meeting is None, r.head_of_service_meeting or date.min),
    "overdue": lambda r: not r.overdue,
}


def sort_rows(rows: Sequence[Row], sort: str, descending: bool) -> list[Row]:
    key = TABLE_SORTS.get(sort, TABLE_SORTS["stage"])
    # Stable: ties keep the name order the position was built in.
    return sorted(rows, key=key, reverse=descending)
