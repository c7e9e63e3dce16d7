"""The benchmark `make bench` runs: server time and SQL queries of the main pages on a synthetic
county-sized dataset, on SQLite and PostgreSQL; the time to cast a vote; and on PostgreSQL the
votes per second that simultaneous voters cast, none lost.

Each database is fresh (a temporary SQLite file; a new ``govtrack_bench_*`` PostgreSQL database,
dropped afterwards), migrated, and filled by the same builder the query-count tests use
(``tests/fixtures/bulk.py``); PostgreSQL is then analysed, as autovacuum would have done.
Pages are requested in process through Flask's test client, as a signed-in administrator, as
the public, or as a member with many decisions who may vote on the open decision measured; the
time is the request's wall-clock time in the server, without a network.

Votes are cast as a member casts one in a browser: signed in, the form's token read from the
decision's page, then ``POST /votes/<id>/cast`` (only the POST is timed). On the open electronic
decision with the most voters who hold an account, each of ``--casts`` voters (those yet to vote
first) votes, then changes their vote. On PostgreSQL, ``--voters`` voters then vote at once, each
in a thread of their own with their own signed-in client: a barrier releases them together,
round after round for ``--seconds``, each vote the opposite of the voter's last, so every one is
a change. Afterwards the database must hold every vote accepted, in the order each voter cast
them, and one current vote per voter, their last.

Exits non-zero if any page does not answer 200, a vote is not accepted, or a vote was lost.

    .venv/bin/python scripts/bench.py --size small --database sqlite --repeat 5
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.*: the builder and the migration helper are shared

from govtrack import create_app  # noqa: E402
from govtrack.auth.models import User  # noqa: E402
from govtrack.core.dates import today  # noqa: E402
from govtrack.db import db  # noqa: E402
from govtrack.meetings.enums import MinutesStatus  # noqa: E402
from govtrack.meetings.models import AgendaItem, Attendance, Meeting  # noqa: E402
from govtrack.registry.models import Membership, Person  # noqa: E402
from govtrack.registry.services import current_on  # noqa: E402
from govtrack.voting.enums import Channel, DecisionStatus  # noqa: E402
from govtrack.voting.models import CurrentVote, Decision, Motion, VoteCast  # noqa: E402
from tests.conftest import PG_SERVER_URL, migrate  # noqa: E402
from tests.fixtures.actions import csrf_token  # noqa: E402
from tests.fixtures.bulk import SIZES, Builder, QueryCounter, build  # noqa: E402
from tests.fixtures.factories import TEST_PASSWORD  # noqa: E402

# A word of the builder's council vocabulary that many resolutions use.
SEARCH_WORD = "budget"

# (label, path, as whom: "admin", "public" or "member"); {partner}, {person}, {body} and
# {meeting} are the busiest of each; {closed} is the closed decision with the most votes cast,
# {open} the open electronic decision with the most voters who hold an account, {open_body} its
# body, {votes_page} the middle page of the Popolo votes. The member may vote on {open}.
# {service} is the pipeline service with the most stage transitions. {objective} is the
# objective with the most milestones, {milestone} the milestone with the longest history.
PAGES = [
    ("Home", "/", "admin"),
    ("Partners", "/partners", "admin"),
    ("Partner", "/partners/{partner}", "admin"),
    ("People", "/people", "admin"),
    ("Person", "/people/{person}", "admin"),
    ("Bodies", "/bodies", "admin"),
    ("Body", "/bodies/{body}", "admin"),
    ("Memberships", "/memberships", "admin"),
    ("Audit log", "/audit", "admin"),
    ("Current, by person", "/memberships?when=current&sort=person", "admin"),
    ("Memberships p. 50", "/memberships?page=50", "admin"),
    ("Meetings", "/meetings", "admin"),
    ("Past meetings p. 20", "/meetings?when=past&page=20", "admin"),
    ("Meeting", "/meetings/{meeting}", "admin"),
    ("Minutes", "/meetings/{meeting}/minutes", "admin"),
    ("Decisions", "/decisions", "admin"),
    ("Decisions, search", f"/decisions?q={SEARCH_WORD}", "admin"),
    ("Decisions, search, body", f"/decisions?q={SEARCH_WORD}&body={{body}}", "admin"),
    ("Actions", "/actions", "admin"),
    ("Actions overdue", "/actions?status=overdue", "admin"),
    ("Body's calendar (.ics)", "/bodies/{body}/meetings.ics", "admin"),
    ("My decisions", "/my-decisions", "member"),
    ("Decision, closed", "/votes/{closed}", "public"),
    ("Decision, closed", "/votes/{closed}", "admin"),
    ("Decision, open", "/votes/{open}", "public"),
    ("Decision, open", "/votes/{open}", "member"),
    ("Body's decision rules", "/bodies/{open_body}/rules", "admin"),
    ("Popolo vote events", "/api/popolo/vote_events", "public"),
    ("Popolo votes", "/api/popolo/votes", "public"),
    ("Popolo votes, middle page", "/api/popolo/votes?page={votes_page}", "public"),
    ("Pipeline board", "/pipeline", "public"),
    ("Pipeline board", "/pipeline", "admin"),
    ("Pipeline board as at 22/03/2007", "/pipeline?as_at=22/03/2007", "public"),
    ("Pipeline board as at 22/03/2007", "/pipeline?as_at=22/03/2007", "admin"),
    ("Pipeline table", "/pipeline/table", "admin"),
    ("Pipeline table by share", "/pipeline/table?sort=share&order=desc", "public"),
    ("Pipeline table as at 22/03/2007", "/pipeline/table?as_at=22/03/2007", "admin"),
    ("Pipeline service", "/pipeline/services/{service}", "admin"),
    ("Pipeline analytics", "/pipeline/analytics", "public"),
    ("Scrutiny inquiries", "/scrutiny", "public"),
    ("Recommendations tracker", "/recommendations", "public"),
    ("Recommendations tracker", "/recommendations", "admin"),
    ("Tracker, responses overdue", "/recommendations?overdue=responses", "admin"),
    ("Tracker, red, by RAG p. 5", "/recommendations?rag=red&sort=rag&page=5", "admin"),
    ("Recommendation", "/recommendations/{recommendation}", "public"),
    ("Recommendation", "/recommendations/{recommendation}", "admin"),
    ("Inquiry", "/scrutiny/inquiries/{inquiry}", "admin"),
    ("Monitoring report", "/scrutiny/inquiries/{inquiry}/monitoring", "public"),
    (
        "Monitoring report as at 2008-01-01",
        "/scrutiny/inquiries/{inquiry}/monitoring?as_at=2008-01-01",
        "admin",
    ),
    (
        "Monitoring report (.xlsx)",
        "/scrutiny/inquiries/{inquiry}/monitoring/export?format=xlsx",
        "admin",
    ),
    ("Programme objectives", "/programme", "public"),
    ("Objective", "/programme/objectives/{objective}", "public"),
    ("Objective", "/programme/objectives/{objective}", "admin"),
    ("Milestones", "/programme/milestones", "admin"),
    (
        "Milestones, overdue, by RAG p. 5",
        "/programme/milestones?overdue=yes&sort=rag&page=5",
        "public",
    ),
    ("Milestone", "/programme/milestones/{milestone}", "admin"),
    ("Programme dashboard", "/dashboard", "admin"),
    ("Partner dashboard", "/dashboard/partners/{partner}", "admin"),
    ("Objective dashboard", "/dashboard/objectives/{objective}", "admin"),
    ("Milestone timeline", "/dashboard/timeline", "admin"),
    ("Milestone timeline p. 100", "/dashboard/timeline?page=100", "admin"),
    ("Highlight report, 2007", "/dashboard/highlight?from=01/01/2007&to=31/12/2007", "admin"),
]


@dataclass(frozen=True)
class Result:
    label: str
    path: str
    who: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    bytes: int = 0  # the page's weight (the dashboards must not grow with the data)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least ``fraction`` of values reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@contextmanager
def sqlite_database(workdir: Path) -> Iterator[str]:
    yield f"sqlite:///{workdir / 'bench.db'}"


@contextmanager
def postgresql_database() -> Iterator[str]:
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"govtrack_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise SystemExit(f"PostgreSQL is not reachable at {PG_SERVER_URL}: {exc}") from exc
    try:
        yield PG_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        db.dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def busiest() -> dict[str, int]:
    """The partner with the most current seats, the body and person with the most
    memberships, and the minuted meeting with the most items and attendance: the detail pages
    with the most rows."""

    def top(column, *where) -> int:
        stmt = select(column).where(*where).group_by(column)
        return db.session.scalar(stmt.order_by(func.count().desc(), column).limit(1))

    def rows_of(model) -> Any:
        return select(func.count()).where(model.meeting_id == Meeting.id).scalar_subquery()

    meeting = (
        select(Meeting.id)
        .where(Meeting.minutes_status != MinutesStatus.NONE)
        .order_by((rows_of(AgendaItem) + rows_of(Attendance)).desc(), Meeting.id)
        .limit(1)
    )
    return {
        "partner": top(Membership.partner_id, current_on(today())),
        "body": top(Membership.body_id),
        "person": top(Membership.person_id),
        "meeting": db.session.scalar(meeting),
    }


def busiest_service() -> dict[str, int]:
    """The pipeline service with the most stage transitions (the longest stage history)."""
    from govtrack.pipeline.models import StageTransition

    stmt = (
        select(StageTransition.service_id)
        .group_by(StageTransition.service_id)
        .order_by(func.count().desc(), StageTransition.service_id)
        .limit(1)
    )
    service = db.session.scalar(stmt)
    return {} if service is None else {"service": service}


def busiest_scrutiny() -> dict[str, int]:
    """The recommendation with the most updates and the inquiry with the most recommendations."""
    from govtrack.scrutiny.models import Recommendation, RecommendationUpdate

    rec = db.session.scalar(
        select(RecommendationUpdate.recommendation_id)
        .group_by(RecommendationUpdate.recommendation_id)
        .order_by(func.count().desc(), RecommendationUpdate.recommendation_id)
        .limit(1)
    )
    inquiry = db.session.scalar(
        select(Recommendation.inquiry_id)
        .group_by(Recommendation.inquiry_id)
        .order_by(func.count().desc(), Recommendation.inquiry_id)
        .limit(1)
    )
    ids = {"recommendation": rec} if rec else {}
    return ids | ({"inquiry": inquiry} if inquiry else {})


def time_scrutiny_import(app, inquiry_id: int, rows: int) -> str:
    """Import a spreadsheet of ``rows`` new progress updates on the inquiry's recommendations,
    in the export's format, as `flask scrutiny import` does: check every row, then write all in
    one transaction."""
    from datetime import timedelta

    from govtrack.auth.models import system_actor
    from govtrack.core.spreadsheet import csv_bytes
    from govtrack.scrutiny import queries as scrutiny
    from govtrack.scrutiny import sheets

    with app.app_context():
        inquiry = scrutiny.load_inquiry(inquiry_id)
        recs = scrutiny.recommendations_of(inquiry_id)
        day = today()
        data = []
        for i in range(rows):
            rec = recs[i % len(recs)]
            cells = dict.fromkeys(sheets.HEADERS, "")
            cells.update(
                {
                    "Reference": rec.reference,
                    "Update date": (day - timedelta(days=i // len(recs))).isoformat(),
                    "Update": f"Bench progress update {i}.",
                    "Assessment": "on_track",
                }
            )
            data.append([cells[h] for h in sheets.HEADERS])
        body = csv_bytes(sheets.HEADERS, data)
        started = time.perf_counter()
        plan = sheets.plan(inquiry, body, "bench.csv", day)
        checked = time.perf_counter()
        if not plan.valid:
            db.session.rollback()
            return f"Import of {rows} rows: REFUSED ({plan.problems[:3]})"
        written = sheets.write(system_actor("bench"), inquiry, plan, day)
        db.session.commit()
        done = time.perf_counter()
    return (
        f"Importing a {rows:,}-row spreadsheet of updates (inquiry {inquiry_id}, "
        f"{len(recs)} recommendations): checked in {checked - started:.2f} s, written "
        f"({written.updates:,} updates) in {done - checked:.2f} s, "
        f"{done - started:.2f} s in all."
    )


def busiest_decisions(built: Builder) -> dict[str, int]:
    """The closed decision the public may see with the most votes cast, and the open one with
    the most voters who hold an account (and its body); none where the dataset has none."""
    cast = select(func.count()).where(VoteCast.decision_id == Decision.id).scalar_subquery()
    closed = db.session.scalar(
        select(Decision.id)
        .join(Motion, Decision.motion_id == Motion.id)
        .join(AgendaItem, Motion.item_id == AgendaItem.id)
        .where(Decision.status == DecisionStatus.CLOSED, AgendaItem.exempt_paragraph.is_(None))
        .order_by(cast.desc(), Decision.id)
        .limit(1)
    )
    ids = {"closed": closed} if closed else {}
    if built.open_voters:
        ids["open"] = max(built.open_voters, key=lambda d: (len(built.open_voters[d]), -d))
        ids["open_body"] = db.session.scalar(
            select(Meeting.body_id)
            .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .join(Motion, Motion.item_id == AgendaItem.id)
            .join(Decision, Decision.motion_id == Motion.id)
            .where(Decision.id == ids["open"])
        )
    return ids


def sign_in(client, email: str) -> None:
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": csrf_token(form.text)},
    )
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {response.status_code}")


def measure(client, engine, label: str, path: str, who: str, repeat: int) -> Result:
    # The first request is counted and checked, not timed: it warms the template cache.
    with QueryCounter(engine) as queries:
        response = client.get(path)
    if response.status_code != 200:
        return Result(label, path, who, response.status_code, queries.count, math.nan, math.nan)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return Result(label, path, who, response.status_code, queries.count, math.nan, math.nan)
    return Result(
        label,
        path,
        who,
        200,
        queries.count,
        statistics.median(times),
        percentile(times, 0.95),
        len(response.data),
    )


# Casting votes ---------------------------------------------------------------------------


@dataclass
class Voter:
    """A member entitled to vote on the decision, signed in in a browser of their own, with
    the decision page's form token; and what became of each vote they cast."""

    email: str
    person_id: int
    client: Any
    token: str
    current: str | None  # their current choice on the decision, if any
    had_vote: bool = False  # whether they had one before the bench voted
    accepted: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # ms, of the accepted votes
    refused: list[int] = field(default_factory=list)  # the status of each vote not accepted
    error: str | None = None

    def next_choice(self) -> str:
        """The opposite of their last vote, so that each vote is a change (For first)."""
        return "against" if self.current == "for" else "for"


