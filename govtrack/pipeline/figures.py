"""What the pipeline contributes to the dashboards: each service's RAG by the one engine from its
planned integration date and stage (Operational is blue, past the planned date red, within the
tolerance amber), overdue services and services integrated in a period; and, for the
programme, which links objectives to services by id, the linked services' summaries and RAG."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from govtrack.core.dates import long_date
from govtrack.core.figures import (
    AreaFigures,
    Item,
    Listing,
    Scope,
    counted,
    listing,
    rag_case,
    split_listing,
    turned_colour,
)
from govtrack.core.rag import DEFAULT_TOLERANCE_DAYS, RAG, Assessment
from govtrack.db import db
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service
from govtrack.pipeline.rules import is_overdue, service_rag

OPERATIONAL = Service.stage == Stage.OPERATIONAL


def _scoped(stmt, scope: Scope):
    if scope.kind == "partner":
        return stmt.where(Service.partner_id == scope.id)
    if scope.kind == "objective":
        # The programme keeps the links and gives them with the scope.
        return stmt.where(Service.id.in_(scope.linked_ids("services")))
    return stmt


def _item(r, **kw) -> Item:
    return Item(
        area="services", title=r[1], href=url_for("pipeline.service", service_id=r[0]), **kw
    )


@dataclass(frozen=True)
class ServiceSummary:
    """A service as another capability's page lists it (the services serving an objective)."""

    id: int
    name: str
    partner_code: str
    stage: Stage
    planned_integration_date: date | None
    assessment: Assessment
    # The planned integration date passed without reaching Operational.
    overdue: bool = False


class ServiceFigures(AreaFigures):
    name = "services"
    label = "services"
    # "objective": the services linked to it, as the objective's own page counts them.
    scopes = ("programme", "partner", "objective")

    def counts(self, scope: Scope, today: date) -> dict[RAG, int] | None:
        if scope.kind not in self.scopes:
            return None
        colour = rag_case(Service.planned_integration_date, OPERATIONAL, today)
        stmt = _scoped(select(colour, func.count()).group_by(colour), scope)
        return counted(stmt)

    def turned(self, scope: Scope, since: date, today: date, limit: int) -> Listing | None:
        # The RAG follows the calendar: a service turned red the day after its planned date
        # passed, amber when that date came within the tolerance.
        if scope.kind not in self.scopes:
            return None
        planned = Service.planned_integration_date
        tol = timedelta(days=DEFAULT_TOLERANCE_DAYS)
        red = (planned >= since - timedelta(days=1)) & (planned < today)
        amber = (planned >= since + tol) & (planned <= today + tol) & (planned >= today)
        # One expression object, so PostgreSQL sees the same parameters in GROUP BY.
        colour = turned_colour(planned, today)
        base = _scoped(select(Service.id).where(~OPERATIONAL, red | amber), scope)
        rows = (
            base.with_only_columns(Service.id, Service.name, planned).order_by(planned).limit(limit)
        )
        return split_listing(
            base.with_only_columns(colour, func.count()).group_by(colour),
            rows,
            lambda r: _item(
                r,
                on=r[2] + timedelta(days=1) if r[2] < today else r[2] - tol,
                rag=RAG.RED if r[2] < today else RAG.AMBER,
                note=f"Planned integration date {long_date(r[2])}",
            ),
        )

    def overdue(self, scope: Scope, today: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        planned = Service.planned_integration_date
        base = _scoped(select(Service.id).where(~OPERATIONAL, planned < today), scope)
        rows = (
            base.with_only_columns(Service.id, Service.name, planned).order_by(planned).limit(limit)
        )
        return listing(base, rows, lambda r: _item(r, on=r[2], rag=RAG.RED))

    def upcoming(self, scope: Scope, today: date, days: int, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        planned = Service.planned_integration_date
        base = _scoped(
            select(Service.id).where(
                ~OPERATIONAL, planned.between(today, today + timedelta(days=days))
            ),
            scope,
        )
        rows = (
            base.with_only_columns(Service.id, Service.name, planned).order_by(planned).limit(limit)
        )
        return listing(base, rows, lambda r: _item(r, on=r[2], note="Planned integration"))

    def achieved(self, scope: Scope, start: date, end: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        integrated = Service.date_integrated
        base = _scoped(select(Service.id).where(integrated.between(start, end)), scope)
        rows = (
            base.with_only_columns(Service.id, Service.name, integrated)
            .order_by(integrated)
            .limit(limit)
        )
        return listing(base, rows, lambda r: _item(r, on=r[2], rag=RAG.BLUE, note="Integrated"))

    def linked(self, ids: Any, today: date) -> list[ServiceSummary]:
        services = db.session.scalars(
            select(Service)
            .where(Service.id.in_(ids))
            .options(joinedload(Service.partner))
            .order_by(Service.name)
        )
        return [
            ServiceSummary(
                id=s.id,
                name=s.name,
                partner_code=s.partner.code,
                stage=s.stage,
                planned_integration_date=s.planned_integration_date,
                assessment=service_rag(s.stage, s.planned_integration_date, today),
                overdue=is_overdue(s.stage, s.planned_integration_date, today),
            )
            for s in services
        ]

    def rag_by(self, links: Any, today: date) -> dict[Any, dict[RAG, int]]:
        pairs = links.subquery()
        key, service_id = pairs.c[0], pairs.c[1]
        rows = db.session.execute(
            select(key, Service.stage, Service.planned_integration_date)
            .select_from(pairs)
            .join(Service, Service.id == service_id)
        )
        out: dict[Any, dict[RAG, int]] = defaultdict(lambda: dict.fromkeys(RAG, 0))
        for k, stage, planned in rows:
            out[k][service_rag(stage, planned, today).rag] += 1
        return out

    def existing(self, ids: Sequence[int]) -> set[int]:
        return set(db.session.scalars(select(Service.id).where(Service.id.in_(list(ids)))))

    def choices(self) -> list[tuple[int, str]]:
        services = db.session.scalars(
            select(Service).options(joinedload(Service.partner)).order_by(Service.name)
        )
        return [(s.id, f"{s.name} ({s.partner.code})") for s in services]


figures = [ServiceFigures()]
