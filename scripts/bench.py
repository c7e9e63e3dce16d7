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
import json
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
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Date, bindparam, create_engine, func, select, text

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


# The floor of each page: the data it shows, fetched by one hand-written query (the same
# placeholders as PAGES, as bound parameters; :n is a page of a list, :per_page the Popolo
# API's, :offset_* the page asked for). Pages not listed are timed without a floor query (the
# bare response only). Dates are bound as dates, so both databases compare them natively.
MEMBERS = """SELECT pe.name, pe.title, b.name AS body, pa.code, m.role, m.start_on, m.end_on
FROM memberships m JOIN people pe ON pe.id = m.person_id JOIN bodies b ON b.id = m.body_id
JOIN partners pa ON pa.id = m.partner_id"""
DECISIONS = """SELECT r.id, r.number, r.text, ai.title, mt.held_on, b.name AS body
FROM resolutions r JOIN agenda_items ai ON ai.id = r.item_id
JOIN meetings mt ON mt.id = ai.meeting_id JOIN bodies b ON b.id = mt.body_id"""
ITEMS = """SELECT ai.number, ai.title, ai.description, ai.minutes, ai.outcome, r.number AS res,
r.text FROM agenda_items ai LEFT JOIN resolutions r ON r.item_id = ai.id
WHERE ai.meeting_id = :meeting ORDER BY ai.position, r.number"""
VOTES = """SELECT pe.name, v.choice, v.channel, v.cast_at FROM current_votes cv
JOIN votes_cast v ON v.id = cv.vote_cast_id JOIN people pe ON pe.id = cv.person_id
WHERE cv.decision_id = :{} ORDER BY pe.name"""
SERVICES = """SELECT s.id, s.name, s.stage, s.planned_integration_date, pa.code
FROM pipeline_services s JOIN partners pa ON pa.id = s.partner_id"""
AS_AT = """SELECT s.id, s.name, pa.code, t.to_stage, t.moved_on
FROM pipeline_services s JOIN partners pa ON pa.id = s.partner_id
JOIN stage_transitions t ON t.id = (SELECT t2.id FROM stage_transitions t2
  WHERE t2.service_id = s.id AND t2.moved_on <= :as_at ORDER BY t2.moved_on DESC, t2.id DESC
  LIMIT 1) ORDER BY t.to_stage, s.name"""
