"""The dashboards run as many SQL queries, and weigh as many bytes, with five times the services,
recommendations and actions: every figure is an aggregate or a LIMITed list."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import insert, select

from govtrack.core.rag import RAG
from govtrack.db import db
from govtrack.meetings.models import Action
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service
from govtrack.scrutiny.enums import EventKind
from govtrack.scrutiny.models import Addressee, Recommendation, RecommendationEvent
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


def grow_milestones(w, n: int) -> None:
    """``n`` more milestones of every RAG with a RAG history of two changes each."""
    from govtrack.programme.enums import MilestoneStatus
    from govtrack.programme.models import Milestone, MilestoneRagChange

    colours = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.BLUE, RAG.GREY]
    start = w.grown_milestones
    db.session.execute(
        insert(Milestone),
        [
            {
                "programme_id": w.programme.id,
                "title": f"Milestone {start + i}",
                "objective_id": w.objective.id,
                "owner_partner_id": w.lcc.id,
                "baseline_date": w.today + days(i % 60 - 30),
                "forecast_date": w.today + days(i % 60 - 20),
                "actual_date": w.today - days(2) if colours[i % 5] is RAG.BLUE else None,
                "status": MilestoneStatus.COMPLETE
                if colours[i % 5] is RAG.BLUE
                else MilestoneStatus.IN_PROGRESS,
                "rag": colours[i % 5],
                "rag_since": w.today - days(i % 40),
                "version": 1,
            }
            for i in range(n)
        ],
    )
    ids = db.session.scalars(select(Milestone.id).order_by(Milestone.id.desc()).limit(n)).all()
    db.session.execute(
        insert(MilestoneRagChange),
        [
            row
            for k, mid in enumerate(ids)
            for row in (
                {"milestone_id": mid, "on": w.today - days(400), "to_rag": RAG.GREEN},
                {
                    "milestone_id": mid,
                    "on": w.today - days(k % 300),
                    "from_rag": RAG.GREEN,
                    "to_rag": colours[k % 5],
                },
            )
        ],
    )
    db.session.commit()
    w.grown_milestones += n


MILESTONE_PAGES = [
    "/dashboard",
    "/dashboard/objectives/{objective}",
    "/dashboard/timeline",
    "/dashboard/timeline?objective={objective}&page=2",
    "/dashboard/highlight?period={period}",
]


@pytest.mark.parametrize("path", MILESTONE_PAGES)
def test_milestone_dashboards_cost_the_same_with_five_times_the_milestones(
    actions, programme_world, path
):
    from govtrack.dashboards.models import ReportingPeriod
    from tests.fixtures.factories import save

    w = programme_world
    w.grown_milestones = 0
    period = save(
        ReportingPeriod(title="Recent", starts_on=w.today - days(30), ends_on=w.today - days(1))
    )
    url = path.format(objective=w.objective.id, period=period.id)
    actions.sign_in_as("clerk")
    actions.client.get("/")
    grow_milestones(w, 300)
    small_count, small_bytes, _ = visit(actions.client, url)
    grow_milestones(w, 1200)
    large_count, large_bytes, statements = visit(actions.client, url)
    assert large_count == small_count, (url, small_count, large_count, statements)
    assert abs(large_bytes - small_bytes) < 400, (url, small_bytes, large_bytes)
