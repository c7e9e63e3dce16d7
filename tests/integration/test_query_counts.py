"""Every list and detail page runs the same number of SQL queries however much data there is:
no page loads related records one row at a time (an N+1).

Each page is counted on a tiny dataset, then again after five times as much data is added,
including more people of the same partner, more members of the same body, more memberships
of the same person, and more items, attendance, meetings and decisions of the same meeting and
body, so detail pages show more related rows too. Only the page request is counted, not
signing in. Timings belong to ``make bench``, never to these tests.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import pytest
from flask import g
from sqlalchemy import exists, func, select

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.meetings.enums import MinutesStatus
from govtrack.meetings.models import AgendaItem, Attendance, Meeting, Resolution
from govtrack.registry.models import Membership, Person
from govtrack.registry.services import current_on
from tests.fixtures.actions import csrf_token
from tests.fixtures.bulk import QueryCounter, build
from tests.fixtures.factories import TEST_PASSWORD

# A word of the builder's council vocabulary that many resolutions use.
WORD = "budget"
PUBLIC_PAGES = [
    "/",
    "/partners",
    "/partners/{partner}",
    "/bodies",
    "/bodies/{body}",
    "/bodies/{body}/meetings.ics",
    "/meetings",
    "/meetings?when=past&page=20",
    "/meetings/{meeting}",
    "/meetings/{meeting}/minutes",
    "/meetings/{meeting}/agenda",
    "/decisions",
    f"/decisions?q={WORD}",
    f"/decisions?q={WORD}&body={{meeting_body}}",
]
SIGNED_IN_PAGES = [
    *PUBLIC_PAGES,
    "/people",
    "/people/{person}",
    "/memberships",
    "/memberships?when=current&sort=person",
    # Oldest first: the page then holds every entry of the tiny build (every kind of record)
    # and more, so it compares like with like. The log names the records an entry refers to
    # with one query per kind of record (at most one per kind, whatever the number of entries),
    # and the newest entries of the larger build refer to fewer kinds (it adds no objectives).
    "/audit?order=asc",
    "/actions",
    "/actions?status=overdue",
]
# A member who sits on the meeting's body sees its exempt items in full.
MEMBER_PAGES = [
    "/meetings/{meeting}",
    "/meetings/{meeting}/minutes",
    "/meetings/{meeting}/agenda",
    "/decisions",
    f"/decisions?q={WORD}&body={{meeting_body}}",
]
CASES = (
    [("public", path) for path in PUBLIC_PAGES]
    + [("admin", path) for path in SIGNED_IN_PAGES]
    + [("member", path) for path in MEMBER_PAGES]
)
TABLE_ROW = 'class="govuk-table__row"'
# What a page shows one of per related record, where that is not a table row.
ROW_MARKERS = {
    "/meetings/{meeting}": 'class="app-item"',
    "/meetings/{meeting}/minutes": 'class="app-item"',
    "/meetings/{meeting}/agenda": "app-agenda__item",
    "/bodies/{body}/meetings.ics": "BEGIN:VEVENT",
}


class Visit(NamedTuple):
    count: int
    rows: int
    statements: list[str]
    text: str


def visit(client, url: str, marker: str = TABLE_ROW) -> Visit:
    """The page's query count, how many times it shows ``marker`` (its table rows), the
    statements it ran and the page."""
    # The app fixture keeps one app context (so one session and one ``g``) across requests;
    # start from what a real request starts from: an empty identity map and no signed-in user
    # cached by Flask-Login, so the page loads its records and the user as in production.
    db.session.expunge_all()
    g.pop("_login_user", None)
    bind = db.session.get_bind()  # the test's connection: the app fixture binds the session
    with QueryCounter(bind) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return Visit(queries.count, response.text.count(marker), queries.statements, response.text)


def busy_meeting() -> tuple[int, int]:
    """The meeting whose page shows the most (public minutes, an exempt item, and the most
    attendance), and its body."""
    attendance = select(func.count()).where(Attendance.meeting_id == Meeting.id)
    exempt = exists().where(
        AgendaItem.meeting_id == Meeting.id, AgendaItem.exempt_paragraph.is_not(None)
    )
    stmt = (
        select(Meeting.id, Meeting.body_id)
        .where(
            Meeting.minutes_status.in_([MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED]),
            exempt,
        )
        .order_by(attendance.scalar_subquery().desc(), Meeting.id)
    )
    meeting = db.session.execute(stmt.limit(1)).first()
    assert meeting is not None, "the tiny dataset should have such a meeting"
    return meeting.id, meeting.body_id


def sit_on_body(user, body_id: int) -> None:
    """Link ``user`` to a person who sits on the body today (and has no account yet)."""
    stmt = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.body_id == body_id, current_on(today()), Person.user_id.is_(None))
        .order_by(Person.id)
    )
    person = db.session.scalars(stmt.limit(1)).first()
    assert person is not None, "the tiny dataset should give the body a current member"
    person.user_id = user.id
    db.session.commit()  # a savepoint release: the test's outer transaction is rolled back


def exempt_descriptions(meeting_id: int) -> list[str]:
    stmt = select(AgendaItem.description).where(
        AgendaItem.meeting_id == meeting_id, AgendaItem.exempt_paragraph.is_not(None)
    )
    return list(db.session.scalars(stmt))


@pytest.mark.parametrize(("visitor", "path"), CASES, ids=[f"{v} {p}" for v, p in CASES])
def test_page_runs_as_many_queries_with_five_times_the_data(app, actions, visitor, path):
    # One page of the larger lists (the audit log's included) shows more rows than the tiny
    # dataset has, not the same 25.
    app.config["PAGE_SIZE"] = 500
    first = build(db.session, "tiny")
    meeting_id, meeting_body = busy_meeting()
    url = path.format(
        partner=first.ids["partners"][0],
        body=first.ids["bodies"][0],
        person=first.ids["people"][0],
        meeting=meeting_id,
        meeting_body=meeting_body,
    )
    if visitor == "admin":
        actions.sign_in_as("admin")
    elif visitor == "member":
        sit_on_body(actions.sign_in_as("member"), meeting_body)
    marker = ROW_MARKERS.get(path, TABLE_ROW)

    small = visit(actions.client, url, marker)
    build(db.session, "tiny", scale=5)
    large = visit(actions.client, url, marker)

    assert small.count > 0, "the counter saw no queries"
    if path != "/":  # the home page shows figures, not a table
        assert large.rows > small.rows, "the larger dataset should show more rows on this page"
    if path.startswith("/meetings/{meeting}"):
        # Exempt items in full only for those who may see them: the member's case covers them.
        shown = [text in large.text for text in exempt_descriptions(meeting_id)]
        assert all(shown) if visitor != "public" else not any(shown)
    statement, times = Counter(large.statements).most_common(1)[0]
    assert large.count == small.count, (
        f"{url} ran {small.count} queries with the tiny dataset and {large.count} with five "
        f"times the data; most repeated ({times}x): {statement}"
    )


def test_the_counter_sees_only_the_request_it_wraps(app, actions):
    build(db.session, "tiny")
    actions.sign_in_as("admin")  # signing in runs queries, outside the counter
    with QueryCounter(db.session.get_bind()) as queries:
        pass
    assert queries.count == 0
    page = visit(actions.client, "/partners")
    # The signed-in user, their rights (one query: grants and seats), the partners' total,
    # and one page of partners.
    assert page.count == 4, "\n\n".join(page.statements)


def test_word_search_finds_the_bulk_resolutions(app, actions):
    # On SQLite the full-text index is kept by triggers, so bulk inserts are indexed too.
    app.config["PAGE_SIZE"] = 500
    build(db.session, "tiny")
    actions.sign_in_as("admin")
    matching = db.session.scalar(
        select(func.count())
        .select_from(Resolution)
        .where(Resolution.search_text.ilike(f"%{WORD}%"))
    )

    page = visit(actions.client, f"/decisions?q={WORD}")

    assert matching > 0
    assert page.rows - 1 == matching  # the heading row, then one row per resolution


# Every main page the bench times, at most this many queries at any size (issue 16): the
# dashboards and the highlight report included, one query per figure family, not per area.
MOST_QUERIES = 12
# Not there yet (issue 16, left to do), with the most each may run meanwhile: the body page's
# scrutiny panel (its inquiries' responses, three queries), the meeting page's attendance,
# guests, declarations, actions, corrections, motions and decisions one kind at a time (12 on
# the tiny build, 13 once its items have decisions), the audit log's
# names of the records it refers to (one query per kind), an administrator's view of a
# recommendation and of a closed decision.
# The meeting's pages load each kind of related row only where the meeting has some (its
# decisions, say), so they may run one or two more with more data (the N+1 test above checks
# they do not grow with the number of rows).
STILL_OVER = {
    ("Body", "admin"): 15,
    ("Audit log", "admin"): 14,
    ("Meeting", "admin"): 13,
    ("Minutes", "admin"): 13,
    ("Decision, closed", "admin"): 13,
    ("Recommendation", "admin"): 20,
}


def _main_pages(built) -> list[tuple[str, str, str]]:
    """The bench's pages (label, url, as whom) for this dataset's busiest records."""
    from scripts import bench

    ids = bench.busiest() | bench.busiest_decisions(built) | bench.busiest_service()
    ids |= bench.busiest_scrutiny() | bench.busiest_programme()
    ids["votes_page"] = 1
    return [
        (label, path.format(**ids), who)
        for label, path, who in bench.PAGES
        if set(re.findall(r"{(\w+)}", path)) <= ids.keys()
    ]


def _counts(app, built, pages) -> dict[tuple[str, str], int]:
    clients = {"public": app.test_client(), "admin": app.test_client()}
    for who, email in (("admin", built.admin_email), ("member", built.member_email)):
        if email:
            client = clients.setdefault(who, app.test_client())
            page = client.get("/sign-in")
            form = {"email": email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)}
            assert client.post("/sign-in", data=form).status_code == 302
    counts = {}
    for label, url, who in pages:
        if who in clients:
            db.session.expunge_all()  # as in visit(): what a fresh request starts from
            g.pop("_login_user", None)
            with QueryCounter(db.session.get_bind()) as queries:
                response = clients[who].get(url)
            assert response.status_code == 200, f"{url} as {who}: {response.status_code}"
            counts[(label, who)] = queries.count
    return counts


def test_every_main_page_runs_at_most_twelve_queries_and_as_many_with_more_data(app):
    app.config["PAGE_SIZE"] = 25
    small = build(db.session, "tiny")
    db.session.commit()
    pages = _main_pages(small)  # the same records after growth: theirs grow too
    before = _counts(app, small, pages)
    build(db.session, "tiny", scale=5)
    db.session.commit()
    after = _counts(app, small, pages)

    def over(counts):
        return {p: n for p, n in counts.items() if n > STILL_OVER.get(p, MOST_QUERIES)}

    over = over(before) | over(after)
    grew = {
        page: (before[page], n)
        for page, n in after.items()
        if n > before.get(page, n) and page not in STILL_OVER
    }
    assert not over, f"over {MOST_QUERIES} queries (or over STILL_OVER): {over}"
    assert not grew, f"more queries with five times the data: {grew}"