RECS = """SELECT r.id, r.reference, r.text, r.rag, r.status, r.target_date, i.title
FROM scrutiny_recommendations r JOIN scrutiny_inquiries i ON i.id = r.inquiry_id"""
MILESTONES = """SELECT id, key, title, baseline_date, forecast_date, actual_date, rag, status
FROM milestones"""
RAG_BY_AREA = """SELECT 'milestones' AS area, rag, count(*) FROM milestones {m}
GROUP BY rag UNION ALL SELECT 'recommendations', r.rag, count(*)
FROM scrutiny_recommendations r {r} GROUP BY r.rag UNION ALL
SELECT 'services', CAST(s.stage AS VARCHAR(10)), count(*) FROM pipeline_services s {s}
GROUP BY s.stage"""
FLOORS: dict[str, str] = {
    "Home": """SELECT (SELECT count(*) FROM partners), (SELECT count(*) FROM bodies),
        (SELECT count(*) FROM meetings WHERE held_on >= :today)""",
    "Partners": """SELECT pa.id, pa.name, pa.code, pa.kind, count(m.id) FROM partners pa
        LEFT JOIN memberships m ON m.partner_id = pa.id
        GROUP BY pa.id, pa.name, pa.code, pa.kind ORDER BY pa.name LIMIT :n""",
    "Partner": f"{MEMBERS} WHERE m.partner_id = :partner ORDER BY b.name, pe.name",
    "People": "SELECT id, name, title, partner_id FROM people ORDER BY name LIMIT :n",
    "Person": f"{MEMBERS} WHERE m.person_id = :person ORDER BY m.start_on DESC",
    "Bodies": "SELECT id, name, kind, legal_form FROM bodies ORDER BY name",
    "Body": f"{MEMBERS} WHERE m.body_id = :body ORDER BY pe.name",
    "Memberships": f"{MEMBERS} ORDER BY m.start_on DESC, m.id LIMIT :n",
    "Memberships p. 50": f"{MEMBERS} ORDER BY m.start_on DESC, m.id LIMIT :n OFFSET :offset_50",
    "Current, by person": f"{MEMBERS} WHERE m.start_on <= :today AND "
    "(m.end_on IS NULL OR m.end_on >= :today) ORDER BY pe.name LIMIT :n",
    "Audit log": """SELECT id, at, actor_label, action, subject_type, subject_id, summary
        FROM audit_entries ORDER BY at DESC, id DESC LIMIT :n""",
    "Meetings": """SELECT mt.id, mt.title, mt.held_on, b.name FROM meetings mt
        JOIN bodies b ON b.id = mt.body_id WHERE mt.held_on >= :today
        ORDER BY mt.held_on, mt.id LIMIT :n""",
    "Past meetings p. 20": """SELECT mt.id, mt.title, mt.held_on, b.name FROM meetings mt
        JOIN bodies b ON b.id = mt.body_id WHERE mt.held_on < :today
        ORDER BY mt.held_on DESC, mt.id LIMIT :n OFFSET :offset_20""",
    "Meeting": ITEMS,
    "Minutes": ITEMS,
    "Decisions": f"{DECISIONS} ORDER BY mt.held_on DESC, r.id LIMIT :n",
    "Decisions, search": f"{DECISIONS} WHERE lower(r.search_text) LIKE :like "
    "ORDER BY mt.held_on DESC, r.id LIMIT :n",
    "Decisions, search, body": f"{DECISIONS} WHERE lower(r.search_text) LIKE :like "
    "AND mt.body_id = :body ORDER BY mt.held_on DESC, r.id LIMIT :n",
    "Actions": """SELECT a.id, a.text, a.due_on, a.done_on, ai.title FROM actions a
        JOIN agenda_items ai ON ai.id = a.item_id ORDER BY a.due_on, a.id LIMIT :n""",
    "Decision, closed": VOTES.format("closed"),
    "Decision, open": VOTES.format("open"),
    "Popolo votes": """SELECT v.id, v.decision_id, v.person_id, v.choice FROM votes_cast v
        ORDER BY v.id LIMIT :per_page""",
    "Popolo votes, middle page": """SELECT v.id, v.decision_id, v.person_id, v.choice
        FROM votes_cast v ORDER BY v.id LIMIT :per_page OFFSET :offset_votes""",
    "Pipeline board": f"{SERVICES} ORDER BY s.stage, s.name",
    "Pipeline board as at 22/03/2007": AS_AT,
    "Pipeline table": f"{SERVICES} ORDER BY s.name",
    "Pipeline table by share": f"{SERVICES} ORDER BY s.name",
    "Pipeline table as at 22/03/2007": AS_AT,
    "Pipeline service": """SELECT moved_on, from_stage, to_stage, reason FROM stage_transitions
        WHERE service_id = :service ORDER BY moved_on, id""",
    "Pipeline analytics": """SELECT from_stage, to_stage, count(*), min(moved_on),
        max(moved_on) FROM stage_transitions GROUP BY from_stage, to_stage""",
    "Scrutiny inquiries": """SELECT i.id, i.title, i.started_on, count(r.id)
        FROM scrutiny_inquiries i LEFT JOIN scrutiny_recommendations r ON r.inquiry_id = i.id
        GROUP BY i.id, i.title, i.started_on ORDER BY i.started_on DESC""",
    "Recommendations tracker": f"{RECS} ORDER BY i.title, r.position LIMIT :n",
    "Recommendation": """SELECT u."on", u.text, u.assessment, u.status, u.partner_id
        FROM scrutiny_updates u WHERE u.recommendation_id = :recommendation
        ORDER BY u."on", u.id""",
    "Inquiry": f"{RECS} WHERE r.inquiry_id = :inquiry ORDER BY r.position",
    "Monitoring report": f"{RECS} WHERE r.inquiry_id = :inquiry ORDER BY r.position",
    "Programme objectives": """SELECT o.id, o.number, o.title, m.rag, count(m.id)
        FROM objectives o LEFT JOIN milestones m ON m.objective_id = o.id
        GROUP BY o.id, o.number, o.title, m.rag ORDER BY o.number""",
    "Objective": f"{MILESTONES} WHERE objective_id = :objective ORDER BY baseline_date, id",
    "Milestones": f"{MILESTONES} ORDER BY baseline_date, id LIMIT :n",
    "Milestone": """SELECT kind, "on", from_value, to_value, text FROM milestone_changes
        WHERE milestone_id = :milestone ORDER BY "on", id""",
    "Programme dashboard": RAG_BY_AREA.format(m="", r="", s=""),
    "Partner dashboard": RAG_BY_AREA.format(
        m="WHERE owner_partner_id = :partner",
        r="JOIN scrutiny_addressees a ON a.recommendation_id = r.id WHERE a.partner_id = :partner",
        s="WHERE s.partner_id = :partner",
    ),
    "Objective dashboard": RAG_BY_AREA.format(
        m="WHERE objective_id = :objective",
        r="JOIN objective_recommendations x ON x.recommendation_id = r.id "
        "WHERE x.objective_id = :objective",
        s="JOIN objective_services x ON x.service_id = s.id WHERE x.objective_id = :objective",
    ),
    "Milestone timeline": f"{MILESTONES} ORDER BY baseline_date, id LIMIT :n",
    "Milestone timeline p. 100": f"{MILESTONES} ORDER BY baseline_date, id "
    "LIMIT :n OFFSET :offset_100",
    "Highlight report, 2007": f"{MILESTONES} WHERE actual_date BETWEEN :start AND :end "
    "ORDER BY actual_date, id",
}
DATE_PARAMS = ("today", "as_at", "start", "end")


