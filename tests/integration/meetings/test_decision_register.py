"""The decision register: word search with the database's full-text index, filters, what the
public may see (public minutes only; exempt items by number, title and paragraph only), and a
fixed number of queries per page."""

from __future__ import annotations

from datetime import date

import pytest
from flask import g

from govtrack.auth.enums import Role
from govtrack.db import db
from govtrack.meetings.enums import MinutesStatus
from tests.fixtures.bulk import QueryCounter

CONFIRMED_TEXT = "That the minutes of the last meeting be confirmed as a correct record."
BUDGET_TEXT = "That the shared services budget for 2024/25 be approved."
SECRET_TEXT = "That the contract with Zephyrcorp be terminated for persistent breach."
EXEMPT_LABEL = "Exempt under paragraph 3 of Schedule 12A"
ROW = 'class="govuk-table__row"'


def register(client, **params):
    response = client.get("/decisions", query_string=params)
    assert response.status_code == 200, response.text
    return response.text


def results(html: str) -> str:
    """The table's body: the results, without the search words echoed in the form."""
    return html[html.index('<tbody class="govuk-table__body">') : html.index("</tbody>")]


def rows(html: str) -> int:
    """Table rows, without the heading row."""
    return html.count(ROW) - 1


# Searching by words -------------------------------------------------------------------------


def test_word_search_finds_stemmed_words(client, make_resolution):
    make_resolution(CONFIRMED_TEXT, title="Minutes of the last meeting")
    make_resolution(BUDGET_TEXT, title="Budget 2024/25")

    html = register(client, q="confirm")

    assert "confirmed as a correct record" in html
    assert "be approved" not in html


def test_word_search_finds_words_of_the_item_title(client, make_resolution):
    make_resolution("That the recommendations be agreed.", title="Procurement strategy refresh")
    make_resolution(BUDGET_TEXT, title="Budget 2024/25")

    html = register(client, q="procurement")

    assert "recommendations be agreed" in html
    assert "be approved" not in html


def test_every_word_must_match(client, make_resolution):
    make_resolution(BUDGET_TEXT, title="Budget")
    make_resolution("That the shared services ICT strategy be approved.", title="ICT")

    html = register(client, q="approved budget")

    assert "2024/25" in html
    assert "ICT strategy" not in html


def test_the_search_follows_rewritten_and_removed_resolutions(client, make_resolution):
    # On SQLite the FTS5 index is kept in step by triggers; on PostgreSQL it is an expression.
    rewritten = make_resolution(BUDGET_TEXT, title="Budget")
    removed = make_resolution("That the depot be sold.", title="Depot")
    rewritten.text = "That the shared services budget be deferred."
    rewritten.search_text = f"{rewritten.text}\nBudget"
    db.session.delete(removed)
    db.session.commit()

    assert "No decisions match" in results(register(client, q="approved"))
    assert "be deferred" in results(register(client, q="deferred"))
    assert "No decisions match" in results(register(client, q="depot"))


@pytest.mark.parametrize(
    "q",
    [
        '"',
        'budget "',
        "AND",
        "budget AND",
        "OR budget",
        "-budget",
        "budget -",
        "*",
        "budg*",
        "NEAR(",
        "NEAR(budget approved, 2)",
        "search_text: budget",
        "^budget",
        "budget) OR (x",
        "'; DROP TABLE resolutions; --",
        "\\",
        "budget" * 100,
        " ".join(["budget"] * 40),
    ],
)
def test_query_syntax_in_the_words_is_only_words(client, make_resolution, q):
    make_resolution(BUDGET_TEXT, title="Budget")

    register(client, q=q)  # answers 200, never a database error


@pytest.mark.parametrize("q", ['"depot" -', "-depot", "NEAR(", "depot AND yard", "road*", "yard)"])
def test_operators_are_searched_as_plain_words(client, make_resolution, q):
    make_resolution("That the depot near the ring road and yard be sold.", title="Depot")
    make_resolution(BUDGET_TEXT, title="Budget")

    html = register(client, q=q)

    # "-" is not NOT, AND is the word "and", NEAR( the word "near", * no prefix operator.
    assert "ring road" in html
    assert "be approved" not in html


def test_words_with_no_letters_or_numbers_are_ignored_with_a_message(client, make_resolution):
    make_resolution(BUDGET_TEXT, title="Budget")

    html = register(client, q='" * -')

    assert "There is a problem" in html
    assert "Words to search for must include a letter or a number" in html
    assert "be approved" in html


# Filters ------------------------------------------------------------------------------------


