"""The dashboards count each area's RAG by the one engine, list what turned red or amber since
the last reporting date, what is overdue and due soon; reporting periods and the highlight
report refuse bad dates with the input kept."""

from __future__ import annotations

from datetime import date

from govtrack.core import rag
from govtrack.core.figures import PROGRAMME, Scope
from govtrack.core.rag import RAG
from govtrack.dashboards.models import ReportingPeriod
from govtrack.db import db
from govtrack.meetings.figures import ActionFigures
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.figures import ServiceFigures
from govtrack.scrutiny.figures import RecommendationFigures
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import save

from .conftest import add_action, add_recommendation, add_service, days


def test_service_counts_are_the_engines_rag_of_each_service(dash_world):
    w = dash_world
    plans = {
        "done": (w.today - days(100), Stage.OPERATIONAL),
        "late": (w.today - days(1), Stage.INTEGRATION),
        "today": (w.today, Stage.INTEGRATION),
        "soon": (w.today + days(rag.DEFAULT_TOLERANCE_DAYS), Stage.START_UP),
        "later": (w.today + days(rag.DEFAULT_TOLERANCE_DAYS + 1), Stage.START_UP),
        "undated": (None, Stage.MANDATE),
    }
    for name, (planned, stage) in plans.items():
        add_service(w, name, planned, stage)
    expected = dict.fromkeys(RAG, 0)
    for planned, stage in plans.values():
        progress = rag.Progress.COMPLETE if stage == Stage.OPERATIONAL else rag.Progress.IN_PROGRESS
        expected[rag.derive(due=planned, today=w.today, progress=progress).rag] += 1
    assert ServiceFigures().counts(PROGRAMME, w.today) == expected
    assert expected[RAG.RED] == 1 and expected[RAG.AMBER] == 2 and expected[RAG.GREY] == 1


def test_a_service_that_passed_its_date_since_the_reporting_date_turned_red(dash_world, in_request):
    w = dash_world
    add_service(w, "just late", w.today - days(3))
    add_service(w, "long late", w.today - days(90))
    turned = ServiceFigures().turned(PROGRAMME, w.today - days(10), w.today, 10)
    assert [i.title for i in turned.items] == ["just late"]
    assert turned.items[0].rag is RAG.RED
    overdue = ServiceFigures().overdue(PROGRAMME, w.today, 10)
    assert overdue.total == 2


def test_recommendations_turned_red_since_come_from_their_rag_changes(dash_world, in_request):
    w = dash_world
    add_recommendation(w, "4.a", RAG.RED, turned_on=w.today - days(5))
    add_recommendation(w, "4.b", RAG.RED, turned_on=w.today - days(60))
    add_recommendation(w, "4.c", RAG.AMBER, turned_on=w.today - days(2), partner=w.cbc)
    add_recommendation(w, "4.d", RAG.GREEN)
    figures = RecommendationFigures()
    turned = figures.turned(PROGRAMME, w.today - days(30), w.today, 10)
    assert {i.title.split(":")[0] for i in turned.items} == {"4.a", "4.c"}
    assert turned.total == 2
    counts = figures.counts(PROGRAMME, w.today)
    assert counts[RAG.RED] == 2 and counts[RAG.AMBER] == 1 and counts[RAG.GREEN] == 1
    # Per partner: what is addressed to that partner only.
    cbc = figures.counts(Scope("partner", w.cbc.id), w.today)
    assert cbc[RAG.AMBER] == 1 and sum(cbc.values()) == 1
    # Per body: the recommendations of its inquiries.
    assert sum(figures.counts(Scope("body", w.body.id), w.today).values()) == 4
    assert sum(figures.counts(Scope("body", w.other_body.id), w.today).values()) == 0


def test_actions_arising_are_rag_by_due_date_and_done(dash_world, in_request):
    w = dash_world
    add_action(w, "late", w.today - days(2))
    add_action(w, "done late", w.today - days(2), done=w.today - days(1))
    add_action(w, "no date", None)
    add_action(w, "cbc later", w.today + days(60), partner=w.cbc)
    figures = ActionFigures()
    counts = figures.counts(PROGRAMME, w.today)
    assert counts == {RAG.BLUE: 1, RAG.GREEN: 1, RAG.AMBER: 0, RAG.RED: 1, RAG.GREY: 1}
    assert [i.title for i in figures.overdue(PROGRAMME, w.today, 10).items] == ["late"]
    assert sum(figures.counts(Scope("partner", w.cbc.id), w.today).values()) == 1
    assert sum(figures.counts(Scope("body", w.body.id), w.today).values()) == 4
    assert sum(figures.counts(Scope("body", w.other_body.id), w.today).values()) == 0


