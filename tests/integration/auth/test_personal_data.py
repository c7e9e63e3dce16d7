"""Personal data: each person sees what govtrack holds about them and downloads it; an
administrator exports any account's and erases an account's personal data (the public record
stays); the privacy notice says what is held, why, who sees it and for how long."""

from __future__ import annotations

import json
import secrets

from sqlalchemy import select

from govtrack.auth import links
from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.models import AccountLink, RecoveryCode, User
from govtrack.core.mail import send_mail
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.core.records import unit_of_work
from govtrack.db import db
from govtrack.registry.enums import BodyKind, MembershipRole
from govtrack.voting.enums import Channel, Choice, DecisionStatus
from govtrack.voting.models import Decision, Motion, VoteCast
from tests.fixtures.actions import Actions, csrf_token


def _vote(item, person):
    motion = Motion(item_id=item.id, text="That the budget be approved")
    db.session.add(motion)
    db.session.flush()
    decision = Decision(motion_id=motion.id, status=DecisionStatus.CLOSED)
    db.session.add(decision)
    db.session.flush()
    db.session.add(
        VoteCast(
            decision_id=decision.id,
            person_id=person.id,
            partner_id=person.partner_id,
            choice=Choice.FOR,
            channel=Channel.IN_MEETING,
            receipt=secrets.token_hex(6).upper(),
        )
    )
    db.session.commit()


def _councillor(actions, make_person, make_body, make_membership, make_meeting, make_item):
    user = actions.sign_in_as(Role.MEMBER, name="Cora Councillor", email="cora@example.org")
    person = make_person(name="Cllr Cora Councillor", user_id=user.id)
    panel = make_body(name="Highways Scrutiny Panel", kind=BodyKind.SCRUTINY_PANEL)
    make_membership(person=person, body=panel, role=MembershipRole.MEMBER)
    _vote(make_item(meeting=make_meeting(body=panel)), person)
    with unit_of_work():
        send_mail(user.email, "Vote open: Budget", "Dear Cora, a vote is open.")
    return user, person


def test_a_person_sees_what_govtrack_holds_about_them(
    actions, make_person, make_body, make_membership, make_meeting, make_item
):
    _councillor(actions, make_person, make_body, make_membership, make_meeting, make_item)
    page = actions.client.get("/account/data")
    assert page.status_code == 200
    text = page.text
    for expected in (
        "cora@example.org",  # account
        "Councillor (member)",  # rights
        "Your record in the registry",
        "Cllr Cora Councillor",
        "Your memberships of bodies",
        "Highways Scrutiny Panel",  # named, not numbered
        "Votes you cast",
        "E-mails sent to you",
        "Vote open: Budget",
    ):
        assert expected in text, expected
    assert "$argon2" not in text  # no secrets


def test_the_download_holds_the_same_as_json_without_secrets(
    actions, make_person, make_body, make_membership, make_meeting, make_item
):
    user, _ = _councillor(actions, make_person, make_body, make_membership, make_meeting, make_item)
    with unit_of_work():
        links.issue(user, LinkPurpose.RESET)
    response = actions.client.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.text)
    assert data["account"]["email"] == "cora@example.org"
    assert "password_hash" not in data["account"] and data["account"]["password_set"] is True
    records = data["records"]
    assert records["votes_cast.person_id"]["records"][0]["choice"] == "for"
    assert records["memberships.person_id"]["total"] == 1
    assert "token_hash" not in records["account_links.user_id"]["records"][0]
    assert "$argon2" not in response.text


def test_personal_data_pages_need_signing_in(client):
    assert client.get("/account/data").status_code == 302
    assert client.get("/account/data.json").status_code == 302


def test_only_administrators_export_or_erase_others_data(actions, make_user):
    other = make_user(role=Role.MEMBER)
    actions.sign_in_as(Role.CLERK)
    assert actions.client.get(f"/accounts/{other.id}/personal-data.json").status_code == 403
    assert actions.client.get(f"/accounts/{other.id}/erase").status_code == 403
    token = csrf_token(actions.client.get("/account").text)
    erase = actions.client.post(f"/accounts/{other.id}/erase", data={"csrf_token": token})
    assert erase.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, other.id).erased_at is None


def test_an_administrator_exports_an_accounts_data(actions, make_user):
    other = make_user(role=Role.MEMBER, email="exported@example.org")
    actions.sign_in_as(Role.ADMIN)
    response = actions.client.get(f"/accounts/{other.id}/personal-data.json")
    assert response.status_code == 200
    assert json.loads(response.text)["account"]["email"] == "exported@example.org"
    assert actions.client.get("/accounts/999999/personal-data.json").status_code == 404


def _erase(actions, user_id):
    page = actions.client.get(f"/accounts/{user_id}/erase")
    return actions.client.post(
        f"/accounts/{user_id}/erase", data={"csrf_token": csrf_token(page.text)}
    )


def test_erasing_removes_personal_data_and_keeps_the_public_record(
    app, actions, make_user, make_person, make_body, make_membership, make_meeting, make_item
):
    user, person = _councillor(
        actions, make_person, make_body, make_membership, make_meeting, make_item
    )
    user.totp_secret = "A" * 32
    user.oidc_issuer, user.oidc_subject = "https://login.example.org", "cora-123"
    db.session.add(RecoveryCode(user_id=user.id, code_hash="x"))
    db.session.commit()
    with unit_of_work():
        links.issue(user, LinkPurpose.RESET)
    victim_session = actions.client
    admin = app.test_client()
    administrator = Actions(admin, make_user)
    administrator.sign_in_as(Role.ADMIN)
    confirm = admin.get(f"/accounts/{user.id}/erase")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    response = _erase(administrator, user.id)
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.email == f"erased-{user.id}@invalid"
    assert erased.name == f"Erased account {user.id}"
    assert erased.password_hash is None and erased.totp_secret is None
    assert erased.oidc_subject is None and erased.oidc_issuer is None
    assert erased.active is False and erased.erased_at is not None
    assert erased.grants == []
    assert not db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert not db.session.scalars(select(AccountLink).where(AccountLink.user_id == user.id)).all()
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject == "Vote open: Budget")
    )
    assert [m.recipient for m in mail] == [f"erased-{user.id}@invalid"]
    # Signed out everywhere.
    assert victim_session.get("/account").status_code == 302
    # The public record stays: the registry's person and their votes.
    db.session.refresh(person)
    assert person.name == "Cllr Cora Councillor"
    assert db.session.scalars(select(VoteCast).where(VoteCast.person_id == person.id)).all()
    # Audited, without copying the old name or address into the entry.
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "erase", AuditEntry.subject_id == user.id)
    )
    assert entry is not None and "cora" not in json.dumps(entry.changes).lower()
    assert "cora" not in entry.summary.lower()
    # Twice is refused.
    again = _erase(administrator, user.id)
    assert again.status_code == 409 or "already been erased" in again.text


def test_an_administrator_cannot_erase_themselves(actions):
    admin = actions.sign_in_as(Role.ADMIN)
    page = actions.client.get(f"/accounts/{admin.id}/erase")
    assert page.status_code == 200 and "cannot erase your own account" in page.text
    token = csrf_token(actions.client.get("/account").text)
    refused = actions.client.post(f"/accounts/{admin.id}/erase", data={"csrf_token": token})
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, admin.id).erased_at is None


def test_the_privacy_notice_is_public_and_linked_in_the_footer(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    for words in ("What is held", "Why", "Who sees it", "How long it is kept", "permanently"):
        assert words in page.text
    assert 'href="/privacy"' in client.get("/").text
