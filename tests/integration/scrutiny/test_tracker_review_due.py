"""The tracker flags a recommendation whose review date has come, until it is signed off."""

from __future__ import annotations

from datetime import timedelta

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.scrutiny import queries
from govtrack.scrutiny.enums import Status

FLAG = 'govuk-tag--red">Review due<'


def _set(rec_id: int, next_review_on, status=None) -> None:
    rec = queries.load_recommendation(rec_id)
    rec.next_review_on = next_review_on
    if status is not None:
        rec.status = status
    db.session.commit()


def test_the_tracker_says_review_due_once_the_review_date_has_come(client, scrutiny_world):
    rec_id = scrutiny_world.rec.id
    _set(rec_id, today() + timedelta(days=1))
    assert FLAG not in client.get("/recommendations").text
    _set(rec_id, today())
    assert FLAG in client.get("/recommendations").text


def test_a_signed_off_recommendation_is_not_due_for_review(client, scrutiny_world):
    _set(scrutiny_world.rec.id, today() - timedelta(days=10), Status.SIGNED_OFF)
    assert FLAG not in client.get("/recommendations").text
