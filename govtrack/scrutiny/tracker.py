"""The recommendation tracker: every recommendation, filtered by body, inquiry, partner, status,
RAG or what is overdue, sorted and paged.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from govtrack.core import rag
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.scrutiny import rules
from govtrack.scrutiny.enums import Status
from govtrack.scrutiny.models import Addressee, Inquiry, Recommendation, RecommendationResponse

# Tracker ------------------------------------------------------------------------------------


def _overdue_clause(today: date):
    """SQL: an open recommendation with an addressee whose response is past due and missing
    (``rules.response_overdue``: a signed-off one awaits nothing)."""
    return Recommendation.status.not_in(rules.CLOSED) & exists(
        select(Addressee.recommendation_id).where(
            Addressee.recommendation_id == Recommendation.id,
            Addressee.response_due_on < today,
            ~exists(
                select(RecommendationResponse.id).where(
                    RecommendationResponse.recommendation_id == Addressee.recommendation_id,
                    RecommendationResponse.partner_id == Addressee.partner_id,
                )
            ),
        )
    )


# Tracker ------------------------------------------------------------------------------------


TRACKER_SORTS = {
    "reference": Recommendation.reference,
    "inquiry": Inquiry.title,
    "status": Recommendation.status,
    "rag": Recommendation.rag,
    "target": Recommendation.target_date,
    "review": Recommendation.next_review_on,
    "_id": Recommendation.id,
}
TRACKER_FILTERS = ("body", "partner", "status", "rag", "overdue", "inquiry")


def tracker(request: ListRequest, per_page: int, today: date) -> Page[Recommendation]:
    stmt = (
        select(Recommendation)
        .join(Inquiry, Inquiry.id == Recommendation.inquiry_id)
        .options(
            joinedload(Recommendation.inquiry).joinedload(Inquiry.body),
            selectinload(Recommendation.addressees),
        )
    )
    f = request.filters
    if body_id := record_id(f.get("body")):
        stmt = stmt.where(Inquiry.body_id == body_id)
    if inquiry_id := record_id(f.get("inquiry")):
        stmt = stmt.where(Inquiry.id == inquiry_id)
    if partner_id := record_id(f.get("partner")):
        stmt = stmt.where(
            or_(
                exists(
                    select(Addressee.partner_id).where(
                        Addressee.recommendation_id == Recommendation.id,
                        Addressee.partner_id == partner_id,
                    )
                ),
                ~exists(
                    select(Addressee.partner_id).where(
                        Addressee.recommendation_id == Recommendation.id
                    )
                ),
            )
        )
    if f.get("status") in {s.value for s in Status}:
        stmt = stmt.where(Recommendation.status == Status(f["status"]))
    elif f.get("status") == "open":
        stmt = stmt.where(Recommendation.status.not_in(rules.CLOSED))
    if f.get("rag") in {r.value for r in rag.RAG}:
        stmt = stmt.where(Recommendation.rag == rag.RAG(f["rag"]))
    if f.get("overdue") == "responses":
        stmt = stmt.where(_overdue_clause(today))
    elif f.get("overdue") == "review":
        stmt = stmt.where(
            Recommendation.status.not_in(rules.CLOSED), Recommendation.next_review_on <= today
        )
    elif f.get("overdue") == "target":
        stmt = stmt.where(Recommendation.rag == rag.RAG.RED)
    if request.sort == "reference":
        stmt = stmt.order_by(
            Inquiry.id.desc() if request.descending else Inquiry.id,
            Recommendation.position.desc() if request.descending else Recommendation.position,
            Recommendation.id,
        )
    else:
        stmt = order_by_choice(stmt, request, TRACKER_SORTS)
    return paginate(stmt, request.page, per_page)
