"""A small programme world for the dashboards: two partners, a body with a meeting, services,
recommendations and actions arising whose RAG the test knows in advance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from govtrack.core.dates import today
from govtrack.core.rag import RAG
from govtrack.meetings.models import Action
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service
from govtrack.registry.models import Body, Partner
from govtrack.scrutiny.enums import EventKind
from govtrack.scrutiny.models import Addressee, Inquiry, Recommendation, RecommendationEvent
from tests.fixtures.factories import save


@dataclass
class World:
    lcc: Partner
    cbc: Partner
    body: Body
    other_body: Body
    today: date
    item_id: int
    inquiry_id: int
    services: dict[str, Service] = field(default_factory=dict)
    recs: dict[str, Recommendation] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)


def add_service(
    world: World,
    name: str,
    planned: date | None,
    stage=Stage.PROJECT_PLANNING,
    partner: Partner | None = None,
) -> Service:
    service = save(
        Service(
            name=name,
            partner_id=(partner or world.lcc).id,
            stage=stage,
            planned_integration_date=planned,
            date_integrated=world.today if stage == Stage.OPERATIONAL else None,
        )
    )
    world.services[name] = service
    return service


def add_recommendation(
    world: World, ref: str, rag: RAG, turned_on: date | None = None, partner: Partner | None = None
) -> Recommendation:
    rec = save(
        Recommendation(inquiry_id=world.inquiry_id, reference=ref, text=f"Do {ref}.", rag=rag)
    )
    save(Addressee(recommendation_id=rec.id, partner_id=(partner or world.lcc).id))
    if turned_on is not None:
        save(
            RecommendationEvent(
                recommendation_id=rec.id,
                kind=EventKind.RAG_CHANGE,
                on=turned_on,
                from_value="green",
                to_value=rag.value,
                text="Slipped",
            )
        )
    world.recs[ref] = rec
    return rec


def add_action(
    world: World,
    text: str,
    due: date | None,
    done: date | None = None,
    partner: Partner | None = None,
) -> Action:
    action = save(
        Action(
            item_id=world.item_id,
            text=text,
            owner_partner_id=(partner or world.lcc).id,
            due_on=due,
            done_on=done,
        )
    )
    world.actions[text] = action
    return action


@pytest.fixture
def dash_world(app, make_partner, make_body, make_meeting, make_item) -> World:
    lcc = make_partner(name="Lancashire County Council", code="LCC")
    cbc = make_partner(name="Chorley Borough Council", code="CBC")
    body = make_body(name="Joint Committee")
    other_body = make_body(name="Partnership Board")
    meeting = make_meeting(body=body, held_on=date(2007, 2, 13))
    item = make_item(meeting=meeting)
    inquiry = save(Inquiry(body_id=body.id, title="Shared services", reported_on=date(2007, 3, 7)))
    return World(
        lcc=lcc,
        cbc=cbc,
        body=body,
        other_body=other_body,
        today=today(),
        item_id=item.id,
        inquiry_id=inquiry.id,
    )


def days(n: int) -> timedelta:
    return timedelta(days=n)


@pytest.fixture
def in_request(app):
    """Figures name their items' pages (url_for), so they run in a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def programme_world(dash_world):
    from govtrack.programme.models import Objective, Programme

    w = dash_world
    programme = save(Programme(key="ssp", name="Shared services", starts_on=date(2006, 1, 1)))
    w.programme = programme
    w.objective = save(
        Objective(programme_id=programme.id, number=1, title="Customer access", position=1)
    )
    w.other_objective = save(
        Objective(programme_id=programme.id, number=2, title="Value for money", position=2)
    )
    return w


def add_milestone(
    w,
    title: str,
    rag: RAG,
    *,
    baseline=None,
    forecast=None,
    actual=None,
    rag_since=None,
    objective=None,
    partner=None,
    history=(),
):
    """A milestone with its RAG history: ``history`` is ``[(day, from, to)]``."""
    from govtrack.programme.enums import MilestoneStatus
    from govtrack.programme.models import Milestone, MilestoneRagChange

    m = save(
        Milestone(
            programme_id=w.programme.id,
            title=title,
            objective_id=(objective or w.objective).id,
            owner_partner_id=(partner or w.lcc).id,
            baseline_date=baseline,
            forecast_date=forecast,
            actual_date=actual,
            status=MilestoneStatus.COMPLETE if actual else MilestoneStatus.IN_PROGRESS,
            rag=rag,
            rag_since=rag_since,
        )
    )
    for day, before, after in history:
        save(MilestoneRagChange(milestone_id=m.id, on=day, from_rag=before, to_rag=after))
    return m
