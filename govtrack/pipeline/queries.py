"""Reads of the service-integration pipeline: directorates, a service and its moves, and the
pipeline now or as it stood on any past date, as the pages show them.
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
from govtrack.db import db
from govtrack.pipeline import rules
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage
from govtrack.pipeline.models import Directorate, Service, StageTransition
from govtrack.registry.models import Partner

EDITABLE = (
    "name", "partner_id", "directorate_id", "partially_integrated", "date_integrated",
    "planned_integration_date", "integration_lead", "further_integration",
    "enquiries_per_month", "head_of_service", "head_of_service_meeting",
    "head_of_service_meeting_note", "mechanisms", "note",
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

    @property
    def shown_in_words(self) -> str:
        """ "1 service shown", "12 services shown"."""
        count = len(self.shown)
        return f"{count} service{'' if count == 1 else 's'} shown"

    @property
    def shown_overdue(self) -> int:
        """How many of the services shown are overdue."""
        return sum(1 for row in self.shown if row.overdue)

    @property
    def shown_enquiries(self) -> int:
        """The enquiries a month of the services shown (a service with none counts 0)."""
        return sum(row.enquiries_per_month or 0 for row in self.shown)

    @property
    def shown_share(self) -> Decimal:
        """The services shown's share of all the enquiries, added up."""
        return sum((row.share for row in self.shown if row.share is not None), Decimal(0))

    def by_stage(self) -> dict[Stage, list[Row]]:
        columns: dict[Stage, list[Row]] = {stage: [] for stage in Stage}
        for row in self.shown:
            columns[row.stage].append(row)
        return columns

    def columns(self, first: int, every_of: Stage | None = None) -> list[Column]:
        """The board's columns: each stage's count and its first ``first`` cards (every card
        of the stage ``every_of``, which alone is shown then), so the page stays a readable
        size with a thousand services."""
        return [
            Column(stage, len(rows), rows if stage is every_of else rows[:first])
            for stage, rows in self.by_stage().items()
            if every_of is None or stage is every_of
        ]


@dataclass(frozen=True)
class Column:
    """A stage on the board: how many services it holds and the cards shown."""

    stage: Stage
    total: int
    cards: list[Row]

    @property
    def cut(self) -> bool:
        return self.total > len(self.cards)


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
    entries = db.session.execute(
        select(AuditEntry.subject_id, AuditEntry.changes, AuditEntry.at)
        .where(
            AuditEntry.subject_type == Service.__audit_subject__,
            AuditEntry.action == "update",
            AuditEntry.at >= end,
        )
        .order_by(AuditEntry.id.desc())
    ).all()
    # Only the moves of services whose later edits changed the stage are matched: not every
    # transition recorded since (a history loaded in bulk is all recorded after the day).
    moved = {entry.subject_id for entry in entries if entry.changes.get("stage")}
    moves: dict[int, list[Any]] = defaultdict(list)
    if moved:
        for move in db.session.execute(
            select(
                StageTransition.service_id,
                StageTransition.from_stage,
                StageTransition.to_stage,
                StageTransition.recorded_at,
                StageTransition.moved_on,
            ).where(
                StageTransition.recorded_at >= end,
                StageTransition.from_stage.is_not(None),
                StageTransition.service_id.in_(moved),
            )
        ):
            moves[move.service_id].append(move)
    edits: dict[int, list[rules.Edit]] = defaultdict(list)
    for entry in entries:
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
