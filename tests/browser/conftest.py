"""Browser journeys: Debian's Chromium, govtrack served on a real port, axe on every page.

The live server shares this pytest process with the integration tests, whose ``app`` fixture
calls ``create_app()`` again and rebinds the process-global ``db.session`` (to its own
database, or to a connection inside a transaction it rolls back). So the live server never
relies on that global bind: it owns an engine on its own SQLite file, and a small WSGI
middleware gives each request, in the server's thread, a session on that engine (the scoped
session is per thread, so nothing the test thread binds can reach it). The sessions are made
by ``db.session.session_factory``, so they behave like the app's own, and Flask's teardown
removes them as usual. In return the live server leaves the global bind alone once it has
started; ``create_app()`` pointed it at the live server's database, but every integration
test's ``app`` fixture calls ``create_app()`` itself, so none relies on what was bound before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

from govtrack import create_app
from govtrack.auth.enums import Role
from govtrack.auth.models import User, system_actor
from govtrack.auth.services import create_user
from govtrack.core.dates import today
from govtrack.db import db, make_engine, utcnow
from govtrack.meetings import commands as meetings_commands
from govtrack.meetings import queries as meetings_queries
from govtrack.meetings.enums import AttendanceStatus, MinutesStatus
from govtrack.meetings.rules import AttendanceEntry
from govtrack.registry import services as registry
from govtrack.registry.models import Body, Partner
from govtrack.voting import commands as voting
from govtrack.voting import enums, rules
from tests.conftest import migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: Role
    password: str = PASSWORD


CLERK = Account("clerk@example.org", "Clara Clerk", Role.CLERK)
OFFICER = Account("officer@example.org", "Oscar Officer", Role.OFFICER)
ADMIN = Account("admin@example.org", "Ada Admin", Role.ADMIN)
# A councillor with an account, linked to the person who chairs the body.
MEMBER = Account("member@example.org", "Alice Ashdown", Role.MEMBER)
PARTNERS = [
    ("Northshire County Council", "NCC", "county"),
    ("Eastdale District Council", "EDC", "district"),
    ("Westvale Borough Council", "WBC", "district"),
]
BODY = "Shared Services Joint Committee"
BODY_REMIT = "Oversees the services the partner councils share."


@dataclass(frozen=True)
class Seat:
    name: str
    title: str
    partner: str  # code
    role: str  # MembershipRole value


# The body's membership since 2006. The chair holds MEMBER's account; the substitute can stand
# in for either of the others.
CHAIR = Seat("Alice Ashdown", "Councillor", "NCC", "chair")
BODY_MEMBER = Seat("Bernard Brook", "Councillor", "EDC", "member")
SUBSTITUTE = Seat("Sunita Shah", "Councillor", "EDC", "substitute")
SEATS = (CHAIR, BODY_MEMBER, SUBSTITUTE)
MEMBERS_SINCE = date(2006, 4, 1)
# An officer in the registry, not a member of the body: a lead officer and guest.
LEAD_OFFICER = Seat("Owen Okafor", "Head of Shared Services", "NCC", "")

# An earlier meeting of the body, held four weeks before the test run, with one item and its
# published (not yet confirmed) minutes: the journeys' meetings confirm them.
EARLIER_MEETING_TITLE = "Budget-setting meeting"
EARLIER_ITEM = "Shared services budget"
EARLIER_RESOLUTION = "That the shared services budget for the coming year be approved."

# The voting journeys' two bodies, each with a meeting held yesterday (agenda published in
# time, attendance recorded, no motions yet): a joint committee whose three members all
# attended, and an officer board, whose terms of reference let absent members vote
# electronically, which two of its members missed. One of them, VOTER, has an account.
COMMITTEE = "Digital Services Joint Committee"
COMMITTEE_SEATS = (
    Seat("Dev Desai", "Councillor", "NCC", "chair"),
    Seat("Erin Evans", "Councillor", "EDC", "member"),
    Seat("Faye Foster", "Councillor", "WBC", "member"),
)
COMMITTEE_MEETING = "Website procurement meeting"
COMMITTEE_ITEM = "Replacement of the partnership website"
BOARD = "Shared Services Officer Board"
BOARD_RULES = "Board terms of reference: absent members vote electronically"
BOARD_SEATS = (
    Seat("Gita Gill", "Director of Resources", "NCC", "chair"),
    Seat("Hari Hussain", "Head of Finance", "EDC", "member"),
    Seat("Isla Irwin", "Head of Digital", "WBC", "member"),
)
BOARD_MEETING = "Work programme review"
BOARD_ITEM = "Shared services work programme"
VOTER = Account("hari@example.org", "Hari Hussain", Role.OFFICER)
# The accounts journey's board, like the officer board: its rules let absent members vote
# electronically, and only its chair attended yesterday's meeting. INVITEE sits on it but has
# no account until the journey's administrator invites her.
ACCOUNTS_BOARD = "Customer Access Partnership Board"
ACCOUNTS_BOARD_RULES = "Board standing orders: absent members vote electronically"
ACCOUNTS_BOARD_SEATS = (
    Seat("Jon Jordan", "Councillor", "NCC", "chair"),
    Seat("Kavita Kaur", "Councillor", "EDC", "member"),
    Seat("Luke Lowe", "Councillor", "WBC", "member"),
)
ACCOUNTS_MEETING = "Customer access review"
ACCOUNTS_ITEM = "Customer access strategy"
INVITEE = Account("kavita@example.org", "Kavita Kaur", Role.MEMBER, "a new councillor's passphrase")
# The two-factor journey's account (no other journey signs in as it: it enrols).
TWO_FACTOR = Account("tomas@example.org", "Tomas Tanaka", Role.SCRUTINY)


def earlier_meeting_date() -> date:
    return today() - timedelta(days=28)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's options (--headed, --slowmo), on Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@contextmanager
def session_on(engine: Engine) -> Iterator[None]:
    """In this thread only, make ``db.session`` a fresh session on ``engine``."""
    db.session.remove()
    db.session.registry.set(db.session.session_factory(bind=engine))
    try:
        yield
    finally:
        db.session.remove()


class BoundToEngine:
    """WSGI middleware: every request of this app uses ``engine``, whatever else is bound."""

    def __init__(self, wsgi_app, engine: Engine) -> None:
        self.wsgi_app = wsgi_app
        self.engine = engine

    def __call__(self, environ, start_response):
        with session_on(self.engine):
            return self.wsgi_app(environ, start_response)


class BodyClosedBeforeSending:
    """WSGI middleware: read the whole response body and close it before the server sends it.

    Werkzeug 3.1's development server calls the response's ``close()`` in a ``finally`` that
    first drains the socket; when the browser has dropped the connection (it does, when a
    journey navigates while a static file is still loading) that drain raises
    ``ConnectionResetError`` and ``close()`` is skipped. The static file's handle is then left
    to the garbage collector, and its ``ResourceWarning`` (an error under our warning filter)
    fails whichever test happens to be running. Here nothing the app opened outlives the call.
    """

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        body = self.wsgi_app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()


def _create_world(app, engine: Engine) -> None:
    """The accounts and registry records the journeys start from, written the app's way."""
    actor = system_actor("browser tests")
    with app.app_context(), session_on(engine):
        for account in (CLERK, OFFICER, ADMIN, TWO_FACTOR):
            create_user(actor, account.email, account.name, account.role, account.password)
        for name, code, kind in PARTNERS:
            registry.create_partner(
                actor, {"name": name, "code": code, "kind": kind, "joined_on": date(2005, 4, 1)}
            )
        registry.create_body(
            actor,
            {
                "name": BODY,
                "kind": "joint_committee",
                "legal_form": "lga1972_joint_committee",
                "jurisdiction": "england",
                "terms_of_reference": BODY_REMIT,
            },
        )
        db.session.flush()
        _create_members(actor)
        _create_earlier_meeting(actor)
        _create_voting_bodies(actor)
        _create_pipeline(actor)
        _create_scrutiny(actor)
        _create_programme(actor)
        db.session.commit()


