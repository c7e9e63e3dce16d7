"""What scrutiny contributes to the dashboards: recommendations by their stored RAG, those whose
RAG turned red or amber (from the RAG_CHANGE events), overdue, signed off and slipped ones; and,
for the programme, which links objectives to recommendations by id, the linked recommendations'
summaries and RAG."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

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
from govtrack.core.rag import RAG
from govtrack.db import db
from govtrack.scrutiny.enums import EventKind, Status
from govtrack.scrutiny.models import (
    Addressee,
    Inquiry,
    Recommendation,
    RecommendationEvent,
    RecommendationUpdate,
    still_standing,
)
from govtrack.scrutiny.queries import ResponseLine, overdue_from, response_lines
from govtrack.scrutiny.rules import CLOSED

BAD = (RAG.RED.value, RAG.AMBER.value)


def _scoped(stmt, scope: Scope):
    if scope.kind == "partner":
        return stmt.where(
            Recommendation.id.in_(
                select(Addressee.recommendation_id).where(Addressee.partner_id == scope.id)
            )
        )
    if scope.kind == "body":
        return stmt.where(
            Recommendation.inquiry_id.in_(select(Inquiry.id).where(Inquiry.body_id == scope.id))
        )
    if scope.kind == "objective":
        # The programme keeps the links and gives them with the scope.
        return stmt.where(Recommendation.id.in_(scope.linked_ids("recommendations")))
    return stmt


def _item(rec_id: int, reference: str, text: str, **kw) -> Item:
    title = f"{reference}: {text[:120]}" + ("…" if len(text) > 120 else "")
    return Item(
        area="recommendations",
        title=title,
        href=url_for("scrutiny.recommendation", recommendation_id=rec_id),
        **kw,
    )


@dataclass(frozen=True)
class RecommendationSummary:
    """A recommendation as another capability's page lists it (those serving an objective)."""

    id: int
    inquiry_title: str
    reference: str
    rag: RAG
    overridden: bool
    # Each addressee's response, with whether it is overdue.
    responses: list[ResponseLine] = field(default_factory=list)

    @property
    def overdue_from(self) -> list[str]:
        """The codes of the partners whose response is overdue."""
        return overdue_from(self.responses)


