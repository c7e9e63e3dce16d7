"""The programme's test world: a programme, objectives, and milestones built through the
services (so each has its first baseline, change and RAG), and officers of a partner."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.programme import milestones
from govtrack.programme.models import Milestone, Objective, Programme
from tests.fixtures.factories import _n, save

ACTOR = system_actor("programme tests")


@pytest.fixture
def programme(app) -> Programme:
    return save(
        Programme(
            key=f"programme-{_n()}",
            name="Shared Services Programme",
            starts_on=date(2002, 3, 1),
            slip_tolerance_days=28,
            due_soon_days=14,
        )
    )


@pytest.fixture
def make_objective(app, programme):
    def make(**overrides) -> Objective:
        n = _n()
        values = {"number": n, "title": f"Objective {n}", "text": "", "position": n}
        values.update(overrides)
        return save(Objective(programme_id=programme.id, **values))

    return make


@pytest.fixture
def make_milestone(app, programme, make_partner):
    def make(**overrides) -> Milestone:
        if "owner_partner_id" not in overrides:
            overrides["owner_partner_id"] = (overrides.pop("partner", None) or make_partner()).id
        values = {
            "title": f"Milestone {_n()}",
            "baseline_date": today() + timedelta(days=60),
            "status": "in_progress",
        }
        values.update(overrides)
        milestone = milestones.create_milestone(ACTOR, programme, values, today())
        db.session.commit()
        return milestone

    return make


@pytest.fixture
def sign_in_officer_of(actions, make_person):
    def sign_in(partner):
        user = actions.sign_in_as("officer")
        make_person(partner=partner, user_id=user.id, title="Officer")
        return user

    return sign_in


def fresh(milestone_id: int) -> Milestone:
    db.session.expire_all()
    return db.session.get(Milestone, milestone_id)
