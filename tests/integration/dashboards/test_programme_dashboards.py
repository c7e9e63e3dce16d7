"""Milestones on the dashboards: counts by objective and partner, turned red since the last
reporting date, next 30 days, slips with their reasons in the highlight report, the timeline
and RAG over time from the RAG history."""

from __future__ import annotations

from govtrack.core.dates import long_date
from govtrack.core.figures import PROGRAMME, Scope
from govtrack.core.rag import RAG
from govtrack.dashboards.models import ReportingPeriod
from govtrack.programme.enums import ChangeKind
from govtrack.programme.figures import MilestoneFigures
from govtrack.programme.models import MilestoneChange
from tests.fixtures.factories import save

from .conftest import add_milestone, days


def test_milestone_figures_by_scope_turned_and_due(programme_world, in_request):
    w = programme_world
    t = w.today
    add_milestone(
        w, "Phase two", RAG.RED, baseline=t - days(60), forecast=t - days(5), rag_since=t - days(4)
    )
    add_milestone(
        w,
        "CRM",
        RAG.AMBER,
        baseline=t + days(10),
        forecast=t + days(20),
        rag_since=t - days(90),
        objective=w.other_objective,
        partner=w.cbc,
    )
    add_milestone(w, "Hub hours", RAG.BLUE, baseline=t - days(30), actual=t - days(31))
    f = MilestoneFigures()
    assert f.counts(PROGRAMME, t) == {
        RAG.RED: 1,
        RAG.AMBER: 1,
        RAG.BLUE: 1,
        RAG.GREEN: 0,
        RAG.GREY: 0,
    }
    assert f.counts(Scope("objective", w.other_objective.id), t)[RAG.AMBER] == 1
    assert sum(f.counts(Scope("partner", w.cbc.id), t).values()) == 1
    turned = f.turned(PROGRAMME, t - days(30), t, 10)
    assert [i.title for i in turned.items] == ["Phase two"] and turned.by_rag == {RAG.RED: 1}
    assert [i.title for i in f.overdue(PROGRAMME, t, 10).items] == ["Phase two"]
    assert [i.title for i in f.upcoming(PROGRAMME, t, 30, 10).items] == ["CRM"]


def test_programme_dashboard_shows_milestones_and_rag_over_time(actions, programme_world):
    w = programme_world
    t = w.today
    add_milestone(
        w,
        "Phase two by February 2007",
        RAG.RED,
        baseline=t - days(60),
        forecast=t - days(5),
        rag_since=t - days(4),
        history=[(t - days(70), None, RAG.GREEN), (t - days(4), RAG.GREEN, RAG.RED)],
    )
    actions.sign_in_as("officer")
    page = actions.client.get("/dashboard")
    assert page.status_code == 200
    assert "1 milestone is red (1 turned red since" in page.text
    assert "Phase two by February 2007" in page.text
    assert "RAG over time (milestones), from their RAG history" in page.text
    objective = actions.client.get(f"/dashboard/objectives/{w.objective.id}")
    assert objective.status_code == 200 and "Phase two by February 2007" in objective.text
    assert actions.client.get("/dashboard/objectives/999999").status_code == 404


def test_timeline_pages_through_milestones(actions, app, programme_world):
    w = programme_world
    t = w.today
    per_page = app.config["PAGE_SIZE"]
    for i in range(per_page + 3):
        add_milestone(
            w, f"Milestone {i:03d}", RAG.GREEN, baseline=t + days(i), forecast=t + days(i + 5)
        )
    actions.sign_in_as("member")
    first = actions.client.get("/dashboard/timeline")
    assert first.status_code == 200
    assert "Milestone 000" in first.text and f"Milestone {per_page:03d}" not in first.text
    assert "Slip (days)" in first.text
    second = actions.client.get("/dashboard/timeline?page=2")
    assert f"Milestone {per_page:03d}" in second.text
    only = actions.client.get(f"/dashboard/timeline?objective={w.other_objective.id}")
    assert "No milestones recorded yet" in only.text
    assert actions.client.get("/dashboard/timeline?objective=999999").status_code == 404


def test_highlight_report_gives_slips_with_their_reasons_and_rag_by_objective(
    actions, programme_world
):
    w = programme_world
    t = w.today
    m = add_milestone(
        w, "CRM implementation", RAG.AMBER, baseline=t - days(10), forecast=t + days(50)
    )
    save(
        MilestoneChange(
            milestone_id=m.id,
            kind=ChangeKind.FORECAST,
            on=t - days(3),
            from_value=(t - days(10)).isoformat(),
            to_value=(t + days(50)).isoformat(),
            text="Supplier delayed the data migration",
        )
    )
    add_milestone(w, "Cabinet update", RAG.BLUE, baseline=t - days(8), actual=t - days(6))
    period = save(ReportingPeriod(title="This month", starts_on=t - days(20), ends_on=t))
    actions.sign_in_as("scrutiny")
    page = actions.client.get(f"/dashboard/highlight?period={period.id}")
    assert page.status_code == 200
    assert "Supplier delayed the data migration" in page.text
    assert "Cabinet update" in page.text
    assert "RAG by objective" in page.text and "1. Customer access" in page.text


