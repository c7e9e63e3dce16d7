"""Objectives, their work-plan actions and links: clerks keep them; each objective rolls up
what serves it by the rule shown on the page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from govtrack.core.dates import today
from govtrack.core.rag import RAG, ROLL_UP_RULE
from govtrack.db import db
from govtrack.pipeline.enums import Stage
from govtrack.programme import commands, milestones, queries
from govtrack.programme.models import Objective, WorkPlanAction
from govtrack.scrutiny.models import Inquiry, Recommendation
from tests.fixtures.factories import save
from tests.integration.programme.conftest import ACTOR
from tests.integration.programme.test_milestones import d, slip


def test_a_clerk_adds_an_objective_and_a_repeated_number_is_refused(actions, programme):
    actions.sign_in_as("clerk")
    data = {"number": "1", "title": "Single point of access", "text": "Each Council will..."}
    response = actions.submit("/programme/objectives/new", data)
    assert response.status_code == 302
    response = actions.submit("/programme/objectives/new", data | {"title": "Again"})
    assert response.status_code == 422
    assert "Objective 1 already exists" in response.text and "Again" in response.text


def test_work_plan_actions_have_a_rag_and_refuse_bad_dates(actions, make_objective):
    actions.sign_in_as("clerk")
    objective = make_objective()
    url = f"/programme/objectives/{objective.id}/actions/new"
    base = {"title": "Join up websites", "owner_partner_id": "", "status": "in_progress"}
    response = actions.submit(
        url, base | {"due": d(today() + timedelta(days=3)), "done_on": d(today())}
    )
    assert response.status_code == 422
    assert "Only a complete action has a date done" in response.text
    response = actions.submit(
        url, base | {"due": d(today() - timedelta(days=3)), "done_on": d(None)}
    )
    assert response.status_code == 302
    action = db.session.scalar(
        select(WorkPlanAction).where(WorkPlanAction.objective_id == objective.id)
    )
    assert action.rag is RAG.RED
    page = actions.client.get(f"/programme/objectives/{objective.id}")
    assert "Join up websites" in page.text
    response = actions.submit(
        f"/programme/work-plan-actions/{action.id}/edit",
        base | {"version": str(action.version), "status": "complete",
                "due": d(today() - timedelta(days=3)), "done_on": d(today())},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkPlanAction, action.id).rag is RAG.BLUE


def test_the_objective_rolls_up_milestones_services_and_recommendations(
    actions, client, make_objective, make_milestone, make_partner, make_body, sign_in_officer_of
):
    objective = make_objective()
    partner = make_partner()
    green = make_milestone(partner=partner, objective_id=objective.id)
    make_milestone(objective_id=objective.id, status="not_started", baseline_date=None)
    body = make_body()
    inquiry = save(Inquiry(body_id=body.id, title="Partnership working"))
    rec = save(
        Recommendation(inquiry_id=inquiry.id, reference="5.c", text="Extended hours", rag=RAG.GREEN)
    )
    from govtrack.pipeline.models import Service

    service = save(
        Service(
            name="Waste Helpline", partner_id=partner.id, stage=Stage.OPERATIONAL,
            date_integrated=date(2006, 1, 1),
        )
    )  # fmt: skip
    commands.set_links(ACTOR, objective, [service.id], [rec.id], objective.version)
    db.session.commit()
    page = client.get(f"/programme/objectives/{objective.id}")
    assert ROLL_UP_RULE in page.text
    assert "Waste Helpline" in page.text and "5.c" in page.text
    summary = queries.objective_page(objective, 1, 25, today())
    assert summary.roll_up.rag is RAG.GREEN
    assert summary.roll_up.counts[RAG.GREY] == 1  # counted apart
    # An officer slips their milestone far beyond the tolerance: the roll-up turns red.
    sign_in_officer_of(partner)
    assert slip(actions, green, green.baseline_date + timedelta(days=60)).status_code == 302
    db.session.expire_all()
    objective = db.session.get(Objective, objective.id)
    assert queries.objective_page(objective, 1, 25, today()).roll_up.rag is RAG.RED
    listing = actions.client.get("/programme")
    assert "Red" in listing.text


def test_the_objective_flags_overdue_responses_and_overdue_services(
    client, make_objective, make_partner, make_body
):
    from govtrack.pipeline.models import Service
    from govtrack.scrutiny.models import Addressee

    objective = make_objective()
    lcc, cbc = make_partner(code="LCC"), make_partner(code="CBC")
    inquiry = save(Inquiry(body_id=make_body().id, title="Partnership working"))
    late = save(Recommendation(inquiry_id=inquiry.id, reference="4.a", text="Hub", rag=RAG.GREEN))
    fine = save(Recommendation(inquiry_id=inquiry.id, reference="4.b", text="Web", rag=RAG.GREEN))
    save(Addressee(recommendation_id=late.id, partner_id=cbc.id, response_due_on=date(2007, 5, 1)))
    save(Addressee(recommendation_id=fine.id, partner_id=lcc.id, response_due_on=None))
    behind = save(
        Service(name="Waste Helpline", partner_id=lcc.id, stage=Stage.PROJECT_PLANNING,
                planned_integration_date=date(2007, 3, 31))
    )  # fmt: skip
    ahead = save(
        Service(name="Blue Badges", partner_id=lcc.id, stage=Stage.PROJECT_PLANNING,
                planned_integration_date=today() + timedelta(days=90))
    )  # fmt: skip
    commands.set_links(ACTOR, objective, [behind.id, ahead.id], [late.id, fine.id], 1)
    db.session.commit()
    page = client.get(f"/programme/objectives/{objective.id}").text
    recs = page.split('id="recommendations"')[1]
    hub, web = recs.split("4.a")[1].split("</li>")[0], recs.split("4.b")[1].split("</li>")[0]
    assert "Response overdue" in hub and "from CBC" in hub
    assert "Response overdue" not in web
    svc = page.split('id="services"')[1].split('id="recommendations"')[0]
    waste = svc.split("Waste Helpline")[1].split("</li>")[0]
    badges = svc.split("Blue Badges")[1].split("</li>")[0]
    assert (
        ">Overdue</strong>" in waste and "planned for 31 March 2007, not yet Operational" in waste
    )
    assert "Overdue" not in badges


def test_a_clerk_links_services_and_an_unknown_one_is_refused(actions, make_objective):
    actions.sign_in_as("clerk")
    objective = make_objective()
    page = actions.client.get(f"/programme/objectives/{objective.id}/links")
    assert page.status_code == 200
    response = actions.submit(
        f"/programme/objectives/{objective.id}/links",
        {"version": str(objective.version), "service_ids": [], "recommendation_ids": []},
    )
    assert response.status_code == 302
    response = actions.submit(
        f"/programme/objectives/{objective.id}/links",
        {"version": str(objective.version), "service_ids": ["999999"]},
    )
    assert response.status_code == 422
    assert "from the list" in response.text


def test_the_milestone_list_filters(client, make_milestone, make_objective, make_partner):
    objective = make_objective()
    partner = make_partner()
    mine = make_milestone(partner=partner, objective_id=objective.id, title="Ours")
    make_milestone(title="Theirs")
    overdue = make_milestone(title="Late", baseline_date=today() - timedelta(days=1))
    page = client.get(f"/programme/milestones?objective={objective.id}")
    assert "Ours" in page.text and "Theirs" not in page.text
    page = client.get(f"/programme/milestones?partner={partner.id}")
    assert mine.title in page.text and "Theirs" not in page.text
    page = client.get("/programme/milestones?overdue=yes")
    assert overdue.title in page.text and "Ours" not in page.text
    page = client.get("/programme/milestones?rag=red&status=in_progress")
    assert "Late" in page.text and "Ours" not in page.text


def test_changing_the_thresholds_re_derives_every_open_milestone(
    actions, programme, make_milestone
):
    actions.sign_in_as("clerk")
    milestone = make_milestone(baseline_date=today() + timedelta(days=20))
    assert milestone.rag is RAG.GREEN
    form = {
        "version": str(programme.version),
        "name": programme.name,
        "starts_on": d(programme.starts_on),
        "reporting": "three_point",
        "slip_tolerance_days": "28",
        "due_soon_days": "30",
    }
    bad = actions.submit(
        "/programme/settings", form | {"starts_on": d(today() + timedelta(days=30))}
    )
    assert bad.status_code == 422
    assert "the programme must start on or before it" in bad.text
    response = actions.submit("/programme/settings", form)
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert db.session.get(type(milestone), milestone.id).rag is RAG.AMBER
    assert "within 30 days is amber" in actions.client.get("/programme").text


def _tag_after(html: str, marker: str) -> str:
    """The label of the first RAG tag after ``marker`` on the page."""
    import re

    rest = html[html.index(marker) :]
    return re.search(r'class="govuk-tag [^"]*">([^<(]+)', rest).group(1).strip()


def test_an_objective_with_a_milestone_not_started_is_in_progress_not_complete(
    client, make_objective, make_milestone
):
    objective = make_objective(title="Joined-up access")
    for _ in range(2):
        done = queries.load_milestone(make_milestone(objective_id=objective.id).id)
        milestones.record_completion(ACTOR, done, {"actual_date": today()}, done.version, today())
    make_milestone(objective_id=objective.id, status="not_started", baseline_date=date(2040, 1, 31))
    db.session.commit()
    page = client.get(f"/programme/objectives/{objective.id}").text
    assert _tag_after(page, 'id="objective-rag"') == "Green"
    assert "2 complete" in page and "1 with no data" in page
    assert _tag_after(client.get("/programme").text, "Joined-up access") == "Green"
    board = client.get(f"/dashboard/objectives/{objective.id}").text
    assert _tag_after(board, "Overall:") == "Green"


def test_the_objective_page_and_its_dashboard_count_the_same_items(
    client, make_objective, make_milestone, make_partner, make_body
):
    from govtrack.pipeline.models import Service

    objective = make_objective()
    partner = make_partner()
    make_milestone(objective_id=objective.id)  # green
    make_milestone(objective_id=objective.id, status="not_started", baseline_date=None)  # grey
    save(WorkPlanAction(objective_id=objective.id, title="Join up websites", rag=RAG.RED))
    inquiry = save(Inquiry(body_id=make_body().id, title="Partnership working"))
    linked_rec = save(
        Recommendation(inquiry_id=inquiry.id, reference="5.c", text="Extended hours", rag=RAG.GREEN)
    )
    save(Recommendation(inquiry_id=inquiry.id, reference="5.d", text="Not ours", rag=RAG.RED))
    linked_service, _other = (
        save(
            Service(
                name=name, partner_id=partner.id, stage=Stage.OPERATIONAL,
                date_integrated=date(2006, 1, 1),
            )
        )
        for name in ("Waste Helpline", "Not linked")
    )  # fmt: skip
    commands.set_links(ACTOR, objective, [linked_service.id], [linked_rec.id], objective.version)
    db.session.commit()
    expected = {RAG.BLUE: 1, RAG.GREEN: 2, RAG.AMBER: 0, RAG.RED: 1, RAG.GREY: 1}
    assert queries.objective_page(objective, 1, 25, today()).roll_up.counts == expected
    page = client.get(f"/programme/objectives/{objective.id}").text
    assert "1 complete, 2 green, 1 red; 1 with no data (counted apart)" in page
    board = client.get(f"/dashboard/objectives/{objective.id}").text
    assert "(4 measured; 1 with no data counted apart)" in board
    for area in ("Services", "Recommendations"):
        assert f'<th scope="row" class="govuk-table__header">{area}</th>' in board
