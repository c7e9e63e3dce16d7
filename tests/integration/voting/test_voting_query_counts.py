"""A decision's page and "My decisions" run as many queries however many voters, votes and
decisions there are: neither loads related records one row at a time (an N+1).

Each page is counted with a small board, then again after five times as many members (present
and absent), votes, changes of vote and decisions are added to the same body and meeting. Only
the page request is counted, not signing in.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from flask import current_app, g
from sqlalchemy import select

from govtrack.auth.models import User
from govtrack.core.dates import today
from govtrack.db import db, utcnow
from govtrack.meetings.enums import AttendanceStatus, MinutesStatus
from govtrack.meetings.models import AgendaItem, Attendance, Meeting
from govtrack.registry.enums import BodyKind, LegalForm, MembershipRole
from govtrack.registry.models import Body, Person
from govtrack.voting import commands, enums, rules, votes
from govtrack.voting.models import CurrentVote, DecisionRuleVersion, Motion, VoteCast
from tests.fixtures.bulk import QueryCounter
from tests.fixtures.factories import TEST_PASSWORD

TABLE_ROW = 'class="govuk-table__row"'
HISTORY_LINE = "receipt "


@dataclass
class Board:
    """An officer board that decides electronically, one of its meetings held yesterday, the
    decision on it whose page is counted, and the absent member who may vote on it. Kept as
    ids: each counted request starts from an empty session."""

    body_id: int
    meeting_id: int
    partner_ids: list[int]
    clerk_id: int
    voter_id: int
    decision_id: int = 0
    decisions: list[int] = field(default_factory=list)
    grown: int = 0

    @property
    def body(self) -> Body:
        return db.session.get(Body, self.body_id)

    @property
    def clerk(self) -> User:
        return db.session.get(User, self.clerk_id)

    @property
    def voter(self) -> User:
        return db.session.get(User, self.voter_id)


@pytest.fixture
def board(app, make_body, make_partner, make_person, make_membership, make_meeting, make_user):
    body = make_body(
        name="Partnership Board",
        kind=BodyKind.PARTNERSHIP_BOARD,
        legal_form=LegalForm.OFFICER_BOARD,
    )
    db.session.add(
        DecisionRuleVersion(
            body_id=body.id,
            note="",
            **DecisionRuleVersion.columns_from_rule(
                rules.RuleVersion(
                    label="Board terms of reference",
                    effective_from=date(2006, 1, 1),
                    electronic_mode=enums.ElectronicMode.ABSENT_VOTERS,
                )
            ),
        )
    )
    meeting = make_meeting(
        body=body, held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.DRAFT
    )
    partners = [make_partner() for _ in range(3)]
    chair = make_person(partner=partners[0], name="Chair of the board")
    make_membership(body=body, person=chair, role=MembershipRole.CHAIR)
    db.session.add(
        Attendance(meeting_id=meeting.id, person_id=chair.id, status=AttendanceStatus.PRESENT)
    )
    voter = make_user(role="member")
    absent = make_person(partner=partners[1], name="Absent officer", user_id=voter.id)
    make_membership(body=body, person=absent)
    db.session.add(
        Attendance(meeting_id=meeting.id, person_id=absent.id, status=AttendanceStatus.APOLOGIES)
    )
    db.session.commit()
    world = Board(
        body.id, meeting.id, [p.id for p in partners], make_user(role="clerk").id, voter.id
    )
    world.decision_id = open_decision(world, meeting, "That the work plan be approved.")
    return world


def open_decision(world: Board, meeting: Meeting, text: str, close: bool = False) -> int:
    """A motion on a new item of the meeting, put to the absent voters as the clerk would."""
    position = len(world.decisions) + 1
    item = AgendaItem(
        meeting_id=meeting.id, position=position, number=str(position), title=f"Item {position}"
    )
    db.session.add(item)
    db.session.flush()
    motion = Motion(item_id=item.id, position=1, text=text)
    db.session.add(motion)
    db.session.flush()
    with current_app.test_request_context():  # the invitations' links need a request
        decision = commands.open_decision(
            world.clerk, motion, {"method": "recorded", "electronic": "y"}, today(), utcnow()
        )
        if close:
            votes.close_decision(decision, utcnow(), world.clerk)
    db.session.commit()
    world.decisions.append(decision.id)
    return decision.id


def record(decision_id: int, person: Person, choice: enums.Choice, channel: enums.Channel):
    """A vote cast (or changed) as the services record it: a history row, the current one."""
    cast = VoteCast(
        decision_id=decision_id,
        person_id=person.id,
        partner_id=person.partner_id,
        choice=choice,
        channel=channel,
        receipt=uuid.uuid4().hex[:12].upper(),
    )
    db.session.add(cast)
    db.session.flush()
    current = db.session.scalar(
        select(CurrentVote).where(
            CurrentVote.decision_id == decision_id, CurrentVote.person_id == person.id
        )
    )
    if current is None:
        db.session.add(
            CurrentVote(decision_id=decision_id, person_id=person.id, vote_cast_id=cast.id)
        )
    else:
        current.vote_cast_id = cast.id
    db.session.flush()


def grow(world: Board, scale: int, make_person, make_membership, make_meeting) -> None:
    """Add ``scale`` times: 3 members present who voted in the meeting, 3 absent who voted
    electronically (one changing their vote), and 3 more decisions for the absent voter (on
    this meeting and a new one; one closed, one they voted on)."""
    meeting = db.session.get(Meeting, world.meeting_id)
    choices = list(enums.Choice)
    for n in range(3 * scale):
        world.grown += 1
        for status, channel in (
            (AttendanceStatus.PRESENT, enums.Channel.IN_MEETING),
            (AttendanceStatus.APOLOGIES, enums.Channel.ELECTRONIC),
        ):
            person = make_person(partner_id=world.partner_ids[n % 3], name=f"Member {world.grown}")
            make_membership(body=world.body, person=person)
            db.session.add(Attendance(meeting_id=meeting.id, person_id=person.id, status=status))
            db.session.flush()
            record(world.decision_id, person, choices[n % 3], channel)
            if channel is enums.Channel.ELECTRONIC and n % 3 == 0:
                record(world.decision_id, person, choices[(n + 1) % 3], channel)
        db.session.commit()
    voter = db.session.scalar(select(Person).where(Person.user_id == world.voter_id))
    for n in range(3 * scale):
        on = meeting
        if n % 2 == 0:
            on = make_meeting(
                body=world.body,
                held_on=today() - timedelta(days=2),
                minutes_status=MinutesStatus.DRAFT,
            )
        decision_id = open_decision(world, on, f"That proposal {n} be approved.", close=n % 3 == 2)
        if n % 3 == 1:
            record(decision_id, voter, enums.Choice.FOR, enums.Channel.ELECTRONIC)
        db.session.commit()


def count_queries(app, client, url: str, marker: str) -> tuple[int, int, list[str]]:
    """The page's query count, how many times it shows ``marker``, the statements it ran."""
    # Start from what a real request starts from: an empty identity map, nobody cached.
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(app.extensions["govtrack.bind"]) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return queries.count, response.text.count(marker), queries.statements


