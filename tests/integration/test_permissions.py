"""Every route, every role: the server enforces who may see and do what.

``EXPECTED`` names, for each endpoint, the roles that may use it ("public" for everyone). A new
route fails ``test_every_route_is_in_the_table`` until its permission is declared here.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from govtrack.auth.enums import Role
from govtrack.core.dates import today
from govtrack.core.models import OutboxMessage
from govtrack.dashboards.models import ReportingPeriod
from govtrack.db import db
from govtrack.meetings.enums import GuestCapacity, MinutesStatus
from govtrack.meetings.models import Action, Guest, Paper
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Directorate, Service
from govtrack.registry.models import Body
from govtrack.scrutiny.models import Addressee, Inquiry, Recommendation
from govtrack.voting.models import Decision, Motion
from tests.fixtures.actions import csrf_token

ALL = {"public", *Role}
SIGNED_IN = set(Role)
REGISTRY_KEEPERS = {Role.ADMIN, Role.CLERK}
SCRUTINY_RECORDERS = {Role.ADMIN, Role.CLERK, Role.SCRUTINY}
SCRUTINY_REVIEWERS = {Role.ADMIN, Role.SCRUTINY}
PIPELINE_RECORDERS = {Role.ADMIN, Role.CLERK, Role.OFFICER}

EXPECTED: dict[str, set] = {
    "home.index": ALL,
    # A load balancer's probes (core/health.py): public, no session.
    "health.healthz": ALL,
    "health.readyz": ALL,
    "auth.sign_in": ALL,
    "auth.sign_out": ALL,
    # Two-factor sign-in: the steps while signing in are open (they need a sign-in waiting).
    "auth.two_factor_sign_in": ALL,
    "auth.two_factor_set_up": ALL,
    "auth.two_factor_cancel": ALL,
    "auth.two_factor": SIGNED_IN,
    "auth.two_factor_new_device": SIGNED_IN,
    "auth.two_factor_recovery_codes": SIGNED_IN,
    "auth.two_factor_turn_off": SIGNED_IN,
    # Looking after one's own account and data (auth/self_service.py, auth/personal_data.py):
    # the e-mailed links' pages are open (the link is the key), the rest need signing in.
    "auth.accept_invitation": ALL,
    "auth.reset_password": ALL,
    "auth.forgot_password": ALL,
    "auth.privacy": ALL,
    "auth.account": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.sign_out_everywhere": SIGNED_IN,
    "auth.personal_data": SIGNED_IN,
    "auth.personal_data_download": SIGNED_IN,
    "auth.export_personal_data": {Role.ADMIN},
    "auth.erase_account": {Role.ADMIN},
    # Single sign-on (auth/single_sign_on.py): open, as the sign-in page is.
    "auth.sso_start": ALL,
    "auth.sso_callback": ALL,
    # Accounts administration (govtrack/accounts): administrators only.
    **{
        f"accounts.{name}": {Role.ADMIN}
        for name in (
            "index",
            "account",
            "invite",
            "resend_invitation",
            "revoke_invitation",
            "disable",
            "enable",
            "end_sessions",
            "reset_two_factor",
            "grant_right",
            "remove_right",
        )
    },
    "registry.partners": ALL,
    "registry.partner": ALL,
    "registry.bodies": ALL,
    "registry.body": ALL,
    "registry.new_partner": REGISTRY_KEEPERS,
    "registry.edit_partner": REGISTRY_KEEPERS,
    "registry.new_person": REGISTRY_KEEPERS,
    "registry.edit_person": REGISTRY_KEEPERS,
    "registry.new_body": REGISTRY_KEEPERS,
    "registry.edit_body": REGISTRY_KEEPERS,
    "registry.new_membership": REGISTRY_KEEPERS,
    "registry.edit_membership": REGISTRY_KEEPERS,
    "registry.people": SIGNED_IN,
    "registry.person": SIGNED_IN,
    "registry.memberships": SIGNED_IN,
    "registry.partner_history": SIGNED_IN,
    "registry.person_history": SIGNED_IN,
    "registry.body_history": SIGNED_IN,
    "registry.membership_history": SIGNED_IN,
    "audit.log": {Role.ADMIN},
    "outbox.messages": {Role.ADMIN},
    "outbox.retry": {Role.ADMIN},
    "voting.body_rules": ALL,
    "voting.decision": ALL,
    "voting.new_rule_version": REGISTRY_KEEPERS,
    "voting.new_motion": REGISTRY_KEEPERS,
    "voting.record_vote": REGISTRY_KEEPERS,
    "voting.correct_motion": REGISTRY_KEEPERS,
    "voting.cast": SIGNED_IN,
    "voting.my_decisions": SIGNED_IN,
    "scrutiny.inquiries": ALL,
    "scrutiny.inquiry": ALL,
    "scrutiny.tracker": ALL,
    "scrutiny.recommendation": ALL,
    "scrutiny.monitoring": ALL,
    "scrutiny.export": ALL,
    "scrutiny.final_report": ALL,
    "scrutiny.upload_report": SCRUTINY_RECORDERS,
    "scrutiny.new_inquiry": SCRUTINY_RECORDERS,
    "scrutiny.edit_inquiry": SCRUTINY_RECORDERS,
    "scrutiny.new_recommendation": SCRUTINY_RECORDERS,
    "scrutiny.edit_recommendation": SCRUTINY_RECORDERS,
    # Officers may respond and report progress only for their own council
    # (tests/integration/scrutiny): the test officer's account is linked to no partner.
    "scrutiny.new_response": SCRUTINY_RECORDERS,
    "scrutiny.new_update": REGISTRY_KEEPERS,
    "scrutiny.review": SCRUTINY_REVIEWERS,
    "scrutiny.sign_off": SCRUTINY_REVIEWERS,
    "scrutiny.reopen": SCRUTINY_REVIEWERS,
    "scrutiny.import_sheet": REGISTRY_KEEPERS,
    "scrutiny.confirm_import": REGISTRY_KEEPERS,
    "meetings.calendar": ALL,
    "meetings.meeting": ALL,
    "meetings.minutes": ALL,
    "meetings.agenda": ALL,
    "meetings.decisions": ALL,
    "meetings.body_ics": ALL,
    "meetings.paper": ALL,
    "meetings.actions": SIGNED_IN,
    "pipeline.board": ALL,
    "pipeline.table": ALL,
    "pipeline.service": ALL,
    "pipeline.analytics": ALL,
    "pipeline.export": ALL,
    "pipeline.directorates": ALL,
    "pipeline.new_service": PIPELINE_RECORDERS,
    "pipeline.new_directorate": PIPELINE_RECORDERS,
    "pipeline.import_services": PIPELINE_RECORDERS,
    "pipeline.confirm_import": PIPELINE_RECORDERS,
    # Officers only for their own partner's services (tests/integration/pipeline): the world's
    # service belongs to a partner the test officer does not work for.
    "pipeline.move": REGISTRY_KEEPERS,
    "pipeline.edit_service": REGISTRY_KEEPERS,
    "pipeline.edit_directorate": REGISTRY_KEEPERS,
    "programme.index": ALL,
    "programme.objective": ALL,
    "programme.milestones": ALL,
    "programme.milestone": ALL,
    "programme.new_milestone": PIPELINE_RECORDERS,
    "programme.new_objective": REGISTRY_KEEPERS,
    "programme.settings": REGISTRY_KEEPERS,
    "programme.edit_objective": REGISTRY_KEEPERS,
    "programme.objective_links": REGISTRY_KEEPERS,
    "programme.new_action": REGISTRY_KEEPERS,
    "programme.edit_action": REGISTRY_KEEPERS,
    # Officers only for their own council's milestones (tests/integration/programme): the
    # world's milestone belongs to a partner the test officer does not work for.
    "programme.edit_milestone": REGISTRY_KEEPERS,
    "programme.forecast": REGISTRY_KEEPERS,
    "programme.rebaseline": REGISTRY_KEEPERS,
    "programme.complete": REGISTRY_KEEPERS,
    "programme.override": REGISTRY_KEEPERS,
    "programme.end_override": REGISTRY_KEEPERS,
    "dashboards.overview": ALL,
    "dashboards.partner": ALL,
    "dashboards.body": ALL,
    "dashboards.periods": ALL,
    "dashboards.highlight": ALL,
    "dashboards.objective": ALL,
    "dashboards.timeline": ALL,
    "dashboards.new_period": REGISTRY_KEEPERS,
    "dashboards.edit_period": REGISTRY_KEEPERS,
    "popolo.index": ALL,
    "popolo.organizations": ALL,
    "popolo.persons": ALL,
    "popolo.memberships": ALL,
    "popolo.events": ALL,
    "popolo.motions": ALL,
    "popolo.vote_events": ALL,
    "popolo.votes": ALL,
    **{
        f"meetings.{name}": REGISTRY_KEEPERS
        for name in (
            "new_meeting",
            "edit_meeting",
            "new_item",
            "edit_item",
            "publish",
            "attendance",
            "add_guest",
            "remove_guest",
            "add_declaration",
            "minute",
            "publish_minutes",
            "confirm_minutes",
            "add_correction",
            "new_action",
            "edit_action",
            "new_paper",
        )
    },
}

SKIP = {"static"}
NOT_FOUND_HERE = {
    "meetings.paper",
    "scrutiny.final_report",
    "auth.accept_invitation",
    "auth.reset_password",
    "auth.sso_start",
    "auth.sso_callback",
}
EMPTY_POST_REFUSED = {"voting.cast", "auth.change_password"}
# Asked last in a walk: after them the client is signed out.
ENDS_SESSION = {"auth.sign_out_everywhere"}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - SKIP
    assert endpoints - EXPECTED.keys() == set(), "declare the permission of every new route"
    assert EXPECTED.keys() - endpoints == set()


def test_every_view_is_guarded_by_a_named_permission(app):
    for endpoint, view in app.view_functions.items():
        if endpoint in SKIP:
            continue
        assert hasattr(view, "permission"), f"{endpoint} has no @require(...)"


def build_world(make_membership, make_meeting, make_item, make_user, *, side=1, body=None):
    """One of everything a route's address names, on one body and one partner; ``side`` 2
    builds a second such world beside the first (another body, partner and objective in the
    same programme), for the rights that hold for one body or partner and not another."""
    membership = make_membership(start_on=date(2006, 1, 1), **({"body": body} if body else {}))
    account = make_user(role=Role.MEMBER)  # the accounts pages' (and an erasure's) subject
    body = db.session.get(Body, membership.body_id)
    meeting = make_meeting(body=body, held_on=today(), minutes_status=MinutesStatus.PUBLISHED)
    item = make_item(meeting=meeting)
    inquiry = Inquiry(body_id=body.id, title="Partnership working", reported_on=date(2007, 3, 7))
    db.session.add(inquiry)
    db.session.commit()
    recommendation = Recommendation(inquiry_id=inquiry.id, reference="4.a", text="Agree a plan.")
    db.session.add(recommendation)
    db.session.commit()
    db.session.add(Addressee(recommendation_id=recommendation.id, partner_id=membership.partner_id))
    db.session.commit()
    guest = Guest(meeting_id=meeting.id, name="Visitor", capacity=GuestCapacity.VISITOR)
    action = Action(item_id=item.id, text="Report back", owner_partner_id=membership.partner_id)
    paper = Paper(
        item_id=item.id,
        title="Report",
        filename="report.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
    )
    db.session.add_all([guest, action, paper])
    db.session.commit()
    motion = Motion(item_id=item.id, text="That the report be noted.")
    db.session.add(motion)
    db.session.commit()
    decision = Decision(motion_id=motion.id, recorded_vote=False, meeting_for=0)
    db.session.add(decision)
    db.session.commit()
    directorate = Directorate(partner_id=membership.partner_id, code="ENV")
    db.session.add(directorate)
    db.session.commit()
    service = Service(name="Waste Helpline", partner_id=membership.partner_id, stage=Stage(2))
    db.session.add(service)
    db.session.commit()
    period = ReportingPeriod(
        title=f"Q{side} 2007/08",
        starts_on=date(2007, 3 * side + 1, 1),
        ends_on=date(2007, 3 * side + 3, 28),
    )
    db.session.add(period)
    db.session.commit()
    message = OutboxMessage(recipient="voter@example.org", subject="Vote", body="…")
    db.session.add(message)
    db.session.commit()
    programme_ids = _programme_world(membership.partner_id, side)
    return {
        **programme_ids,
        "message_id": message.id,
        "period_id": period.id,
        "inquiry_id": inquiry.id,
        "recommendation_id": recommendation.id,
        "partner_id": membership.partner_id,
        "user_id": account.id,
        "grant_id": account.grants[0].id,
        "token": "not-a-real-link",  # an e-mailed link's page answers 404 for a made-up one
        "person_id": membership.person_id,
        "body_id": membership.body_id,
        "membership_id": membership.id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "guest_id": guest.id,
        "action_id": action.id,
        "paper_id": paper.id,
        "motion_id": motion.id,
        "decision_id": decision.id,
        "directorate_id": directorate.id,
        "service_id": service.id,
    }


@pytest.fixture
def world(make_membership, make_meeting, make_item, make_user):
    return build_world(make_membership, make_meeting, make_item, make_user)


def _programme_world(partner_id: int, side: int = 1) -> dict[str, int]:
    from govtrack.programme.models import Milestone, Objective, Programme, WorkPlanAction

    programme = db.session.scalar(select(Programme).where(Programme.key == "lssp"))
    if programme is None:
        programme = Programme(key="lssp", name="Shared services", starts_on=date(2002, 3, 1))
        db.session.add(programme)
        db.session.commit()
    objective = Objective(
        programme_id=programme.id, number=side, title=f"Single point of access {side}"
    )
    db.session.add(objective)
    db.session.commit()
    milestone = Milestone(
        programme_id=programme.id,
        title=f"Extended hours {side}",
        objective_id=objective.id,
        owner_partner_id=partner_id,
        baseline_date=date(2007, 4, 30),
    )
    plan_action = WorkPlanAction(objective_id=objective.id, title="Join up websites")
    db.session.add_all([milestone, plan_action])
    db.session.commit()
    return {
        "objective_id": objective.id,
        "milestone_id": milestone.id,
        "plan_action_id": plan_action.id,
    }


ARGUMENT = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


def url_for_rule(rule, ids):
    """The rule's address with the world's ids in it. An argument the world does not name
    gets 0 (a new route is still walked: those refused are refused before any record is read;
    for those allowed, add the record to the world)."""
    return ARGUMENT.sub(lambda m: str(ids.get(m.group(1), 0)), rule.rule)


def walk(app, client, ids, allowed, who: str) -> None:
    """Ask every route, as ``client`` (signed in as ``who`` or not), for the world ``ids``:
    ``allowed(endpoint)`` says whether it should let them in. GETs are asked for the page;
    other methods are posted with only a CSRF token (so forms answer with their errors)."""
    signed_in = who != "public"
    token = csrf_token(client.get("/" if signed_in else "/sign-in").text)
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint in ENDS_SESSION)
    for rule in rules:
        if rule.endpoint in SKIP or rule.endpoint == "auth.sign_out":
            continue
        url = url_for_rule(rule, ids)
        if "GET" in rule.methods:
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        if allowed(rule.endpoint):
            # 409: allowed, but the record says no now; 404: the paper's file is not stored, or
            # the e-mailed link is made up; 422: a vote posted without a choice shows the
            # decision page again, as do the password forms posted empty.
            assert response.status_code in (
                200,
                302,
                303,
                409,
                404 if rule.endpoint in NOT_FOUND_HERE else 200,
                422 if rule.endpoint in EMPTY_POST_REFUSED else 200,
            ), f"{who} {url}: {response.status_code}"
            if rule.endpoint not in ("auth.sign_in", *ENDS_SESSION):
                assert "/sign-in" not in response.headers.get("Location", ""), (who, url)
        elif not signed_in:
            assert response.status_code == 302, (who, url)
            assert response.headers["Location"].startswith("/sign-in"), (who, url)
        else:
            assert response.status_code == 403, f"{who} {url}: {response.status_code}"


@pytest.mark.parametrize("who", ["public", *[r.value for r in Role]])
def test_role_by_route(app, actions, world, who):
    if who != "public":
        actions.sign_in_as(who)
    role = "public" if who == "public" else Role(who)
    walk(app, actions.client, world, lambda endpoint: role in EXPECTED[endpoint], who)


def test_a_refused_route_says_so_in_words(actions, world):
    actions.sign_in_as(Role.MEMBER)
    response = actions.client.get(f"/meetings/{world['meeting_id']}/edit")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.text


@pytest.mark.parametrize("who", ["member", "officer", "scrutiny"])
def test_posts_to_registry_forms_are_refused_for_other_roles(actions, world, who):
    actions.sign_in_as(who)
    page = actions.client.get("/")
    token = csrf_token(page.text)
    response = actions.client.post(
        "/partners/new", data={"csrf_token": token, "name": "X", "code": "XX", "kind": "other"}
    )
    assert response.status_code == 403
