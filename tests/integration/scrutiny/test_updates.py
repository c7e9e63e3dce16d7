"""Officers' progress updates: their own council only, never in the future, slipped needs a
new date and a reason, an override needs a reason, nothing after sign-off; updates are history
and keep the recommendation's status and RAG in step."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from govtrack.auth.enums import Role
from govtrack.core.dates import today
from govtrack.core.rag import RAG
from govtrack.db import db
from govtrack.scrutiny.enums import EventKind, Status
from govtrack.scrutiny.models import RecommendationEvent, RecommendationUpdate
from tests.fixtures.actions import Actions, csrf_token
from tests.fixtures.factories import TEST_PASSWORD
from tests.integration.scrutiny.conftest import date_parts, update_form


def _url(world) -> str:
    return f"/recommendations/{world.rec.id}/updates/new"


def _sign_in(actions, user) -> None:
    assert actions.sign_in(user.email, TEST_PASSWORD).status_code == 302


def _updates(world) -> list[RecommendationUpdate]:
    return list(
        db.session.scalars(
            select(RecommendationUpdate)
            .where(RecommendationUpdate.recommendation_id == world.rec.id)
            .order_by(RecommendationUpdate.id)
        )
    )


def test_officer_adds_an_update_for_their_own_council(actions, scrutiny_world):
    world = scrutiny_world
    _sign_in(actions, world.officer)
    response = actions.submit(
        _url(world),
        update_form(
            text="LCC \N{EN DASH} A three year vision statement has been agreed.",
            assessment="on_track",
            status="in_progress",
        ),
    )
    assert response.status_code == 302, response.text
    [update] = _updates(world)
    assert update.partner_id == world.lcc.id
    db.session.refresh(world.rec)
    assert world.rec.status is Status.IN_PROGRESS
    page = actions.client.get(f"/recommendations/{world.rec.id}")
    assert "A three year vision statement has been agreed" in page.text
    assert "update from LCC" in page.text


def test_officer_of_a_partner_not_addressed_is_refused(actions, scrutiny_world):
    world = scrutiny_world
    _sign_in(actions, world.other_officer)
    for url in (_url(world), f"/recommendations/{world.rec.id}/responses/new"):
        refused = actions.client.get(url)
        assert refused.status_code == 403
        text = refused.text.replace("&#39;", "'")
        assert "Recommendation 4.a is addressed to" in text
        assert "not to Pendle Borough Council" in text
        assert "role does not allow" not in text
    page = actions.client.get(f"/recommendations/{world.rec.id}")
    assert "Add an update" not in page.text


def test_officer_cannot_write_for_another_partner(actions, scrutiny_world):
    """Officers always speak for their own council, whatever the form says."""
    world = scrutiny_world
    _sign_in(actions, world.officer)
    response = actions.submit(_url(world), update_form(partner_id=str(world.cbc.id)))
    assert response.status_code in (302, 422)
    assert all(u.partner_id == world.lcc.id for u in _updates(world))


def test_future_dated_update_is_refused_with_the_input_kept(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    response = actions.submit(
        _url(world), update_form(on=today() + timedelta(days=1), text="Will be done.")
    )
    assert response.status_code == 422
    assert "The date of the update must be today or in the past" in response.text
    assert "Will be done." in response.text
    assert _updates(world) == []


def test_slipped_needs_a_new_date_and_a_reason(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    response = actions.submit(_url(world), update_form(assessment="slipped"))
    assert response.status_code == 422
    assert "Give the new target date for a slipped recommendation" in response.text
    assert "Give the reason the recommendation has slipped" in response.text
    new_date = today() + timedelta(days=200)
    response = actions.submit(
        _url(world),
        update_form(
            assessment="slipped",
            new_target_date=new_date,
            slip_reason="The contractor's CRM arrived late.",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(world.rec)
    assert world.rec.revised_target_date == new_date
    assert world.rec.rag is RAG.GREEN


def test_rag_override_without_a_reason_is_refused(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    response = actions.submit(_url(world), update_form(rag_override="green"))
    assert response.status_code == 422
    assert "Give a reason for overriding the RAG" in response.text
    assert "Give the date the override ends" in response.text
    until = today() + timedelta(days=30)
    response = actions.submit(
        _url(world),
        update_form(
            rag_override="green", rag_reason="Agreed at the Board", rag_override_until=until
        ),
    )
    assert response.status_code == 302
    db.session.refresh(world.rec)
    # Past its 2007 target the rule says red; the override, with its reason, says green.
    assert world.rec.rag is RAG.GREEN and world.rec.rag_override is RAG.GREEN
    kinds = db.session.scalars(
        select(RecommendationEvent.kind).where(
            RecommendationEvent.recommendation_id == world.rec.id
        )
    ).all()
    assert EventKind.RAG_CHANGE in kinds


def test_update_on_a_signed_off_recommendation_is_refused(app, actions, make_user, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    page = actions.client.get(_url(world))  # the clerk opens the form before the sign-off
    assert actions.submit(_url(world), update_form(status="implemented")).status_code == 302
    member = Actions(app.test_client(), make_user)
    member.sign_in_as(Role.SCRUTINY)
    db.session.refresh(world.rec)
    sign_off = f"/recommendations/{world.rec.id}/sign-off"
    response = member.submit(sign_off, {"version": str(world.rec.version), "text": "Seen."})
    assert response.status_code == 302, response.text
    db.session.refresh(world.rec)
    assert world.rec.status is Status.SIGNED_OFF and world.rec.rag is RAG.BLUE
    response = actions.client.post(
        _url(world), data={"csrf_token": csrf_token(page.text), **update_form()}
    )
    assert response.status_code == 422
    assert "has been signed off, so it takes no more updates" in response.text
    # Opened now, the form is not offered: the page says why.
    refused = actions.client.get(_url(world))
    assert refused.status_code == 409
    assert "Recommendation 4.a has been signed off, so it takes no more updates" in refused.text
    assert 'name="text"' not in refused.text


def test_two_updates_at_once_are_both_kept_in_order(actions, scrutiny_world):
    world = scrutiny_world
    _sign_in(actions, world.officer)
    first = actions.submit(_url(world), update_form(text="First"))
    second = actions.submit(_url(world), update_form(text="Second"))
    assert first.status_code == second.status_code == 302
    assert [u.text for u in _updates(world)] == ["First", "Second"]


def test_a_correction_names_the_update_it_corrects(actions, scrutiny_world):
    world = scrutiny_world
    _sign_in(actions, world.officer)
    actions.submit(_url(world), update_form(text="Vision agreed in 2006"))
    [original] = _updates(world)
    response = actions.submit(
        _url(world), update_form(text="Vision agreed in 2007", corrects_id=str(original.id))
    )
    assert response.status_code == 302
    correction = _updates(world)[-1]
    assert correction.corrects_id == original.id
    assert _updates(world)[0].text == "Vision agreed in 2006"


def test_updates_cannot_be_changed_in_the_database(app, scrutiny_world, actions):
    world = scrutiny_world
    _sign_in(actions, world.officer)
    actions.submit(_url(world), update_form(text="Kept for ever"))
    [update] = _updates(world)
    with pytest.raises(Exception, match="history"), db.session.begin_nested():
        db.session.execute(
            text("UPDATE scrutiny_updates SET text = 'changed' WHERE id = :id"),
            {"id": update.id},
        )
    db.session.rollback()


def test_a_stale_edit_of_the_recommendation_is_refused(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    url = f"/recommendations/{world.rec.id}/edit"
    stale = str(world.rec.version)
    assert actions.submit(url, _rec_form(world, "First edit", stale)).status_code == 302
    response = actions.submit(url, _rec_form(world, "My stale edit", stale))
    assert response.status_code == 409
    assert "Someone else saved changes" in response.text
    assert "My stale edit" in response.text


def _rec_form(world, text_value: str, version: str) -> dict:
    return {
        "version": version,
        "reference": "4.a",
        "group": world.rec.group,
        "text": text_value,
        "addressee_ids": [str(world.lcc.id), str(world.cbc.id)],
        "lead_officer_id": "",
        "target_date": date_parts(date(2007, 12, 31)),
        "next_review_on": date_parts(None),
    }


def test_correct_this_update_opens_the_form_naming_it(actions, scrutiny_world):
    world = scrutiny_world
    _sign_in(actions, world.officer)
    actions.submit(_url(world), update_form(text="Vision agreed in 2006"))
    [original] = _updates(world)
    page = actions.client.get(f"/recommendations/{world.rec.id}")
    assert f"corrects={original.id}" in page.text
    form = actions.client.get(f"{_url(world)}?corrects={original.id}")
    assert f'<option selected value="{original.id}">' in form.text or (
        f'value="{original.id}" selected' in form.text
    )


def _summary(page: str) -> str:
    return page.split('class="govuk-error-summary', 1)[1].split("</div>\n</div>", 1)[0]


def test_every_problem_with_an_update_shows_at_once(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    response = actions.submit(
        _url(world),
        update_form(
            text="", on=today() + timedelta(days=3), assessment="slipped", rag_override="red"
        ),
    )
    assert response.status_code == 422
    summary = _summary(response.text)
    for message in (
        "Enter the update",
        "The date of the update must be today or in the past",
        "Give the new target date for a slipped recommendation",
        "Give the reason the recommendation has slipped",
        "Give a reason for overriding the RAG",
    ):
        assert message in summary, message
    assert _updates(world) == []


def test_every_problem_with_a_response_shows_at_once(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    url = f"/recommendations/{world.rec.id}/responses/new"
    response = actions.submit(
        url,
        {
            "partner_id": str(world.lcc.id),
            "decision": "",
            "text": "We will consider it.",
            "reasons": "",
            "responded_on": date_parts(today() + timedelta(days=2)),
        },
    )
    assert response.status_code == 422
    summary = _summary(response.text)
    assert "Choose the partner&#39;s decision" in summary or "Choose the partner's decision" in (
        summary
    )
    assert "The date of the response must be today or in the past" in summary
    assert "We will consider it." in response.text
    response = actions.submit(
        url,
        {
            "partner_id": "",
            "decision": "rejected",
            "text": "",
            "reasons": "",
            "responded_on": date_parts(today()),
        },
    )
    assert response.status_code == 422
    summary = _summary(response.text)
    assert "Choose the partner whose response this is" in summary
    assert "Give the reasons for the decision" in summary


def test_an_update_dated_before_the_report_or_a_slip_to_a_past_date_is_refused(
    actions, scrutiny_world
):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    form = update_form(text="Ancient.")
    form["on"] = ["1", "1", "1999"]  # a real date, years before the report
    response = actions.submit(_url(world), form)
    assert response.status_code == 422
    assert (
        "The date of the update must be on or after 7 March 2007, the day the inquiry&#39;s "
        "final report was received" in response.text
    )
    on = today() - timedelta(days=10)
    response = actions.submit(
        _url(world),
        update_form(
            on=on,
            assessment="slipped",
            new_target_date=on,
            slip_reason="The CRM arrived late.",
        ),
    )
    assert response.status_code == 422
    assert "The new target date must be after the date of the update" in response.text
    assert _updates(world) == []


def test_an_override_shows_until_its_end_then_the_clock_lets_it_lapse(
    actions, scrutiny_world, monkeypatch
):
    from govtrack.db import utcnow
    from govtrack.scrutiny import cli

    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    until = today() + timedelta(days=30)
    response = actions.submit(
        _url(world),
        update_form(
            text="The Board judged it on course.",
            rag_override="green",
            rag_reason="Agreed at the Board",
            rag_override_until=until,
        ),
    )
    assert response.status_code == 302, response.text
    page = actions.client.get(f"/recommendations/{world.rec.id}").text
    shown = f"{until.day} {until:%B %Y}"
    assert f"Green (overridden until {shown})" in page
    assert f"Overridden until {shown}: Agreed at the Board" in page
    for url in ("/recommendations", f"/scrutiny/inquiries/{world.inquiry.id}/monitoring"):
        assert f"(overridden until {shown})" in actions.client.get(url).text, url
    # The clock, the day after the override's last day: the derived RAG (past its 2007
    # target, so red) shows again, and the lapse is on the timeline.
    assert "1 recommendation(s) changed RAG" in cli.refresh_rags(utcnow() + timedelta(days=31))
    db.session.commit()
    db.session.refresh(world.rec)
    assert world.rec.rag is RAG.RED
    assert world.rec.rag_override is None and world.rec.rag_override_until is None
    page = actions.client.get(f"/recommendations/{world.rec.id}").text
    assert "(overridden" not in page
    assert "The override (Green) ended on" in page
    # Read the day after it ended (a report is refused for a day still to come), the monitoring
    # report as at the override's last day still shows it.
    last = until - timedelta(days=1)
    monkeypatch.setattr("govtrack.scrutiny.views.today", lambda: until + timedelta(days=1))
    report = actions.client.get(
        f"/scrutiny/inquiries/{world.inquiry.id}/monitoring?as_at={last.isoformat()}"
    ).text
    assert f"(overridden until {shown})" in report


def test_an_officer_is_offered_corrections_only_of_their_councils_updates(actions, scrutiny_world):
    from govtrack.auth.models import system_actor
    from govtrack.scrutiny import progress, queries

    world = scrutiny_world
    actor = system_actor("Test")
    on = date(2007, 11, 20)
    for partner, words in ((world.cbc, "CBC's news."), (world.lcc, "LCC's news.")):
        progress.add_update(
            actor,
            queries.load_recommendation(world.rec.id),
            {"on": on, "text": words, "partner_id": partner.id},
            today(),
        )
    db.session.commit()
    cbc_update, lcc_update = _updates(world)
    _sign_in(actions, world.officer)
    page = actions.client.get(f"/recommendations/{world.rec.id}").text
    assert f"corrects={lcc_update.id}" in page
    assert f"corrects={cbc_update.id}" not in page
    # The correction marks the update it corrects on the timeline.
    response = actions.submit(
        _url(world),
        update_form(on=date(2007, 11, 21), text="LCC's news, corrected.",
                    corrects_id=str(lcc_update.id)),
    )  # fmt: skip
    assert response.status_code == 302, response.text
    page = actions.client.get(f"/recommendations/{world.rec.id}").text
    marked = page.split(f'id="update-{lcc_update.id}"', 1)[1].split("</li>", 1)[0]
    assert "Corrected" in marked and "the update of 21 November 2007" in marked
    unmarked = page.split(f'id="update-{cbc_update.id}"', 1)[1].split("</li>", 1)[0]
    assert "Corrected" not in unmarked


def test_a_slip_corrected_away_is_not_listed_as_slipped(app, scrutiny_world):
    """The dashboards' and highlight report's "What slipped" counts only updates that stand."""
    from govtrack.auth.models import system_actor
    from govtrack.core.figures import PROGRAMME
    from govtrack.scrutiny import progress, queries
    from govtrack.scrutiny.figures import RecommendationFigures

    world, actor = scrutiny_world, system_actor("Test")
    on = today() - timedelta(days=2)
    slipped = progress.add_update(
        actor,
        queries.load_recommendation(world.rec.id),
        {"on": on, "partner_id": world.lcc.id, "text": "Delayed by the restructure.",
         "assessment": "slipped", "new_target_date": today() + timedelta(days=90),
         "slip_reason": "Restructure"},
        today(),
    )  # fmt: skip
    db.session.commit()
    period = (today() - timedelta(days=30), today())
    with app.test_request_context():
        listed = RecommendationFigures().slipped(PROGRAMME, *period, limit=10)
    assert listed.total == 1 and "Restructure" in listed.items[0].note

    progress.add_update(
        actor,
        queries.load_recommendation(world.rec.id),
        {"on": on, "partner_id": world.lcc.id, "text": "Entered in error: it is on track.",
         "assessment": "on_track", "corrects_id": slipped.id},
        today(),
    )  # fmt: skip
    db.session.commit()
    with app.test_request_context():
        assert RecommendationFigures().slipped(PROGRAMME, *period, limit=10).total == 0
