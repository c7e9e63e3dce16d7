"""The clock records the RAG counts of the areas whose RAG is derived from dates, once a day,
as history that cannot be changed; the programme dashboard draws them over time."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from govtrack.core.rag import RAG
from govtrack.dashboards.models import RagObservation
from govtrack.db import db

from .conftest import add_action, add_service, days


def test_the_tick_records_each_derived_areas_counts_once_a_day(app, actions, dash_world):
    w = dash_world
    add_service(w, "Late service", w.today - days(3))
    add_action(w, "Late action", w.today - days(3))
    first = app.test_cli_runner().invoke(args=["tick"])
    assert first.exit_code == 0, first.output
    assert "area(s) recorded for the dashboards" in first.output
    again = app.test_cli_runner().invoke(args=["tick"])
    assert again.exit_code == 0, again.output
    assert "RAG counts of 0 area(s) recorded" in again.output
    red = dict(
        db.session.execute(
            select(RagObservation.area, func.sum(RagObservation.count))
            .where(RagObservation.rag == RAG.RED)
            .group_by(RagObservation.area)
        ).all()
    )
    assert red["services"] == 1 and red["actions"] == 1
    assert "milestones" not in red  # milestones keep a RAG history of their own

    actions.sign_in_as("officer")
    page = actions.client.get("/dashboard")
    assert "the last observation each month" in page.text
    # Its summary is text on the page, not only a label on the drawing.
    assert 'class="govuk-body app-chart__summary" id="rag-observed-summary">On ' in page.text


def test_observations_cannot_be_changed(app, dash_world):
    db.session.add(RagObservation(area="services", on=dash_world.today, rag=RAG.RED, count=2))
    db.session.commit()
    with pytest.raises(DatabaseError), db.session.begin_nested():
        db.session.execute(text("UPDATE rag_observations SET count = 0"))