class RecommendationFigures(AreaFigures):
    name = "recommendations"
    label = "recommendations"
    # "objective": the recommendations linked to it, as the objective's own page counts them.
    scopes = ("programme", "partner", "body", "objective")

    def counts(self, scope: Scope, today: date) -> dict[RAG, int]:
        stmt = _scoped(select(Recommendation.rag, func.count()).group_by(Recommendation.rag), scope)
        return counted(stmt)

    def turned(self, scope: Scope, since: date, today: date, limit: int) -> Listing:
        # The latest RAG change of each recommendation on or after the date, if it is to red
        # or amber and the recommendation is still that colour.
        latest = (
            select(
                RecommendationEvent.recommendation_id.label("rid"),
                func.max(RecommendationEvent.id).label("eid"),
            )
            .where(
                RecommendationEvent.kind == EventKind.RAG_CHANGE,
                RecommendationEvent.on >= since,
                RecommendationEvent.on <= today,
            )
            .group_by(RecommendationEvent.recommendation_id)
            .subquery()
        )
        base = _scoped(
            select(Recommendation.id)
            .join(latest, latest.c.rid == Recommendation.id)
            .join(RecommendationEvent, RecommendationEvent.id == latest.c.eid)
            .where(
                RecommendationEvent.to_value.in_(BAD), Recommendation.rag.in_([RAG.RED, RAG.AMBER])
            ),
            scope,
        )
        grouped = base.with_only_columns(Recommendation.rag, func.count()).group_by(
            Recommendation.rag
        )
        rows = (
            base.with_only_columns(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.text,
                Recommendation.rag,
                RecommendationEvent.on,
                RecommendationEvent.text,
            )
            .order_by(RecommendationEvent.on.desc(), Recommendation.id)
            .limit(limit)
        )
        return split_listing(
            grouped,
            rows,
            lambda r: _item(r[0], r[1], r[2], rag=r[3], on=r[4], note=r[5] or ""),
        )

    def overdue(self, scope: Scope, today: date, limit: int) -> Listing:
        due = func.coalesce(Recommendation.revised_target_date, Recommendation.target_date)
        base = _scoped(
            select(Recommendation.id).where(
                due < today, Recommendation.status.not_in([*CLOSED, Status.IMPLEMENTED])
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.text,
                Recommendation.rag,
                due,
            )
            .order_by(due, Recommendation.id)
            .limit(limit)
        )
        return listing(
            base,
            rows,
            lambda r: _item(r[0], r[1], r[2], rag=r[3], on=r[4]),
        )

    def achieved(self, scope: Scope, start: date, end: date, limit: int) -> Listing:
        base = _scoped(
            select(Recommendation.id).where(Recommendation.signed_off_on.between(start, end)),
            scope,
        )
        rows = (
            base.with_only_columns(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.text,
                Recommendation.signed_off_on,
            )
            .order_by(Recommendation.signed_off_on, Recommendation.id)
            .limit(limit)
        )
        return listing(
            base,
            rows,
            lambda r: _item(r[0], r[1], r[2], rag=RAG.BLUE, on=r[3], note="Signed off"),
        )

    def slipped(self, scope: Scope, start: date, end: date, limit: int) -> Listing:
        base = _scoped(
            select(Recommendation.id)
            .join(RecommendationUpdate, RecommendationUpdate.recommendation_id == Recommendation.id)
            .where(
                RecommendationUpdate.on.between(start, end),
                or_(
                    RecommendationUpdate.new_target_date.is_not(None),
                    RecommendationUpdate.slip_reason != "",
                ),
                still_standing(),  # a slip later corrected away did not happen
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.text,
                Recommendation.rag,
                RecommendationUpdate.on,
                RecommendationUpdate.new_target_date,
                RecommendationUpdate.slip_reason,
            )
            .order_by(RecommendationUpdate.on, RecommendationUpdate.id)
            .limit(limit)
        )

        def make(r) -> Item:
            moved = f"Target moved to {long_date(r[5])}. " if r[5] else ""
            reason = r[6] or "No reason recorded."
            return _item(r[0], r[1], r[2], rag=r[3], on=r[4], note=moved + reason)

        return listing(base, rows, make)

    def needing_decision(self, scope: Scope, today: date, limit: int) -> Listing:
        base = _scoped(
            select(Recommendation.id).where(
                or_(Recommendation.rag == RAG.RED, Recommendation.rag_override.is_not(None)),
                Recommendation.status.not_in(CLOSED),
            ),
            scope,
        )
        rows = (
            base.with_only_columns(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.text,
                Recommendation.rag,
                Recommendation.rag_override_reason,
                Recommendation.rag_reason,
            )
            .order_by(Recommendation.id)
            .limit(limit)
        )
        return listing(
            base,
            rows,
            lambda r: _item(
                r[0], r[1], r[2], rag=r[3], note=(f"Overridden: {r[4]}" if r[4] else r[5] or "")
            ),
        )

    def linked(self, ids: Any, today: date) -> list[RecommendationSummary]:
        recs = list(
            db.session.scalars(
                select(Recommendation)
                .where(Recommendation.id.in_(ids))
                .options(
                    joinedload(Recommendation.inquiry), selectinload(Recommendation.addressees)
                )
                .order_by(Recommendation.reference)
            )
        )
        lines = response_lines(recs, today)
        return [
            RecommendationSummary(
                id=r.id,
                inquiry_title=r.inquiry.title,
                reference=r.reference,
                rag=r.rag,
                overridden=r.rag_override is not None,
                responses=lines.get(r.id, []),
            )
            for r in recs
        ]

    def rag_by(self, links: Any, today: date) -> dict[Any, dict[RAG, int]]:
        pairs = links.subquery()
        key, rec_id = pairs.c[0], pairs.c[1]
        rows = db.session.execute(
            select(key, Recommendation.rag, func.count())
            .select_from(pairs)
            .join(Recommendation, Recommendation.id == rec_id)
            .group_by(key, Recommendation.rag)
        )
        out: dict[Any, dict[RAG, int]] = defaultdict(lambda: dict.fromkeys(RAG, 0))
        for k, colour, n in rows:
            out[k][colour if isinstance(colour, RAG) else RAG(colour)] += n
        return out

    def existing(self, ids: Sequence[int]) -> set[int]:
        return set(
            db.session.scalars(select(Recommendation.id).where(Recommendation.id.in_(list(ids))))
        )

    def choices(self) -> list[tuple[int, str]]:
        recs = db.session.scalars(
            select(Recommendation)
            .join(Inquiry, Inquiry.id == Recommendation.inquiry_id)
            .options(joinedload(Recommendation.inquiry))
            .order_by(Inquiry.title, Recommendation.position, Recommendation.reference)
        )
        return [(r.id, f"{r.inquiry.title}: {r.reference}") for r in recs]

    def id_for(self, key: Mapping[str, Any]) -> int | None:
        """By ``{"inquiry_id": …, "reference": "3.2"}``."""
        return db.session.scalar(
            select(Recommendation.id).where(
                Recommendation.inquiry_id == key["inquiry_id"],
                Recommendation.reference == key["reference"],
            )
        )


figures = [RecommendationFigures()]
