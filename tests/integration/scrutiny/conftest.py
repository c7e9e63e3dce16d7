"""A small scrutiny world: Chorley's sub-group (hosted by CBC) with an inquiry reported on
7 March 2007 and recommendation 4.a addressed to LCC and CBC; an LCC officer with an account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from govtrack.auth.enums import Role
from govtrack.auth.models import User, system_actor
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.registry.enums import BodyKind, LegalForm
from govtrack.registry.models import Body, Partner, Person
from govtrack.scrutiny import commands
from govtrack.scrutiny.models import Inquiry, Recommendation
from tests.fixtures.factories import save

REPORTED = date(2007, 3, 7)


@dataclass
class World:
    cbc: Partner
    lcc: Partner
    other: Partner
    body: Body
    inquiry: Inquiry
    rec: Recommendation
    officer: User
    other_officer: User
    grown: int = 0


@pytest.fixture
def scrutiny_world(app, make_partner, make_body, make_person, make_user) -> World:
    cbc = make_partner(name="Chorley Borough Council", code="CBC")
    lcc = make_partner(name="Lancashire County Council", code="LCC")
    other = make_partner(name="Pendle Borough Council", code="PBC")
    body = make_body(
        name="Partnership Sub-Group",
        kind=BodyKind.SCRUTINY_SUB_GROUP,
        legal_form=LegalForm.LGA1972_COMMITTEE,
        host_partner_id=cbc.id,
    )
    actor = system_actor("Test")
    inquiry = commands.create_inquiry(
        actor,
        {
            "body_id": body.id,
            "title": "Shared Services partnership",
            "terms_of_reference": "To review the partnership.",
            "reported_on": REPORTED,
            "response_days": 56,
        },
    )
    rec = commands.add_recommendation(
        actor,
        inquiry,
        {
            "reference": "4.a",
            "group": "Objective/Key Issue 2: Partnership Working",
            "text": "That a clear vision for the partnership is agreed.",
            "addressee_ids": [lcc.id, cbc.id],
            "target_date": date(2007, 12, 31),
        },
        today(),
    )
    db.session.commit()
    officer = make_user(role=Role.OFFICER, name="Steve Williams")
    save(Person(name="Steve Williams", partner_id=lcc.id, user_id=officer.id))
    other_officer = make_user(role=Role.OFFICER, name="Pat Pendle")
    save(Person(name="Pat Pendle", partner_id=other.id, user_id=other_officer.id))
    return World(cbc, lcc, other, body, inquiry, rec, officer, other_officer)


def date_parts(day: date | None) -> list[str]:
    return ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]


def update_form(**values) -> dict:
    data = {
        "partner_id": "",
        "on": date_parts(values.pop("on", today())),
        "text": "Progress made.",
        "assessment": "",
        "new_target_date": date_parts(values.pop("new_target_date", None)),
        "slip_reason": "",
        "status": "",
        "rag_override": "",
        "rag_reason": "",
        "rag_override_until": date_parts(values.pop("rag_override_until", None)),
        "evidence_links": "",
        "corrects_id": "",
    }
    data.update(values)
    return data
