"""The Popolo export: every object follows the Popolo JSON schemas, ids never collide and every
reference resolves, pages cost a fixed number of queries, and nothing leaves that the public
site does not show (draft agendas, exempt items, e-mail addresses, past seats to the public).
Motions, vote events and votes say what the site says, to those who may see it there."""

from __future__ import annotations

import json
import secrets
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import g
from jsonschema import Draft3Validator
from referencing import Registry
from referencing.jsonschema import DRAFT3
from sqlalchemy import func, select

import govtrack
from govtrack.auth.enums import Role
from govtrack.core.dates import today
from govtrack.core.seed import load_seed
from govtrack.db import db
from govtrack.meetings.enums import AgendaStatus, MeetingKind, MinutesStatus
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.registry.enums import BodyKind, LegalForm, MembershipRole, PartnerKind
from govtrack.registry.models import Body, Membership, Partner
from govtrack.voting.enums import Channel, Choice, DecisionStatus, ElectronicMode, OutcomeStatus
from govtrack.voting.models import CurrentVote, Decision, DecisionRuleVersion, Motion, VoteCast
from govtrack.voting.rules import RuleVersion
from tests.conftest import IN_CI
from tests.fixtures.bulk import (
    Builder,
    QueryCounter,
    add_agenda_items,
    add_bodies,
    add_meetings,
    add_memberships,
    add_partners,
    add_people,
    add_users,
    build,
)
from tests.fixtures.factories import TEST_PASSWORD

# The Popolo Project's schemas (CC BY 4.0), kept with the tests: see their README.
SCHEMAS = Path(govtrack.ROOT) / "tests" / "fixtures" / "popolo-schemas"
DRAFT_03 = "http://json-schema.org/draft-03/schema#"
COLLECTIONS = [
    "organizations",
    "persons",
    "memberships",
    "events",
    "motions",
    "vote_events",
    "votes",
]


# The schemas ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def popolo_validators() -> dict[str, Draft3Validator]:
    """A draft-03 validator per schema, keyed by the schema's id URL; ``$ref``s between the
    schemas resolve from the folder, never over the network."""
    if not SCHEMAS.is_dir():
        message = f"The Popolo JSON schemas are not at {SCHEMAS}."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    schemas = [json.loads(path.read_text("utf-8")) for path in sorted(SCHEMAS.glob("*.json"))]
    assert schemas, f"no schemas in {SCHEMAS}"
    registry = Registry().with_resources(
        (schema["id"], DRAFT3.create_resource(schema)) for schema in schemas
    )
    validators = {}
    for schema in schemas:
        assert schema["$schema"] == DRAFT_03, schema["id"]
        Draft3Validator.check_schema(schema)
        validators[schema["id"]] = Draft3Validator(
            schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER
        )
    return validators


# Reading the export --------------------------------------------------------------------------


def read_collection(client, name: str, per_page: int = 500) -> list[dict]:
    """Every object of a collection, following ``next`` from page to page."""
    url: str | None = f"/api/popolo/{name}?per_page={per_page}"
    objects: list[dict] = []
    total = None
    while url:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
        assert response.mimetype == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        page = response.get_json()
        assert set(page) == {"results", "page", "per_page", "total", "next"}
        objects.extend(page["results"])
        total = page["total"]
        url = page["next"]
    assert len(objects) == total
    return objects


