"""Responses and their deadlines, overdue flags on every view, the tracker's filters, the
monitoring report as at a date with what changed, reviews, sign-off and reopening, and the
recommendations due for review on the scrutiny body's next meeting."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.core.records import Invalid
from govtrack.db import db
from govtrack.meetings.models import Meeting
from govtrack.scrutiny import commands, monitoring, progress, queries
from govtrack.scrutiny.enums import EventKind, Status
from govtrack.scrutiny.models import Addressee, RecommendationEvent
from tests.fixtures.actions import Actions, csrf_token
from tests.integration.scrutiny.conftest import REPORTED, date_parts

ACTOR = system_actor("Test")


def _dues(world) -> dict[str, date]:
    rows = db.session.scalars(
        select(Addressee).where(Addressee.recommendation_id == world.rec.id)
    ).all()
    codes = {world.lcc.id: "LCC", world.cbc.id: "CBC"}
    return {codes[r.partner_id]: r.response_due_on for r in rows}


def test_each_addressee_has_its_own_due_date(scrutiny_world):
    # CBC hosts the sub-group: no statute set its executive a time to respond to a report
    # received in March 2007; LCC: the agreed 56 days.
    assert _dues(scrutiny_world) == {"CBC": None, "LCC": REPORTED + timedelta(days=56)}
    # Received once the duty existed: two months from receipt for the host (s.9FE).
    inquiry = queries.load_inquiry(scrutiny_world.inquiry.id)
    commands.update_inquiry(
        ACTOR,
        inquiry,
        {"body_id": inquiry.body_id, "title": inquiry.title, "reported_on": date(2008, 3, 7),
         "started_on": inquiry.started_on, "response_days": 56},
        inquiry.version,
    )  # fmt: skip
    assert _dues(scrutiny_world) == {"CBC": date(2008, 5, 7), "LCC": date(2008, 5, 2)}


def test_a_missing_response_is_overdue_on_every_view(client, scrutiny_world):
    world = scrutiny_world
    for url in (
        f"/recommendations/{world.rec.id}",
        f"/scrutiny/inquiries/{world.inquiry.id}",
        "/recommendations",
        f"/scrutiny/inquiries/{world.inquiry.id}/monitoring",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Response overdue" in page.text, url
    assert (
        "1 overdue" in client.get("/scrutiny").text or "2 overdue" in client.get("/scrutiny").text
    )


def test_a_response_clears_the_overdue_flag(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    assert "4.a" in actions.client.get("/recommendations?overdue=responses").text
    url = f"/recommendations/{world.rec.id}/responses/new"
    response = actions.submit(
        url,
        {
            "partner_id": str(world.lcc.id),
            "decision": "rejected",
            "text": "",
            "reasons": "",
            "responded_on": date_parts(date(2007, 4, 1)),
        },
    )
    assert response.status_code == 422
    assert "Give the reasons for the decision" in response.text
    response = actions.submit(
        url,
        {
            "partner_id": str(world.lcc.id),
            "decision": "accepted",
            "text": "Agreed.",
            "reasons": "",
            "responded_on": date_parts(date(2007, 4, 1)),
        },
    )
    assert response.status_code == 302
    lines = queries.response_lines([queries.load_recommendation(world.rec.id)], today())
    overdue = {line.partner.code: line.overdue for line in lines[world.rec.id]}
    assert overdue == {"LCC": False, "CBC": False}
    page = actions.client.get("/recommendations?overdue=responses")
    assert "4.a" not in page.text


def test_a_response_dated_before_the_report_is_refused_and_stays_overdue(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    values = {
        "partner_id": str(world.lcc.id),
        "decision": "accepted",
        "text": "Agreed.",
        "reasons": "",
        "responded_on": date_parts(date(1990, 1, 1)),
    }
    url = f"/recommendations/{world.rec.id}/responses/new"
    response = actions.submit(url, values)
    assert response.status_code == 422
    assert (
        "The date of the response must be on or after 7 March 2007, the day the inquiry&#39;s "
        "final report was received" in response.text
    )
    assert 'value="1990"' in response.text
    assert "Response overdue" in actions.client.get(f"/recommendations/{world.rec.id}").text
    # The service refuses it too (imports, scripts).
    with pytest.raises(Invalid) as refused:
        progress.record_response(
            ACTOR,
            queries.load_recommendation(world.rec.id),
            {**values, "partner_id": world.lcc.id, "responded_on": date(2007, 3, 6)},
            today(),
        )
    assert "on or after 7 March 2007" in refused.value.problems["responded_on"]
    values["responded_on"] = date_parts(REPORTED)
    assert actions.submit(url, values).status_code == 302


def test_changing_the_report_date_moves_the_deadlines(actions, scrutiny_world):
    world = scrutiny_world
    commands.update_inquiry(
        ACTOR,
        world.inquiry,
        {
            "body_id": world.body.id,
            "title": world.inquiry.title,
            "reported_on": date(2007, 12, 31),
            "response_days": 30,
        },
        world.inquiry.version,
    )
    assert _dues(world) == {"CBC": date(2008, 2, 29), "LCC": date(2008, 1, 30)}


def test_tracker_filters(client, scrutiny_world, make_partner):
    world = scrutiny_world
    commands.add_recommendation(
        ACTOR,
        world.inquiry,
        {"reference": "5.z", "text": "Something for Pendle.", "addressee_ids": [world.other.id]},
        today(),
    )
    db.session.commit()
    page = client.get(f"/recommendations?partner={world.lcc.id}")
    assert "4.a" in page.text and "5.z" not in page.text
    page = client.get(f"/recommendations?partner={world.other.id}")
    assert "5.z" in page.text and ">4.a<" not in page.text
    page = client.get("/recommendations?rag=red")
    assert ">4.a<" in page.text and "5.z" not in page.text
    page = client.get(f"/recommendations?body={world.body.id}&status=signed_off")
    assert "No recommendations match" in page.text


def test_monitoring_report_as_at_a_date_is_rebuilt_from_history(client, scrutiny_world):
    world = scrutiny_world
    rec = queries.load_recommendation(world.rec.id)
    progress.add_update(
        ACTOR,
        rec,
        {"on": date(2007, 11, 20), "text": "Vision agreed.", "partner_id": world.lcc.id},
        today(),
    )
    progress.add_update(
        ACTOR, rec, {"on": date(2008, 5, 1), "text": "Front Office live.", "status": "implemented"},
        today(),
    )  # fmt: skip
    db.session.commit()
    base = f"/scrutiny/inquiries/{world.inquiry.id}/monitoring"
    then = client.get(f"{base}?as_at=2007-11-20")
    assert "Vision agreed." in then.text and "Front Office live." not in then.text
    assert "In progress" not in then.text and "Not started" in then.text
    now = client.get(base)
    assert "Front Office live." in now.text and "Vision agreed." in now.text
    assert "changes since 20 November 2007 are marked" in now.text
    assert "Changed" in now.text
    unchanged = client.get(f"{base}?as_at=2008-05-01&since=2008-05-01&changed=1")
    assert "Nothing changed in this period" in unchanged.text


def test_review_sets_the_next_review_six_months_on_and_sign_off_needs_scrutiny(
    app, actions, make_user, scrutiny_world
):
    world = scrutiny_world
    clerk = Actions(app.test_client(), make_user)
    clerk.sign_in_as(Role.CLERK)
    review = f"/recommendations/{world.rec.id}/review"
    assert clerk.client.get(review).status_code == 403
    actions.sign_in_as(Role.SCRUTINY)
    response = actions.submit(
        review,
        {"kind": "challenge", "update_id": "", "text": "Where is the plan?",
         "next_review_on": date_parts(None)},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(world.rec)
    assert world.rec.last_reviewed_on == today()
    assert world.rec.next_review_on > today() + timedelta(days=170)
    sign_off = f"/recommendations/{world.rec.id}/sign-off"
    # Not reported implemented, superseded or achieved: no "Sign off" button, and the sign-off
    # page says why instead of offering a form that can only fail.
    page = actions.client.get(f"/recommendations/{world.rec.id}")
    assert f'href="{sign_off}"' not in page.text
    assert "Not yet offered for sign-off: Only a recommendation reported as" in page.text
    refused = actions.client.get(sign_off)
    assert refused.status_code == 409
    assert "Only a recommendation reported as implemented" in refused.text
    assert 'name="text"' not in refused.text
    response = actions.client.post(
        sign_off,
        data={
            "csrf_token": csrf_token(actions.client.get(review).text),
            "version": str(world.rec.version),
            "text": "",
        },
    )
    assert response.status_code == 422
    assert "Only a recommendation reported as implemented" in response.text


def test_sign_off_and_reopen_are_history(actions, scrutiny_world):
    world = scrutiny_world
    rec = queries.load_recommendation(world.rec.id)
    progress.add_update(
        ACTOR, rec, {"on": today(), "text": "Done.", "assessment": "achieved"}, today()
    )
    db.session.commit()
    actions.sign_in_as(Role.SCRUTINY)
    db.session.refresh(world.rec)
    url = f"/recommendations/{world.rec.id}"
    response = actions.submit(f"{url}/sign-off", {"version": str(world.rec.version), "text": "Ok"})
    assert response.status_code == 302
    db.session.refresh(world.rec)
    assert world.rec.status is Status.SIGNED_OFF and world.rec.next_review_on is None
    response = actions.submit(f"{url}/reopen", {"version": str(world.rec.version), "text": ""})
    assert response.status_code == 422
    assert "Give the reason for reopening" in response.text
    response = actions.submit(
        f"{url}/reopen", {"version": str(world.rec.version), "text": "Front Office failed."}
    )
    assert response.status_code == 302
    kinds = db.session.scalars(
        select(RecommendationEvent.kind)
        .where(RecommendationEvent.recommendation_id == world.rec.id)
        .order_by(RecommendationEvent.id)
    ).all()
    assert EventKind.SIGN_OFF in kinds and kinds[-2:] == [EventKind.REOPEN, EventKind.RAG_CHANGE]
    page = actions.client.get(url)
    assert page.text.index("Signed off") < page.text.index("Front Office failed.")


def test_due_recommendations_appear_on_the_bodys_next_meeting(client, scrutiny_world, make_meeting):
    world = scrutiny_world
    meeting = make_meeting(body=world.body, held_on=today() + timedelta(days=7))
    later = make_meeting(body=world.body, held_on=today() + timedelta(days=40))
    page = client.get(f"/meetings/{meeting.id}")
    assert "Recommendations due for review" in page.text
    assert "recommendation 4.a" in page.text
    assert "Recommendations due for review" not in client.get(f"/meetings/{later.id}").text
    assert db.session.get(Meeting, meeting.id) is not None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_as_at_today_agrees_with_the_current_state(client, scrutiny_world, seed):
    """Updates entered in any order (some back-dated): the recommendation's current status,
    target and RAG are what the monitoring report rebuilds from the history for today."""
    world = scrutiny_world
    rng = random.Random(seed)
    statuses = ["", "in_progress", "not_started", "implemented", "not_implemented"]
    for n in range(12):
        rec = queries.load_recommendation(world.rec.id)
        values = {
            "on": date(2007, 4, 1) + timedelta(days=rng.randrange(0, 600)),
            "text": f"Update {n}",
            "status": rng.choice(statuses),
            "partner_id": rng.choice([None, world.lcc.id]),
        }
        roll = rng.random()
        if roll < 0.3:
            values |= {
                "assessment": "slipped",
                "new_target_date": today() + timedelta(days=rng.randrange(-100, 200)),
                "slip_reason": "Late.",
            }
        elif roll < 0.5:
            values |= {
                "rag_override": rng.choice(["red", "green"]),
                "rag_reason": "Judged.",
                "rag_override_until": today() + timedelta(days=rng.randrange(1, 300)),
            }
        progress.add_update(ACTOR, rec, values, today())
    db.session.commit()
    report = monitoring.monitoring_report(world.inquiry, today(), None)
    [row] = report.rows
    current = queries.load_recommendation(world.rec.id)
    assert row.status is current.status
    assert row.rag.rag is current.rag


def test_the_daily_tick_turns_a_recommendation_red_when_its_target_passes(app, scrutiny_world):
    world = scrutiny_world
    rec = queries.load_recommendation(world.rec.id)
    rec.target_date = today() + timedelta(days=60)
    commands._apply_rag(rec, today())
    db.session.commit()
    assert rec.rag.value == "green"
    rec.target_date = today() - timedelta(days=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "1 recommendation(s) changed RAG" in result.output
    db.session.expire_all()
    assert queries.load_recommendation(world.rec.id).rag.value == "red"
    kinds = db.session.scalars(
        select(RecommendationEvent.to_value).where(
            RecommendationEvent.recommendation_id == world.rec.id,
            RecommendationEvent.kind == EventKind.RAG_CHANGE,
        )
    ).all()
    assert kinds[-1] == "red"


def test_a_signed_in_reader_sees_the_changes_to_the_record(actions, scrutiny_world):
    actions.sign_in_as(Role.OFFICER)
    page = actions.client.get(f"/recommendations/{scrutiny_world.rec.id}")
    assert "Changes to the recommendation&#39;s record" in page.text or (
        "Changes to the recommendation's record" in page.text
    )


def test_the_lead_officers_page_lists_their_recommendations(actions, scrutiny_world, make_person):
    world = scrutiny_world
    lead = make_person(partner=world.lcc, name="Richard Jones")
    rec = queries.load_recommendation(world.rec.id)
    commands.edit_recommendation(
        ACTOR,
        rec,
        {"reference": "4.a", "text": rec.text, "lead_officer_id": lead.id,
         "addressee_ids": [world.lcc.id, world.cbc.id], "target_date": rec.target_date},
        rec.version,
        today(),
    )  # fmt: skip
    db.session.commit()
    actions.sign_in_as(Role.CLERK)
    page = actions.client.get(f"/people/{lead.id}")
    assert "Scrutiny recommendations as lead officer" in page.text
    assert "4.a" in page.text


def test_a_missing_response_is_flagged_on_the_body_meeting_and_lead_officer_pages(
    actions, scrutiny_world, make_meeting, make_person
):
    world = scrutiny_world
    lead = make_person(partner=world.lcc, name="Richard Jones")
    rec = queries.load_recommendation(world.rec.id)
    commands.edit_recommendation(
        ACTOR,
        rec,
        {"reference": "4.a", "text": rec.text, "lead_officer_id": lead.id,
         "addressee_ids": [world.lcc.id, world.cbc.id], "target_date": rec.target_date},
        rec.version,
        today(),
    )  # fmt: skip
    meeting = make_meeting(body=world.body, held_on=today() + timedelta(days=7))
    db.session.commit()
    actions.sign_in_as(Role.CLERK)
    for url in (f"/bodies/{world.body.id}", f"/meetings/{meeting.id}", f"/people/{lead.id}"):
        page = actions.client.get(url)
        assert page.status_code == 200, url
        assert "Response overdue" in page.text, url
    assert "from LCC" in actions.client.get(f"/meetings/{meeting.id}").text
    # Once both partners have responded, no page flags it.
    for partner in (world.lcc, world.cbc):
        progress.record_response(
            ACTOR,
            queries.load_recommendation(world.rec.id),
            {"partner_id": partner.id, "decision": "accepted", "responded_on": REPORTED},
            today(),
        )
    db.session.commit()
    for url in (f"/bodies/{world.body.id}", f"/meetings/{meeting.id}", f"/people/{lead.id}"):
        assert "Response overdue" not in actions.client.get(url).text, url


@pytest.mark.parametrize("field", ["as_at", "since"])
def test_a_bad_or_future_report_date_is_refused_not_todays_report(client, scrutiny_world, field):
    world = scrutiny_world
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": date(2007, 11, 20), "text": "Vision agreed.", "partner_id": world.lcc.id},
        today(),
    )
    db.session.commit()
    base = f"/scrutiny/inquiries/{world.inquiry.id}/monitoring"
    name = {"as_at": "as at", "since": "changed since"}[field]
    default = {"as_at": "today", "since": "the previous monitoring date"}[field]
    for typed, message in [
        ("garbage", f"Enter the &#39;{name}&#39; date like 20/11/2007 or 20 November 2007"),
        ("2026-13-45", f"Enter the &#39;{name}&#39; date like 20/11/2007 or 20 November 2007"),
        ("2099-01-01", f"The &#39;{name}&#39; date must be today or in the past"),
    ]:
        page = client.get(f"{base}?{field}={typed}")
        assert page.status_code == 400
        assert "There is a problem" in page.text and message in page.text
        assert f'href="#{field}"' in page.text and f'value="{typed}"' in page.text
        assert "<title>Error: " in page.text
        # No report is shown for a day other than the one asked for.
        assert "Vision agreed." not in page.text and "Download CSV" not in page.text
        refused = client.get(f"{base}/export?format=csv&{field}={typed}")
        assert refused.status_code == 400
        assert "attachment" not in refused.headers.get("Content-Disposition", "")
        assert f"{message}, or leave it empty for {default}." in refused.text
        assert "Nothing was exported" in refused.text
    assert client.get(f"{base}?{field}=2007-11-20").status_code == 200
    assert client.get(f"{base}/export?format=csv&{field}=20/11/2007").status_code == 200


def test_reopening_an_open_recommendation_says_why_instead_of_a_form(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.SCRUTINY)
    refused = actions.client.get(f"/recommendations/{world.rec.id}/reopen")
    assert refused.status_code == 409
    assert "Only a signed-off recommendation can be reopened" in refused.text
    assert "is open (Not started)" in refused.text
    assert 'name="text"' not in refused.text


def test_the_timeline_names_status_changes_as_the_pages_do(client, scrutiny_world):
    world = scrutiny_world
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": date(2007, 11, 20), "text": "Done.", "status": "implemented"},
        today(),
    )
    db.session.commit()
    page = client.get(f"/recommendations/{world.rec.id}").text
    assert "(Not started to Implemented \N{EN DASH} awaiting sign-off)" in page
    assert "not started to implemented" not in page
