"""Two gunicorn instances on one PostgreSQL, sharing Redis, one killed (SIGKILL, every process
of it) while fifty voters vote across both: every vote answered as accepted is stored exactly
once, no vote is stored twice, a vote whose answer died with the instance is either stored once
(and shown to the voter when they look again) or not at all, and the sign-in counts kept in
Redis outlive the instance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass

import redis
import requests
from sqlalchemy import select

from govtrack import ROOT
from govtrack.auth.models import User
from govtrack.db import db
from govtrack.voting import enums
from govtrack.voting.models import VoteCast
from tests.fixtures.actions import csrf_token
from tests.integration.test_serving import (  # noqa: F401 (fixtures)
    free_port,
    gunicorn_env,
    output,
    redis_url,
    wait_until_alive,
)
from tests.integration.voting.test_concurrent_votes import (  # noqa: F401 (fixtures)
    build_board,
    own_database,
    voting_app,
)

VOTERS = 50
PASSWORD = "a long test password"  # build_board's


@dataclass
class Ballot:
    person_id: int
    email: str
    session: requests.Session
    instance: str  # where the vote is sent
    status: int | None = None  # None: the answer never came back


class Instance:
    """A gunicorn instance of its own process group, so all of it can be killed at once."""

    def __init__(self, **settings: str) -> None:
        port = free_port()
        env = gunicorn_env(
            GOVTRACK_BIND=f"127.0.0.1:{port}",
            GOVTRACK_INSTANCE=tempfile.mkdtemp(prefix="govtrack-instance-"),
            **settings,
        )
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}"
        wait_until_alive(self.process, self.url, self.log)

    def kill(self) -> None:
        """SIGKILL to the master and every worker: no request in flight is finished."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def sign_in(url: str, email: str) -> requests.Session:
    session = requests.Session()
    token = csrf_token(session.get(f"{url}/sign-in", timeout=120).text)
    answer = session.post(
        f"{url}/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=120,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def wrong_passwords(url: str, account: str, times: int) -> list[int]:
    session = requests.Session()
    token = csrf_token(session.get(f"{url}/sign-in", timeout=120).text)
    return [
        session.post(
            f"{url}/sign-in",
            data={"email": account, "password": "not the password", "csrf_token": token},
            timeout=120,
        ).status_code
        for _ in range(times)
    ]


def vote(ballot: Ballot, decision_id: int, barrier: threading.Barrier) -> None:
    page = ballot.session.get(f"{ballot.instance}/votes/{decision_id}", timeout=120)
    token = csrf_token(page.text)
    barrier.wait(timeout=120)
    try:
        answer = ballot.session.post(
            f"{ballot.instance}/votes/{decision_id}/cast",
            data={"choice": "for", "csrf_token": token},
            allow_redirects=False,
            timeout=120,
        )
    except requests.RequestException:
        return  # the answer died with the instance
    ballot.status = answer.status_code


def test_an_instance_killed_under_load_loses_no_accepted_vote_and_stores_none_twice(
    voting_app,  # noqa: F811
    own_database,  # noqa: F811
    redis_url,  # noqa: F811
):
    world = build_board(voting_app, absent=VOTERS)
    # A Redis database of this test's own, emptied first: counts from earlier runs (kept for
    # five minutes) would refuse this run's first wrong passwords.
    store = redis_url.rsplit("/", 1)[0] + "/15"
    redis.Redis.from_url(store).flushdb()
    shared = {
        "DATABASE_URL": own_database,
        "SECRET_KEY": "one-key-for-every-instance",
        "RATELIMIT_STORAGE_URI": store,
        "WEB_CONCURRENCY": "2",
    }
    first, second = Instance(**shared), Instance(**shared)
    try:
        with voting_app.app_context():
            emails = dict(db.session.execute(select(User.id, User.email)).all())
        # Signed in on one instance, voting on the other: the session is good on both.
        ballots = []
        for n, (person_id, user_id) in enumerate(world.absent):
            sign_in_at, vote_at = (first, second) if n % 2 else (second, first)
            session = sign_in(sign_in_at.url, emails[user_id])
            ballots.append(Ballot(person_id, emails[user_id], session, vote_at.url))
        # Three wrong passwords on the instance about to die, counted in Redis.
        account = "guesser-target@example.org"
        before = wrong_passwords(second.url, account, 3)

        barrier = threading.Barrier(len(ballots) + 1)
        threads = [
            threading.Thread(target=vote, args=(b, world.decision_id, barrier)) for b in ballots
        ]
        for thread in threads:
            thread.start()
        barrier.wait(timeout=120)
        time.sleep(0.3)  # some votes answered, some in flight, some not yet read
        second.kill()
        for thread in threads:
            thread.join(timeout=180)
        assert not any(t.is_alive() for t in threads), "a vote never finished"

        # The count outlived the instance: on the survivor the 4th and 5th wrong passwords
        # are let through and the 6th refused (LOGIN_LIMIT_PER_ACCOUNT, 5 per 5 minutes).
        after = wrong_passwords(first.url, account, 3)
        assert before + after == [200] * 5 + [429]

        with voting_app.app_context():
            stored = Counter(
                db.session.scalars(
                    select(VoteCast.person_id).where(
                        VoteCast.decision_id == world.decision_id,
                        VoteCast.channel == enums.Channel.ELECTRONIC,
                    )
                )
            )
        accepted = [b for b in ballots if b.status == 302]
        lost = [b for b in ballots if b.status is None]
        refused = [b for b in ballots if b.status not in (302, None)]
        assert accepted, "no vote was answered: the instance died before any"
        assert not refused, [(b.email, b.status) for b in refused]
        assert max(stored.values(), default=0) == 1, "a vote was stored twice"
        for ballot in accepted:
            assert stored[ballot.person_id] == 1, f"{ballot.email}'s accepted vote was lost"
        # A lost answer: stored once and shown when the voter looks again, or not at all.
        for ballot in lost:
            page = ballot.session.get(f"{first.url}/votes/{world.decision_id}", timeout=120)
            assert page.status_code == 200
            shown = "You voted For" in page.text or "You responded For" in page.text
            assert shown == (stored[ballot.person_id] == 1), ballot.email
        print(
            f"{len(accepted)} accepted, {len(lost)} answers lost with the instance, "
            f"{sum(stored[b.person_id] for b in lost)} of those stored"
        )
    finally:
        second.stop()
        first.stop()
