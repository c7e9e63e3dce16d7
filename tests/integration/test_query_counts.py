"""Every list and detail page runs the same number of SQL queries however much data there is:
no page loads related records one row at a time (an N+1).

Each page is counted on a tiny dataset, then again after five times as much data is added,
including more people of the same partner, more members of the same body and more memberships
of the same person, so detail pages show more related rows too. Only the page request is
counted, not signing in. Timings belong to ``make bench``, never to these tests.
"""

from __future__ import annotations

from collections import Counter

import pytest
from flask import g

from govtrack.db import db
from tests.fixtures.bulk import QueryCounter, build

PUBLIC_PAGES = ["/", "/partners", "/partners/{partner}", "/bodies", "/bodies/{body}"]
SIGNED_IN_PAGES = [
    *PUBLIC_PAGES,
    "/people",
    "/people/{person}",
    "/memberships",
    "/memberships?when=current&sort=person",
    "/audit",
]
CASES = [("public", path) for path in PUBLIC_PAGES] + [("admin", path) for path in SIGNED_IN_PAGES]
TABLE_ROW = 'class="govuk-table__row"'


def visit(client, url: str) -> tuple[int, int, list[str]]:
    """The page's query count, its number of table rows, and the statements it ran."""
    # The app fixture keeps one app context (so one session and one ``g``) across requests;
    # start from what a real request starts from: an empty identity map and no signed-in user
    # cached by Flask-Login, so the page loads its records and the user as in production.
    db.session.expunge_all()
    g.pop("_login_user", None)
    bind = db.session.get_bind()  # the test's connection: the app fixture binds the session
    with QueryCounter(bind) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return queries.count, response.text.count(TABLE_ROW), queries.statements


@pytest.mark.parametrize(("visitor", "path"), CASES, ids=[f"{v} {p}" for v, p in CASES])
def test_page_runs_as_many_queries_with_five_times_the_data(app, actions, visitor, path):
    # One page of the larger lists shows more rows than the tiny dataset has, not the same 25.
    app.config["PAGE_SIZE"] = 100
    first = build(db.session, "tiny")
    url = path.format(
        partner=first.ids["partners"][0], body=first.ids["bodies"][0], person=first.ids["people"][0]
    )
    if visitor == "admin":
        actions.sign_in_as("admin")

    small, small_rows, _ = visit(actions.client, url)
    build(db.session, "tiny", scale=5)
    large, large_rows, statements = visit(actions.client, url)

    assert small > 0, "the counter saw no queries"
    if path != "/":  # the home page shows figures, not a table
        assert large_rows > small_rows, "the larger dataset should show more rows on this page"
    statement, times = Counter(statements).most_common(1)[0]
    assert large == small, (
        f"{url} ran {small} queries with the tiny dataset and {large} with five times the data; "
        f"most repeated ({times}x): {statement}"
    )


def test_the_counter_sees_only_the_request_it_wraps(app, actions):
    build(db.session, "tiny")
    actions.sign_in_as("admin")  # signing in runs queries, outside the counter
    with QueryCounter(db.session.get_bind()) as queries:
        pass
    assert queries.count == 0
    count, _, statements = visit(actions.client, "/partners")
    # The signed-in user, the partners' total, and one page of partners.
    assert count == 3, statements