def floor_query(label: str, ids: dict[str, Any], page_size: int, per_page: int) -> Any | None:
    """The page's floor query with its parameters bound, or None where it has none (or the
    dataset lacks a record it names)."""
    sql = FLOORS.get(label)
    if sql is None:
        return None
    values = dict(ids) | {
        "today": today(),
        "as_at": date(2007, 3, 22),
        "start": date(2007, 1, 1),
        "end": date(2007, 12, 31),
        "like": f"%{SEARCH_WORD}%",
        "n": page_size,
        "per_page": per_page,
        "offset_20": 19 * page_size,
        "offset_50": 49 * page_size,
        "offset_100": 99 * page_size,
        "offset_votes": (ids.get("votes_page", 1) - 1) * per_page,
    }
    names = set(re.findall(r"(?<!:):(\w+)", sql))
    if not names <= values.keys():
        return None
    stmt = text(sql).bindparams(*(bindparam(name, type_=Date) for name in names & set(DATE_PARAMS)))
    return stmt.bindparams(**{name: values[name] for name in names})


def time_floor(engine, stmt: Any | None, size: int, repeat: int) -> tuple[float, float]:
    """Medians (ms) of the floor query run and serialised to JSON, and of a bare Flask app
    answering with a body of ``size`` bytes."""
    from flask import Flask

    sql_times = []
    if stmt is not None:
        with engine.connect() as conn:
            for _ in range(repeat + 1):  # the first run warms the connection, untimed
                started = time.perf_counter()
                rows = [dict(r._mapping) for r in conn.execute(stmt)]
                json.dumps(rows, default=str)
                sql_times.append((time.perf_counter() - started) * 1000)
    bare = Flask("bench_floor")
    body = b"x" * size
    bare.add_url_rule("/", "page", lambda: bare.response_class(body, mimetype="text/html"))
    client = bare.test_client()
    client.get("/")
    bare_times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get("/").get_data()
        bare_times.append((time.perf_counter() - started) * 1000)
    sql_ms = statistics.median(sql_times[1:]) if sql_times else math.nan
    return sql_ms, statistics.median(bare_times)


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
    # The floor: the page's data by one hand-written query, serialised to JSON, and a bare
    # Flask response of the page's size (medians, same process and run); NaN where unmeasured.
    sql_ms: float = math.nan
    bare_ms: float = math.nan

    @property
    def floor_ms(self) -> float:
        return (0.0 if math.isnan(self.sql_ms) else self.sql_ms) + self.bare_ms

    @property
    def to_floor(self) -> float:
        return self.median_ms / self.floor_ms if self.floor_ms > 0 else math.nan


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least ``fraction`` of values reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@contextmanager
def sqlite_database(workdir: Path) -> Iterator[str]:
    workdir.mkdir(parents=True, exist_ok=True)
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
    if response.status_code != 302 or "/sign-in/" in response.headers.get("Location", ""):
        # A redirect to a further sign-in step (two-factor) is not a session.
        where = response.headers.get("Location", "")
        raise SystemExit(f"could not sign in as {email}: {response.status_code} {where}")


