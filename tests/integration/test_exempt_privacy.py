"""An exempt item (LGA 1972 Sch. 12A) stays private on every page, list, dashboard, report,
export and feed: its words reach admins, clerks for its body (or every body) and current members
of its body, and nobody else, members and clerks of other bodies included. Who declared what
kind of interest stays public.

The world puts a distinctive word in every text field of one exempt item, then every GET route
of the app is requested (ids filled from that world, lists with each of their filters) as each
kind of reader, and the words are looked for in everything that comes back.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from govtrack.auth.enums import Role
from govtrack.auth.models import AccountRight
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.meetings.enums import AttendanceStatus, DeclarationKind, MinutesStatus, Outcome
from govtrack.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    MinutesCorrection,
    Resolution,
)
from govtrack.meetings.queries import item_visible, visible_items
from govtrack.registry.models import Body
from govtrack.voting.enums import Channel, Choice, DecisionStatus
from govtrack.voting.models import CurrentVote, Decision, Motion, VoteCast
from tests.fixtures.actions import Actions
from tests.fixtures.factories import TEST_PASSWORD, save
from tests.integration.test_permissions import url_for_rule, world  # noqa: F401 (a fixture)

SECRET = "quokkasecret"  # each field holds SECRET + its name, e.g. "quokkasecretnarrative"
FIELDS = (
    "description",
    "narrative",
    "resolution",
    "motion",
    "overdueaction",
    "doneaction",
    "declaration",
    "paper",
    "correction",
)
# A word of the resolution to search the register for (the search box repeats what was typed).
SEARCHED = "marsupials"
OPEN_WORD = "wombatopen"  # on the open item beside it, which everyone may read
FOUND = re.compile(SECRET + r"([a-z]+)", re.IGNORECASE)


@pytest.fixture
def exempt_world(
    world,  # noqa: F811 (the fixture imported above)
    make_body,
    make_membership,
    make_person,
    make_meeting,
    make_item,
    make_paper,
    make_user,
):
    """Body A holds a meeting (minutes confirmed) with an exempt item full of secrets; its
    member sits on A; the other member sits on body B and left A last year."""
    day = today()
    body_a = db.session.get(Body, world["body_id"])
    body_b = make_body(name="Other Body")
    member_a = make_person(partner_id=world["partner_id"], name="Councillor Alpha")
    make_membership(person=member_a, body=body_a)
    other = make_person(partner_id=world["partner_id"], name="Councillor Beta")
    make_membership(person=other, body=body_b)
    make_membership(person=other, body=body_a, end_on=day - timedelta(days=365))
    meeting = make_meeting(
        body=body_a,
        held_on=day - timedelta(days=10),
        agenda_published_on=day - timedelta(days=20),
        minutes_status=MinutesStatus.CONFIRMED,
    )
    save(Attendance(meeting_id=meeting.id, person_id=member_a.id, status=AttendanceStatus.PRESENT))
    make_item(meeting=meeting, number="1", title="Open item", description=OPEN_WORD)
    item = make_item(
        meeting=meeting,
        number="2",
        title="Sale of the depot",
        description=f"{SECRET}description",
        exempt_paragraph=3,
        minutes=f"{SECRET}narrative",
        outcome=Outcome.RESOLVED,
    )
    save(
        Resolution(
            item_id=item.id,
            number=1,
            text=f"{SECRET}resolution to {SEARCHED}",
            search_text=f"{SECRET}resolution to {SEARCHED}\n{item.title}",
        )
    )
    save(
        Action(
            item_id=item.id,
            text=f"{SECRET}overdueaction",
            owner_id=member_a.id,
            owner_partner_id=world["partner_id"],
            due_on=day - timedelta(days=2),
        )
    )
    save(
        Action(
            item_id=item.id,
            text=f"{SECRET}doneaction",
            owner_id=member_a.id,
            owner_partner_id=world["partner_id"],
            due_on=day - timedelta(days=5),
            done_on=day - timedelta(days=3),
        )
    )
    save(
        Declaration(
            item_id=item.id,
            person_id=member_a.id,
            kind=DeclarationKind.OTHER_REGISTRABLE,
            text=f"{SECRET}declaration",
        )
    )
    save(
        MinutesCorrection(
            meeting_id=meeting.id,
            item_id=item.id,
            text=f"{SECRET}correction",
            made_by_label="Democratic services",
        )
    )
    paper = make_paper(item=item, title=f"{SECRET}paper")
    motion = save(Motion(item_id=item.id, text=f"{SECRET}motion", proposer_id=member_a.id))
    now = datetime.now(UTC)
    decision = save(
        Decision(
            motion_id=motion.id,
            electronic=True,
            status=DecisionStatus.OPEN,
            closes_at=now + timedelta(days=3),
            recorded_vote=True,
        )
    )
    vote = save(
        VoteCast(
            decision_id=decision.id,
            person_id=member_a.id,
            choice=Choice.FOR,
            channel=Channel.IN_MEETING,
            receipt="R-exempt-1",
        )
    )
    save(CurrentVote(decision_id=decision.id, person_id=member_a.id, vote_cast_id=vote.id))
    users = {
        "clerk": make_user(role=Role.CLERK),
        "admin": make_user(role=Role.ADMIN),
        "member of the body": make_user(role=Role.MEMBER),
        "member of another body": make_user(role=Role.MEMBER),
        "officer": make_user(role=Role.OFFICER),
        "scrutiny": make_user(role=Role.SCRUTINY),
        "clerk of the body": make_user(role=Role.CLERK),
        "clerk of another body": make_user(role=Role.CLERK),
    }
    users["clerk of the body"].grants = [AccountRight(right=Role.CLERK, body_id=body_a.id)]
    users["clerk of another body"].grants = [AccountRight(right=Role.CLERK, body_id=body_b.id)]
    member_a.user_id = users["member of the body"].id
    other.user_id = users["member of another body"].id
    db.session.commit()
    return {
        **world,
        "body_id": body_a.id,
        "other_body_id": body_b.id,
        "person_id": member_a.id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "action_id": db.session.scalar(select(Action.id).where(Action.item_id == item.id)),
        "paper_id": paper.id,
        "motion_id": motion.id,
        "decision_id": decision.id,
        "users": users,
        "member_name": member_a.name,
    }


def _filtered(ids) -> list[str]:
    """Every filter of the lists that list an exempt item's records, one at a time and all
    at once."""
    day = today()
    span = f"from={(day - timedelta(days=30)).isoformat()}&to={day.isoformat()}"
    owner, partner, body = ids["person_id"], ids["partner_id"], ids["body_id"]
    urls = [f"/actions?status={s}" for s in ("", "outstanding", "overdue", "done", "all")]
    urls += [f"/actions?status=all&sort={s}" for s in ("due", "owner", "meeting")]
    urls += [
        f"/actions?status=all&owner={owner}",
        f"/actions?status=all&partner={partner}",
        f"/actions?status=all&body={body}",
        f"/actions?status=all&owner={owner}&partner={partner}&body={body}&order=desc",
        f"/decisions?q={SEARCHED}",
        f"/decisions?body={body}",
        f"/decisions?partner={partner}",
        f"/decisions?{span}",
        f"/decisions?q={SEARCHED}&body={body}&partner={partner}&{span}",
        f"/meetings?body={body}&when=past",
        f"/meetings?year={day.year}",
        f"/dashboard/bodies/{ids['other_body_id']}",
        f"/dashboard/highlight?{span}",
        f"/dashboard/highlight?period={ids['period_id']}",
        f"/bodies/{ids['other_body_id']}",
        f"/bodies/{ids['other_body_id']}/meetings.ics",
        "/pipeline/export?format=xlsx",
        "/scrutiny/inquiries/{}/monitoring/export?format=xlsx".format(ids["inquiry_id"]),
    ]
    urls += [f"/api/popolo/{c}?per_page=100" for c in ("motions", "vote_events", "votes")]
    return urls


def _every_get_url(app, ids) -> list[str]:
    urls = [
        url_for_rule(rule, ids)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in ("static", "auth.sign_out", "meetings.agenda")
    ]
    return urls + _filtered(ids)


def _text(response) -> str:
    """What a reader could get out of the response: xlsx and docx unzipped, iCalendar's
    folded lines joined."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    text = data.decode("utf-8", "replace")
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def _read_everything(app, ids, who: str) -> dict[str, set[str]]:
    """{field: the URLs where its secret was found} for one reader."""
    client = app.test_client()
    if who != "public":
        response = Actions(client, None).sign_in(ids["users"][who].email, TEST_PASSWORD)
        assert response.status_code == 302
    found: dict[str, set[str]] = {}
    for url in _every_get_url(app, ids):
        with client.get(url) as response:  # closes a paper's file once read
            assert response.status_code < 500, f"{who} {url}: {response.status_code}"
            text = _text(response)
        for match in FOUND.finditer(text):
            found.setdefault(match.group(1).lower(), set()).add(url)
    return found


