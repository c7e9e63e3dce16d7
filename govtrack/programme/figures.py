"""What the programme contributes to the dashboards: milestones and work-plan actions by their
stored RAG (kept in step with their history), what turned red or amber, what is overdue or due
soon, achieved or slipped (with the reasons given), the milestone timeline, RAG over time from
the milestones' RAG changes, and the objectives by the roll-up of what serves them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask import g, has_request_context, request, url_for
from sqlalchemy import String, cast, func, or_, select

from govtrack.core.dates import long_date
from govtrack.core.figures import (
    AreaFigures,
    Item,
    Listing,
    Scope,
    counted,
    listing,
    split_listing,
)
from govtrack.core.pagination import Page, paginate
from govtrack.core.rag import RAG, RollUp
from govtrack.db import db
from govtrack.programme.conditions import (
    OPEN,
    due_within,
    milestone_due,
    overdue_on,
)
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


def _shown(iso: str) -> str:
    try:
        return long_date(date.fromisoformat(iso))
    except ValueError:
        return iso or "no date"


def _milestone(r, **kw) -> Item:
    return Item(
        area="milestones",
        title=r[1],
        href=url_for("programme.milestone", milestone_id=r[0]),
        **kw,
    )


@dataclass(frozen=True)
class TimelineRow:
    id: int
    title: str
    baseline: date | None
    forecast: date | None
    actual: date | None
    rag: RAG

    @property
    def slip_days(self) -> int | None:
        """Days the forecast (or the actual) lies after the baseline."""
        end = self.actual or self.forecast
        if end is None or self.baseline is None:
            return None
        return (end - self.baseline).days


def _owned_scope(stmt, scope: Scope, model: Any):
    """``stmt`` narrowed to the scope: a partner's items are those it owns, an objective's
    those that serve it (milestones and work-plan actions alike)."""
    if scope.kind == "partner":
        return stmt.where(model.owner_partner_id == scope.id)
    if scope.kind == "objective":
        return stmt.where(model.objective_id == scope.id)
    return stmt


class MilestoneFigures(AreaFigures):
    name = "milestones"
    label = "milestones"
    scopes = ("programme", "partner", "objective")

    def _scoped(self, stmt, scope: Scope):
        return _owned_scope(stmt, scope, Milestone)

    def _list_href(self, scope: Scope, **filters: str) -> str:
        """The milestones list filtered as a dashboard list is (its scope included)."""
        if scope.kind in ("partner", "objective"):
            filters[scope.kind] = str(scope.id)
        return url_for("programme.milestones", **filters)

    def counts(self, scope: Scope, today: date) -> dict[RAG, int] | None:
        if scope.kind not in self.scopes:
            return None
        stmt = self._scoped(select(Milestone.rag, func.count()).group_by(Milestone.rag), scope)
        return counted(stmt)

    def turned(self, scope: Scope, since: date, today: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        base = self._scoped(
            select(Milestone.id).where(
                Milestone.rag.in_([RAG.RED, RAG.AMBER]), Milestone.rag_since >= since
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Milestone.id,
                Milestone.title,
                Milestone.rag,
                Milestone.rag_since,
                Milestone.rag_reason,
            )
            .order_by(Milestone.rag_since.desc(), Milestone.id)
            .limit(limit)
        )
        listing = split_listing(
            base.with_only_columns(Milestone.rag, func.count()).group_by(Milestone.rag),
            rows,
            lambda r: _milestone(r, rag=r[2], on=r[3], note=r[4]),
        )
        href = self._list_href(scope, rag="red_amber", since=since.isoformat())
        return replace(listing, more_href=href)

    def _due(self, scope: Scope, when: Any, limit: int, by: Any = milestone_due) -> Listing:
        """Open milestones whose date ``by`` meets ``when``, soonest first."""
        base = self._scoped(
            select(Milestone.id).where(OPEN, Milestone.actual_date.is_(None), when), scope
        )
        rows = (
            base.with_only_columns(Milestone.id, Milestone.title, Milestone.rag, by)
            .order_by(by, Milestone.id)
            .limit(limit)
        )
        return listing(base, rows, lambda r: _milestone(r, rag=r[2], on=r[3]))

    def overdue(self, scope: Scope, today: date, limit: int) -> Listing | None:
        """Overdue as the RAG rule says it: the baseline has passed (whatever the forecast)."""
        if scope.kind not in self.scopes:
            return None
        listing = self._due(scope, overdue_on(today), limit, by=Milestone.baseline_date)
        return replace(listing, more_href=self._list_href(scope, overdue="yes"))

    def upcoming(self, scope: Scope, today: date, days: int, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        listing = self._due(scope, due_within(today, days), limit)
        return replace(listing, more_href=self._list_href(scope, overdue=f"next{days}"))

    def achieved(self, scope: Scope, start: date, end: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        base = self._scoped(
            select(Milestone.id).where(Milestone.actual_date.between(start, end)), scope
        )
        rows = (
            base.with_only_columns(
                Milestone.id, Milestone.title, Milestone.actual_date, Milestone.baseline_date
            )
            .order_by(Milestone.actual_date, Milestone.id)
            .limit(limit)
        )

        def make(r) -> Item:
            late = (r[2] - r[3]).days if r[3] else 0
            note = f"{late:,} days after its baseline" if late > 0 else "On or before its baseline"
            return _milestone(r, rag=RAG.BLUE, on=r[2], note=note)

        return listing(base, rows, make)

    def slipped(self, scope: Scope, start: date, end: date, limit: int) -> Listing | None:
        """What slipped in the period: forecasts moved later (a first forecast counts when it
        lies after the baseline), re-baselines to a later date, milestones marked missed, and
        baselines that passed in the period with the milestone not complete by them. Earliest
        first."""
        if scope.kind not in self.scopes:
            return None
        parts = (
            self._moved_later(scope, start, end, limit),
            self._marked_missed(scope, start, end, limit),
            self._baselines_missed(scope, start, end, limit),
        )
        items = sorted(
            (item for part in parts for item in part.items), key=lambda item: item.on or start
        )[:limit]
        return Listing(sum(part.total for part in parts), items)

    def _marked_missed(self, scope: Scope, start: date, end: date, limit: int) -> Listing:
        base = self._scoped(
            select(Milestone.id)
            .join(MilestoneChange, MilestoneChange.milestone_id == Milestone.id)
            .where(
                MilestoneChange.kind == ChangeKind.STATUS,
                MilestoneChange.to_value == MilestoneStatus.MISSED.label,
                MilestoneChange.on.between(start, end),
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Milestone.id,
                Milestone.title,
                Milestone.rag,
                MilestoneChange.on,
                MilestoneChange.text,
            )
            .order_by(MilestoneChange.on, MilestoneChange.id)
            .limit(limit)
        )
        return listing(
            base,
            rows,
            lambda r: _milestone(
                r, rag=r[2], on=r[3], note="Marked missed. " + (r[4] or "No reason recorded.")
            ),
        )

    def _moved_later(self, scope: Scope, start: date, end: date, limit: int) -> Listing:
        first_forecast = (MilestoneChange.kind == ChangeKind.FORECAST) & (
            MilestoneChange.from_value == ""
        )
        base = self._scoped(
            select(Milestone.id)
            .join(MilestoneChange, MilestoneChange.milestone_id == Milestone.id)
            .where(
                MilestoneChange.kind.in_([ChangeKind.FORECAST, ChangeKind.BASELINE]),
                MilestoneChange.on.between(start, end),
                or_(
                    # ISO dates compare as text: a later date is a greater string.
                    (MilestoneChange.from_value != "")
                    & (MilestoneChange.to_value > MilestoneChange.from_value),
                    first_forecast
                    & (MilestoneChange.to_value > cast(Milestone.baseline_date, String)),
                ),
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Milestone.id,
                Milestone.title,
                Milestone.rag,
                MilestoneChange.on,
                MilestoneChange.kind,
                MilestoneChange.from_value,
                MilestoneChange.to_value,
                MilestoneChange.text,
                Milestone.baseline_date,
            )
            .order_by(MilestoneChange.on, MilestoneChange.id)
            .limit(limit)
        )

        def make(r) -> Item:
            if r[4] is ChangeKind.BASELINE:
                moved = f"Re-baselined from {_shown(r[5])} to {_shown(r[6])}. "
            elif r[5]:
                moved = f"Forecast moved from {_shown(r[5])} to {_shown(r[6])}. "
            else:
                moved = f"Forecast set to {_shown(r[6])}, after its baseline of {long_date(r[8])}. "
            return _milestone(r, rag=r[2], on=r[3], note=moved + (r[7] or "No reason recorded."))

        return listing(base, rows, make)

    def _baselines_missed(self, scope: Scope, start: date, end: date, limit: int) -> Listing:
        base = self._scoped(
            select(Milestone.id).where(
                Milestone.baseline_date.between(start, end),
                or_(
                    Milestone.actual_date.is_(None), Milestone.actual_date > Milestone.baseline_date
                ),
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Milestone.id,
                Milestone.title,
                Milestone.rag,
                Milestone.baseline_date,
                Milestone.actual_date,
                Milestone.status,
            )
            .order_by(Milestone.baseline_date, Milestone.id)
            .limit(limit)
        )

        def make(r) -> Item:
            note = "Its baseline passed in the period without it being complete"
            if r[4] is not None:
                note += f"; completed late, on {long_date(r[4])}."
            else:
                note += f"; status now: {r[5].label}."
            return _milestone(r, rag=r[2], on=r[3], note=note)

        return listing(base, rows, make)

    def needing_decision(self, scope: Scope, today: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        base = self._scoped(
            select(Milestone.id).where(
                OPEN,
                or_(Milestone.rag == RAG.RED, Milestone.override_confidence.is_not(None)),
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Milestone.id,
                Milestone.title,
                Milestone.rag,
                milestone_due,
                Milestone.override_reason,
                Milestone.rag_reason,
            )
            .order_by(milestone_due, Milestone.id)
            .limit(limit)
        )
        return listing(
            base,
            rows,
            lambda r: _milestone(
                r, rag=r[2], on=r[3], note=f"Overridden: {r[4]}" if r[4] else r[5]
            ),
        )

    # Beyond the common figures: the timeline and RAG over time ------------------------------

    def timeline(self, scope: Scope, page: int, per_page: int) -> Page[TimelineRow]:
        """One page of milestones in baseline order, with baseline, forecast and actual."""
        stmt = self._scoped(
            select(
                Milestone.id,
                Milestone.title,
                Milestone.baseline_date,
                Milestone.forecast_date,
                Milestone.actual_date,
                Milestone.rag,
            ).order_by(func.coalesce(Milestone.baseline_date, milestone_due), Milestone.id),
            scope,
        )
        return paginate(stmt, page, per_page, scalars=False).map(lambda row: TimelineRow(*row))

    def rag_flows(self, scope: Scope) -> list[tuple[date, RAG | None, RAG, int]]:
        """RAG changes summed by day and colours: ``(day, from, to, how many)``. Bounded by
        the number of days with changes, not by the number of milestones."""
        stmt = self._scoped(
            select(
                MilestoneRagChange.on,
                MilestoneRagChange.from_rag,
                MilestoneRagChange.to_rag,
                func.count(),
            )
            .join(Milestone, Milestone.id == MilestoneRagChange.milestone_id)
            .group_by(MilestoneRagChange.on, MilestoneRagChange.from_rag, MilestoneRagChange.to_rag)
            .order_by(MilestoneRagChange.on),
            scope,
        )
        return [tuple(r) for r in db.session.execute(stmt)]


class WorkPlanActionFigures(AreaFigures):
    name = "work_plan_actions"
    label = "work-plan actions"
    scopes = ("programme", "partner", "objective")

    def _scoped(self, stmt, scope: Scope):
        return _owned_scope(stmt, scope, WorkPlanAction)

    def _item(self, r, **kw) -> Item:
        return Item(
            area="work-plan actions",
            title=r[1],
            href=url_for("programme.objective", objective_id=r[2]),
            **kw,
        )

    def counts(self, scope: Scope, today: date) -> dict[RAG, int] | None:
        if scope.kind not in self.scopes:
            return None
        stmt = self._scoped(
            select(WorkPlanAction.rag, func.count()).group_by(WorkPlanAction.rag), scope
        )
        return counted(stmt)

    def _due(self, scope: Scope, when: Any, limit: int) -> Listing:
        """Unfinished actions whose due date meets ``when``, soonest first."""
        base = self._scoped(
            select(WorkPlanAction.id).where(WorkPlanAction.status != ActionStatus.COMPLETE, when),
            scope,
        )
        rows = (
            base.with_only_columns(
                WorkPlanAction.id,
                WorkPlanAction.title,
                WorkPlanAction.objective_id,
                WorkPlanAction.rag,
                WorkPlanAction.due,
            )
            .order_by(WorkPlanAction.due, WorkPlanAction.id)
            .limit(limit)
        )
        return listing(base, rows, lambda r: self._item(r, rag=r[3], on=r[4]))

    def overdue(self, scope: Scope, today: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        return self._due(scope, WorkPlanAction.due < today, limit)

    def upcoming(self, scope: Scope, today: date, days: int, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        window = WorkPlanAction.due.between(today, today + timedelta(days=days))
        return self._due(scope, window, limit)

    def achieved(self, scope: Scope, start: date, end: date, limit: int) -> Listing | None:
        if scope.kind not in self.scopes:
            return None
        base = self._scoped(
            select(WorkPlanAction.id).where(WorkPlanAction.done_on.between(start, end)), scope
        )
        rows = (
            base.with_only_columns(
                WorkPlanAction.id,
                WorkPlanAction.title,
                WorkPlanAction.objective_id,
                WorkPlanAction.done_on,
            )
            .order_by(WorkPlanAction.done_on, WorkPlanAction.id)
            .limit(limit)
        )
        return listing(base, rows, lambda r: self._item(r, rag=RAG.BLUE, on=r[3], note="Done"))


@dataclass(frozen=True)
class ObjectiveRollUp:
    id: int
    title: str
    roll_up: RollUp

    @property
    def numbers(self) -> list[int]:
        c = self.roll_up.counts
        return [c[RAG.BLUE], c[RAG.GREEN], c[RAG.AMBER], c[RAG.RED], c[RAG.GREY]]


def _reading() -> bool:
    """Whether this is a request that only reads (a page), so a figure may be kept for it."""
    return has_request_context() and request.method in ("GET", "HEAD")


class ObjectiveFigures(AreaFigures):
    """Objectives by the roll-up of what serves them (the programme's own rule and query)."""

    name = "objectives"
    label = "objectives"
    scopes = ("programme",)
    in_total = False  # an objective is a roll-up of the milestones, actions … counted already

    def by_objective(self, today: date) -> list[ObjectiveRollUp]:
        """Each objective's roll-up; worked out once a page (a dashboard counts objectives by
        it and lists them too, and ``batched`` runs the counting twice)."""
        from govtrack.programme.queries import objective_summaries

        cache = g.setdefault("objective_roll_ups", {}) if _reading() else {}
        if today in cache:
            return cache[today]
        out = [
            ObjectiveRollUp(s.objective.id, f"{s.objective.number}. {s.objective.title}", s.roll_up)
            for s in objective_summaries(None, today)
        ]
        cache[today] = out
        return out

    def programmes(self) -> list[Programme]:
        """Every programme, by name (what a reporting period may report on)."""
        return list(db.session.scalars(select(Programme).order_by(Programme.name)))

    def load_objective(self, objective_id: int) -> Objective | None:
        return db.session.get(Objective, objective_id)

    def objective_scope(self, objective_id: int) -> Scope:
        """An objective's scope, with the services and recommendations linked to it."""
        return Scope(
            "objective",
            objective_id,
            linked={
                "services": select(ObjectiveService.service_id).where(
                    ObjectiveService.objective_id == objective_id
                ),
                "recommendations": select(ObjectiveRecommendation.recommendation_id).where(
                    ObjectiveRecommendation.objective_id == objective_id
                ),
            },
        )

    def counts(self, scope: Scope, today: date) -> dict[RAG, int] | None:
        if scope.kind not in self.scopes:
            return None
        counts = dict.fromkeys(RAG, 0)
        for objective in self.by_objective(today):
            counts[objective.roll_up.rag] += 1
        return counts


figures = [MilestoneFigures(), WorkPlanActionFigures(), ObjectiveFigures()]