def test_highlight_report_lists_first_forecasts_and_baselines_missed_in_the_period(
    actions, programme_world
):
    w = programme_world
    t = w.today
    first = add_milestone(w, "Hub open 8am to 8pm", RAG.AMBER, baseline=t + days(10))
    save(
        MilestoneChange(
            milestone_id=first.id,
            kind=ChangeKind.FORECAST,
            on=t - days(3),
            from_value="",
            to_value=(t + days(30)).isoformat(),
            text="Staff rotas not agreed",
        )
    )
    ahead = add_milestone(w, "Website relaunch", RAG.GREEN, baseline=t + days(40))
    save(
        MilestoneChange(
            milestone_id=ahead.id,
            kind=ChangeKind.FORECAST,
            on=t - days(2),
            from_value="",
            to_value=(t + days(35)).isoformat(),
        )
    )
    add_milestone(w, "Phase two", RAG.RED, baseline=t - days(5))
    add_milestone(w, "CRM live", RAG.BLUE, baseline=t - days(12), actual=t - days(4))
    add_milestone(w, "Cabinet update", RAG.BLUE, baseline=t - days(8), actual=t - days(9))
    period = save(ReportingPeriod(title="This month", starts_on=t - days(20), ends_on=t))
    actions.sign_in_as("scrutiny")
    page = actions.client.get(f"/dashboard/highlight?period={period.id}").text
    slipped = page.split("What slipped, and why")[1].split("Decisions needed")[0]
    assert "Milestones: 3" in slipped
    assert "Hub open 8am to 8pm" in slipped and "Staff rotas not agreed" in slipped
    assert f"Forecast set to {long_date(t + days(30))}, after its baseline of" in slipped
    assert "Phase two" in slipped
    assert "Its baseline passed in the period without it being complete" in slipped
    assert f"completed late, on {long_date(t - days(4))}" in slipped
    assert "Website relaunch" not in slipped and "Cabinet update" not in slipped


def test_a_past_periods_highlight_report_gives_the_status_at_its_end(actions, programme_world):
    w = programme_world
    t = w.today
    add_milestone(
        w,
        "Phase two",
        RAG.RED,
        baseline=t - days(60),
        rag_since=t - days(4),
        history=[(t - days(70), None, RAG.GREEN), (t - days(4), RAG.GREEN, RAG.RED)],
    )
    period = save(ReportingPeriod(title="Last month", starts_on=t - days(40), ends_on=t - days(10)))
    actions.sign_in_as("scrutiny")
    page = actions.client.get(f"/dashboard/highlight?period={period.id}").text
    end = t - days(10)
    assert f"Status at the end of the period, {end.day} {end:%B %Y}" in page
    assert "Status today" not in page
    row = page.split('<th scope="row" class="govuk-table__header">Milestones</th>')[1]
    cells = row.split("</tr>")[0]
    # Complete, green, amber, red: green then, though red today.
    assert [c.split(">")[1].split("<")[0] for c in cells.split("<td")[1:5]] == ["0", "1", "0", "0"]
    assert "Milestones: from their RAG history." in page
    assert "RAG by objective today" in page and "not as at the end of the period" in page
    assert "As they stand today" in page


def test_a_running_periods_highlight_report_says_it_shows_today(actions, programme_world):
    w = programme_world
    period = save(
        ReportingPeriod(title="This year", starts_on=w.today - days(40), ends_on=w.today + days(9))
    )
    actions.sign_in_as("scrutiny")
    page = actions.client.get(f"/dashboard/highlight?period={period.id}").text
    assert "Status today," in page and "(the period is still running)" in page


def test_the_seeded_2007_highlight_report_names_the_missed_milestones(actions):
    from govtrack import ROOT
    from govtrack.core.seed import load_seed

    load_seed(str(ROOT / "seed"))
    actions.sign_in_as("scrutiny")
    page = actions.client.get("/dashboard/highlight?from=01/01/2007&to=31/12/2007").text
    slipped = page.split("What slipped, and why")[1].split("Decisions needed")[0]
    assert "Nothing slipped" not in slipped
    for title in (
        "Phase two, first wave",
        "Extended opening times of 8am to 8pm at the Hub",
        "New CRM implemented",
    ):
        assert title in slipped