def _by_name(model, name: str):
    return db.session.scalar(select(model).where(model.name == name))


def _create_members(actor) -> None:
    """The body's members since 2006 (the chair linked to MEMBER's account) and an officer."""
    member_user = create_user(actor, MEMBER.email, MEMBER.name, MEMBER.role, MEMBER.password)
    db.session.flush()
    body = _by_name(Body, BODY)
    for seat in (*SEATS, LEAD_OFFICER):
        partner = db.session.scalar(select(Partner).where(Partner.code == seat.partner))
        person = registry.create_person(
            actor,
            {
                "name": seat.name,
                "title": seat.title,
                "partner_id": partner.id,
                "user_id": member_user.id if seat is CHAIR else None,
            },
        )
        db.session.flush()
        if seat.role:
            registry.create_membership(
                actor,
                {
                    "person_id": person.id,
                    "body_id": body.id,
                    "partner_id": partner.id,
                    "role": seat.role,
                    "start_on": MEMBERS_SINCE,
                },
            )
    db.session.flush()


def _create_earlier_meeting(actor) -> None:
    """The earlier meeting, as the clerk kept it at the time: its agenda published with full
    notice, then its item minuted and the minutes published."""
    held_on = earlier_meeting_date()
    body = _by_name(Body, BODY)
    meeting = meetings_commands.create_meeting(
        actor,
        {
            "body_id": body.id,
            "kind": "formal",
            "title": EARLIER_MEETING_TITLE,
            "held_on": held_on,
            "venue": "Council Chamber, County Hall",
        },
    )
    db.session.flush()
    meeting = meetings_queries.load_meeting(meeting.id)
    item = meetings_commands.add_item(actor, meeting, {"title": EARLIER_ITEM}, held_on)
    db.session.flush()
    db.session.expire_all()  # a request would start afresh: the meeting now has its item
    meeting = meetings_queries.load_meeting(meeting.id)
    meetings_commands.publish_agenda(
        actor, meeting, "", meeting.version, held_on - timedelta(days=14), utcnow()
    )
    item = meetings_queries.load_item(item.id)
    meetings_commands.write_minute(
        actor,
        item,
        "The treasurer presented the budget.",
        "resolved",
        [EARLIER_RESOLUTION],
        item.version,
        held_on,
    )
    db.session.flush()
    meetings_commands.set_minutes_status(actor, meeting, MinutesStatus.PUBLISHED, meeting.version)


