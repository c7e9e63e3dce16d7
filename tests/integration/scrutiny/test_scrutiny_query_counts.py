"""The tracker, an inquiry, a recommendation's page and the monitoring report run as many
queries however many recommendations, responses, updates and reviews there are (no N+1).

Each page is counted on the small world, then again after five times as many recommendations
(each with partner and general updates, a response and a challenge) are added to the same
inquiry, and more updates to the counted recommendation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import g

from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.scrutiny import commands, progress
from govtrack.scrutiny import queries as scrutiny_queries
from tests.fixtures.bulk import QueryCounter

ACTOR = system_actor("Test")


def grow(world, n: int) -> None:
    day = today()
    for i in range(n):
        rec = commands.add_recommendation(
            ACTOR,
            world.inquiry,
            {
                "reference": f"9.{world.grown + i}",
                "group": f"Key issue {i % 3}",
                "text": "Another recommendation.",
                "addressee_ids": [world.lcc.id, world.cbc.id, world.other.id][: 1 + i % 3],
                "target_date": day + timedelta(days=i * 10 - 20),
            },
            day,
        )
        progress.record_response(
            ACTOR,
            rec,
            {"partner_id": world.lcc.id, "decision": "accepted", "responded_on": date(2007, 4, 1)},
            day,
        )
        for on, partner in ((date(2007, 11, 20), world.lcc.id), (date(2008, 5, 1), None)):
            progress.add_update(
                ACTOR,
                scrutiny_queries.load_recommendation(rec.id),
                {"on": on, "text": "Progress.", "partner_id": partner, "status": "in_progress"},
                day,
            )
        progress.add_review(ACTOR, rec, {"kind": "challenge", "text": "Evidence?"}, day)
    counted = scrutiny_queries.load_recommendation(world.rec.id)
    for k in range(n):
        progress.add_update(ACTOR, counted, {"on": date(2008, 1, 1 + k), "text": f"More {k}."}, day)
    world.grown += n
    db.session.commit()


def count(app, client, url: str) -> int:
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(app.extensions["govtrack.bind"]) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.count


@pytest.mark.parametrize(
    "path",
    [
        "/scrutiny",
        "/recommendations",
        "/recommendations?overdue=responses&sort=rag",
        "/scrutiny/inquiries/{inquiry}",
        "/recommendations/{rec}",
        "/scrutiny/inquiries/{inquiry}/monitoring",
        "/scrutiny/inquiries/{inquiry}/monitoring?as_at=2007-11-20&changed=1",
        "/scrutiny/inquiries/{inquiry}/monitoring/export?format=csv",
    ],
)
def test_scrutiny_pages_keep_a_constant_query_count(app, client, scrutiny_world, path):
    world = scrutiny_world
    world.grown = 0
    grow(world, 2)
    url = path.format(inquiry=world.inquiry.id, rec=world.rec.id)
    small = count(app, client, url)
    grow(world, 10)
    assert count(app, client, url) == small


def test_the_panels_on_other_pages_keep_a_constant_query_count(
    app, actions, scrutiny_world, make_meeting, make_person
):
    """The body's, its next meeting's and a lead officer's pages, with overdue responses."""
    world = scrutiny_world
    world.grown = 0
    lead = make_person(partner=world.lcc, name="Richard Jones")
    # Every open recommendation is due for review by then, so all are listed.
    meeting = make_meeting(body=world.body, held_on=today() + timedelta(days=400))

    def lead_all() -> None:
        for rec in scrutiny_queries.recommendations_of(world.inquiry.id):
            rec.lead_officer_id = lead.id
        db.session.commit()

    actions.sign_in_as(Role.CLERK)
    client = actions.client
    grow(world, 2)
    lead_all()
    urls = (f"/bodies/{world.body.id}", f"/meetings/{meeting.id}", f"/people/{lead.id}")
    small = {url: count(app, client, url) for url in urls}
    grow(world, 10)
    lead_all()
    for url in urls:
        assert "Response overdue" in client.get(url).text, url
        assert count(app, client, url) == small[url], url
