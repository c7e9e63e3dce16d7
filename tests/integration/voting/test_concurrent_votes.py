"""Fifty absent voters voting at once on PostgreSQL end with one current vote each and the
right tally: double-submitted forms record one vote, changes of vote are kept in order.

Threads cannot share the rolled-back transaction of the ``app`` fixture, so this test commits
its data to a database of its own, created, migrated and dropped here. Each thread has its own
app context, so its own session and connection, as each request has in production.
"""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select

from govtrack import create_app
from govtrack.auth.enums import Role
from govtrack.auth.models import User
from govtrack.auth.passwords import hash_password
from govtrack.core.dates import today
from govtrack.core.models import AuditEntry
from govtrack.db import db, utcnow
from govtrack.meetings.enums import AgendaStatus, AttendanceStatus, MeetingKind, MinutesStatus
from govtrack.meetings.models import AgendaItem, Attendance, Meeting, Resolution
from govtrack.registry.enums import BodyKind, Jurisdiction, LegalForm, MembershipRole, PartnerKind
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.voting import commands, enums, queries, rules, votes
from govtrack.voting.models import CurrentVote, Decision, DecisionRuleVersion, Motion, VoteCast
from tests.conftest import committed_postgresql_database

# The body: a chair, present, who votes For in the meeting, and 59 members who sent apologies
# and are asked to vote electronically. Fifty of them vote at once:
SINGLE = 26  # vote once
DOUBLE = 8  # submit the same first vote twice at once: one is recorded, one refused
CHANGE_TWICE = 8  # voted For earlier; submit Against twice at once: one change, one refusal
CHANGE_APART = 8  # voted Abstain earlier; change to For and to Against at once: both kept
SILENT = 9  # never vote
ABSENT = SINGLE + DOUBLE + CHANGE_TWICE + CHANGE_APART + SILENT
# Threads at once: one per vote, two per double submission or change, one for the chair.
THREADS = SINGLE + 2 * (DOUBLE + CHANGE_TWICE + CHANGE_APART) + 1
CHOICES = ("for", "against", "abstain")


@dataclass
class Attempt:
    """One submission from one thread, and what became of it."""

    person_id: int
    user_id: int
    choice: str
    receipt: str | None = None
    refused: votes.VoteRefused | None = None
    error: str | None = None


@dataclass
class World:
    decision_id: int
    chair_user_id: int
    chair_id: int
    absent: list[tuple[int, int]]  # (person id, user id), in the groups' order