def test_the_programme_dashboard_says_it_in_words_and_tables(actions, dash_world):
    w = dash_world
    add_service(w, "Waste helpline", w.today - days(3))
    add_recommendation(w, "4.a", RAG.RED, turned_on=w.today - days(5))
    add_action(w, "Report back", w.today - days(1))
    save(
        ReportingPeriod(
            title="Last quarter", starts_on=w.today - days(100), ends_on=w.today - days(10)
        )
    )
    actions.sign_in_as("officer")
    page = actions.client.get("/dashboard")
    assert page.status_code == 200
    text = page.text
    assert "1 service is red (1 turned red since" in text
    assert "1 recommendation is red" in text
    assert "RAG by area: the numbers" in text
    assert "Waste helpline" in text and "Report back" in text
    assert "The rule: The worst status" in text
    assert text.count("plotly-basic.min.") == 1


def test_partner_and_body_dashboards_and_unknown_ids(actions, dash_world):
    w = dash_world
    add_service(w, "CBC service", w.today - days(3), partner=w.cbc)
    add_service(w, "LCC service", w.today - days(3))
    actions.sign_in_as("member")
    page = actions.client.get(f"/dashboard/partners/{w.cbc.id}")
    assert page.status_code == 200
    assert "CBC service" in page.text and "LCC service" not in page.text
    body = actions.client.get(f"/dashboard/bodies/{w.body.id}")
    assert body.status_code == 200 and "Services" not in body.text.split("the numbers")[1][:400]
    assert actions.client.get("/dashboard/partners/999999").status_code == 404
    assert actions.client.get("/dashboard/bodies/999999").status_code == 404
    partner_page = actions.client.get(f"/partners/{w.cbc.id}").text
    assert f'href="/dashboard/partners/{w.cbc.id}"' in partner_page
    assert actions.client.get("/dashboard/highlight?period=999999").status_code == 404


def test_the_public_reads_the_dashboard_without_the_actions_arising(actions, dash_world):
    w = dash_world
    add_service(w, "Waste helpline", w.today - days(3))
    add_action(w, "Report back to the committee", w.today - days(2))
    public = actions.client.get("/dashboard")
    assert public.status_code == 200
    assert "Waste helpline" in public.text
    assert "actions arising" not in public.text.lower()
    assert "Report back to the committee" not in public.text
    actions.sign_in_as("member")
    signed_in = actions.client.get("/dashboard").text
    assert "actions arising" in signed_in.lower()
    assert "Report back to the committee" in signed_in