def voters_of(app, decision_id: int, emails: list[str]) -> list[Voter]:
    """Sign each in and read the form's token from the decision's page, as a browser does."""
    with app.app_context():
        people = dict(
            db.session.execute(
                select(User.email, Person.id)
                .join(Person, Person.user_id == User.id)
                .where(User.email.in_(emails))
            ).all()
        )
        current = dict(
            db.session.execute(
                select(CurrentVote.person_id, VoteCast.choice)
                .join(VoteCast, CurrentVote.vote_cast_id == VoteCast.id)
                .where(CurrentVote.decision_id == decision_id)
            ).all()
        )
    voters = []
    for email in emails:
        client = app.test_client()
        sign_in(client, email)
        page = client.get(f"/votes/{decision_id}")
        if page.status_code != 200 or 'name="csrf_token"' not in page.text:
            raise SystemExit(f"{email} is offered no vote on decision {decision_id}")
        choice = current.get(people[email])
        token = csrf_token(page.text)
        value = choice.value if choice else None
        voters.append(Voter(email, people[email], client, token, value, choice is not None))
    return voters


def cast(voter: Voter, decision_id: int, choice: str):
    response = voter.client.post(
        f"/votes/{decision_id}/cast", data={"csrf_token": voter.token, "choice": choice}
    )
    # The browser would show the flashed receipt on the page it is sent to; unread messages
    # would otherwise pile up in the session cookie.
    with voter.client.session_transaction() as session:
        session.pop("_flashes", None)
    return response