@pytest.fixture
def own_database(postgresql_url: str, tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh, migrated database for committed data, dropped at the end. Depending on
    ``postgresql_url`` makes a missing PostgreSQL skip this test locally and fail it in CI."""
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    with committed_postgresql_database(postgresql_url, "govtrack_concurrency") as url:
        yield url


@pytest.fixture
def voting_app(own_database: str):
    """The app on that database, with a connection for every thread at once (the default
    pool of 5 + 10 would queue most of them, and a thread holding one while it waits for
    the others at the barrier would starve the rest)."""
    app = create_app(
        {"DATABASE_URL": own_database, "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    engine = create_engine(own_database, pool_size=THREADS + 1, max_overflow=0, pool_timeout=60)
    app.extensions["govtrack.engine"] = engine
    try:
        yield app
    finally:
        db.session.remove()
        engine.dispose()


def build_board(app, absent: int = ABSENT, close_early: bool = False) -> World:
    """An officer board (its terms of reference allow counted electronic votes) of a chair and
    ``absent`` other members, all with accounts; a meeting held yesterday with only the chair
    present; a motion on it put to the absent members. Committed, as a clerk's requests would
    leave it."""
    password = hash_password("a long test password")
    with app.app_context():
        session = db.session
        clerk = User(
            email="clerk@example.org", name="Clerk", role=Role.CLERK, password_hash=password
        )
        body = Body(
            name="Partnership Board",
            kind=BodyKind.PARTNERSHIP_BOARD,
            legal_form=LegalForm.OFFICER_BOARD,
            jurisdiction=Jurisdiction.ENGLAND,
        )
        partners = [
            Partner(name=f"Council {n}", code=f"C{n}", kind=PartnerKind.DISTRICT) for n in range(6)
        ]
        session.add_all([clerk, body, *partners])
        session.flush()
        people: list[tuple[Person, User]] = []
        for n in range(absent + 1):
            user = User(
                email=f"officer{n}@example.org",
                name=f"Officer {n}",
                role=Role.MEMBER,
                password_hash=password,
            )
            session.add(user)
            session.flush()
            partner = partners[n % len(partners)]
            person = Person(name=f"Officer {n:02d}", partner_id=partner.id, user_id=user.id)
            session.add(person)
            session.flush()
            session.add(
                Membership(
                    person_id=person.id,
                    body_id=body.id,
                    partner_id=partner.id,
                    role=MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER,
                    start_on=date(2006, 1, 1),
                )
            )
            people.append((person, user))
        session.add(
            DecisionRuleVersion(
                body_id=body.id,
                note="",
                **DecisionRuleVersion.columns_from_rule(
                    rules.RuleVersion(
                        label="Board terms of reference",
                        effective_from=date(2006, 1, 1),
                        electronic_mode=enums.ElectronicMode.ABSENT_VOTERS,
                        response_window_days=5,
                        close_early=close_early,
                    )
                ),
            )
        )
        held_on = today() - timedelta(days=1)
        meeting = Meeting(
            body_id=body.id,
            kind=MeetingKind.FORMAL,
            held_on=held_on,
            agenda_status=AgendaStatus.PUBLISHED,
            agenda_published_on=held_on - timedelta(days=7),
            minutes_status=MinutesStatus.DRAFT,
        )
        session.add(meeting)
        session.flush()
        item = AgendaItem(meeting_id=meeting.id, position=1, number="1", title="Work plan")
        session.add(item)
        session.flush()
        chair, chair_user = people[0]
        for person, _user in people:
            status = AttendanceStatus.PRESENT if person is chair else AttendanceStatus.APOLOGIES
            session.add(Attendance(meeting_id=meeting.id, person_id=person.id, status=status))
        motion = Motion(item_id=item.id, position=1, text="That the work plan be approved.")
        session.add(motion)
        session.commit()
        # The clerk records the chair's vote and puts the motion to the absent members (the
        # invitations' links need a request).
        with app.test_request_context():
            decision = commands.open_decision(
                clerk,
                motion,
                {"method": "recorded", f"vote-{chair.id}": "for", "electronic": "y"},
                today(),
                utcnow(),
            )
            session.commit()
        assert decision.status.value == "open"
        return World(
            decision_id=decision.id,
            chair_user_id=chair_user.id,
            chair_id=chair.id,
            absent=[(p.id, u.id) for p, u in people[1:]],
        )


def cast_now(app, decision_id: int, user_id: int, choice: str) -> None:
    """A vote cast and committed before the race."""
    with app.app_context():
        user = db.session.get(User, user_id)
        votes.cast_vote(user, queries.load_decision(decision_id), choice, utcnow())
        db.session.commit()


def submit(app, barrier: threading.Barrier, decision_id: int, attempt: Attempt) -> None:
    """One request's worth of work: load, wait for everyone, cast, commit (or roll back)."""
    try:
        with app.app_context():
            try:
                user = db.session.get(User, attempt.user_id)
                decision = queries.load_decision(decision_id)
            except Exception:
                barrier.abort()  # the others would wait for this thread in vain
                raise
            barrier.wait(timeout=60)
            try:
                cast = votes.cast_vote(user, decision, attempt.choice, utcnow())
                db.session.commit()
            except votes.VoteRefused as exc:
                db.session.rollback()
                attempt.refused = exc
            else:
                attempt.receipt = cast.receipt
    except Exception:  # anything but a refusal is what this test is looking for
        attempt.error = traceback.format_exc()


def assert_no_errors(attempts: list[Attempt]) -> None:
    """Every submission was accepted or refused; the first failures are shown, the cause (not
    the others' broken barrier) first."""
    errors = sorted((a.error for a in attempts if a.error), key=lambda e: "BrokenBarrier" in e)
    assert not errors, f"{len(errors)} submissions failed with an error:\n" + "\n".join(errors[:3])


def submit_at_once(app, decision_id: int, attempts: list[Attempt]) -> None:
    """Every attempt in its own thread, all released together; each must finish."""
    barrier = threading.Barrier(len(attempts))
    threads = [
        threading.Thread(target=submit, args=(app, barrier, decision_id, a), name=f"vote-{n}")
        for n, a in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a vote never finished (a deadlock?)"


def test_fifty_voters_voting_at_once_keep_one_current_vote_each(voting_app):
    app = voting_app
    world = build_board(app)
    groups = iter(world.absent)
    single = [next(groups) for _ in range(SINGLE)]
    double = [next(groups) for _ in range(DOUBLE)]
    change_twice = [next(groups) for _ in range(CHANGE_TWICE)]
    change_apart = [next(groups) for _ in range(CHANGE_APART)]
    for _person_id, user_id in change_twice:
        cast_now(app, world.decision_id, user_id, "for")
    for _person_id, user_id in change_apart:
        cast_now(app, world.decision_id, user_id, "abstain")

    attempts = (
        [Attempt(p, u, CHOICES[n % 3]) for n, (p, u) in enumerate(single)]
        + [Attempt(p, u, CHOICES[n % 3]) for n, (p, u) in enumerate(double) for _ in range(2)]
        + [Attempt(p, u, "against") for p, u in change_twice for _ in range(2)]
        + [Attempt(p, u, c) for p, u in change_apart for c in ("for", "against")]
        # The chair was in the meeting: not entitled to an electronic vote.
        + [Attempt(world.chair_id, world.chair_user_id, "against")]
    )
    voters = {a.person_id for a in attempts} - {world.chair_id}
    assert len(voters) >= 50 and len(attempts) == THREADS
    submit_at_once(app, world.decision_id, attempts)

    assert_no_errors(attempts)
    by_person: dict[int, list[Attempt]] = {}
    for a in attempts:
        by_person.setdefault(a.person_id, []).append(a)
    accepted = [a for a in attempts if a.receipt]

    # Each double submission recorded exactly one vote and refused the other (409).
    for person_id, _user_id in double + change_twice:
        outcomes = by_person[person_id]
        assert sum(1 for a in outcomes if a.receipt) == 1, person_id
        refusal = next(a.refused for a in outcomes if not a.receipt)
        assert refusal is not None and refusal.status == 409, refusal
    for person_id, _user_id in single + change_apart:
        assert all(a.receipt for a in by_person[person_id]), by_person[person_id]
    chair = by_person[world.chair_id][0]
    assert chair.refused is not None and chair.refused.status == 403

    with app.app_context():
        session = db.session
        electronic = session.scalars(
            select(VoteCast)
            .where(
                VoteCast.decision_id == world.decision_id,
                VoteCast.channel == enums.Channel.ELECTRONIC,
            )
            .order_by(VoteCast.id)
        ).all()
        earlier = CHANGE_TWICE + CHANGE_APART
        assert len(electronic) == earlier + len(accepted)
        assert {v.receipt for v in electronic} >= {a.receipt for a in accepted}

        current = session.execute(
            select(CurrentVote.person_id, VoteCast)
            .join(VoteCast, CurrentVote.vote_cast_id == VoteCast.id)
            .where(CurrentVote.decision_id == world.decision_id)
        ).all()
        per_person = Counter(person_id for person_id, _vote in current)
        assert max(per_person.values()) == 1, "a voter has two current votes"
        assert set(per_person) == voters | {world.chair_id}
        # The current vote is each voter's latest, and a refused submission left no trace.
        latest: dict[int, VoteCast] = {}
        for vote in electronic:
            latest[vote.person_id] = vote
        final = dict(current)
        for person_id in voters:
            assert final[person_id].id == latest[person_id].id, person_id
            assert final[person_id].person_id == person_id
        assert Counter(v.person_id for v in electronic) == Counter(
            {p: 1 for p, _u in single + double}
            | {p: 2 for p, _u in change_twice}
            | {p: 3 for p, _u in change_apart}
        )
        for n, (person_id, _user_id) in enumerate(single):
            assert final[person_id].choice.value == CHOICES[n % 3]
        for n, (person_id, _user_id) in enumerate(double):
            assert final[person_id].choice.value == CHOICES[n % 3]
        for person_id, _user_id in change_twice:
            assert final[person_id].choice is enums.Choice.AGAINST
        for person_id, _user_id in change_apart:
            assert final[person_id].choice in (enums.Choice.FOR, enums.Choice.AGAINST)

        expected = Counter(final[p].choice for p in voters)
        decision = queries.load_decision(world.decision_id)
        outcome = queries.outcome_of(decision)
        assert outcome.status is enums.OutcomeStatus.AWAITING
        assert outcome.in_meeting == rules.Tally(1, 0, 0)
        assert outcome.electronic == rules.Tally(
            expected[enums.Choice.FOR],
            expected[enums.Choice.AGAINST],
            expected[enums.Choice.ABSTAIN],
        )
        assert outcome.awaiting == SILENT
        assert session.scalar(select(func.count()).select_from(Decision)) == 1


def test_the_last_of_fifty_simultaneous_votes_closes_the_decision_once(voting_app):
    """Where the rules close a decision once everyone has voted, the vote that completes it
    closes it, once, with every vote counted, however the votes interleave."""
    app = voting_app
    world = build_board(app, absent=50, close_early=True)
    wanted = ["for"] * 30 + ["against"] * 15 + ["abstain"] * 5
    attempts = [Attempt(p, u, c) for (p, u), c in zip(world.absent, wanted, strict=True)]
    barrier = threading.Barrier(len(attempts))
    threads = [
        threading.Thread(target=submit, args=(app, barrier, world.decision_id, a)) for a in attempts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a vote never finished (a deadlock?)"

    assert_no_errors(attempts)
    assert [a.refused for a in attempts if a.refused] == []
    with app.app_context():
        session = db.session
        decision = queries.load_decision(world.decision_id)
        assert decision.status.value == "closed"
        outcome = queries.outcome_of(decision)
        assert outcome.status is enums.OutcomeStatus.CARRIED
        assert outcome.counted == rules.Tally(31, 15, 5)
        assert any("31 for" in line for line in decision.explanation), decision.explanation
        closings = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.subject_type == "decision",
                AuditEntry.subject_id == decision.id,
                AuditEntry.summary.startswith("Decision closed"),
            )
        )
        assert closings == 1
        minuted = session.scalars(
            select(Resolution.text).where(Resolution.item_id == decision.motion.item_id)
        ).all()
        assert len(minuted) == 1 and "31 for, 15 against" in minuted[0], minuted