def test_a_period_that_ends_before_it_starts_is_refused_with_the_input_kept(actions, app):
    actions.sign_in_as("clerk")
    form = actions.client.get("/dashboard/periods/new")
    response = actions.client.post(
        "/dashboard/periods/new",
        data={
            "csrf_token": csrf_token(form.text),
            "title": "Quarter 1 2007/08",
            "starts_on": ["1", "4", "2007"],
            "ends_on": ["31", "3", "2007"],
        },
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "The period must end on or after the day it starts" in response.text
    assert 'value="Quarter 1 2007/08"' in response.text
    assert db.session.query(ReportingPeriod).count() == 0
    response = actions.client.post(
        "/dashboard/periods/new",
        data={
            "csrf_token": csrf_token(form.text),
            "title": "Quarter 1 2007/08",
            "starts_on": ["1", "4", "2007"],
            "ends_on": ["30", "6", "2007"],
        },
    )
    assert response.status_code == 302
    period = db.session.query(ReportingPeriod).one()
    assert period.ends_on == date(2007, 6, 30)


def test_a_member_may_not_record_periods(actions, app):
    actions.sign_in_as("member")
    assert actions.client.get("/dashboard/periods/new").status_code == 403


def test_highlight_report_refuses_bad_dates_and_keeps_them(actions, dash_world):
    actions.sign_in_as("scrutiny")
    response = actions.client.get("/dashboard/highlight?from=31/02/2007&to=banana")
    assert response.status_code == 400
    assert (
        "The start of the period must be a real date, like 27/3/2007 or 27 March 2007"
        in response.text
    )
    assert "The end of the period must be a real date" in response.text
    assert 'value="banana"' in response.text
    response = actions.client.get("/dashboard/highlight?from=30/06/2007&to=01/04/2007")
    assert response.status_code == 400
    assert "The period must end on or after the day it starts" in response.text


def test_highlight_report_names_what_was_achieved_slipped_and_needs_deciding(actions, dash_world):
    w = dash_world
    add_service(w, "Integrated in the period", None, stage=Stage.OPERATIONAL)
    rec = add_recommendation(w, "4.a", RAG.RED)
    rec.rag_reason = "Past its target date."
    db.session.commit()
    add_action(w, "Done in the period", w.today - days(40), done=w.today - days(3))
    period = save(
        ReportingPeriod(title="This month", starts_on=w.today - days(20), ends_on=w.today)
    )
    actions.sign_in_as("officer")
    page = actions.client.get(f"/dashboard/highlight?period={period.id}")
    assert page.status_code == 200
    text = page.text
    assert "Highlight report: This month" in text
    assert "Integrated in the period" in text and "Done in the period" in text
    assert "4.a: Do 4.a." in text
    assert "RAG by area" in text


def test_the_sql_rule_gives_the_engines_colour_for_every_date(app):
    from sqlalchemy import Date, literal, select

    from govtrack.core.figures import rag_case

    today = date(2007, 7, 10)
    for offset in [None, *range(-3, rag.DEFAULT_TOLERANCE_DAYS + 3)]:
        due = None if offset is None else today + days(offset)
        for complete in (False, True):
            due_sql = literal(due, type_=Date())
            got = db.session.scalar(select(rag_case(due_sql, literal(complete), today)))
            progress = rag.Progress.COMPLETE if complete else rag.Progress.IN_PROGRESS
            assert got == rag.derive(due=due, today=today, progress=progress).rag.value, (
                offset,
                complete,
            )


def test_editing_a_period_someone_else_changed_is_refused_with_the_input_kept(actions, app):
    period = save(
        ReportingPeriod(title="Q1 2007/08", starts_on=date(2007, 4, 1), ends_on=date(2007, 6, 30))
    )
    actions.sign_in_as("clerk")
    form = actions.client.get(f"/dashboard/periods/{period.id}/edit")
    data = {
        "csrf_token": csrf_token(form.text),
        "programme_id": "",
        "title": "Quarter 1, 2007/08",
        "starts_on": ["1", "4", "2007"],
        "ends_on": ["30", "6", "2007"],
        "version": str(period.version - 1),
    }
    stale = actions.client.post(f"/dashboard/periods/{period.id}/edit", data=data)
    assert stale.status_code == 409
    assert 'value="Quarter 1, 2007/08"' in stale.text
    data["version"] = str(period.version)
    saved = actions.client.post(f"/dashboard/periods/{period.id}/edit", data=data)
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReportingPeriod, period.id).title == "Quarter 1, 2007/08"


def test_the_highlight_report_lists_open_decisions_as_decisions_needed(
    actions, dash_world, make_meeting, make_item
):
    w = dash_world
    from datetime import UTC, datetime

    from govtrack.voting.enums import DecisionStatus
    from govtrack.voting.models import Decision, Motion

    def decision(item_id: int, **values) -> Decision:
        motion = save(Motion(item_id=item_id, text="That the proposal be accepted."))
        return save(Decision(motion_id=motion.id, recorded_vote=False, **values))

    open_item = make_item(meeting=make_meeting(body=w.body), title="New CRM proposal")
    exempt_item = make_item(
        meeting=make_meeting(body=w.body), title="Contractor's prices", exempt_paragraph=3
    )
    closed_item = make_item(meeting=make_meeting(body=w.body), title="Minutes of last meeting")
    open_decision = decision(
        open_item.id, electronic=True, closes_at=datetime(2030, 3, 1, 12, tzinfo=UTC)
    )
    decision(exempt_item.id)
    decision(closed_item.id, status=DecisionStatus.CLOSED)
    actions.sign_in_as("officer")
    text = actions.client.get("/dashboard/highlight?from=01/01/2007&to=31/12/2007").text
    needed = text.split("Decisions needed", 1)[1]
    assert "New CRM proposal" in needed
    assert f"/votes/{open_decision.id}" in needed
    assert "Votes are gathered until 1 March 2030" in needed
    assert "Contractor" not in needed and "Exempt item" in needed
    assert "Minutes of last meeting" not in needed
