"""Milestones through the browser's forms: recording, slipping the forecast, re-baselining,
completing and overriding; bad input refused with the input kept; who may; history kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from govtrack.core.audit import AppendOnlyError
from govtrack.core.dates import today
from govtrack.core.models import AuditEntry
from govtrack.core.rag import RAG, Confidence
from govtrack.db import db
from govtrack.programme import commands, queries
from govtrack.programme.enums import ChangeKind, MilestoneStatus
from govtrack.programme.models import Milestone, MilestoneBaseline, MilestoneRagChange, Objective
from tests.integration.programme.conftest import fresh


def d(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)] if day else ["", "", ""]


def slip(actions, milestone, forecast, status="in_progress", **extra):
    url = f"/programme/milestones/{milestone.id}/forecast"
    data = {
        "version": str(extra.pop("version", milestone.version)),
        "forecast_date": d(forecast),
        "status": status,
        "comment": extra.pop("comment", "Supplier late"),
    }
    return actions.submit(url, data)


def test_a_clerk_records_a_milestone_with_its_first_baseline_and_rag(
    actions, programme, make_partner, make_objective
):
    actions.sign_in_as("clerk")
    partner = make_partner()
    objective = make_objective()
    baseline = today() + timedelta(days=90)
    response = actions.submit(
        "/programme/milestones/new",
        {
            "title": "CRM live",
            "objective_id": str(objective.id),
            "workstream": "Telephony",
            "owner_partner_id": str(partner.id),
            "owner_person_id": "",
            "baseline_date": d(baseline),
            "forecast_date": d(None),
            "status": "in_progress",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.text
    page = actions.client.get(response.headers["Location"])
    assert "CRM live" in page.text and "Green" in page.text
    milestone = db.session.scalar(select(Milestone).where(Milestone.title == "CRM live"))
    assert milestone.rag is RAG.GREEN
    assert len(queries.baselines_of(milestone.id)) == 1
    assert [c.to_rag for c in queries.rag_changes_of(milestone.id)] == [RAG.GREEN]


def test_an_officer_slips_their_councils_milestone_and_its_rag_turns(
    actions, make_milestone, make_partner, sign_in_officer_of
):
    partner = make_partner()
    milestone = make_milestone(partner=partner)
    sign_in_officer_of(partner)
    assert milestone.rag is RAG.GREEN
    response = slip(actions, milestone, milestone.baseline_date + timedelta(days=10))
    assert response.status_code == 302, response.text
    assert fresh(milestone.id).rag is RAG.AMBER
    response = slip(actions, fresh(milestone.id), milestone.baseline_date + timedelta(days=60))
    assert response.status_code == 302
    now = fresh(milestone.id)
    assert now.rag is RAG.RED
    assert [c.to_rag for c in queries.rag_changes_of(now.id)] == [RAG.GREEN, RAG.AMBER, RAG.RED]
    kinds = [c.kind for c in queries.changes_of(now.id)]
    assert kinds.count(ChangeKind.FORECAST) == 2
    page = actions.client.get(f"/programme/milestones/{now.id}")
    assert "Supplier late" in page.text and "beyond the 28 days tolerance" in page.text


def test_officers_may_not_change_another_councils_milestones(
    actions, make_milestone, make_partner, sign_in_officer_of
):
    milestone = make_milestone(partner=make_partner())
    sign_in_officer_of(make_partner())
    url = f"/programme/milestones/{milestone.id}/forecast"
    assert actions.client.get(url).status_code == 403
    assert actions.client.get(f"/programme/milestones/{milestone.id}").status_code == 200


def test_the_public_reads_the_plan(client, make_milestone, make_objective):
    objective = make_objective()
    milestone = make_milestone(objective_id=objective.id)
    assert client.get("/programme").status_code == 200
    assert client.get(f"/programme/objectives/{objective.id}").status_code == 200
    assert client.get("/programme/milestones").status_code == 200
    page = client.get(f"/programme/milestones/{milestone.id}")
    assert page.status_code == 200 and "Slip or update" not in page.text
    assert client.get(f"/programme/milestones/{milestone.id}/forecast").status_code == 302


def test_bad_dates_are_refused_with_the_input_kept(actions, programme, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    response = slip(actions, milestone, programme.starts_on - timedelta(days=1), comment="Kept")
    assert response.status_code == 422
    assert "on or after the programme start, 1 March 2002" in response.text
    assert "Kept" in response.text
    future = today() + timedelta(days=3)
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/complete",
        {"version": str(milestone.version), "actual_date": d(future), "comment": ""},
    )
    assert response.status_code == 422
    assert "The actual date must be today or in the past" in response.text
    assert f'value="{future.day}"' in response.text


def test_complete_only_after_predecessors(actions, make_milestone):
    actions.sign_in_as("clerk")
    first = make_milestone(title="Decide")
    second = make_milestone(title="Implement", predecessor_ids=[first.id])
    response = actions.submit(
        f"/programme/milestones/{second.id}/complete",
        {"version": str(second.version), "actual_date": d(today()), "comment": ""},
    )
    assert response.status_code == 422
    assert "before its predecessor “Decide” is complete" in response.text
    response = actions.submit(
        f"/programme/milestones/{first.id}/complete",
        {"version": str(first.version), "actual_date": d(today()), "comment": "Agreed"},
    )
    assert response.status_code == 302
    assert fresh(first.id).rag is RAG.BLUE
    response = actions.submit(
        f"/programme/milestones/{second.id}/complete",
        {"version": str(second.version), "actual_date": d(today()), "comment": ""},
    )
    assert response.status_code == 302
    assert fresh(second.id).status is MilestoneStatus.COMPLETE


def complete(actions, milestone, on):
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/complete",
        {"version": str(milestone.version), "actual_date": d(on), "comment": ""},
    )
    assert response.status_code == 302, response.text
    return fresh(milestone.id)


def edit_details(actions, milestone, predecessor_ids):
    return actions.submit(
        f"/programme/milestones/{milestone.id}/edit",
        {
            "version": str(milestone.version),
            "title": milestone.title,
            "objective_id": "",
            "workstream": "",
            "owner_partner_id": str(milestone.owner_partner_id),
            "owner_person_id": "",
            "predecessor_ids": [str(i) for i in predecessor_ids],
            "notes": "",
        },
    )


def test_a_complete_milestone_cannot_gain_a_predecessor_not_yet_complete(actions, make_milestone):
    actions.sign_in_as("clerk")
    done = complete(actions, make_milestone(title="Go live"), date(2007, 2, 13))
    waiting = make_milestone(title="Train staff", status="not_started")
    response = edit_details(actions, done, [waiting.id])
    assert response.status_code == 422
    assert (
        "This milestone was completed on 13 February 2007. It cannot be complete before its "
        "predecessor “Train staff” is complete"
    ) in response.text
    assert queries.predecessors_of(done.id) == []
    finished = complete(actions, make_milestone(title="Sign contract"), date(2007, 1, 5))
    assert edit_details(actions, fresh(done.id), [finished.id]).status_code == 302
    assert [p.title for p in queries.predecessors_of(done.id)] == ["Sign contract"]


def test_a_completion_cannot_be_re_recorded_after_its_successor_was_complete(
    actions, make_milestone
):
    actions.sign_in_as("clerk")
    first = complete(actions, make_milestone(title="Decide"), date(2007, 2, 1))
    second = complete(
        actions, make_milestone(title="Implement", predecessor_ids=[first.id]), date(2007, 2, 13)
    )
    response = actions.submit(
        f"/programme/milestones/{first.id}/complete",
        {"version": str(first.version), "actual_date": ["1", "3", "2007"], "comment": "Redone"},
    )
    assert response.status_code == 422
    assert (
        "It cannot be complete after its successor “Implement”, completed on 13 February 2007"
        in response.text
    )
    assert fresh(first.id).actual_date == date(2007, 2, 1)
    assert fresh(second.id).actual_date == date(2007, 2, 13)


def test_a_later_forecast_never_clears_an_overdue_milestone(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone(
        title="Hub open 8am to 8pm", baseline_date=today() - timedelta(days=10)
    )
    assert milestone.rag is RAG.RED
    assert slip(actions, milestone, today() + timedelta(days=5)).status_code == 302
    assert fresh(milestone.id).rag is RAG.RED
    page = actions.client.get(f"/programme/milestones/{milestone.id}")
    assert "Overdue: its baseline date passed 10 days ago." in page.text
    assert "the baseline date has passed → red (overdue), whatever the forecast" in page.text
    listed = actions.client.get("/programme/milestones?overdue=yes")
    assert "Hub open 8am to 8pm" in listed.text


def test_a_milestone_not_started_and_on_track_is_grey_and_the_rule_says_so(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone(title="24 hour service", status="not_started")
    assert milestone.rag is RAG.GREY
    page = actions.client.get(f"/programme/milestones/{milestone.id}")
    assert "Not started; its baseline date is in 60 days, and it has not slipped." in page.text
    assert "otherwise grey if work has not started, else green" in page.text
    assert (
        slip(
            actions, milestone, milestone.baseline_date + timedelta(days=7), "not_started"
        ).status_code
        == 302
    )
    assert fresh(milestone.id).rag is RAG.AMBER


def test_a_forecast_needs_a_baseline(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone(baseline_date=None)
    response = slip(actions, milestone, today() + timedelta(days=30), comment="Kept")
    assert response.status_code == 422
    assert "Give the milestone a baseline date first" in response.text
    assert "Kept" in response.text
    assert fresh(milestone.id).forecast_date is None


def test_adding_and_removing_predecessors_is_kept_in_the_history(actions, make_milestone):
    actions.sign_in_as("clerk")
    decide = make_milestone(title="Decide")
    fund = make_milestone(title="Fund")
    build = make_milestone(title="Build")
    assert edit_details(actions, build, [decide.id]).status_code == 302
    assert edit_details(actions, fresh(build.id), [fund.id]).status_code == 302
    page = actions.client.get(f"/programme/milestones/{build.id}").text
    assert ">Predecessor added: “Decide”.<" in page
    assert ">Predecessor added: “Fund”. Predecessor removed: “Decide”.<" in page
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_id == build.id, AuditEntry.summary.like("Changed the pred%"))
        .order_by(AuditEntry.id)
    ).all()
    assert [e.changes["predecessors"] for e in entries] == [
        [[], [f"Decide (#{decide.id})"]],
        [[f"Decide (#{decide.id})"], [f"Fund (#{fund.id})"]],
    ]


def test_a_loop_of_predecessors_is_refused(actions, make_milestone):
    actions.sign_in_as("clerk")
    first = make_milestone(title="A")
    second = make_milestone(title="B", predecessor_ids=[first.id])
    response = actions.submit(
        f"/programme/milestones/{first.id}/edit",
        {
            "version": str(first.version),
            "title": "A",
            "objective_id": "",
            "workstream": "",
            "owner_partner_id": str(first.owner_partner_id),
            "owner_person_id": "",
            "predecessor_ids": [str(second.id)],
            "notes": "",
        },
    )
    assert response.status_code == 422
    assert "make a loop" in response.text


def test_the_owner_must_work_for_the_owning_partner(actions, programme, make_partner, make_person):
    actions.sign_in_as("clerk")
    lcc, cbc = make_partner(code="LCC"), make_partner(code="CBC")
    outsider = make_person(name="Jo Chorley", partner=cbc)
    insider = make_person(name="Sam Preston", partner=lcc)
    form = {
        "title": "Hub open 8am to 8pm",
        "objective_id": "",
        "workstream": "Telephony",
        "owner_partner_id": str(lcc.id),
        "owner_person_id": str(outsider.id),
        "baseline_date": d(today() + timedelta(days=60)),
        "forecast_date": d(None),
        "status": "in_progress",
        "notes": "",
    }
    refused = actions.submit("/programme/milestones/new", form)
    assert refused.status_code == 422
    assert "Jo Chorley does not work for the owning partner" in refused.text
    assert "Sam Preston (LCC)" in refused.text
    accepted = actions.submit(
        "/programme/milestones/new", {**form, "owner_person_id": str(insider.id)}
    )
    assert accepted.status_code == 302, accepted.text


def test_rebaseline_needs_a_reason_and_keeps_the_old_baseline(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    old = milestone.baseline_date
    new = old + timedelta(days=30)
    url = f"/programme/milestones/{milestone.id}/rebaseline"
    response = actions.submit(
        url, {"version": str(milestone.version), "baseline_date": d(new), "reason": ""}
    )
    assert response.status_code == 422
    assert "Give the reason for re-baselining" in response.text
    response = actions.submit(
        url,
        {"version": str(milestone.version), "baseline_date": d(new), "reason": "Scope grew"},
    )
    assert response.status_code == 302
    rows = queries.baselines_of(milestone.id)
    assert [(b.baseline_date, b.previous_date, b.reason) for b in rows] == [
        (old, None, ""),
        (new, old, "Scope grew"),
    ]
    page = actions.client.get(f"/programme/milestones/{milestone.id}")
    assert "Scope grew" in page.text


def test_override_needs_reason_and_expiry_and_expires(actions, programme, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    url = f"/programme/milestones/{milestone.id}/override"
    response = actions.submit(
        url,
        {
            "version": str(milestone.version),
            "confidence": "red",
            "reason": "",
            "expires_on": d(None),
        },
    )
    assert response.status_code == 422
    assert "Give a reason for overriding the RAG" in response.text
    assert "Give the date the override expires" in response.text
    response = actions.submit(
        url,
        {
            "version": str(milestone.version),
            "confidence": "red",
            "reason": "Supplier in administration",
            "expires_on": d(today()),
        },
    )
    assert response.status_code == 422
    assert "The expiry date must be after today" in response.text
    expires = today() + timedelta(days=7)
    response = actions.submit(
        url,
        {
            "version": str(milestone.version),
            "confidence": "red",
            "reason": "Supplier in administration",
            "expires_on": d(expires),
        },
    )
    assert response.status_code == 302
    now = fresh(milestone.id)
    assert (now.rag, now.override_confidence) == (RAG.RED, Confidence.RED)
    page = actions.client.get(f"/programme/milestones/{milestone.id}")
    assert "(overridden)" in page.text
    # After the expiry the clock puts the derived RAG back, with history.
    changed = commands.refresh_rags(commands.system(), expires + timedelta(days=1))
    assert changed >= 1
    now = fresh(milestone.id)
    assert now.override_confidence is None and now.rag is not RAG.RED
    assert queries.rag_changes_of(now.id)[-1].on == expires + timedelta(days=1)


def test_a_three_point_programme_refuses_a_five_point_rating(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/override",
        {
            "version": str(milestone.version),
            "confidence": "amber_green",
            "reason": "x",
            "expires_on": d(today() + timedelta(days=3)),
        },
    )
    assert response.status_code == 422


def test_a_stale_forecast_is_refused(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    stale = milestone.version
    assert slip(actions, milestone, milestone.baseline_date).status_code == 302
    response = slip(actions, milestone, milestone.baseline_date, version=stale, comment="Mine")
    assert response.status_code == 409
    assert "Mine" in response.text


def test_every_change_is_audited_and_history_is_append_only(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    slip(actions, milestone, milestone.baseline_date + timedelta(days=3))
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.subject_type == "milestone", AuditEntry.subject_id == milestone.id
        )
    ).all()
    assert {e.action for e in entries} == {"create", "update"}
    row = db.session.scalar(
        select(MilestoneRagChange).where(MilestoneRagChange.milestone_id == milestone.id)
    )
    row.reason = "changed"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(Exception, match="history"), db.session.begin_nested():
        db.session.execute(text("DELETE FROM milestone_baselines"))
    assert db.session.scalar(select(MilestoneBaseline).limit(1)) is not None


def test_predecessors_are_offered_from_the_same_objective(actions, make_milestone, make_objective):
    actions.sign_in_as("clerk")
    ours, theirs = make_objective(), make_objective()
    make_milestone(title="Same objective", objective_id=ours.id)
    make_milestone(title="Other objective", objective_id=theirs.id)
    page = actions.client.get(f"/programme/milestones/new?objective={ours.id}")
    assert page.status_code == 200
    assert "Same objective" in page.text and "Other objective" not in page.text


def test_a_five_point_programme_stores_the_rating_as_given_and_folds_it(
    actions, programme, make_milestone
):
    from govtrack.core.rag import Scale

    programme.reporting = Scale.FIVE_POINT
    db.session.commit()
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/override",
        {
            "version": str(milestone.version),
            "confidence": "amber_green",
            "reason": "Constant attention needed",
            "expires_on": d(today() + timedelta(days=3)),
        },
    )
    assert response.status_code == 302
    now = fresh(milestone.id)
    assert now.override_confidence is Confidence.AMBER_GREEN and now.rag is RAG.AMBER
    page = actions.client.get(f"/programme/milestones/{milestone.id}")
    assert "Amber/Green" in page.text


def test_the_seeded_plan_reads_in_the_browser(client):
    from govtrack import ROOT
    from govtrack.core.seed import load_seed

    load_seed(str(ROOT / "seed"))
    page = client.get("/programme")
    assert page.status_code == 200
    assert page.text.count('class="govuk-table__row"') == 10  # the heading and nine objectives
    first = db.session.scalar(select(Objective).where(Objective.number == 1))
    page = client.get(f"/programme/objectives/{first.id}")
    assert "Waste Helpline" in page.text and "Remaining social care districts" in page.text
    crm = db.session.scalar(select(Milestone).where(Milestone.key == "crm-decision"))
    page = client.get(f"/programme/milestones/{crm.id}")
    assert "postponed until February" in page.text
    assert "a decision scheduled for mid to late January" in page.text


def test_a_stale_edit_of_the_details_is_refused_with_the_input_kept(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    stale = milestone.version
    assert slip(actions, milestone, milestone.baseline_date).status_code == 302
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/edit",
        {
            "version": str(stale),
            "title": "My new title",
            "objective_id": "",
            "workstream": "",
            "owner_partner_id": str(milestone.owner_partner_id),
            "owner_person_id": "",
            "notes": "",
        },
    )
    assert response.status_code == 409
    assert "My new title" in response.text
    assert fresh(milestone.id).title != "My new title"


def test_a_milestone_marked_missed_is_red_whatever_its_dates_and_cannot_be_overridden(
    actions, make_milestone
):
    actions.sign_in_as("clerk")
    # Baseline still ahead, forecast before it: by dates alone this would be green.
    milestone = make_milestone(title="CRM phase one", baseline_date=today() + timedelta(days=150))
    assert milestone.rag is RAG.GREEN
    response = slip(
        actions, milestone, today() + timedelta(days=62), "missed", comment="Supplier withdrew"
    )
    assert response.status_code == 302, response.text
    assert fresh(milestone.id).rag is RAG.RED
    page = actions.client.get(f"/programme/milestones/{milestone.id}").text
    shown = page.split('id="milestone-rag"')[1].split("</p>")[0]
    assert "Red" in shown and "Missed" in shown and "Marked missed." in shown
    assert "Due in" not in shown
    assert "Marked missed is red, whatever the dates" in page
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/override",
        {
            "version": str(fresh(milestone.id).version),
            "confidence": "green",
            "reason": "Recovering",
            "expires_on": d(today() + timedelta(days=7)),
        },
    )
    assert response.status_code == 422
    assert "A missed milestone is always red" in response.text
    assert fresh(milestone.id).rag is RAG.RED


def test_a_passed_forecast_keeps_its_colour_but_says_it_needs_updating_and_is_listed(
    actions, make_milestone
):
    actions.sign_in_as("clerk")
    milestone = make_milestone(
        title="Hub extended hours", baseline_date=today() + timedelta(days=30)
    )
    make_milestone(title="Website relaunch", baseline_date=today() + timedelta(days=40))
    # Its forecast was a month ahead of the baseline; that date has now passed.
    now = fresh(milestone.id)
    now.forecast_date = today() - timedelta(days=1)
    commands.refresh_rags(commands.system(), today())
    db.session.commit()
    assert fresh(milestone.id).rag is RAG.GREEN
    page = actions.client.get(f"/programme/milestones/{milestone.id}").text
    passed = f"{(today() - timedelta(days=1)).day} {today() - timedelta(days=1):%B %Y}"
    assert f"Its forecast date, {passed}, has passed: the forecast needs updating." in page
    assert "leaves the colour as it is" in page
    listed = actions.client.get("/programme/milestones?overdue=forecast_passed").text
    assert "Hub extended hours" in listed and "Website relaunch" not in listed
    assert "Forecast out of date" in listed
    everything = actions.client.get("/programme/milestones").text
    assert everything.count("Forecast out of date") == 1


def test_an_override_reason_too_long_is_refused_with_the_input_kept(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    reason = "Supplier in administration; " + "x" * 280
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/override",
        {
            "version": str(milestone.version),
            "confidence": "red",
            "reason": reason,
            "expires_on": d(today() + timedelta(days=7)),
        },
    )
    assert response.status_code == 422
    assert "The reason must be 300 characters or fewer" in response.text
    assert "govuk-error-summary" in response.text and reason in response.text
    assert fresh(milestone.id).override_confidence is None


def test_moving_a_milestone_to_another_objective_names_the_fields_in_its_history(
    actions, make_milestone, make_objective
):
    actions.sign_in_as("clerk")
    first = make_objective(title="Single point of access")
    second = make_objective(title="Joined-up services")
    milestone = make_milestone(title="CRM live", objective_id=first.id)
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/edit",
        {
            "version": str(milestone.version),
            "title": "CRM live in the Hub",
            "objective_id": str(second.id),
            "workstream": "",
            "owner_partner_id": str(milestone.owner_partner_id),
            "owner_person_id": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.text
    page = actions.client.get(f"/programme/milestones/{milestone.id}").text
    assert (
        "Title: “CRM live” → “CRM live in the Hub”. "
        f"Objective: {first.number}. Single point of access → "
        f"{second.number}. Joined-up services."
    ) in page


def test_history_is_in_the_order_recorded_with_long_dates(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone(title="Phase two")
    done_on = today() - timedelta(days=10)
    complete(actions, milestone, done_on)
    other = make_milestone(title="Hub hours")
    expires = today() + timedelta(days=7)
    response = actions.submit(
        f"/programme/milestones/{other.id}/override",
        {
            "version": str(other.version),
            "confidence": "amber",
            "reason": "Staff rotas",
            "expires_on": d(expires),
        },
    )
    assert response.status_code == 302
    page = actions.client.get(f"/programme/milestones/{milestone.id}").text
    history = page.split('id="history"')[1].split('id="rag-history"')[0]
    # Recorded first, then the completion, though the completion took effect 10 days earlier.
    assert history.index("Recorded</td>") < history.index("Completion recorded</td>")
    assert f"{done_on.day} {done_on:%B %Y}" in history and "Took effect" in history
    assert "Recorded</th>" in history
    shown = f"{expires.day} {expires:%B %Y}"
    other_page = actions.client.get(f"/programme/milestones/{other.id}").text
    assert f"Amber until {shown}" in other_page
    assert f"Overridden (Amber) until {shown}: Staff rotas" in other_page
    assert expires.isoformat() not in other_page


def test_a_slip_without_a_reason_is_refused_with_the_form_kept(
    actions, make_milestone, make_partner, sign_in_officer_of
):
    partner = make_partner()
    milestone = make_milestone(partner=partner)
    sign_in_officer_of(partner)
    later = milestone.baseline_date + timedelta(days=10)
    response = slip(actions, milestone, later, comment="")
    assert response.status_code == 422
    assert "Give the reason the milestone has slipped" in response.text
    assert 'href="#comment"' in response.text  # named in the error summary
    now = fresh(milestone.id)
    assert now.forecast_date is None and now.rag is RAG.GREEN
    # Marking it missed needs one too; with a reason each goes through.
    response = slip(actions, now, None, status="missed", comment="")
    assert response.status_code == 422
    assert "Give the reason the milestone was missed" in response.text
    assert slip(actions, fresh(milestone.id), later, comment="Supplier late").status_code == 302
    assert fresh(milestone.id).forecast_date == later
    # Bringing the forecast forward again needs none.
    earlier = milestone.baseline_date + timedelta(days=2)
    assert slip(actions, fresh(milestone.id), earlier, comment="").status_code == 302


def test_a_complete_milestones_page_says_complete_once_in_each_place(actions, make_milestone):
    actions.sign_in_as("clerk")
    milestone = make_milestone()
    response = actions.submit(
        f"/programme/milestones/{milestone.id}/complete",
        {"version": str(milestone.version), "actual_date": d(today())},
    )
    assert response.status_code == 302, response.text
    page = actions.client.get(f"/programme/milestones/{milestone.id}").text
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Complete" in words
    assert not re.search(r"\bComplete\.? Complete\b", words), words
