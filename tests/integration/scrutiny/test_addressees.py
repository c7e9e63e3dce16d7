"""A recommendation addressed to two councils (4.a: LCC and CBC) is complete only when both
have reported it done: one council's "Implemented" leaves it in progress, not offered for
sign-off, with each council's state on its page; once signed off, no page says a response is
overdue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.core.rag import RAG
from govtrack.core.records import Invalid
from govtrack.db import db
from govtrack.scrutiny import progress, queries
from govtrack.scrutiny.enums import Status
from tests.fixtures.actions import Actions
from tests.fixtures.factories import TEST_PASSWORD
from tests.integration.scrutiny.conftest import update_form

ACTOR = system_actor("Test")


def test_one_councils_implemented_leaves_a_recommendation_to_two_in_progress(
    app, actions, make_user, scrutiny_world
):
    world = scrutiny_world
    url = f"/recommendations/{world.rec.id}"
    assert actions.sign_in(world.officer.email, TEST_PASSWORD).status_code == 302
    done = update_form(on=today() - timedelta(days=1), status="implemented", text="LCC: done.")
    assert actions.submit(f"{url}/updates/new", done).status_code == 302

    db.session.refresh(world.rec)
    assert world.rec.status is Status.IN_PROGRESS
    assert world.rec.rag is not RAG.BLUE
    member = Actions(app.test_client(), make_user)
    member.sign_in_as(Role.SCRUTINY)
    page = member.client.get(url).text
    assert "Each council&#39;s progress" in page or "Each council's progress" in page
    assert "<strong>LCC</strong>: Implemented (latest update" in page
    assert "<strong>CBC</strong>: Not started (no update yet)" in page
    assert f'href="{url}/sign-off"' not in page
    assert "still to report: CBC" in page
    # The tracker and the inquiry's list say the same in a line.
    for listing in ("/recommendations", f"/scrutiny/inquiries/{world.inquiry.id}"):
        assert "Progress: CBC not started; LCC implemented" in member.client.get(listing).text
    # Asked for directly, the sign-off is refused with the reason; nothing changes.
    assert member.client.get(f"{url}/sign-off").status_code == 409
    with pytest.raises(Invalid, match="still to report: CBC"):
        rec = queries.load_recommendation(world.rec.id)
        progress.sign_off(ACTOR, rec, "Seen.", rec.version, today())
    db.session.rollback()
    db.session.refresh(world.rec)
    assert world.rec.status is Status.IN_PROGRESS

    # Chorley reports it done too: now it is implemented, blue, and offered for sign-off.
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": today(), "text": "CBC: done.", "partner_id": world.cbc.id, "status": "implemented"},
        today(),
    )  # fmt: skip
    db.session.commit()
    db.session.refresh(world.rec)
    assert world.rec.status is Status.IMPLEMENTED and world.rec.rag is RAG.BLUE
    page = member.client.get(url).text
    assert "<strong>CBC</strong>: Implemented (latest update" in page
    assert f'href="{url}/sign-off"' in page
    signed = member.submit(f"{url}/sign-off", {"version": str(world.rec.version), "text": "Ok"})
    assert signed.status_code == 302, signed.text


def test_a_signed_off_recommendation_shows_no_response_overdue_anywhere(client, scrutiny_world):
    world = scrutiny_world
    inquiry = f"/scrutiny/inquiries/{world.inquiry.id}"
    # LCC's response (due 56 days after 7 March 2007) was never recorded.
    assert "Response overdue" in client.get(f"/recommendations/{world.rec.id}").text
    assert "4.a" in client.get("/recommendations?overdue=responses").text
    rec = queries.load_recommendation(world.rec.id)
    progress.add_update(
        ACTOR,
        rec,
        {"on": today(), "text": "Both councils have done it.", "status": "implemented"},
        today(),
    )  # fmt: skip
    progress.sign_off(ACTOR, rec, "Done.", rec.version, today())
    db.session.commit()

    for url in (
        f"/recommendations/{world.rec.id}",
        inquiry,
        f"{inquiry}/monitoring",
        "/recommendations",
        "/scrutiny",
        f"/bodies/{world.body.id}",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Response overdue" not in page.text, url
        assert "overdue</strong>" not in page.text, url
    assert "4.a" not in client.get("/recommendations?overdue=responses").text
    # Each thing is said once: no second "Complete" after "Complete (en dash) signed off".
    for url in (f"/recommendations/{world.rec.id}", inquiry, f"{inquiry}/monitoring"):
        words = " ".join(re.sub(r"<[^>]+>", " ", client.get(url).text).split())
        assert "Complete \N{EN DASH} signed off" in words, url
        assert not re.search(r"\bComplete\.? (\N{EN DASH} signed off )?Complete\b", words), url
    page = client.get(f"/recommendations/{world.rec.id}").text
    assert "no response recorded (signed off" in page
    export = client.get(f"{inquiry}/monitoring/export?format=csv").data.decode("utf-8-sig")
    assert "response overdue" not in export
    assert "LCC: no response recorded (signed off)" in export
