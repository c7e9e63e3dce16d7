"""Scheduled work done exactly once: two `flask tick`s started together (each in its own thread,
with its own app context, session and connection, as two instances' cron jobs) close each due
decision once and send each reminder once, and both say truthfully what they did; and, on
PostgreSQL, the clock steps themselves run twice at once (as if the lease had lapsed) still do
each thing once, because "already done" is checked after the decision's row is locked.

Threads cannot share the rolled-back transaction of the ``app`` fixture, so this test commits
to a database of its own.
"""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from govtrack import create_app
from govtrack.auth.models import User
from govtrack.core import clock
from govtrack.core.dates import today
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.db import db, utcnow
from govtrack.voting import commands, votes
from govtrack.voting.enums import DecisionStatus
from govtrack.voting.models import Decision, Motion
from tests.conftest import committed_postgresql_database, migrate
from tests.integration.voting.test_concurrent_votes import build_board

ABSENT = 40


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request, tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh, migrated database for committed data, dropped at the end (PostgreSQL: skipped
    locally, failed in CI, when there is no server, through ``postgresql_url``)."""
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tick.db'}"
        migrate(url)
        yield url
        db.engine_for(url).dispose()
        return
    server = request.getfixturevalue("postgresql_url")
    with committed_postgresql_database(server, "govtrack_tick") as url:
        yield url


@pytest.fixture
def tick_app(own_database: str):
    app = create_app(
        {
            "DATABASE_URL": own_database,
            "TESTING": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_DELIVERY": "worker",
        }
    )
    try:
        yield app
    finally:
        db.session.remove()


def second_decision(app, first_id: int, chair_id: int) -> int:
    """Another motion on the same item, put to the same absent members."""
    with app.app_context():
        first = db.session.get(Decision, first_id)
        item_id = db.session.get(Motion, first.motion_id).item_id
        clerk = db.session.scalar(select(User).where(User.email == "clerk@example.org"))
        motion = Motion(item_id=item_id, position=2, text="That the budget be approved.")
        db.session.add(motion)
        db.session.commit()
        with app.test_request_context():
            decision = commands.open_decision(
                clerk,
                motion,
                {"method": "recorded", f"vote-{chair_id}": "for", "electronic": "y"},
                today(),
                utcnow(),
            )
            db.session.commit()
        return decision.id


def set_closes_at(app, decision_id: int, closes_at, reminded: bool | None = None) -> None:
    with app.app_context():
        values: dict = {"closes_at": closes_at}
        if reminded is False:
            values["reminded_at"] = None  # due for a reminder again
        db.session.execute(update(Decision).where(Decision.id == decision_id).values(**values))
        db.session.commit()


def at_once(app, job: Callable[[], object], n: int = 2) -> list:
    """Run ``job`` in ``n`` threads released together, each in its own app context; commit
    each. Returns each thread's result (or fails the test with any thread's traceback)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[str] = []

    def run(index: int) -> None:
        try:
            with app.app_context():
                db.session.execute(select(1))  # connected before the race starts
                barrier.wait(timeout=60)
                results[index] = job()
                db.session.commit()
        except Exception:
            barrier.abort()
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[0]
    return results


def reminders_by_recipient(app) -> Counter:
    with app.app_context():
        return Counter(
            db.session.scalars(
                select(OutboxMessage.recipient).where(OutboxMessage.subject.like("Reminder:%"))
            )
        )


def closings(app, decision_id: int) -> tuple[DecisionStatus, int, int]:
    """The decision's status, its closing audit entries and the outcome e-mails sent."""
    with app.app_context():
        status = db.session.get(Decision, decision_id).status
        entries = db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.subject_id == decision_id,
                AuditEntry.summary.like("Decision closed%"),
            )
        )
        told = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.subject.like("Decided:%"),
                OutboxMessage.body.like(f"%/votes/{decision_id}\n%"),
            )
        )
        return status, entries, told


def one_did_it(lines: list[list[str]], did: str, nothing: str) -> None:
    """One tick reports the work; the other reports that another tick is running, or (if it
    took the lease after the first gave it back) that there was nothing left to do."""
    worked = [ls for ls in lines if any(did in line for line in ls)]
    others = [ls for ls in lines if ls not in worked]
    assert len(worked) == 1, lines
    [other] = others
    assert other[0].startswith("Another tick is running") or any(nothing in x for x in other)