def voting_meeting_date() -> date:
    return today() - timedelta(days=1)


def _create_voting_bodies(actor) -> None:
    """The voting journeys' bodies, their members and yesterday's meetings (see above)."""
    voter = create_user(actor, VOTER.email, VOTER.name, VOTER.role, VOTER.password)
    db.session.flush()
    held_on = voting_meeting_date()
    for name, kind, legal_form, seats, title, item_title, present in (
        (
            COMMITTEE,
            "joint_committee",
            "lga1972_joint_committee",
            COMMITTEE_SEATS,
            COMMITTEE_MEETING,
            COMMITTEE_ITEM,
            COMMITTEE_SEATS,
        ),
        (
            BOARD,
            "partnership_board",
            "officer_board",
            BOARD_SEATS,
            BOARD_MEETING,
            BOARD_ITEM,
            BOARD_SEATS[:1],
        ),
        (
            ACCOUNTS_BOARD,
            "partnership_board",
            "officer_board",
            ACCOUNTS_BOARD_SEATS,
            ACCOUNTS_MEETING,
            ACCOUNTS_ITEM,
            ACCOUNTS_BOARD_SEATS[:1],
        ),
    ):
        body = registry.create_body(
            actor,
            {"name": name, "kind": kind, "legal_form": legal_form, "jurisdiction": "england"},
        )
        db.session.flush()
        people = {}
        for seat in seats:
            partner = db.session.scalar(select(Partner).where(Partner.code == seat.partner))
            person = registry.create_person(
                actor,
                {
                    "name": seat.name,
                    "title": seat.title,
                    "partner_id": partner.id,
                    "user_id": voter.id if seat.name == VOTER.name else None,
                },
            )
            db.session.flush()
            people[seat] = person.id
            registry.create_membership(
                actor,
                {
                    "person_id": person.id,
                    "body_id": body.id,
                    "partner_id": partner.id,
                    "role": seat.role,
                    "start_on": MEMBERS_SINCE,
                },
            )
        meeting = meetings_commands.create_meeting(
            actor, {"body_id": body.id, "kind": "formal", "title": title, "held_on": held_on}
        )
        db.session.flush()
        meeting = meetings_queries.load_meeting(meeting.id)
        meetings_commands.add_item(actor, meeting, {"title": item_title}, held_on)
        db.session.flush()
        db.session.expire_all()
        meeting = meetings_queries.load_meeting(meeting.id)
        meetings_commands.publish_agenda(
            actor, meeting, "", meeting.version, held_on - timedelta(days=14), utcnow()
        )
        meetings_commands.record_attendance(
            actor,
            meeting,
            [
                AttendanceEntry(
                    people[seat],
                    AttendanceStatus.PRESENT if seat in present else AttendanceStatus.APOLOGIES,
                )
                for seat in seats
            ],
            today(),
        )
        db.session.flush()
    for name, label in ((BOARD, BOARD_RULES), (ACCOUNTS_BOARD, ACCOUNTS_BOARD_RULES)):
        voting.add_rule_version(
            actor,
            _by_name(Body, name),
            rules.RuleVersion(
                label=label,
                effective_from=MEMBERS_SINCE,
                electronic_mode=enums.ElectronicMode.ABSENT_VOTERS,
                response_window_days=5,
            ),
            "Terms of reference, paragraph 7.",
            today(),
        )
    db.session.flush()


