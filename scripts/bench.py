"""The benchmark `make bench` runs: server time and SQL queries of the main pages on a synthetic
county-sized dataset, on SQLite and PostgreSQL.

Each database is fresh (a temporary SQLite file; a new ``govtrack_bench_*`` PostgreSQL database,
dropped afterwards), migrated, and filled by the same builder the query-count tests use
(``tests/fixtures/bulk.py``); PostgreSQL is then analysed, as autovacuum would have done.
Pages are requested in process through Flask's test client as a signed-in administrator; the
time is the request's wall-clock time in the server, without a network. Exits non-zero if any
page does not answer 200.

    .venv/bin/python scripts/bench.py --size small --database sqlite --repeat 5
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.*: the builder and the migration helper are shared

from govtrack import create_app  # noqa: E402
from govtrack.core.dates import today  # noqa: E402
from govtrack.db import db  # noqa: E402
from govtrack.meetings.models import AgendaItem, Attendance, Meeting, MinutesStatus  # noqa: E402
from govtrack.registry.models import Membership  # noqa: E402
from govtrack.registry.services import current_on  # noqa: E402
from tests.conftest import PG_SERVER_URL, migrate  # noqa: E402
from tests.fixtures.actions import csrf_token  # noqa: E402
from tests.fixtures.bulk import SIZES, QueryCounter, build  # noqa: E402
from tests.fixtures.factories import TEST_PASSWORD  # noqa: E402

# A word of the builder's council vocabulary that many resolutions use.
SEARCH_WORD = "budget"

# (label, path); {partner}, {person}, {body} and {meeting} are the busiest of each.
PAGES = [
    ("Home", "/"),
    ("Partners", "/partners"),
    ("Partner", "/partners/{partner}"),
    ("People", "/people"),
    ("Person", "/people/{person}"),
    ("Bodies", "/bodies"),
    ("Body", "/bodies/{body}"),
    ("Memberships", "/memberships"),
    ("Audit log", "/audit"),
    ("Current, by person", "/memberships?when=current&sort=person"),
    ("Memberships p. 50", "/memberships?page=50"),
    ("Meetings", "/meetings"),
    ("Past meetings p. 20", "/meetings?when=past&page=20"),
    ("Meeting", "/meetings/{meeting}"),
    ("Minutes", "/meetings/{meeting}/minutes"),
    ("Decisions", "/decisions"),
    ("Decisions, search", f"/decisions?q={SEARCH_WORD}"),
    ("Decisions, search, body", f"/decisions?q={SEARCH_WORD}&body={{body}}"),
    ("Actions", "/actions"),
    ("Actions overdue", "/actions?status=overdue"),
    ("Body's calendar (.ics)", "/bodies/{body}/meetings.ics"),
]


@dataclass(frozen=True)
class Result:
    label: str
    path: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float


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


def sign_in(client, email: str) -> None:
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": csrf_token(form.text)},
    )
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {response.status_code}")


def measure(client, engine, label: str, path: str, repeat: int) -> Result:
    # The first request is counted and checked, not timed: it warms the template cache.
    with QueryCounter(engine) as queries:
        response = client.get(path)
    if response.status_code != 200:
        return Result(label, path, response.status_code, queries.count, math.nan, math.nan)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return Result(label, path, response.status_code, queries.count, math.nan, math.nan)
    return Result(
        label, path, 200, queries.count, statistics.median(times), percentile(times, 0.95)
    )


def run(url: str, size: str, repeat: int) -> tuple[str, list[Result]]:
    started = time.perf_counter()
    migrate(url)
    app = create_app({"DATABASE_URL": url, "RATELIMIT_STORAGE_URI": "memory://"})
    migrated = time.perf_counter()
    with app.app_context():
        built = build(db.session, size)
        db.session.commit()
        building = time.perf_counter() - migrated
        if not url.startswith("sqlite"):
            # A live database has planner statistics (autovacuum keeps them); a freshly
            # bulk-loaded one has none until then, and its plans would be a fresh load's.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        ids = busiest()
        engine = db.engine
        version = db.session.scalar(
            text("SELECT sqlite_version()" if url.startswith("sqlite") else "SHOW server_version")
        )
    client = app.test_client()
    sign_in(client, built.admin_email)
    results = [measure(client, engine, label, path.format(**ids), repeat) for label, path in PAGES]
    dialect = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    heading = (
        f"{dialect} {version.split()[0]}, size {size}: {built.describe()}\n"
        f"(migrated in {migrated - started:.1f} s, built in {building:.1f} s; "
        f"{repeat} timed requests per page)"
    )
    return heading, results


def table(heading: str, results: list[Result]) -> str:
    columns = ("Page", "Path", "Status", "Queries", "Median ms", "p95 ms")
    rows = [
        (
            r.label,
            r.path,
            str(r.status),
            str(r.queries),
            f"{r.median_ms:.1f}" if r.status == 200 else "-",
            f"{r.p95_ms:.1f}" if r.status == 200 else "-",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns))]

    def line(cells) -> str:
        left = [cell.ljust(width) for cell, width in zip(cells[:2], widths[:2], strict=True)]
        right = [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join(left + right)

    rule = "-" * len(line(columns))
    return "\n".join([heading, rule, line(columns), rule, *map(line, rows), rule])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="county")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    failed = []
    with tempfile.TemporaryDirectory(prefix="govtrack-bench-") as workdir:
        # The app's instance folder (its generated secret key) stays out of the repository.
        os.environ["GOVTRACK_INSTANCE"] = workdir
        kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
        for kind in kinds:
            database = sqlite_database(Path(workdir)) if kind == "sqlite" else postgresql_database()
            with database as url:
                heading, results = run(url, args.size, args.repeat)
                db.dispose_all()
            print(table(heading, results), end="\n\n", flush=True)
            failed += [f"{kind} {r.path}: {r.status}" for r in results if r.status != 200]
    if failed:
        print("Pages that did not answer 200:\n  " + "\n  ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