def sign_in(actions, user: User) -> None:
    response = actions.sign_in(user.email, TEST_PASSWORD)
    assert response.status_code == 302


CASES = [
    ("public", "/votes/{decision}", TABLE_ROW),
    ("clerk", "/votes/{decision}", HISTORY_LINE),
    ("voter", "/votes/{decision}", TABLE_ROW),
    ("voter", "/my-decisions", 'class="govuk-link" href="/votes/'),
]


@pytest.mark.parametrize(
    ("visitor", "path", "marker"), CASES, ids=[f"{v} {p}" for v, p, _ in CASES]
)
def test_voting_page_runs_as_many_queries_with_five_times_the_data(
    app, actions, board, make_person, make_membership, make_meeting, visitor, path, marker
):
    grow(board, 1, make_person, make_membership, make_meeting)
    if visitor == "clerk":
        sign_in(actions, board.clerk)
    elif visitor == "voter":
        sign_in(actions, board.voter)
    url = path.format(decision=board.decision_id)

    small, small_rows, _ = count_queries(app, actions.client, url, marker)
    grow(board, 5, make_person, make_membership, make_meeting)
    large, large_rows, statements = count_queries(app, actions.client, url, marker)

    assert small > 0, "the counter saw no queries"
    assert large_rows > small_rows, "the larger board should show more on this page"
    statement, times = Counter(statements).most_common(1)[0]
    assert large == small, (
        f"{url} ran {small} queries with the small board and {large} with five times the data; "
        f"most repeated ({times}x): {statement}"
    )


def test_the_absent_voter_sees_the_form_and_their_decisions(
    app, actions, board, make_person, make_membership, make_meeting
):
    """The pages counted above show what they are for: the voter's form and decisions."""
    grow(board, 1, make_person, make_membership, make_meeting)
    sign_in(actions, board.voter)
    page = actions.client.get(f"/votes/{board.decision_id}")
    assert "Your vote" in page.text and "Cast my vote" in page.text
    mine = actions.client.get("/my-decisions")
    assert mine.text.count('href="/votes/') >= len(board.decisions)
    assert "Awaiting your answer" in mine.text and "Not voted" in mine.text
