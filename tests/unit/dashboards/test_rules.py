"""The dashboards' rules: grey is counted apart, never in the percentages; the sentences say
the chart; the last reporting date; reporting periods and typed dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from govtrack.core.rag import RAG, roll_up
from govtrack.dashboards import rules

counts_st = st.fixed_dictionaries({c: st.integers(0, 500) for c in RAG})


def area(counts, red=None, amber=None, label="milestones"):
    return rules.AreaCounts(label, counts, red, amber)


@given(counts_st, st.integers(0, 1000))
def test_grey_never_changes_the_percentages_and_only_keeps_a_group_from_complete(counts, more_grey):
    greyer = {**counts, RAG.GREY: counts[RAG.GREY] + more_grey}
    assert rules.table_rows([area(counts)])[0][:6] == rules.table_rows([area(greyer)])[0][:6]
    before, after = rules.rollup_from_counts(counts).rag, rules.rollup_from_counts(greyer).rag
    if before is RAG.BLUE and more_grey:
        assert after is RAG.GREEN  # work not started is work outstanding
    else:
        assert before == after


@given(counts_st)
def test_rolling_up_counts_is_rolling_up_the_items(counts):
    items = [c for c, n in counts.items() for _ in range(n)]
    assert rules.rollup_from_counts(counts) == roll_up(items)


items_st = st.lists(st.sampled_from(list(RAG)), max_size=30)


@given(st.lists(items_st, min_size=1, max_size=4), st.data())
def test_the_combined_total_counts_each_item_once_and_objectives_do_not_change_its_colour(
    areas, data
):
    every = [c for items in areas for c in items]
    parts = [area(dict.fromkeys(RAG, 0) | {c: items.count(c) for c in RAG}) for items in areas]
    # Objectives roll up some of those same items (each objective has at least one).
    groups = data.draw(
        st.lists(st.lists(st.sampled_from(every), min_size=1) if every else st.nothing())
    )
    objective_colours = [roll_up(g).rag for g in groups]
    objectives = rules.AreaCounts(
        "objectives", {c: objective_colours.count(c) for c in RAG}, in_total=False
    )
    total = rules.combined([*parts, objectives])
    assert total == roll_up(every)
    assert total.measured == sum(1 for c in every if c is not RAG.GREY)
    as_items = rules.combined([*parts, rules.AreaCounts("objectives", objectives.counts)])
    assert total.rag == as_items.rag


def test_the_sentence_says_red_amber_and_what_turned_since():
    counts = {RAG.RED: 12, RAG.AMBER: 2, RAG.GREEN: 5, RAG.BLUE: 1, RAG.GREY: 4}
    text = rules.area_sentence(area(counts, 3, 1), date(2007, 3, 31))
    assert text == (
        "12 milestones are red (3 turned red since 31 March 2007), 2 amber (1 turned amber "
        "since then), 5 green and 1 complete: 60% of the 20 measured are red. 4 with no data "
        "are counted apart."
    )


def test_one_item_reads_in_the_singular():
    counts = {RAG.RED: 1, RAG.AMBER: 0, RAG.GREEN: 0, RAG.BLUE: 0, RAG.GREY: 0}
    assert rules.area_sentence(area(counts, label="actions arising"), None).startswith(
        "1 action arising is red"
    )


def test_nothing_to_count_says_so():
    assert rules.area_sentence(area(dict.fromkeys(RAG, 0)), None) == "No milestones yet."


def test_the_last_reporting_date_is_the_end_of_the_latest_past_period():
    today = date(2007, 7, 10)
    ends = [date(2007, 3, 31), date(2007, 6, 30), date(2007, 9, 30)]
    assert rules.last_reporting_date(ends, today) == (date(2007, 6, 30), True)
    assert rules.last_reporting_date([], today) == (today - timedelta(days=30), False)


def test_a_period_must_end_after_it_starts_and_have_a_title():
    assert rules.period_problems("Q1", date(2007, 4, 1), date(2007, 6, 30)) == {}
    assert "ends_on" in rules.period_problems("Q1", date(2007, 4, 1), date(2007, 3, 31))
    problems = rules.period_problems(" ", None, None)
    assert set(problems) == {"title", "starts_on", "ends_on"}


def test_month_ends_cover_each_month_and_stop_at_the_last_day():
    assert rules.month_ends(date(2006, 11, 15), date(2007, 2, 10)) == [
        date(2006, 11, 30),
        date(2006, 12, 31),
        date(2007, 1, 31),
        date(2007, 2, 10),
    ]


flow_st = st.lists(
    st.tuples(
        st.dates(date(2006, 1, 1), date(2008, 12, 31)),
        st.sampled_from(list(RAG)),
        st.sampled_from(list(RAG)),
    ),
    max_size=40,
)


@given(flow_st)
def test_counts_over_time_match_replaying_each_items_history(changes):
    # Each change is one item's history step: item k moves from its current colour to ``to``.
    current: dict[int, RAG] = {}
    flows = []
    for k, (day, _first, to) in enumerate(sorted(changes)):
        item = k % 5
        flows.append((day, current.get(item), to, 1))
        current[item] = to
    ends = rules.month_ends(date(2006, 1, 1), date(2008, 12, 31))
    series = rules.counts_over_time(flows, ends)
    for end, counts in zip(ends, series, strict=True):
        replay: dict[int, RAG] = {}
        for k, (day, _first, to) in enumerate(sorted(changes)):
            if day <= end:
                replay[k % 5] = to
        expected = dict.fromkeys(RAG, 0)
        for colour in replay.values():
            expected[colour] += 1
        assert counts == expected


def test_one_grey_item_reads_in_the_singular():
    counts = {RAG.RED: 0, RAG.AMBER: 0, RAG.GREEN: 2, RAG.BLUE: 0, RAG.GREY: 1}
    assert rules.area_sentence(area(counts), None).endswith("1 with no data is counted apart.")


def test_the_last_observation_of_each_month_is_kept():
    obs = [
        (date(2007, 3, 5), RAG.RED, 2),
        (date(2007, 3, 30), RAG.RED, 1),
        (date(2007, 3, 30), RAG.GREEN, 4),
        (date(2007, 4, 2), RAG.AMBER, 3),
    ]
    days_, series = rules.last_of_each_month(obs)
    assert days_ == [date(2007, 3, 30), date(2007, 4, 2)]
    assert series[0][RAG.RED] == 1 and series[0][RAG.GREEN] == 4
    assert series[1][RAG.AMBER] == 3 and series[1][RAG.RED] == 0


@given(st.integers(1, 400), st.integers(2, 60))
def test_a_long_history_is_thinned_to_at_most_the_limit_keeping_first_and_last(n, most):
    ends = [date(2000, 1, 1) + timedelta(days=30 * i) for i in range(n)]
    picked = rules.thinned(ends, most)
    assert len(picked) <= most
    assert picked[0] == ends[0] and picked[-1] == ends[-1]
    assert picked == sorted(set(picked))


def test_the_axis_says_truly_which_month_ends_are_drawn():
    ends = rules.month_ends(date(2000, 1, 1), date(2024, 6, 15))  # 294 months
    assert rules.sampled_axis(ends[:36]) == "Month end"
    assert rules.thinned(ends)[1] == ends[9]  # every 9th is drawn, and the axis says so
    assert rules.sampled_axis(ends) == ("Every 9th month end (of 294 months), and the latest day")
    assert rules.sampled_axis(ends[:73]).startswith("Every 3rd month end")
