"""The pipeline's test world: a partner with directorates, services built through the services
(so each has its first transition), and officers who work for a partner."""

from __future__ import annotations

from datetime import date

import pytest

from govtrack.auth.models import system_actor
from govtrack.db import db
from govtrack.pipeline import commands
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Directorate, Service
from govtrack.registry.models import Person
from tests.fixtures.factories import _n, save

ACTOR = system_actor("pipeline tests")


@pytest.fixture
def make_directorate(app, make_partner):
    def make(**overrides) -> Directorate:
        partner = overrides.pop("partner", None) or make_partner()
        values = {"partner_id": partner.id, "code": f"D{_n()}", "name": "A directorate"}
        values.update(overrides)
        return save(Directorate(**values))

    return make


@pytest.fixture
def make_service(app, make_partner):
    def make(stage: Stage = Stage.MANDATE, since: date = date(2007, 1, 1), **overrides) -> Service:
        if "partner_id" not in overrides:
            overrides["partner_id"] = (overrides.pop("partner", None) or make_partner()).id
        values = {"name": f"Service {_n()}", "integration_lead": "C/Team"}
        values.update(overrides)
        if stage == Stage.OPERATIONAL:
            values.setdefault("date_integrated", since)
        service = commands.create_service(ACTOR, values, stage, since, date(2026, 11, 30))
        db.session.commit()
        return service

    return make


@pytest.fixture
def sign_in_officer_of(actions, make_person):
    """Sign in as an officer whose person works for ``partner``."""

    def sign_in(partner):
        user = actions.sign_in_as("officer")
        make_person(partner=partner, user_id=user.id, title="Officer")
        return user

    return sign_in


def stage_of(service_id: int) -> Stage:
    db.session.expire_all()
    return db.session.get(Service, service_id).stage


def persons_of(partner) -> list[Person]:
    return list(db.session.query(Person).filter_by(partner_id=partner.id))
