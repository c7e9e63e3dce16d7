"""The programme's pages run as many SQL queries with five times the milestones and their
history: the objectives list, an objective's page, the milestone list (filtered) and a
milestone's page."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import func, select

from govtrack.db import db
from govtrack.programme.models import Milestone, MilestoneChange, Objective
from tests.fixtures.bulk import QueryCounter, add_partners, add_programme, add_users, build

SIZE = {"partners": 3, "users": 3, "milestones": 40}
PAGES = [
    ("/programme", 'class="govuk-table__row"'),
    ("/programme/objectives/{objective}", 'class="govuk-table__row"'),
    ("/programme/milestones", 'class="govuk-table__row"'),
    ("/programme/milestones?rag=red&overdue=yes&sort=rag", 'class="govuk-table__row"'),
    ("/programme/milestones/{milestone}", 'class="govuk-table__row app-change"'),
]


def visit(client, url: str, marker: str) -> tuple[int, int, list[str]]:
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(db.session.get_bind()) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.count, response.text.count(marker), queries.statements


def busiest() -> int:
    stmt = (
        select(MilestoneChange.milestone_id)
        .group_by(MilestoneChange.milestone_id)
        .order_by(func.count().desc(), MilestoneChange.milestone_id)
    )
    return db.session.scalars(stmt.limit(1)).first()


@pytest.mark.parametrize("who", ["public", "clerk"])
@pytest.mark.parametrize(("path", "marker"), PAGES)
def test_programme_pages_run_as_many_queries_with_five_times_the_data(
    app, actions, who, path, marker
):
    build(db.session, SIZE, steps=[add_partners, add_users, add_programme])
    objective = db.session.scalar(select(Objective.id).order_by(Objective.id).limit(1))
    milestone = busiest()
    url = path.format(objective=objective, milestone=milestone)
    if who == "clerk":
        actions.sign_in_as("clerk")
    small_count, small_rows, _ = visit(actions.client, url, marker)
    build(db.session, SIZE, scale=5, steps=[add_partners, add_users, add_programme])
    # The milestone's own history grows too.
    day = db.session.get(Milestone, milestone).baseline_date
    db.session.add_all(
        MilestoneChange(milestone_id=milestone, kind="progress", on=day, text=f"Report {n}")
        for n in range(10)
    )
    db.session.flush()
    large_count, large_rows, statements = visit(actions.client, url, marker)
    if path == "/programme":
        assert large_rows == small_rows  # the nine objectives; their roll-ups grow
    elif "{milestone}" in path:
        assert large_rows > small_rows
    else:
        assert large_rows > small_rows or large_rows >= 25, url
    assert large_count == small_count, (url, small_count, large_count, statements)