@dataclass(frozen=True)
class Timing:
    label: str
    count: int
    queries: str  # the fewest and most a vote ran
    median_ms: float
    p95_ms: float


def electronic_voters(app, decision_id: int, emails: list[str]) -> list[str]:
    """The voters who may still vote electronically: a vote given in the meeting stands."""
    with app.app_context():
        in_meeting = set(
            db.session.scalars(
                select(User.email)
                .join(Person, Person.user_id == User.id)
                .join(CurrentVote, CurrentVote.person_id == Person.id)
                .join(VoteCast, CurrentVote.vote_cast_id == VoteCast.id)
                .where(
                    CurrentVote.decision_id == decision_id,
                    VoteCast.channel == Channel.IN_MEETING,
                )
            )
        )
    return [email for email in emails if email not in in_meeting]


def page_message(html: str) -> str:
    """What a refusal page says, as text (its main content without the markup)."""
    main = html.split('id="main-content"', 1)[-1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[-1])
    return re.sub(r"\s+", " ", text).strip()[:600]


def time_casts(app, engine, decision_id: int, emails: list[str], wanted: int) -> list[Timing]:
    """Up to ``wanted`` voters, those yet to vote first, each vote and then change it."""
    with app.app_context():
        voted = set(
            db.session.scalars(
                select(User.email)
                .join(Person, Person.user_id == User.id)
                .join(CurrentVote, CurrentVote.person_id == Person.id)
                .where(CurrentVote.decision_id == decision_id)
            )
        )
    chosen = sorted(emails, key=lambda email: (email in voted, email))[:wanted]
    samples: dict[str, list[tuple[float, int]]] = defaultdict(list)
    voters = voters_of(app, decision_id, chosen)
    for _round in range(2):
        for voter in voters:
            choice, kind = voter.next_choice(), "Change of vote" if voter.current else "First vote"
            with QueryCounter(engine) as queries:
                started = time.perf_counter()
                response = cast(voter, decision_id, choice)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 302:
                raise SystemExit(
                    f"{voter.email}'s vote {choice} on decision {decision_id} was not accepted: "
                    f"{response.status_code}: {page_message(response.text)}"
                )
            voter.current = choice
            samples[kind].append((elapsed, queries.count))
            samples["Any vote"].append((elapsed, queries.count))
    timings = []
    for label in ("First vote", "Change of vote", "Any vote"):
        if samples[label]:
            times = [ms for ms, _ in samples[label]]
            counts = sorted({n for _, n in samples[label]})
            span = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
            timings.append(
                Timing(
                    label,
                    len(times),
                    span,
                    statistics.median(times),
                    percentile(times, 0.95),
                )
            )
    return timings