def test_body_filter_lists_only_that_body(client, make_body, make_meeting, make_resolution):
    audit_panel, board = make_body(name="Audit Panel"), make_body(name="Partnership Board")
    make_resolution(BUDGET_TEXT, meeting=make_meeting(body=audit_panel))
    make_resolution(CONFIRMED_TEXT, meeting=make_meeting(body=board))

    html = register(client, body=audit_panel.id)

    assert "be approved" in html
    assert "correct record" not in html


def test_partner_filter_lists_bodies_the_partner_sat_on_that_day(
    client, make_partner, make_body, make_membership, make_person, make_meeting, make_resolution
):
    partner = make_partner(name="Ashford Borough Council")
    sat_on, never_on = make_body(), make_body()
    member = make_person(partner=partner)
    make_membership(person=member, body=sat_on, start_on=date(2023, 5, 1), end_on=date(2024, 5, 1))
    make_resolution(BUDGET_TEXT, meeting=make_meeting(body=sat_on, held_on=date(2024, 3, 27)))
    make_resolution(
        "That the plan be adopted.", meeting=make_meeting(body=sat_on, held_on=date(2024, 9, 1))
    )
    make_resolution(CONFIRMED_TEXT, meeting=make_meeting(body=never_on))

    html = register(client, partner=partner.id)

    assert "be approved" in html
    assert "be adopted" not in html  # after the partner's seat ended
    assert "correct record" not in html


def test_date_filters_are_inclusive(client, make_meeting, make_resolution):
    make_resolution("That A be agreed.", meeting=make_meeting(held_on=date(2024, 1, 10)))
    make_resolution("That B be agreed.", meeting=make_meeting(held_on=date(2024, 2, 10)))
    make_resolution("That C be agreed.", meeting=make_meeting(held_on=date(2024, 3, 10)))

    html = register(client, **{"from": "2024-02-10", "to": "2024-03-10"})

    assert "That A" not in html
    assert "That B" in html
    assert "That C" in html


def test_date_filters_take_dates_as_people_write_them(client, make_meeting, make_resolution):
    make_resolution("That A be agreed.", meeting=make_meeting(held_on=date(2024, 1, 10)))
    make_resolution("That B be agreed.", meeting=make_meeting(held_on=date(2024, 2, 10)))

    for start, end in (("10/02/2024", "10 March 2024"), ("10 Feb 2024", "2024-03-10")):
        html = register(client, **{"from": start, "to": end})
        assert "That A" not in html
        assert "That B" in html
        assert "must be a real date" not in html


def test_a_date_in_an_impossible_year_is_refused_with_the_range(client, make_resolution):
    make_resolution(BUDGET_TEXT)

    html = register(client, **{"from": "31/12/9999"})

    assert "From date must be between 1 January 1970 and 31 December 2100" in html
    assert 'href="#filter-from"' in html


def test_an_invalid_date_is_ignored_with_a_message(client, make_meeting, make_resolution):
    make_resolution("That A be agreed.", meeting=make_meeting(held_on=date(2024, 1, 10)))

    html = register(client, **{"from": "31/02/2024", "to": "2024-02-30"})

    assert "Error: Decision register" in html
    assert "From date must be a real date" in html
    assert "To date must be a real date" in html
    assert 'href="#filter-from"' in html
    assert "That A be agreed" in html


def test_a_reversed_date_range_is_explained(client, make_resolution):
    make_resolution(BUDGET_TEXT)

    html = register(client, **{"from": "2024-03-10", "to": "2024-01-10"})

    assert "To date must be the same as or after the from date" in html


def test_newest_meetings_come_first_by_default(client, make_meeting, make_resolution):
    make_resolution("That Older be agreed.", meeting=make_meeting(held_on=date(2023, 1, 10)))
    make_resolution("That Newer be agreed.", meeting=make_meeting(held_on=date(2024, 1, 10)))

    html = register(client)
    assert html.index("Newer") < html.index("Older")

    html = register(client, sort="date", order="asc")
    assert html.index("Older") < html.index("Newer")


# What the public may see --------------------------------------------------------------------


@pytest.mark.parametrize("status", [MinutesStatus.NONE, MinutesStatus.DRAFT])
def test_resolutions_of_unpublished_minutes_are_hidden_from_the_public(
    client, make_meeting, make_resolution, status
):
    make_resolution("That the draft decision stand.", meeting=make_meeting(minutes_status=status))
    make_resolution(BUDGET_TEXT, meeting=make_meeting(minutes_status=MinutesStatus.PUBLISHED))

    html = register(client)
    assert "draft decision" not in html
    assert "be approved" in html
    assert "No decisions match" in results(register(client, q="draft decision"))


def test_clerks_see_draft_minutes_resolutions_marked_as_draft(
    actions, make_meeting, make_resolution
):
    make_resolution(
        "That the draft decision stand.",
        meeting=make_meeting(minutes_status=MinutesStatus.DRAFT),
    )
    actions.sign_in_as(Role.CLERK)

    html = register(actions.client)

    assert "draft decision" in html
    assert "Draft minutes" in html


