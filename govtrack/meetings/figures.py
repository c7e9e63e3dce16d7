"""What meetings contribute to the dashboards: actions arising, RAG'd by the one engine from
their due date and whether they are done; overdue actions and actions done in a period.

Actions of exempt items are counted and listed only for those who may see the item, so the
public and members of other bodies neither read them nor find totals they cannot open."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import g, has_request_context, url_for
from flask_login import current_user
from sqlalchemy import func, select

from govtrack.core.dates import long_date, today
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
from govtrack.core.rag import DEFAULT_TOLERANCE_DAYS, RAG
from govtrack.meetings.models import Action, AgendaItem, Meeting
from govtrack.meetings.permissions import can_view_actions
from govtrack.meetings.queries import exempt_access, on_visible_items

DONE = Action.done_on.is_not(None)


def _reader_access() -> frozenset[int] | None:
    """``exempt_access`` of whoever reads the dashboard, once per request; outside a request
    (the clock recording the day's RAG) nobody is reading, so nothing is left out."""
    if not has_request_context():
        return None
    if "meetings_exempt_access" not in g:
        g.meetings_exempt_access = exempt_access(current_user, today())
    return g.meetings_exempt_access


def _scoped(stmt, scope: Scope):
    stmt = stmt.where(on_visible_items(Action.item_id, _reader_access()))
    if scope.kind == "partner":
        return stmt.where(Action.owner_partner_id == scope.id)
    if scope.kind == "body":
        return stmt.where(
            Action.item_id.in_(
                select(AgendaItem.id)
                .join(Meeting, Meeting.id == AgendaItem.meeting_id)
                .where(Meeting.body_id == scope.id)
            )
        )
    return stmt


def _columns(base, order, limit):
    return (
        base.with_only_columns(Action.id, Action.text, order, AgendaItem.meeting_id)
        .join(AgendaItem, AgendaItem.id == Action.item_id)
        .order_by(order, Action.id)
        .limit(limit)
    )


def _item(r, **kw) -> Item:
    text = r[1] if len(r[1]) <= 120 else r[1][:120] + "…"
    return Item(area="actions", title=text, href=url_for("meetings.meeting", meeting_id=r[3]), **kw)


class ActionFigures(AreaFigures):
    name = "actions"
    label = "actions arising"
    scopes = ("programme", "partner", "body")

    def visible_to(self, user: Any) -> bool:
        return can_view_actions(user)

    def counts(self, scope: Scope, today: date) -> dict[RAG, int]:
        colour = rag_case(Action.due_on, DONE, today)
        stmt = _scoped(select(colour, func.count()).group_by(colour), scope)
        return counted(stmt)

    def turned(self, scope: Scope, since: date, today: date, limit: int) -> Listing:
        # Derived from the calendar, as the engine does: red the day after the due date passed,
        # amber once the due date came within the tolerance.
        due = Action.due_on
        tol = timedelta(days=DEFAULT_TOLERANCE_DAYS)
        red = (due >= since - timedelta(days=1)) & (due < today)
        amber = (due >= since + tol) & (due <= today + tol) & (due >= today)
        # One expression object, so PostgreSQL sees the same parameters in GROUP BY.
        colour = turned_colour(due, today)
        base = _scoped(select(Action.id).where(~DONE, red | amber), scope)
        return split_listing(
            base.with_only_columns(colour, func.count()).group_by(colour),
            _columns(base, due, limit),
            lambda r: _item(
                r,
                on=r[2] + timedelta(days=1) if r[2] < today else r[2] - tol,
                rag=RAG.RED if r[2] < today else RAG.AMBER,
                note=f"Due {long_date(r[2])}",
            ),
        )

    def overdue(self, scope: Scope, today: date, limit: int) -> Listing:
        base = _scoped(select(Action.id).where(~DONE, Action.due_on < today), scope)
        return listing(
            base, _columns(base, Action.due_on, limit), lambda r: _item(r, on=r[2], rag=RAG.RED)
        )

    def achieved(self, scope: Scope, start: date, end: date, limit: int) -> Listing:
        base = _scoped(select(Action.id).where(Action.done_on.between(start, end)), scope)
        return listing(
            base,
            _columns(base, Action.done_on, limit),
            lambda r: _item(r, on=r[2], rag=RAG.BLUE, note="Done"),
        )


figures = [ActionFigures()]