@dataclass
class Race:
    """What simultaneous voting achieved, and what was found lost afterwards."""

    voters: int
    rounds: int
    seconds: float
    accepted: int
    refused: int
    errors: int
    median_ms: float
    p95_ms: float
    problems: list[str]

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds else math.nan


def race(app, url: str, decision_id: int, emails: list[str], seconds: float) -> Race:
    """The voters vote at once, round after round, for ``seconds``; then check every vote
    accepted is kept. Each thread has its own client, so its own app context, session and
    database connection, as each request has in production; the pool has one for each."""
    engine = create_engine(url, pool_size=len(emails) + 5, max_overflow=0, pool_pre_ping=True)
    saved = app.extensions["govtrack.engine"]
    app.extensions["govtrack.engine"] = engine
    try:
        voters = voters_of(app, decision_id, emails)
        with app.app_context():
            before = db.session.scalar(select(func.max(VoteCast.id))) or 0
        clock: dict[str, float] = {}
        rounds = [0]

        def release() -> None:
            # Run by the last voter to reach the barrier, before it lets them all go.
            now = time.perf_counter()
            clock.setdefault("start", now)
            clock["stop" if now - clock["start"] >= seconds else "last"] = now
            rounds[0] += "stop" not in clock

        barrier = threading.Barrier(len(voters), action=release)

        def vote(voter: Voter) -> None:
            try:
                while True:
                    barrier.wait(timeout=120)
                    if "stop" in clock:
                        return
                    choice = voter.next_choice()
                    started = time.perf_counter()
                    response = cast(voter, decision_id, choice)
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code == 302:
                        voter.accepted.append(choice)
                        voter.times.append(elapsed)
                        voter.current = choice
                    else:
                        voter.refused.append(response.status_code)
            except threading.BrokenBarrierError:
                voter.error = voter.error or "another voter's thread failed"
            except Exception:
                voter.error = traceback.format_exc()
                barrier.abort()

        threads = [threading.Thread(target=vote, args=(v,), name=v.email) for v in voters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 300)
        problems = [f"{t.name}: never finished (a deadlock?)" for t in threads if t.is_alive()]
        problems += [f"{v.email}: {v.error}" for v in voters if v.error]
        problems += [
            f"{v.email}: {len(v.refused)} votes refused ({', '.join(map(str, v.refused[:5]))})"
            for v in voters
            if v.refused
        ]
        with app.app_context():
            problems += lost_votes(decision_id, before, voters)
    finally:
        app.extensions["govtrack.engine"] = saved
        engine.dispose()
    times = [ms for v in voters for ms in v.times]
    return Race(
        voters=len(voters),
        rounds=rounds[0],
        seconds=clock.get("stop", clock.get("last", 0.0)) - clock.get("start", 0.0),
        accepted=sum(len(v.accepted) for v in voters),
        refused=sum(len(v.refused) for v in voters),
        errors=sum(1 for v in voters if v.error),
        median_ms=statistics.median(times) if times else math.nan,
        p95_ms=percentile(times, 0.95) if times else math.nan,
        problems=problems,
    )