def measure(
    client, engine, label: str, path: str, who: str, repeat: int, floor: Any | None = None
) -> Result:
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
    sql_ms, bare_ms = time_floor(engine, floor, len(response.data), repeat)
    return Result(
        label,
        path,
        who,
        200,
        queries.count,
        statistics.median(times),
        percentile(times, 0.95),
        len(response.data),
        sql_ms,
        bare_ms,
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
    """The voters the app would let vote electronically now, by its own rule
    (``electronic_refusal_of``: not a substitute, nor a member a substitute stood in for), and
    who did not vote in the meeting (that vote stands)."""
    from govtrack.voting import queries as voting

    with app.app_context():
        decision = voting.load_decision(decision_id)
        meeting = voting.meeting_of(decision)
        people = voting.electorate(meeting, decision.presiding_id)
        person_of = dict(
            db.session.execute(
                select(User.email, Person.id)
                .join(Person, Person.user_id == User.id)
                .where(User.email.in_(emails))
            ).all()
        )
        channels = dict(
            db.session.execute(
                select(CurrentVote.person_id, VoteCast.channel)
                .join(VoteCast, CurrentVote.vote_cast_id == VoteCast.id)
                .where(CurrentVote.decision_id == decision_id)
            ).all()
        )
        responded = {p for p, channel in channels.items() if channel is Channel.ELECTRONIC}
        return [
            email
            for email in emails
            if email in person_of
            and channels.get(person_of[email]) is not Channel.IN_MEETING
            and voting.electronic_refusal_of(
                decision, people, person_of[email], meeting.body, responded - {person_of[email]}
            )
            is None
        ]


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
    # The bench signs in with a password only (two-factor sign-in is tested elsewhere), and
    # prints its table without a JSON request-log line for each of thousands of requests.
    app = create_app(
        {
            "DATABASE_URL": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "TWO_FACTOR_REQUIRED_FOR": "",
            "REQUEST_LOG": False,
        }
    )
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

    page_size = app.config["PAGE_SIZE"]
    results = []
    for label, path, who in PAGES:
        if who in clients and set(re.findall(r"{(\w+)}", path)) <= ids.keys():
            page = path.format(**ids)
            floor = floor_query(label, ids, page_size, listing.get("per_page", page_size))
            results.append(measure(clients[who], engine, label, page, who, args.repeat, floor))

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
        (
            "Page",
            "Path",
            "As",
            "Status",
            "Queries",
            "Median ms",
            "p95 ms",
            "SQL+JSON ms",
            "Bare ms",
            "x floor",
        ),
        [
            (
                r.label,
                r.path,
                r.who,
                str(r.status),
                str(r.queries),
                *(
                    (
                        f"{r.median_ms:.1f}",
                        f"{r.p95_ms:.1f}",
                        "-" if math.isnan(r.sql_ms) else f"{r.sql_ms:.2f}",
                        f"{r.bare_ms:.2f}",
                        f"{r.to_floor:.1f}",
                    )
                    if r.status == 200
                    else ("-",) * 5
                ),
            )
            for r in outcome.results
        ],
        left=3,
    )
    floor_note = (
        "Floor: the page's data by one hand-written SQL query serialised to JSON (SQL+JSON; "
        "'-' where the page has none) plus a bare Flask response of the page's size (Bare), "
        "timed in the same run; x floor = median / (SQL+JSON + Bare)."
    )
    parts = [pages, floor_note, dashboard_weights(outcome)]
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