def read_export(client) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Every collection the index lists, and the schema URL each says it follows."""
    index = client.get("/api/popolo").get_json()
    schemas = {c["name"]: c["schema"] for c in index["collections"]}
    return {name: read_collection(client, name) for name in schemas}, schemas


def assert_follows_schemas(validators, export, schemas) -> None:
    for name, objects in export.items():
        validator = validators[schemas[name]]
        for obj in objects:
            errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
            assert not errors, f"{name} {obj.get('id')}: {[e.message for e in errors]}"


def assert_ids_unique_and_references_resolve(export) -> None:
    ids = [obj["id"] for objects in export.values() for obj in objects]
    assert all(ids), "every object has an id"
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert not repeated, f"ids used twice: {repeated}"
    organizations = {o["id"] for o in export["organizations"]}
    persons = {p["id"] for p in export["persons"]}
    for org in export["organizations"]:
        assert org["id"].startswith(("partner-", "body-"))
        assert org.get("parent_id") in organizations | {None}
    for membership in export["memberships"]:
        assert membership["person_id"] in persons, membership
        assert membership["organization_id"] in organizations, membership
        assert membership["organization_id"].startswith("body-")
        assert membership["on_behalf_of_id"] in organizations, membership
        assert membership["on_behalf_of_id"].startswith("partner-")
    for event in export["events"]:
        assert event["organization_id"] in organizations, event
    for obj in [*export["organizations"], *export["events"]]:
        for link in obj.get("links", []):
            assert link["url"].startswith("http://localhost/"), link
    events = {e["id"] for e in export["events"]}
    motions = {m["id"] for m in export["motions"]}
    vote_events = {v["id"] for v in export["vote_events"]}
    for motion in export["motions"]:
        assert motion["id"].startswith("motion-")
        assert motion["organization_id"] in organizations, motion
        assert motion["legislative_session_id"] in events, motion
        assert motion["creator_id"] in persons | {None}, motion
    for vote_event in export["vote_events"]:
        assert vote_event["id"].startswith("decision-")
        assert vote_event["motion_id"] in motions, vote_event
        assert vote_event["legislative_session_id"] in events, vote_event
        assert vote_event["organization_id"] in organizations, vote_event
    for vote in export["votes"]:
        assert vote["id"].startswith("vote-")
        assert vote["vote_event_id"] in vote_events, vote
        assert vote["voter_id"] in persons, vote
        assert vote["group_id"] in organizations | {None}, vote
    for obj in [*export["motions"], *export["vote_events"]]:
        for source in obj["sources"]:
            assert source["url"].startswith("http://localhost/"), source


# A small world with one of everything --------------------------------------------------------


def record_vote(decision: Decision, person, choice: Choice, channel=Channel.IN_MEETING) -> VoteCast:
    """A vote, made the voter's current one (straight from the models, as a clerk's would be)."""
    cast = VoteCast(
        decision_id=decision.id,
        person_id=person.id,
        partner_id=person.partner_id,
        choice=choice,
        channel=channel,
        receipt=secrets.token_hex(6).upper(),
    )
    db.session.add(cast)
    db.session.flush()
    db.session.add(CurrentVote(decision_id=decision.id, person_id=person.id, vote_cast_id=cast.id))
    db.session.commit()
    return cast


def record_decision(item, text: str, votes=(), *, proposer=None, **fields) -> Decision:
    """A motion on ``item`` and the closed decision on it (carried unless told otherwise), with
    ``votes`` as (person, choice, channel) triples."""
    motion = Motion(item_id=item.id, text=text, proposer_id=proposer.id if proposer else None)
    db.session.add(motion)
    db.session.flush()
    values = {
        "status": DecisionStatus.CLOSED,
        "outcome": OutcomeStatus.CARRIED,
        "closed_at": datetime(2024, 6, 5, 20, 0, tzinfo=UTC),
    } | fields
    decision = Decision(motion_id=motion.id, **values)
    db.session.add(decision)
    db.session.commit()
    for person, choice, *channel in votes:
        record_vote(decision, person, choice, *channel)
    return decision


@pytest.fixture
def world(make_partner, make_person, make_body, make_membership, make_meeting, make_item):
    council = make_partner(kind=PartnerKind.COUNTY, name="Lancashire County Council")
    contractor = make_partner(kind=PartnerKind.CONTRACTOR, name="Contact Centre Ltd")
    committee = make_body(kind=BodyKind.JOINT_COMMITTEE, terms_of_reference="To oversee.")
    panel = make_body(
        kind=BodyKind.SCRUTINY_PANEL,
        legal_form=LegalForm.LGA1972_COMMITTEE,
        parent_id=committee.id,
    )
    chair = make_person(partner=council, name="Alice Chair", email="alice.chair@example.org")
    adviser = make_person(partner=contractor, name="Olu Adviser", email="olu@example.org")
    former = make_person(partner=council, name="Fred Former", email="fred.former@example.org")
    chair_seat = make_membership(
        person=chair, body=committee, role=MembershipRole.CHAIR, start_on=date(2006, 10, 26)
    )
    adviser_seat = make_membership(
        person=adviser, body=panel, role=MembershipRole.OFFICER_ADVISER, start_on=None
    )
    past_seat = make_membership(
        person=former, body=committee, start_on=date(2006, 1, 1), end_on=date(2010, 5, 1)
    )
    summer = make_meeting(
        body=committee, held_on=date(2024, 6, 5), starts_at=time(18, 30), venue="County Hall"
    )
    winter = make_meeting(body=panel, held_on=date(2024, 1, 10), starts_at=time(10, 0))
    visit = make_meeting(body=committee, held_on=date(2024, 3, 27), kind=MeetingKind.SITE_VISIT)
    upcoming = make_meeting(
        body=panel,
        held_on=today() + timedelta(days=14),
        minutes_status=MinutesStatus.NONE,
    )
    draft = make_meeting(
        body=committee,
        held_on=today() + timedelta(days=30),
        title="Zebra crossing special meeting",
        agenda_status=AgendaStatus.DRAFT,
        agenda_published_on=None,
        minutes_status=MinutesStatus.NONE,
    )
    budget = make_item(meeting=summer, title="Budget monitoring")
    exempt = make_item(
        meeting=summer,
        title="Quokka contract renewal",
        description="Quokka's tender prices",
        exempt_paragraph=3,
    )
    draft_item = make_item(
        meeting=draft, title="Wombat draft item", description="Wombat draft text"
    )
    noted = record_decision(
        budget,
        "That the budget monitoring report be noted.",
        [(chair, Choice.FOR)],
        proposer=chair,
    )
    tender = record_decision(exempt, "That the Numbat tender be accepted.", [(chair, Choice.FOR)])
    record_decision(draft_item, "That the Wombat plan be approved.", [(chair, Choice.FOR)])
    return SimpleNamespace(
        council=council,
        contractor=contractor,
        committee=committee,
        panel=panel,
        chair=chair,
        adviser=adviser,
        former=former,
        chair_seat=chair_seat,
        adviser_seat=adviser_seat,
        past_seat=past_seat,
        summer=summer,
        winter=winter,
        visit=visit,
        upcoming=upcoming,
        draft=draft,
        budget=budget,
        exempt=exempt,
        noted=noted,
        tender=tender,
    )


SECRETS = ["Quokka", "Wombat", "Zebra", "@example.org", "alice.chair", "Councillor"]


def by_id(objects: list[dict]) -> dict[str, dict]:
    return {obj["id"]: obj for obj in objects}


@pytest.mark.parametrize("who", ["public", "clerk"])
def test_every_exported_object_follows_the_popolo_schemas(actions, world, popolo_validators, who):
    if who != "public":
        actions.sign_in_as(who)
    export, schemas = read_export(actions.client)

    assert set(export) == set(COLLECTIONS)
    assert_follows_schemas(popolo_validators, export, schemas)
    assert_ids_unique_and_references_resolve(export)
    classifications = {o["classification"] for o in export["organizations"]}
    assert {"council", "contractor", "joint_committee", "scrutiny_panel"} <= classifications
    assert all(export[name] for name in COLLECTIONS), "every kind of object is exported"


@pytest.mark.parametrize("who", ["public", "admin"])
def test_the_real_seed_data_follows_the_popolo_schemas(app, actions, popolo_validators, who):
    load_seed(str(govtrack.ROOT / "seed"))
    if who != "public":
        actions.sign_in_as(who)
    export, schemas = read_export(actions.client)

    assert_follows_schemas(popolo_validators, export, schemas)
    assert_ids_unique_and_references_resolve(export)
    records = db.session.scalar(select(func.count()).select_from(Partner)) + db.session.scalar(
        select(func.count()).select_from(Body)
    )
    assert len(export["organizations"]) == records
    assert export["persons"] and export["memberships"] and export["events"]
    # The Joint Committee's decisions of 13 February 2007, carried as the documents record
    motions = {m["text"]: m for m in export["motions"]}
    crm = next(m for text, m in motions.items() if "alternative proposal" in text)
    vision = next(m for text, m in motions.items() if "Vision Statement" in text)
    events = by_id(export["events"])
    assert events[crm["legislative_session_id"]]["start_date"] == "2007-02-13"
    assert (crm["result"], vision["result"]) == ("pass", "pass")
    vote_events = {v["motion_id"]: v for v in export["vote_events"]}
    # unanimous: none against; the number for and whether anyone abstained are not minuted,
    # so they are left out (unknown), never given as 0
    assert vote_events[crm["id"]]["counts"] == [{"option": "no", "value": 0}]
    assert vote_events[vision["id"]]["counts"] == []
    assert (
        vote_events[crm["id"]]["start_date"] == vote_events[crm["id"]]["end_date"] == "2007-02-13"
    )
    text = json.dumps(export)
    assert "@" not in text
    exempt = db.session.execute(
        select(AgendaItem.description, AgendaItem.minutes).where(
            AgendaItem.exempt_paragraph.is_not(None)
        )
    )
    for words in (w for row in exempt for w in row if w):
        assert words[:60] not in text


def test_partners_and_bodies_are_organizations(client, world):
    orgs = by_id(read_collection(client, "organizations"))

    council = orgs[f"partner-{world.council.id}"]
    assert council["name"] == "Lancashire County Council"
    assert council["classification"] == "council"
    assert council["abstract"] == "County council"
    assert council["identifiers"] == [
        {"identifier": world.council.code, "scheme": "govtrack-partner-code"}
    ]
    assert council["links"][0]["url"] == f"http://localhost/partners/{world.council.id}"
    assert orgs[f"partner-{world.contractor.id}"]["classification"] == "contractor"
    committee = orgs[f"body-{world.committee.id}"]
    assert committee["classification"] == "joint_committee"
    assert committee["parent_id"] is None
    assert committee["description"] == "To oversee."
    panel = orgs[f"body-{world.panel.id}"]
    assert panel["classification"] == "scrutiny_panel"
    assert panel["parent_id"] == f"body-{world.committee.id}"


def test_the_public_gets_current_memberships_only(client, world):
    memberships = by_id(read_collection(client, "memberships"))

    assert f"membership-{world.past_seat.id}" not in memberships
    chair = memberships[f"membership-{world.chair_seat.id}"]
    assert chair == {
        "id": f"membership-{world.chair_seat.id}",
        "person_id": f"person-{world.chair.id}",
        "organization_id": f"body-{world.committee.id}",
        "on_behalf_of_id": f"partner-{world.council.id}",
        "role": "chair",
        "label": "Chair",
        "start_date": "2006-10-26",
        "end_date": None,
    }
    assert memberships[f"membership-{world.adviser_seat.id}"]["start_date"] is None


def test_signed_in_users_get_past_memberships_too(actions, world):
    actions.sign_in_as("member")
    memberships = by_id(read_collection(actions.client, "memberships"))

    past = memberships[f"membership-{world.past_seat.id}"]
    assert (past["start_date"], past["end_date"]) == ("2006-01-01", "2010-05-01")


def test_persons_are_names_only_and_the_public_sees_current_members(actions, world):
    public = by_id(read_collection(actions.client, "persons"))
    actions.sign_in_as("admin")
    signed_in = by_id(read_collection(actions.client, "persons"))

    chair, former = f"person-{world.chair.id}", f"person-{world.former.id}"
    assert public[chair] == {"id": chair, "name": "Alice Chair"}
    assert former not in public
    assert signed_in[former] == {"id": former, "name": "Fred Former"}
    assert all(set(p) == {"id", "name"} for p in signed_in.values())


def test_meetings_are_events_with_uk_local_start_times(client, world):
    events = by_id(read_collection(client, "events"))

    summer = events[f"meeting-{world.summer.id}"]
    assert summer["start_date"] == "2024-06-05T18:30:00+01:00"  # BST
    assert summer["name"] == f"{world.committee.name}: Formal meeting"
    assert summer["classification"] == "formal"
    assert summer["status"] == "passed"
    assert summer["location"] == "County Hall"
    assert summer["organization_id"] == f"body-{world.committee.id}"
    assert summer["links"][0]["url"] == f"http://localhost/meetings/{world.summer.id}"
    assert events[f"meeting-{world.winter.id}"]["start_date"] == "2024-01-10T10:00:00+00:00"
    visit = events[f"meeting-{world.visit.id}"]
    assert (visit["start_date"], visit["classification"]) == ("2024-03-27", "site_visit")
    assert events[f"meeting-{world.upcoming.id}"]["status"] == "confirmed"
    assert f"meeting-{world.draft.id}" not in events


def test_motions_vote_events_and_votes_say_what_the_meeting_page_says(client, world):
    motions = by_id(read_collection(client, "motions"))
    vote_events = by_id(read_collection(client, "vote_events"))
    votes = read_collection(client, "votes")

    motion_id = f"motion-{world.noted.motion_id}"
    assert motions[motion_id] == {
        "id": motion_id,
        "organization_id": f"body-{world.committee.id}",
        "legislative_session_id": f"meeting-{world.summer.id}",
        "creator_id": f"person-{world.chair.id}",
        "text": "That the budget monitoring report be noted.",
        "classification": "motion",
        "date": "2024-06-05T18:30:00+01:00",
        "requirement": "Simple majority of votes cast",
        "result": "pass",
        "sources": [
            {"url": f"http://localhost/meetings/{world.summer.id}", "note": "Agenda and minutes"}
        ],
    }
    event_id = f"decision-{world.noted.id}"
    assert vote_events[event_id] == {
        "id": event_id,
        "organization_id": f"body-{world.committee.id}",
        "legislative_session_id": f"meeting-{world.summer.id}",
        "motion_id": motion_id,
        "start_date": "2024-06-05T18:30:00+01:00",
        "end_date": "2024-06-05T18:30:00+01:00",
        "result": "pass",
        "counts": [
            {"option": "yes", "value": 1},
            {"option": "no", "value": 0},
            {"option": "abstain", "value": 0},
        ],
        "sources": [
            {"url": f"http://localhost/votes/{world.noted.id}", "note": "The vote and why"}
        ],
    }
    (vote,) = [v for v in votes if v["vote_event_id"] == event_id]
    assert vote == {
        "id": vote["id"],
        "vote_event_id": event_id,
        "voter_id": f"person-{world.chair.id}",
        "option": "yes",
        "weight": 1,
        "group_id": f"partner-{world.council.id}",
    }


@pytest.fixture
def ballots(world, make_person, make_membership, make_body, make_meeting, make_item):
    """Votes that test who is exported and what counts: a voter whose seat has ended, one who
    voted only on the exempt item, an absent member's electronic response to an English joint
    committee (a consultation response), and an officer board whose rules count electronic
    votes from absent members."""
    past = {"start_on": date(2020, 1, 1), "end_on": date(2024, 12, 31)}
    paula = make_person(partner=world.council, name="Paula Past")
    make_membership(person=paula, body=world.committee, **past)
    eddie = make_person(partner=world.council, name="Eddie Exempt")
    make_membership(person=eddie, body=world.committee, **past)
    annie = make_person(partner=world.council, name="Annie Absent")
    make_membership(person=annie, body=world.committee, start_on=date(2020, 1, 1))
    library = make_item(meeting=world.summer, title="Library opening hours")
    hours = record_decision(
        library,
        "That the libraries open on Sundays.",
        [
            (world.chair, Choice.FOR),
            (paula, Choice.AGAINST),
            (annie, Choice.ABSTAIN, Channel.ELECTRONIC),
        ],
        electronic=True,
        closes_at=datetime(2024, 6, 12, 22, 59, 59, tzinfo=UTC),
        closed_at=datetime(2024, 6, 12, 22, 59, 59, tzinfo=UTC),
        outcome=OutcomeStatus.LOST,  # the casting vote was not used
    )
    record_vote(world.tender, eddie, Choice.AGAINST)

    board = make_body(
        name="Officer Board", kind=BodyKind.PARTNERSHIP_BOARD, legal_form=LegalForm.OFFICER_BOARD
    )
    olga = make_person(partner=world.council, name="Olga Officer")
    omar = make_person(partner=world.contractor, name="Omar Officer")
    for person in (olga, omar):
        make_membership(person=person, body=board, start_on=date(2020, 1, 1))
    rule = RuleVersion(
        label="Terms of reference",
        effective_from=date(2020, 1, 1),
        electronic_mode=ElectronicMode.ABSENT_VOTERS,
    )
    version = DecisionRuleVersion(body_id=board.id, **DecisionRuleVersion.columns_from_rule(rule))
    db.session.add(version)
    db.session.commit()
    meeting = make_meeting(body=board, held_on=date(2024, 5, 1))
    item = make_item(meeting=meeting, title="Telephony contract")
    telephony = record_decision(
        item,
        "That the telephony contract be extended.",
        [(olga, Choice.FOR), (omar, Choice.FOR, Channel.ELECTRONIC)],
        rule_version_id=version.id,
        electronic=True,
        closes_at=datetime(2024, 5, 8, 22, 59, 59, tzinfo=UTC),
        closed_at=datetime(2024, 5, 3, 9, 15, tzinfo=UTC),  # closed early: all had voted
    )
    return SimpleNamespace(
        paula=paula, eddie=eddie, annie=annie, hours=hours, telephony=telephony, omar=omar
    )


def votes_of(votes: list[dict], decision: Decision) -> dict[str, str]:
    return {
        v["voter_id"]: v["option"] for v in votes if v["vote_event_id"] == f"decision-{decision.id}"
    }


def test_consultation_responses_are_not_votes_but_counted_electronic_votes_are(client, ballots):
    vote_events = by_id(read_collection(client, "vote_events"))
    votes = read_collection(client, "votes")

    hours = vote_events[f"decision-{ballots.hours.id}"]
    assert hours["result"] == "fail"
    assert hours["end_date"] == "2024-06-12T23:59:59+01:00"  # the window closed, BST
    assert hours["counts"] == [
        {"option": "yes", "value": 1},
        {"option": "no", "value": 1},
        {"option": "abstain", "value": 0},
    ]
    assert f"person-{ballots.annie.id}" not in votes_of(votes, ballots.hours)

    telephony = vote_events[f"decision-{ballots.telephony.id}"]
    assert telephony["end_date"] == "2024-05-03T10:15:00+01:00"
    assert telephony["counts"][0] == {"option": "yes", "value": 2}
    assert votes_of(votes, ballots.telephony)[f"person-{ballots.omar.id}"] == "yes"


def test_the_public_persons_list_names_every_voter_it_can_see(client, ballots):
    persons = by_id(read_collection(client, "persons"))

    # Paula's seat has ended, but she voted on a public decision: the minutes name her
    assert f"person-{ballots.paula.id}" in persons
    # Eddie voted only on the exempt item, which the public does not see
    assert f"person-{ballots.eddie.id}" not in persons


@pytest.mark.parametrize(
    ("who", "sees_exempt"),
    [("public", False), ("member", False), ("seated member", True), ("clerk", True)],
)
def test_motions_and_votes_on_exempt_items_only_for_those_who_may_see_them(
    actions, ballots, world, make_user, make_person, make_membership, who, sees_exempt
):
    if who == "seated member":
        user = make_user(role=Role.MEMBER)
        person = make_person(partner=world.council, name="Sam Seated", user_id=user.id)
        make_membership(person=person, body=world.committee, start_on=date(2020, 1, 1))
        assert actions.sign_in(user.email, TEST_PASSWORD).status_code == 302
    elif who != "public":
        actions.sign_in_as(who)
    export = {name: read_collection(actions.client, name) for name in COLLECTIONS[4:]}

    motion_id = f"motion-{world.tender.motion_id}"
    event_id = f"decision-{world.tender.id}"
    assert (motion_id in by_id(export["motions"])) is sees_exempt
    assert (event_id in by_id(export["vote_events"])) is sees_exempt
    exempt_votes = votes_of(export["votes"], world.tender)
    assert bool(exempt_votes) is sees_exempt
    assert ("Numbat" in json.dumps(export)) is sees_exempt
    if sees_exempt:
        assert exempt_votes == {
            f"person-{world.chair.id}": "yes",
            f"person-{ballots.eddie.id}": "no",
        }
        counts = by_id(export["vote_events"])[event_id]["counts"]
        assert counts[:2] == [{"option": "yes", "value": 1}, {"option": "no", "value": 1}]


@pytest.mark.parametrize("who", ["public", "clerk", "admin"])
def test_no_draft_agenda_exempt_item_or_email_is_exported(actions, world, who):
    if who != "public":
        actions.sign_in_as(who)
    for url in ["/api/popolo", *(f"/api/popolo/{name}?per_page=500" for name in COLLECTIONS)]:
        text = actions.client.get(url).text
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {url}"
    events = read_collection(actions.client, "events")
    assert f"meeting-{world.draft.id}" not in {e["id"] for e in events}


def test_pages_follow_one_another_to_the_end(client, world):
    first = client.get("/api/popolo/organizations?per_page=1").get_json()
    everything = read_collection(client, "organizations")
    one_by_one = read_collection(client, "organizations", per_page=1)

    assert (first["page"], first["per_page"], first["total"]) == (1, 1, len(everything))
    assert first["next"] == "http://localhost/api/popolo/organizations?page=2&per_page=1"
    assert [o["id"] for o in one_by_one] == [o["id"] for o in everything]
    last = client.get(f"/api/popolo/organizations?per_page=1&page={len(everything)}")
    assert last.get_json()["next"] is None


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("per_page=abc", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=-5", "per_page"),
        ("per_page=501", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=%C2%B2", "page"),  # a superscript two: a digit to Unicode, not a number
    ],
)
def test_bad_parameters_are_a_json_400_that_says_why(client, query, name):
    response = client.get(f"/api/popolo/persons?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["error"] == "There is a problem with your request"
    assert body["message"].startswith(f"{name} must be a whole number")


def test_a_page_past_the_end_is_a_json_404(client, world):
    response = client.get("/api/popolo/organizations?page=999")

    assert response.status_code == 404
    assert response.get_json()["message"] == "There is no page 999: the last is page 1."


def test_the_index_links_every_collection_and_its_schema(client, popolo_validators):
    response = client.get("/api/popolo")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    collections = response.get_json()["collections"]
    assert [c["name"] for c in collections] == COLLECTIONS
    for collection in collections:
        assert collection["schema"] in popolo_validators
        assert collection["description"]
        page = client.get(collection["url"])
        assert page.status_code == 200, collection["url"]
        assert page.headers["Access-Control-Allow-Origin"] == "*"


# Queries per page ----------------------------------------------------------------------------


def count_queries(client, url: str) -> tuple[int, int, list[str]]:
    """As in test_query_counts: start from what a real request starts from."""
    db.session.expunge_all()
    g.pop("_login_user", None)
    with QueryCounter(db.session.get_bind()) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return queries.count, len(response.get_json()["results"]), queries.statements


def add_decisions(b: Builder) -> None:
    """A motion on every third item of the meetings held, voted on by two of the body's members
    on the day: a named vote in the meeting, or every other one the meeting's counts."""
    seats: dict[int, list[Membership]] = {}
    for m in b.session.scalars(select(Membership).order_by(Membership.id)):
        seats.setdefault(m.body_id, []).append(m)
    items = b.session.execute(
        select(AgendaItem.id, Meeting.body_id, Meeting.held_on)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .outerjoin(Motion, Motion.item_id == AgendaItem.id)
        .where(Meeting.held_on < b.today, Motion.id.is_(None))
        .order_by(AgendaItem.id)
    ).all()[::3]
    motion_ids = b.insert(Motion, [{"item_id": i.id, "text": f"Motion {i.id}"} for i in items])
    named = [n % 2 == 0 for n in range(len(items))]
    decision_ids = b.insert(
        Decision,
        [
            {
                "motion_id": motion_id,
                "status": DecisionStatus.CLOSED,
                "outcome": OutcomeStatus.CARRIED,
                "recorded_vote": recorded,
                "meeting_for": None if recorded else 3,
                "meeting_against": None if recorded else 1,
                "meeting_abstain": None if recorded else 0,
            }
            for motion_id, recorded in zip(motion_ids, named, strict=True)
        ],
    )
    votes, voters = [], []
    for item, decision_id, recorded in zip(items, decision_ids, named, strict=True):
        on_the_day = [
            m
            for m in seats.get(item.body_id, [])
            if (m.start_on is None or m.start_on <= item.held_on)
            and (m.end_on is None or m.end_on >= item.held_on)
        ]
        chosen = {m.person_id: m for m in on_the_day[:2]}.values() if recorded else []
        for m in chosen:
            votes.append(
                {
                    "decision_id": decision_id,
                    "person_id": m.person_id,
                    "partner_id": m.partner_id,
                    "choice": Choice.FOR,
                    "channel": Channel.IN_MEETING,
                    "receipt": f"B{decision_id}P{m.person_id}",
                }
            )
            voters.append((decision_id, m.person_id))
    cast_ids = b.insert(VoteCast, votes)
    b.insert(
        CurrentVote,
        [
            {"decision_id": d, "person_id": p, "vote_cast_id": c}
            for (d, p), c in zip(voters, cast_ids, strict=True)
        ],
        returning=False,
    )


# What the export reads; attendance and what follows it are never exported.
EXPORTED_STEPS = [
    add_partners,
    add_users,
    add_people,
    add_bodies,
    add_memberships,
    add_meetings,
    add_agenda_items,
    add_decisions,
]
QUERY_CASES = [(who, name) for who in ("public", "admin") for name in COLLECTIONS]


@pytest.mark.parametrize(("who", "name"), QUERY_CASES, ids=[f"{w} {n}" for w, n in QUERY_CASES])
def test_a_page_runs_as_many_queries_with_five_times_the_data(app, actions, who, name):
    build(db.session, "tiny", steps=EXPORTED_STEPS)
    if who != "public":
        actions.sign_in_as(who)
    url = f"/api/popolo/{name}?per_page=500"

    small, small_rows, _ = count_queries(actions.client, url)
    build(db.session, "tiny", scale=5, steps=EXPORTED_STEPS)
    large, large_rows, statements = count_queries(actions.client, url)

    assert large_rows > small_rows, "the larger dataset should export more objects"
    statement, times = Counter(statements).most_common(1)[0]
    assert large == small, (
        f"{url} ran {small} queries with the tiny dataset and {large} with five times the data; "
        f"most repeated ({times}x): {statement}"
    )