def lost_votes(decision_id: int, before: int, voters: list[Voter]) -> list[str]:
    """Every accepted vote is a new row of the history, in the order its voter cast it, and
    nothing else is; each voter has one current vote, their last accepted."""
    problems = []
    recorded: dict[int, list[str]] = defaultdict(list)
    for person_id, choice in db.session.execute(
        select(VoteCast.person_id, VoteCast.choice)
        .where(VoteCast.decision_id == decision_id, VoteCast.id > before)
        .order_by(VoteCast.id)
    ):
        recorded[person_id].append(choice.value)
    accepted = sum(len(v.accepted) for v in voters)
    added = sum(len(choices) for choices in recorded.values())
    if added != accepted:
        problems.append(f"{accepted} votes accepted but {added} recorded")
    current: dict[int, list[str]] = defaultdict(list)
    for person_id, choice in db.session.execute(
        select(CurrentVote.person_id, VoteCast.choice)
        .join(VoteCast, CurrentVote.vote_cast_id == VoteCast.id)
        .where(CurrentVote.decision_id == decision_id)
    ):
        current[person_id].append(choice.value)
    for voter in voters:
        if recorded.get(voter.person_id, []) != voter.accepted:
            problems.append(
                f"{voter.email}: accepted {voter.accepted}, "
                f"recorded {recorded.get(voter.person_id, [])}"
            )
        expected = 1 if voter.accepted or voter.had_vote else 0
        if len(current[voter.person_id]) != expected:
            problems.append(f"{voter.email}: {len(current[voter.person_id])} current votes")
        elif voter.accepted and current[voter.person_id] != voter.accepted[-1:]:
            problems.append(
                f"{voter.email}: current vote {current[voter.person_id][0]}, "
                f"last accepted {voter.accepted[-1]}"
            )
    status = db.session.scalar(select(Decision.status).where(Decision.id == decision_id))
    if status is not DecisionStatus.OPEN:
        problems.append(f"decision {decision_id} closed during the run")
    return problems