# The pipeline journeys' services, of NCC's ENV directorate: one at Mandate, and one that was
# at Business Case on 22/03/07 and moved to Start up later, so the board as at that day differs.
PIPELINE_TO_MOVE = "Waste Helpline"
PIPELINE_MOVED_LATER = "Road Safety"


def _create_pipeline(actor) -> None:
    from govtrack.pipeline import commands as pipeline
    from govtrack.pipeline.enums import Stage

    partner = db.session.scalar(select(Partner).where(Partner.code == "NCC"))
    env = pipeline.create_directorate(actor, {"partner_id": partner.id, "code": "ENV"})
    db.session.flush()
    base = {"partner_id": partner.id, "directorate_id": env.id, "integration_lead": "C/Team"}
    pipeline.create_service(
        actor, base | {"name": PIPELINE_TO_MOVE}, Stage.MANDATE, date(2007, 1, 8), today()
    )
    later = pipeline.create_service(
        actor,
        base | {"name": PIPELINE_MOVED_LATER, "enquiries_per_month": 120},
        Stage.BUSINESS_CASE,
        date(2007, 3, 1),
        today(),
    )
    db.session.flush()
    pipeline.move_service(
        actor,
        later,
        seen=later.stage,
        version=later.version,
        to=Stage.START_UP,
        on=date(2008, 5, 1),
        reason="",
        date_integrated=None,
        today=today(),
    )
    db.session.flush()


# The scrutiny journeys: a scrutiny member's account, the officer's account linked to an NCC
# officer, and an inquiry of a scrutiny panel (hosted by NCC) with two recommendations addressed
# to NCC: one in progress, for the officer's update, and one reported implemented, for sign-off.
SCRUTINY = Account("scrutiny@example.org", "Sam Scrutiny", Role.SCRUTINY)
SCRUTINY_PANEL = "Corporate Overview and Scrutiny Panel"
INQUIRY = "Shared services partnership inquiry"
REC_TO_UPDATE = "That a three year vision for the partnership is agreed."
REC_TO_SIGN_OFF = "That the Joint Committee's terms of reference are revisited."


# A meeting of the scrutiny panel in two months, its agenda (one item) still a draft: its forms
# (edit the meeting, add or edit an item, add a report, publish) are open to the clerk.
DRAFT_MEETING = "Scrutiny work programme meeting"


def _create_draft_meeting(actor, panel: Body) -> None:
    held_on = today() + timedelta(days=60)
    meeting = meetings_commands.create_meeting(
        actor, {"body_id": panel.id, "kind": "formal", "title": DRAFT_MEETING, "held_on": held_on}
    )
    db.session.flush()
    meetings_commands.add_item(
        actor, meetings_queries.load_meeting(meeting.id), {"title": "Work programme"}, today()
    )
    db.session.flush()


def _create_scrutiny(actor) -> None:
    from govtrack.scrutiny import commands as scrutiny_commands
    from govtrack.scrutiny import progress as scrutiny_progress
    from govtrack.scrutiny import queries as scrutiny_queries

    create_user(actor, SCRUTINY.email, SCRUTINY.name, SCRUTINY.role, SCRUTINY.password)
    ncc = db.session.scalar(select(Partner).where(Partner.code == "NCC"))
    officer = db.session.scalar(select(User).where(User.email == OFFICER.email))
    registry.create_person(
        actor,
        {"name": OFFICER.name, "title": "Customer Access Manager", "partner_id": ncc.id,
         "user_id": officer.id},
    )  # fmt: skip
    panel = registry.create_body(
        actor,
        {"name": SCRUTINY_PANEL, "kind": "scrutiny_panel", "legal_form": "lga1972_committee",
         "jurisdiction": "england", "host_partner_id": ncc.id},
    )  # fmt: skip
    db.session.flush()
    _create_draft_meeting(actor, panel)
    inquiry = scrutiny_commands.create_inquiry(
        actor,
        {"body_id": panel.id, "title": INQUIRY, "reported_on": today() - timedelta(days=90),
         "response_days": 56},
    )  # fmt: skip
    for reference, text in (("1", REC_TO_UPDATE), ("2", REC_TO_SIGN_OFF)):
        rec = scrutiny_commands.add_recommendation(
            actor,
            inquiry,
            {"reference": reference, "group": "Partnership working", "text": text,
             "addressee_ids": [ncc.id], "target_date": today() + timedelta(days=120)},
            today(),
        )  # fmt: skip
        db.session.flush()
        if reference == "2":
            scrutiny_progress.add_update(
                actor,
                scrutiny_queries.load_recommendation(rec.id),
                {"on": today() - timedelta(days=3), "partner_id": ncc.id,
                 "text": "The terms of reference were revised and agreed.",
                 "assessment": "achieved", "status": "implemented"},
                today(),
            )  # fmt: skip
    db.session.flush()