@pytest.fixture
def exempt_world(make_body, make_meeting, make_item, make_resolution):
    """A body whose meeting had an exempt item with two resolutions, beside an open one."""
    body = make_body(name="Contracts Joint Committee")
    meeting = make_meeting(body=body)
    exempt = make_item(meeting=meeting, title="Waste collection contract", exempt_paragraph=3)
    make_resolution(SECRET_TEXT, item=exempt)
    make_resolution("That legal advice be taken on Zephyrcorp.", item=exempt, number=2)
    make_resolution(BUDGET_TEXT, meeting=meeting, title="Budget")
    return body


def test_the_public_sees_an_exempt_item_by_number_title_and_paragraph_only(client, exempt_world):
    html = register(client)

    assert "Waste collection contract" in html
    assert EXEMPT_LABEL in html
    assert "Zephyrcorp" not in html
    assert "terminated" not in html
    assert "be approved" in html
    assert rows(html) == 2  # the exempt item once, not once per resolution


def test_searching_never_matches_exempt_text_for_the_public(client, exempt_world):
    for q in ("Zephyrcorp", "terminated breach", "waste contract", "legal advice"):
        html = results(register(client, q=q))
        assert "Zephyrcorp" not in html, q
        assert "Waste collection contract" not in html, q
        assert "No decisions match" in html, q


def test_filters_without_words_still_list_the_exempt_item(client, exempt_world):
    html = register(client, body=exempt_world.id)

    assert "Waste collection contract" in html
    assert EXEMPT_LABEL in html
    assert "Zephyrcorp" not in html


def test_a_clerk_reads_and_finds_exempt_resolutions(actions, exempt_world):
    actions.sign_in_as(Role.CLERK)

    html = register(actions.client, q="terminate")

    assert SECRET_TEXT in html
    assert EXEMPT_LABEL in html
    assert "legal advice" not in html


def test_a_member_of_the_body_reads_its_exempt_resolutions(
    actions, exempt_world, make_person, make_membership
):
    user = actions.sign_in_as(Role.MEMBER)
    member = make_person(user_id=user.id)
    make_membership(person=member, body=exempt_world, start_on=date(2020, 1, 1))

    html = register(actions.client, q="Zephyrcorp")

    assert SECRET_TEXT in html
    assert "That legal advice be taken on Zephyrcorp." in html


def test_a_member_of_another_body_does_not(
    actions, exempt_world, make_body, make_person, make_membership
):
    user = actions.sign_in_as(Role.MEMBER)
    member = make_person(user_id=user.id)
    make_membership(person=member, body=make_body(), start_on=date(2020, 1, 1))
    # A past seat on the body is not enough: exempt access follows current membership.
    make_membership(
        person=member, body=exempt_world, start_on=date(2020, 1, 1), end_on=date(2021, 1, 1)
    )

    assert "Zephyrcorp" not in register(actions.client)
    assert "No decisions match" in results(register(actions.client, q="Zephyrcorp"))


# Queries per page ---------------------------------------------------------------------------


def _count_queries(client, **params) -> tuple[int, list[str]]:
    # Start as a real request does: no records in the identity map, no cached user.
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(db.session.get_bind()) as queries:
        register(client, **params)
    return queries.count, queries.statements


def _add_decisions(make_body, make_meeting, make_resolution, bodies: int, per_body: int):
    for _ in range(bodies):
        meeting = make_meeting(body=make_body())
        for n in range(per_body):
            make_resolution(f"That budget option {n} be approved.", meeting=meeting)
            make_resolution(f"Exempt matter {n}.", meeting=meeting, exempt_paragraph=1)


@pytest.mark.parametrize("params", [{}, {"q": "budget"}, {"partner": "1", "from": "2020-01-01"}])
@pytest.mark.parametrize("visitor", ["public", Role.MEMBER, Role.CLERK])
def test_the_register_runs_as_many_queries_with_more_decisions(
    app, actions, make_body, make_meeting, make_resolution, params, visitor
):
    app.config["PAGE_SIZE"] = 100
    if visitor != "public":
        actions.sign_in_as(visitor)
    _add_decisions(make_body, make_meeting, make_resolution, bodies=1, per_body=2)
    small, _ = _count_queries(actions.client, **params)
    _add_decisions(make_body, make_meeting, make_resolution, bodies=3, per_body=5)
    large, statements = _count_queries(actions.client, **params)

    assert small == large, statements
    # The user, their rights (grants and seats today, which say what is exempt to them), bodies
    # and partners for the filters, the total and the page.
    assert large <= 6, statements