# Running ---------------------------------------------------------------------------------


@dataclass
class Run:
    heading: str
    results: list[Result]
    casting: list[Timing]
    casting_note: str
    race: Race | None
    race_note: str
    scrutiny_import: str = ""


def busiest_programme() -> dict[str, int]:
    """The objective with the most milestones and the milestone with the longest history."""
    from govtrack.programme.models import Milestone, MilestoneChange

    objective = db.session.scalar(
        select(Milestone.objective_id)
        .where(Milestone.objective_id.is_not(None))
        .group_by(Milestone.objective_id)
        .order_by(func.count().desc(), Milestone.objective_id)
        .limit(1)
    )
    milestone = db.session.scalar(
        select(MilestoneChange.milestone_id)
        .group_by(MilestoneChange.milestone_id)
        .order_by(func.count().desc(), MilestoneChange.milestone_id)
        .limit(1)
    )
    ids = {"objective": objective} if objective else {}
    return ids | ({"milestone": milestone} if milestone else {})


def run(url: str, size: str, args: argparse.Namespace) -> Run:
    started = time.perf_counter()
    migrate(url)
    app = create_app({"DATABASE_URL": url, "RATELIMIT_STORAGE_URI": "memory://"})
    migrated = time.perf_counter()
    postgresql = not url.startswith("sqlite")
    with app.app_context():
        built = build(db.session, size)
        db.session.commit()
        building = time.perf_counter() - migrated
        if postgresql:
            # A live database has planner statistics (autovacuum keeps them); a freshly
            # bulk-loaded one has none until then, and its plans would be a fresh load's.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        ids = busiest() | busiest_decisions(built) | busiest_service() | busiest_scrutiny()
        ids |= busiest_programme()
        engine = db.engine
        version = db.session.scalar(
            text("SHOW server_version" if postgresql else "SELECT sqlite_version()")
        )
    clients = {"admin": app.test_client(), "public": app.test_client()}
    sign_in(clients["admin"], built.admin_email)
    if built.member_email and "open" in ids:
        clients["member"] = app.test_client()
        sign_in(clients["member"], built.member_email)
    listing = clients["public"].get("/api/popolo/votes").get_json() or {}
    pages = math.ceil(listing.get("total", 0) / max(1, listing.get("per_page", 1)))
    ids["votes_page"] = max(1, (pages + 1) // 2)

    results = []
    for label, path, who in PAGES:
        if who in clients and set(re.findall(r"{(\w+)}", path)) <= ids.keys():
            page = path.format(**ids)
            results.append(measure(clients[who], engine, label, page, who, args.repeat))

    casting, casting_note, raced, race_note = [], "", None, ""
    if "open" in ids:
        decision_id = ids["open"]
        emails = electronic_voters(app, decision_id, built.open_voters[decision_id])
        casting = time_casts(app, engine, decision_id, emails, args.casts)
        casting_note = (
            f"decision {decision_id}, {len(emails)} voters with an account who did not vote "
            "in the meeting"
        )
        if postgresql:
            racers = emails[: args.voters]
            raced = race(app, url, decision_id, racers, args.seconds)
            if len(racers) < args.voters:
                race_note = f" (only {len(racers)} voters on it hold an account)"
    else:
        casting_note = "no open electronic decision in this dataset"
    dialect = "PostgreSQL" if postgresql else "SQLite"
    heading = (
        f"{dialect} {version.split()[0]}, size {size}: {built.describe()}\n"
        f"(migrated in {migrated - started:.1f} s, built in {building:.1f} s; "
        f"{args.repeat} timed requests per page)"
    )
    scrutiny_import = time_scrutiny_import(app, ids["inquiry"], 2000) if "inquiry" in ids else ""
    return Run(heading, results, casting, casting_note, raced, race_note, scrutiny_import)


def table(heading: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], left: int) -> str:
    """A plain-text table: the first ``left`` columns aligned left, the others right."""
    widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns))]

    def line(cells) -> str:
        return "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-" * len(line(columns))
    return "\n".join([heading, rule, line(columns), rule, *map(line, rows), rule])