def test_each_chart_says_its_summary_as_text_on_the_page(actions, programme_world):
    w = programme_world
    t = w.today
    add_milestone(
        w,
        "Phase two",
        RAG.RED,
        baseline=t - days(60),
        rag_since=t - days(4),
        history=[(t - days(70), None, RAG.GREEN), (t - days(4), RAG.GREEN, RAG.RED)],
    )
    actions.sign_in_as("member")
    page = actions.client.get("/dashboard").text
    summary = f'<p class="govuk-body app-chart__summary" id="rag-over-time-summary">On {t.day} '
    assert summary in page
    assert 'aria-describedby="rag-over-time-summary"' in page
    timeline = actions.client.get("/dashboard/timeline").text
    assert (
        'id="milestone-timeline-summary">Milestones 1 to 1 of 1: 0 of these forecast or '
        "finished after their baseline.</p>"
    ) in timeline


def test_the_overall_count_does_not_count_objectives_on_top_of_their_items(
    actions, programme_world
):
    w = programme_world
    add_milestone(w, "Phase two", RAG.RED, baseline=w.today - days(60))
    add_milestone(w, "CRM", RAG.GREEN, baseline=w.today + days(60), objective=w.other_objective)
    actions.sign_in_as("officer")
    page = actions.client.get("/dashboard").text
    rows = {}
    for row in page.split('<th scope="row" class="govuk-table__header">')[1:]:
        name, rest = row.split("</th>", 1)
        cells = [
            c.split(">", 1)[1].split("<", 1)[0] for c in rest.split("</tr>")[0].split("<td")[1:]
        ]
        rows.setdefault(name, [int(n) for n in cells[:4]])
    assert rows["Objectives"] == [0, 1, 0, 1]  # each objective rolls up one milestone
    areas = {"Milestones", "Work-plan actions", "Actions arising", "Recommendations", "Services"}
    assert areas <= rows.keys()
    items = sum(sum(rows[name]) for name in areas)
    assert f"({items} measured" in page
    assert "The overall count leaves out objectives" in page


def test_a_cut_dashboard_list_links_to_the_whole_filtered_list(actions, programme_world):
    import html

    w = programme_world
    t = w.today
    for i in range(12):
        add_milestone(w, f"Late {i:02d}", RAG.RED, baseline=t - days(5 + i), rag_since=t - days(1))
        add_milestone(w, f"Soon {i:02d}", RAG.AMBER, baseline=t + days(3 + i))
    add_milestone(w, "Elsewhere", RAG.RED, baseline=t - days(3), objective=w.other_objective)
    actions.sign_in_as("officer")
    page = actions.client.get(f"/dashboard/objectives/{w.objective.id}").text
    links = {
        html.unescape(part.split('"', 1)[0])
        for part in page.split('href="')[1:]
        if part.startswith("/programme/milestones?")
    }
    overdue = f"/programme/milestones?overdue=yes&objective={w.objective.id}"
    upcoming = f"/programme/milestones?overdue=next30&objective={w.objective.id}"
    assert overdue in links and upcoming in links
    assert "See all 12 milestones" in page
    (turned,) = [link for link in links if "red_amber" in link]
    listed = actions.client.get(overdue).text
    assert "12 milestones" in listed and "Late 11" in listed and "Elsewhere" not in listed
    listed = actions.client.get(upcoming).text
    assert "12 milestones" in listed and "Soon 11" in listed and "Late 00" not in listed
    listed = actions.client.get(turned).text
    assert "12 milestones" in listed and "Only milestones whose RAG changed on or after" in listed


def test_body_and_objective_pages_link_to_their_dashboards(actions, client, programme_world):
    w = programme_world
    # The dashboards are public record, so the public is offered them too.
    assert f'href="/dashboard/bodies/{w.body.id}"' in client.get(f"/bodies/{w.body.id}").text
    actions.sign_in_as("member")
    body = actions.client.get(f"/bodies/{w.body.id}").text
    assert f'href="/dashboard/bodies/{w.body.id}"' in body
    objective = actions.client.get(f"/programme/objectives/{w.objective.id}").text
    assert f'href="/dashboard/objectives/{w.objective.id}"' in objective


def test_a_milestone_marked_missed_in_the_period_is_under_what_slipped(actions, programme_world):
    w = programme_world
    t = w.today
    missed = add_milestone(w, "CRM phase one", RAG.RED, baseline=t + days(150))
    save(
        MilestoneChange(
            milestone_id=missed.id,
            kind=ChangeKind.STATUS,
            on=t - days(3),
            from_value="In progress",
            to_value="Missed",
            text="Supplier withdrew",
        )
    )
    period = save(ReportingPeriod(title="This month", starts_on=t - days(20), ends_on=t))
    actions.sign_in_as("scrutiny")
    page = actions.client.get(f"/dashboard/highlight?period={period.id}").text
    slipped = page.split("What slipped, and why")[1].split("Decisions needed")[0]
    assert "CRM phase one" in slipped
    assert "Marked missed. Supplier withdrew" in slipped
