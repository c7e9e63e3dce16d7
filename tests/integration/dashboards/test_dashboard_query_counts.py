"""The dashboards run as many SQL queries, and weigh as many bytes, with five times the services,
recommendations and actions: every figure is an aggregate or a LIMITed list."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import insert

from govtrack.core.rag import RAG
from govtrack.db import db
from govtrack.meetings.models import Action
from govtrack.pipeline.models import Service
from govtrack.pipeline.rules import Stage
from govtrack.scrutiny.models import (
    Addressee,
    EventKind,
    Recommendation,
    RecommendationEvent,
)
from tests.fixtures.bulk import QueryCounter

from .conftest import days

PAGES = [
    "/dashboard",
    "/dashboard/partners/{partner}",
    "/dashboard/bodies/{body}",
    "/dashboard/highlight?period={period}",
]


def grow(w, n: int) -> None:
    """``n`` more of each kind of item, a mix of every RAG, late ones included."""
    offsets = [-40, -3, 0, 10, 90, None]
    db.session.execute(
        insert(Service),
        [
            {
                "name": f"Service {w.grown + i}",
                "partner_id": w.lcc.id,
                "stage": Stage.OPERATIONAL if i % 7 == 0 else Stage.START_UP,
                "date_integrated": w.today - days(5) if i % 7 == 0 else None,
                "planned_integration_date": None
                if offsets[i % 6] is None
                else w.today + days(offsets[i % 6]),
                "mechanisms": {},
                "version": 1,
            }
            for i in range(n)
        ],
    )
    colours = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.BLUE, RAG.GREY]
    for i in range(n):
        rec = Recommendation(
            inquiry_id=w.inquiry_id,
            reference=f"R{w.grown + i}",
            text="Agree a plan.",
            rag=colours[i % 5],
            rag_override=RAG.RED if i % 9 == 0 else None,
            rag_override_reason="Judged" if i % 9 == 0 else "",
            signed_off_on=w.today - days(2) if colours[i % 5] is RAG.BLUE else None,
        )
        db.session.add(rec)
        db.session.flush()
        db.session.add(Addressee(recommendation_id=rec.id, partner_id=w.lcc.id))
        db.session.add(
            RecommendationEvent(
                recommendation_id=rec.id,
                kind=EventKind.RAG_CHANGE,
                on=w.today - days(i % 20),
                from_value="green",
                to_value=rec.rag.value,
            )
        )
    db.session.execute(
        insert(Action),
        [
            {
                "item_id": w.item_id,
                "text": f"Action {w.grown + i}",
                "owner_partner_id": w.lcc.id,
                "due_on": None if offsets[i % 6] is None else w.today + days(offsets[i % 6]),
                "done_on": w.today - days(1) if i % 5 == 0 else None,
                "version": 1,
            }
            for i in range(n)
        ],
    )
    db.session.commit()
    w.grown += n


def visit(client, url: str) -> tuple[int, int, list[str]]:
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(db.session.get_bind()) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.count, len(response.data), queries.statements


@pytest.mark.parametrize("path", PAGES)
def test_dashboards_cost_the_same_with_five_times_the_items(actions, dash_world, path):
    from govtrack.dashboards.models import ReportingPeriod
    from tests.fixtures.factories import save

    w = dash_world
    w.grown = 0
    period = save(
        ReportingPeriod(title="Recent", starts_on=w.today - days(30), ends_on=w.today - days(1))
    )
    url = path.format(partner=w.lcc.id, body=w.body.id, period=period.id)
    actions.sign_in_as("clerk")
    actions.client.get("/")  # the "signed in" banner shows once, on the next page
    grow(w, 150)
    small_count, small_bytes, _ = visit(actions.client, url)
    grow(w, 600)
    large_count, large_bytes, statements = visit(actions.client, url)
    assert large_count == small_count, (url, small_count, large_count, statements)
    # Only the counts' digits may grow: the lists show their first items only.
    assert abs(large_bytes - small_bytes) < 300, (url, small_bytes, large_bytes)