RESULTS = ROOT / "instance" / "bench"


def save(kind: str, size: str, outcome: Run) -> Path:
    """Keep a run's page results (instance/bench/<database>-<size>.json) to compare sizes."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{kind}-{size}.json"
    rows = [asdict(r) for r in outcome.results]
    path.write_text(json.dumps({"heading": outcome.heading, "results": rows}, indent=1))
    return path


def stored(kind: str, size: str) -> list[Result] | None:
    path = RESULTS / f"{kind}-{size}.json"
    if not path.exists():
        return None
    return [Result(**r) for r in json.loads(path.read_text())["results"]]


def growth(kind: str, smaller: str, larger: str) -> str | None:
    """Each page's median at ``larger`` over its median at ``smaller`` (the stored runs), and
    its queries at both: how the page grows with the data."""
    small, large = stored(kind, smaller), stored(kind, larger)
    if not small or not large:
        return None
    before = {(r.label, r.who): r for r in small if r.status == 200}
    rows = []
    for r in large:
        b = before.get((r.label, r.who))
        if b is None or r.status != 200:
            continue
        rows.append(
            (
                r.label,
                r.who,
                f"{b.queries} -> {r.queries}",
                f"{b.median_ms:.1f}",
                f"{r.median_ms:.1f}",
                f"{r.median_ms / b.median_ms:.2f}" if b.median_ms else "-",
            )
        )
    name = "PostgreSQL" if kind == "postgresql" else "SQLite"
    return table(
        f"How each page grows on {name}: {larger} over {smaller} (median server time)",
        ("Page", "As", "Queries", f"{smaller} ms", f"{larger} ms", "Ratio"),
        rows,
        left=2,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size",
        choices=list(SIZES),
        nargs="+",
        default=["county"],
        help="one size or several (each run is kept in instance/bench/ and compared with the "
        "next smaller size kept, e.g. --size county region)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--casts", type=int, default=20, help="voters timed casting a vote")
    parser.add_argument("--voters", type=int, default=20, help="voters voting at once")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long they vote at once")
    args = parser.parse_args(argv)
    if min(args.repeat, args.casts, args.voters) < 1 or args.seconds <= 0:
        parser.error("--repeat, --casts, --voters and --seconds must be at least 1 (or above 0)")

    failed = []
    order = list(SIZES)
    sizes = sorted(set(args.size), key=order.index)
    with tempfile.TemporaryDirectory(prefix="govtrack-bench-") as workdir:
        # The app's instance folder (its generated secret key) stays out of the repository.
        os.environ["GOVTRACK_INSTANCE"] = workdir
        kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
        for kind in kinds:
            for size in sizes:
                if kind == "sqlite":
                    database = sqlite_database(Path(workdir) / size)
                else:
                    database = postgresql_database()
                with database as url:
                    outcome = run(url, size, args)
                    db.dispose_all()
                print(report(outcome), end="\n\n", flush=True)
                save(kind, size, outcome)
                failed += [
                    f"{kind} {size} {r.path} as {r.who}: {r.status}"
                    for r in outcome.results
                    if r.status != 200
                ]
                if outcome.race:
                    failed += [f"{kind}, voting at once: {p}" for p in outcome.race.problems]
                smaller = [s for s in order[: order.index(size)] if stored(kind, s)]
                if smaller and (grown := growth(kind, smaller[-1], size)):
                    print(grown, end="\n\n", flush=True)
    if failed:
        print("Failures:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
