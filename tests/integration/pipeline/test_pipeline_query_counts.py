"""The pipeline's pages run as many SQL queries with five times the services and transitions:
the board, the table, a service's page and the board as at a past date (rebuilt from history)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import g
from sqlalchemy import func, insert, select

from govtrack.db import db
from govtrack.pipeline import queries as pipeline_queries
from govtrack.pipeline import rules
from govtrack.pipeline.models import Service, StageTransition
from tests.fixtures.bulk import QueryCounter, add_partners, add_pipeline, add_users, build

SIZE = {"partners": 3, "users": 3, "pipeline_services": 12, "stage_transitions": 96}
PAGES = [
    ("/pipeline", 'class="app-card'),
    ("/pipeline?as_at=22/03/2007", 'class="app-card'),
    ("/pipeline/table", 'class="govuk-table__row"'),
    ("/pipeline/table?as_at=2006-06-30&sort=share&order=desc", 'class="govuk-table__row"'),
    ("/pipeline/services/{service}", 'class="govuk-table__row app-transition"'),
    ("/pipeline/analytics", 'class="govuk-table__row"'),
]


def busiest_service() -> int:
    stmt = (
        select(StageTransition.service_id)
        .group_by(StageTransition.service_id)
        .order_by(func.count().desc(), StageTransition.service_id)
    )
    return db.session.scalars(stmt.limit(1)).first()


def visit(client, url: str, marker: str) -> tuple[int, int, list[str]]:
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(db.session.get_bind()) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.count, response.text.count(marker), queries.statements


@pytest.mark.parametrize("who", ["public", "clerk"])
@pytest.mark.parametrize(("path", "marker"), PAGES)
def test_pipeline_pages_run_as_many_queries_with_five_times_the_data(
    app, actions, who, path, marker
):
    build(db.session, SIZE, steps=[add_partners, add_users, add_pipeline])
    service = busiest_service()
    url = path.format(service=service)
    if who == "clerk":
        actions.sign_in_as("clerk")

    small_count, small_rows, _ = visit(actions.client, url, marker)
    # More services, and more transitions of the same service (a correction series).
    build(db.session, SIZE, scale=5, steps=[add_partners, add_users, add_pipeline])
    more_moves(service, 20)
    large_count, large_rows, statements = visit(actions.client, url, marker)

    assert large_rows > small_rows, "the larger dataset should show more on this page"
    assert large_count == small_count, (url, small_count, large_count, statements)


def more_moves(service_id: int, n: int) -> None:
    """``n`` more recorded moves of one service (a run of corrections), so its page grows."""
    last = db.session.scalars(
        select(StageTransition)
        .where(StageTransition.service_id == service_id)
        .order_by(StageTransition.moved_on.desc(), StageTransition.id.desc())
        .limit(1)
    ).one()
    service = db.session.get(Service, service_id)
    rows = [
        {
            "service_id": service_id,
            "moved_on": last.moved_on + timedelta(days=i + 1),
            "from_stage": service.stage,
            "to_stage": service.stage,
            "reason": f"Correction {i}",
            "recorded_by": "system",
        }
        for i in range(n)
    ]
    db.session.execute(insert(StageTransition), rows)
    db.session.flush()


def test_the_position_as_at_any_day_is_the_rule_applied_to_the_whole_history(app):
    build(db.session, SIZE, scale=3, steps=[add_partners, add_users, add_pipeline])
    history: dict[int, list[rules.Step]] = {}
    for t in db.session.scalars(select(StageTransition)):
        history.setdefault(t.service_id, []).append(rules.Step(t.moved_on, t.id, t.to_stage))
    now = date(2026, 11, 30)
    for day in (date(2003, 6, 1), date(2004, 1, 1), date(2005, 7, 15), date(2007, 3, 22)):
        shown = {r.id: r.stage for r in pipeline_queries.position(day, now).rows}
        expected = {
            service_id: rules.stage_on(steps, day)
            for service_id, steps in history.items()
            if rules.stage_on(steps, day) is not None
        }
        assert shown == expected, day