def browser_app(folder, name: str, **settings):
    """govtrack on a fresh, migrated SQLite database in ``folder``, as the browser tests serve
    it; returns the app and its engine."""
    url = f"sqlite:///{folder / f'{name}.db'}"
    migrate(url)
    with pytest.MonkeyPatch.context() as mp:
        # Keep create_app from generating a secret key into the repository's instance/.
        mp.setenv("GOVTRACK_INSTANCE", str(folder / "instance"))
        mp.setenv("SECRET_KEY", "browser-test-secret-key-not-for-production")
        app = create_app(
            {
                "DATABASE_URL": url,
                "RATELIMIT_STORAGE_URI": "memory://",
                # Flask-Limiter's one Limiter object serves every app this process creates,
                # with the storage of the latest one: failures counted by the integration
                # tests (same 127.0.0.1) must not lock the journeys out.
                "LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
                "LOGIN_LIMIT_PER_ACCOUNT": "1000 per minute",
                # The journeys sign administrators and clerks in with a password alone; the
                # two-factor journeys enrol accounts whose rights do not require it.
                "TWO_FACTOR_REQUIRED_FOR": "",
                **settings,
            }
        )
    return app, make_engine(url)


@contextmanager
def serving(app, engine, name: str) -> Iterator[str]:
    """``app`` served on a free local port in a thread; yields its address."""
    app.wsgi_app = BodyClosedBeforeSending(BoundToEngine(app.wsgi_app, engine))  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """govtrack on a fresh, migrated SQLite database, served on a free local port."""
    app, engine = browser_app(tmp_path_factory.mktemp("live-server"), "govtrack-browser")
    _create_world(app, engine)
    with serving(app, engine, "live-server") as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """Lets journeys say ``page.goto("/partners")``."""
    return live_server


# The programme journey: one objective with one milestone owned by NCC (the officer's council),
# due in two months and on its baseline (green), and one owned by EDC.
PROGRAMME_OBJECTIVE = "Each Council will offer a single point of access"
PROGRAMME_MILESTONE = "Extended opening hours at the Hub"
PROGRAMME_OTHERS_MILESTONE = "Eastdale One Stop Shop opens"


def _create_programme(actor) -> None:
    from govtrack.programme import milestones as programme
    from govtrack.programme.models import Objective, Programme

    plan = Programme(
        key="shared-services", name="Shared Services Programme", starts_on=date(2002, 3, 1)
    )
    db.session.add(plan)
    db.session.flush()
    objective = Objective(programme_id=plan.id, number=1, title=PROGRAMME_OBJECTIVE, position=1)
    db.session.add(objective)
    db.session.flush()
    for title, code in ((PROGRAMME_MILESTONE, "NCC"), (PROGRAMME_OTHERS_MILESTONE, "EDC")):
        partner = db.session.scalar(select(Partner).where(Partner.code == code))
        programme.create_milestone(
            actor,
            plan,
            {
                "title": title,
                "objective_id": objective.id,
                "owner_partner_id": partner.id,
                "baseline_date": today() + timedelta(days=60),
                "status": "in_progress",
            },
            today(),
        )
    db.session.flush()


def axe_check(page: Page) -> None:
    """Fail, listing every problem, if axe finds WCAG 2.2 AA violations on the page."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page: Page, account: Account) -> None:
    """Sign in through the form, as a person would, and wait for the welcome."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Signed in as {account.name}"
    )