def dashboard_weights(outcome: Run) -> str:
    """The dashboards' page weight: it depends on what is shown, not on how many items exist."""
    rows = [
        (r.label, r.path, f"{r.bytes:,}")
        for r in outcome.results
        if r.path.startswith("/dashboard") and r.status == 200
    ]
    if not rows:
        return "Dashboard page weight: not measured."
    return table("Dashboard page weight", ("Page", "Path", "Bytes"), rows, left=2)


def report(outcome: Run) -> str:
    pages = table(
        outcome.heading,
        ("Page", "Path", "As", "Status", "Queries", "Median ms", "p95 ms"),
        [
            (
                r.label,
                r.path,
                r.who,
                str(r.status),
                str(r.queries),
                f"{r.median_ms:.1f}" if r.status == 200 else "-",
                f"{r.p95_ms:.1f}" if r.status == 200 else "-",
            )
            for r in outcome.results
        ],
        left=3,
    )
    parts = [pages, dashboard_weights(outcome)]
    if outcome.casting:
        parts.append(
            table(
                f"Casting a vote (POST /votes/<id>/cast, one at a time): {outcome.casting_note}",
                ("Vote", "Votes", "Queries", "Median ms", "p95 ms"),
                [
                    (t.label, str(t.count), t.queries, f"{t.median_ms:.1f}", f"{t.p95_ms:.1f}")
                    for t in outcome.casting
                ],
                left=1,
            )
        )
    else:
        parts.append(f"Casting a vote: not measured ({outcome.casting_note}).")
    if outcome.race:
        r = outcome.race
        verdict = "none lost" if not r.problems else f"{len(r.problems)} PROBLEMS"
        parts.append(
            f"Voting at once: {r.voters} voters{outcome.race_note}, {r.rounds} rounds in "
            f"{r.seconds:.1f} s: {r.accepted} votes accepted, {r.refused} refused, "
            f"{r.errors} failed; {r.per_second:.1f} votes/s; per vote median "
            f"{r.median_ms:.1f} ms, p95 {r.p95_ms:.1f} ms; {verdict}."
        )
    if outcome.scrutiny_import:
        parts.append(outcome.scrutiny_import)
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="county")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--casts", type=int, default=20, help="voters timed casting a vote")
    parser.add_argument("--voters", type=int, default=20, help="voters voting at once")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long they vote at once")
    args = parser.parse_args(argv)
    if min(args.repeat, args.casts, args.voters) < 1 or args.seconds <= 0:
        parser.error("--repeat, --casts, --voters and --seconds must be at least 1 (or above 0)")

    failed = []
    with tempfile.TemporaryDirectory(prefix="govtrack-bench-") as workdir:
        # The app's instance folder (its generated secret key) stays out of the repository.
        os.environ["GOVTRACK_INSTANCE"] = workdir
        kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
        for kind in kinds:
            database = sqlite_database(Path(workdir)) if kind == "sqlite" else postgresql_database()
            with database as url:
                outcome = run(url, args.size, args)
                db.dispose_all()
            print(report(outcome), end="\n\n", flush=True)
            failed += [
                f"{kind} {r.path} as {r.who}: {r.status}"
                for r in outcome.results
                if r.status != 200
            ]
            if outcome.race:
                failed += [f"{kind}, voting at once: {p}" for p in outcome.race.problems]
    if failed:
        print("Failures:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