def test_two_ticks_at_once_close_once_and_remind_once(tick_app):
    app = tick_app
    world = build_board(app, absent=ABSENT)
    first = world.decision_id
    second = second_decision(app, first, world.chair_id)
    postgresql = db.engine_for(app.config["DATABASE_URL"]).dialect.name == "postgresql"
    now = utcnow()

    if postgresql:
        # The clock's steps twice at once, with no lease: still once each.
        set_closes_at(app, first, now + timedelta(hours=6))
        sent = at_once(app, lambda: votes.reminders_due(utcnow()))
        assert sorted(sent) == [0, ABSENT]
        assert reminders_by_recipient(app) == Counter(
            {f"officer{n}@example.org": 1 for n in range(1, ABSENT + 1)}
        )
        set_closes_at(app, first, now - timedelta(minutes=5))
        closed = at_once(app, lambda: votes.close_due(utcnow()))
        assert sorted(closed) == [0, 1]
        assert closings(app, first) == (DecisionStatus.CLOSED, 1, 1)  # the chair is told once

    # Two ticks at once, each under the lease: the second decision is due for its reminders.
    before = reminders_by_recipient(app)
    set_closes_at(app, second, now + timedelta(hours=6), reminded=False)
    results = at_once(app, lambda: clock.tick(utcnow()))
    lines = [r.lines for r in results]
    one_did_it(lines, f"sent {ABSENT} reminder(s)", "sent 0 reminder(s)")
    assert reminders_by_recipient(app) - before == Counter(
        {f"officer{n}@example.org": 1 for n in range(1, ABSENT + 1)}
    )

    # ... and then it is past its deadline: closed once, its outcome told once.
    set_closes_at(app, second, utcnow() - timedelta(minutes=5))
    results = at_once(app, lambda: clock.tick(utcnow()))
    one_did_it([r.lines for r in results], "Closed 1 decision(s)", "Closed 0 decision(s)")
    assert closings(app, second) == (DecisionStatus.CLOSED, 1, 1)


def test_a_tick_while_another_holds_the_lease_does_nothing(tick_app):
    app = tick_app
    world = build_board(app, absent=3)
    set_closes_at(app, world.decision_id, utcnow() - timedelta(minutes=5))
    with app.app_context():
        assert clock.take_lease(clock.TICK, "another instance", utcnow())
        result = clock.tick(utcnow())
        assert not result.ran
        assert result.lines[0].startswith("Another tick is running (another instance, until ")
        assert db.session.get(Decision, world.decision_id).status is DecisionStatus.OPEN
        # A lease whose holder died lapses: a tick after it does the work.
        later = utcnow() + clock.LEASE_FOR + timedelta(seconds=1)
        result = clock.tick(later)
        assert result.ran and "Closed 1 decision(s); sent 0 reminder(s)." in result.lines
        # Given back at the end: the next tick may run at once.
        assert clock.tick(later).ran


def test_two_deliverers_at_once_send_each_message_once(tick_app):
    """Two workers (or a worker and a web process's thread) delivering together share the
    messages out: each goes once."""
    from aiosmtpd.controller import Controller

    from govtrack.core.mail import deliver_due, send_mail
    from tests.integration.test_mail import Collector, free_port

    app = tick_app
    handler = Collector()
    server = Controller(handler, hostname="127.0.0.1", port=free_port())
    server.start()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SSL=False, SMTP_STARTTLS=False,
        SMTP_USERNAME="", SMTP_TIMEOUT=5.0,
    )  # fmt: skip
    try:
        with app.app_context():
            for n in range(120):  # more than one batch
                send_mail(f"member{n}@example.org", f"Message {n}", "…")
            db.session.commit()
        reports = at_once(app, deliver_due)
    finally:
        server.stop()
    sent = sorted(message_id for report in reports for message_id in report.sent)
    assert len(sent) == len(set(sent)) == 120
    assert Counter(e.rcpt_tos[0] for e in handler.envelopes) == Counter(
        {f"member{n}@example.org": 1 for n in range(120)}
    )