@pytest.mark.parametrize(
    "who", ["public", "member of another body", "clerk of another body", "officer", "scrutiny"]
)
def test_no_word_of_an_exempt_item_reaches_those_who_may_not_see_it(app, exempt_world, who):
    found = _read_everything(app, exempt_world, who)
    assert found == {}, f"{who} read an exempt item's words: {found}"


@pytest.mark.parametrize("who", ["clerk", "clerk of the body", "admin", "member of the body"])
def test_clerks_admins_and_members_of_the_body_read_every_word(app, exempt_world, who):
    found = _read_everything(app, exempt_world, who)
    assert set(found) == set(FIELDS), f"{who} did not find {set(FIELDS) - set(found)}"
    # The lists the leak was reported on show the actions to those who may see them.
    for url in ("/actions", "/actions?status=done", "/dashboard"):
        assert url in found["overdueaction"] | found["doneaction"], (who, url)
    assert any(u.startswith("/dashboard/highlight") for u in found["doneaction"])
    assert f"/decisions?q={SEARCHED}" in found["resolution"]
    assert any(u.startswith("/dashboard/partners/") for u in found["overdueaction"])
    assert any(u.startswith("/dashboard/bodies/") for u in found["overdueaction"])


def test_the_fact_of_a_declaration_on_an_exempt_item_is_public(app, exempt_world):
    page = app.test_client().get(f"/meetings/{exempt_world['meeting_id']}/minutes")
    assert page.status_code == 200
    assert OPEN_WORD in page.text  # the open item's words, so the page is the minutes
    assert "2. Sale of the depot" in page.text
    assert f"{exempt_world['member_name']}: Other registrable interest" in page.text
    assert SECRET not in page.text


def test_the_sql_rule_and_the_page_rule_agree(app, exempt_world):
    """``visible_items`` (SQL) lists exactly the items ``item_visible`` lets a page show."""
    body_a, body_b = exempt_world["body_id"], exempt_world["other_body_id"]
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == exempt_world["meeting_id"])
    ).all()
    for access in (None, frozenset(), frozenset({body_b}), frozenset({body_a, body_b})):
        in_sql = set(
            db.session.scalars(
                select(AgendaItem.id).where(
                    AgendaItem.meeting_id == exempt_world["meeting_id"], visible_items(access)
                )
            )
        )
        in_python = {i.id for i in items if item_visible(i, body_a, access)}
        assert in_sql == in_python, access
        assert (exempt_world["item_id"] in in_sql) == (access is None or body_a in access)
