"""People look after their own account: accepting an invitation, resetting a forgotten
password by e-mail, seeing their account, changing their password and signing out everywhere.
Bad links (used, expired, revoked, forged, tampered, for a disabled account) get a clear page and
change nothing; a reset request says the same whatever the address; a flood waits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from govtrack.auth import links, own_account
from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.models import AccountLink, User
from govtrack.auth.passwords import COMMON, verify_password
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.core.records import unit_of_work
from govtrack.db import db, utcnow
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import TEST_PASSWORD

NEW = "violet harbour lantern"
PROTECTED = "/people"


@pytest.fixture(autouse=True)
def _answers_without_waiting(app):
    """The reset page's answer takes a set time (see test_a_reset_answer_waits_out_its_time);
    the other tests need not wait (the app fixture puts the setting back)."""
    app.config["RESET_ANSWER_SECONDS"] = 0


def _issue(user, purpose):
    with unit_of_work():
        return links.issue(user, purpose)


def _fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _post(client, url, data):
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def _copy_session(app, client):
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def _actions_of(user) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id)
            .order_by(AuditEntry.id)
        )
    )


# Invitations ------------------------------------------------------------------------------


def test_an_invited_person_sets_a_password_and_is_signed_in(app, client, make_user):
    user = make_user(role=Role.MEMBER, password_hash=None, name="Ivy Invited")
    token = _issue(user, LinkPurpose.INVITATION)
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200 and "Ivy Invited" in page.text
    response = _post(client, f"/invitation/{token}", {"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert verify_password(_fresh(user).password_hash, NEW)
    assert _fresh(user).last_sign_in_at is not None
    assert client.get(PROTECTED).status_code != 302  # signed in
    assert "accept-invitation" in _actions_of(user)
    # Spent: the same link again is refused with a clear page.
    again = client.get(f"/invitation/{token}")
    assert again.status_code == 410 and "already been used" in again.text


def test_an_invitation_offers_single_sign_on_when_it_is_set_up(app, client, make_user):
    user = make_user(password_hash=None)
    token = _issue(user, LinkPurpose.INVITATION)
    assert "Sign in with" not in client.get(f"/invitation/{token}").text
    app.config.update(
        OIDC_ISSUER="http://127.0.0.1:9/", OIDC_CLIENT_ID="govtrack", OIDC_PROVIDER_NAME="Council"
    )
    assert "Sign in with Council" in client.get(f"/invitation/{token}").text


def test_a_weak_or_mismatched_password_is_refused_and_the_link_kept(app, client, make_user):
    user = make_user(password_hash=None)
    token = _issue(user, LinkPurpose.INVITATION)
    weak = _post(client, f"/invitation/{token}", {"password": "password1234", "confirm": "x"})
    assert weak.status_code == 422
    assert "There is a problem" in weak.text and "most common passwords" in weak.text
    mismatch = _post(client, f"/invitation/{token}", {"password": NEW, "confirm": NEW + "!"})
    assert mismatch.status_code == 422 and "not the same" in mismatch.text
    assert _fresh(user).password_hash is None
    links.check(token, LinkPurpose.INVITATION)  # still usable


def _expire(token):
    link = db.session.scalar(
        select(AccountLink).where(AccountLink.token_hash == links._digest(token))
    )
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


@pytest.mark.parametrize(
    ("spoil", "status", "words"),
    [
        ("expired", 410, "expired"),
        ("revoked", 410, "replaced or withdrawn"),
        ("forged", 404, "not valid"),
        ("tampered", 404, "not valid"),
        ("disabled", 410, "disabled"),
    ],
)
def test_a_bad_invitation_link_gets_a_clear_page_and_changes_nothing(
    app, client, make_user, spoil, status, words
):
    user = make_user(password_hash=None)
    token = _issue(user, LinkPurpose.INVITATION)
    url = f"/invitation/{token}"
    if spoil == "expired":
        _expire(token)
    elif spoil == "revoked":
        _issue(user, LinkPurpose.INVITATION)  # a newer invitation replaces it
    elif spoil == "forged":
        url = "/invitation/" + "A" * 43
    elif spoil == "tampered":
        url = f"/invitation/{token[:-2]}{'AB' if token[-2:] != 'AB' else 'CD'}"
    elif spoil == "disabled":
        user.active = False
        db.session.commit()
    page = client.get(url)
    assert page.status_code == status and words in page.text
    assert "Nothing has been changed" in page.text
    # A post with the bad link changes nothing either.
    home = client.get("/sign-in")
    post = client.post(
        url, data={"csrf_token": csrf_token(home.text), "password": NEW, "confirm": NEW}
    )
    assert post.status_code == status
    assert _fresh(user).password_hash is None


# Forgotten passwords ----------------------------------------------------------------------


def _reset_token(email: str) -> str:
    message = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == email)
        .order_by(OutboxMessage.id.desc())
    )
    assert message is not None and "one hour" in message.body
    return re.search(r"/reset-password/(\S+)", message.body).group(1)


def test_the_sign_in_page_links_to_forgotten_password(client):
    assert 'href="/forgot-password"' in client.get("/sign-in").text


def test_a_forgotten_password_is_reset_by_an_emailed_link(app, client, make_user):
    user = make_user(email="forgetful@example.org")
    old_session = app.test_client()
    page = old_session.get("/sign-in")
    old_session.post(
        "/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert old_session.get(PROTECTED).status_code == 200
    answer = _post(client, "/forgot-password", {"email": "Forgetful@Example.org "})
    assert answer.status_code == 200 and "valid for one hour" in answer.text
    token = _reset_token(user.email)
    assert client.get(f"/reset-password/{token}").status_code == 200
    done = _post(client, f"/reset-password/{token}", {"password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert verify_password(_fresh(user).password_hash, NEW)
    assert client.get(PROTECTED).status_code == 200  # signed in afresh
    assert old_session.get(PROTECTED).status_code == 302  # every other session ended
    assert client.get(f"/reset-password/{token}").status_code == 410  # single use
    assert {"reset-link", "reset-password"} <= set(_actions_of(user))


def test_an_unknown_or_disabled_address_gets_the_same_answer_and_no_mail(app, client, make_user):
    make_user(email="gone@example.org", active=False)
    known = make_user(email="known@example.org")
    answers = [
        _post(client, "/forgot-password", {"email": email})
        for email in ("nobody@example.org", "gone@example.org", known.email)
    ]
    assert {a.status_code for a in answers} == {200}
    texts = {re.sub(r'(value|nonce)="[^"]*"', "", a.text) for a in answers}
    assert len(texts) == 1
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert "known@example.org" in recipients
    assert not recipients & {"nobody@example.org", "gone@example.org"}


def test_a_reset_link_expires_after_an_hour(app, client, make_user):
    user = make_user()
    token = _issue(user, LinkPurpose.RESET)
    _expire(token)
    page = client.get(f"/reset-password/{token}")
    assert page.status_code == 410 and "expired" in page.text


def test_a_flood_of_reset_requests_is_throttled_per_address(app, client, make_user):
    user = make_user()
    for _ in range(5):
        assert _post(client, "/forgot-password", {"email": user.email}).status_code == 200
    flood = _post(client, "/forgot-password", {"email": user.email})
    assert flood.status_code == 429 and "too many requests" in flood.text
    assert int(flood.headers["Retry-After"]) > 0
    # The same for an address with no account: the throttle gives nothing away either.
    for _ in range(5):
        _post(client, "/forgot-password", {"email": "nobody@example.org"})
    assert _post(client, "/forgot-password", {"email": "nobody@example.org"}).status_code == 429
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert len(list(sent)) == 5


def test_a_flood_from_one_client_across_addresses_is_throttled(app, client):
    app.config["RESET_LIMIT_PER_ADDRESS"] = "3 per hour"
    for n in range(3):
        assert _post(client, "/forgot-password", {"email": f"a{n}@example.org"}).status_code == 200
    assert _post(client, "/forgot-password", {"email": "a9@example.org"}).status_code == 429


def test_a_bad_email_is_asked_for_again(client):
    empty = _post(client, "/forgot-password", {"email": ""})
    assert empty.status_code == 422 and "Enter your email address" in empty.text


# Your account -----------------------------------------------------------------------------


def test_your_account_shows_your_details_and_rights(actions, make_body):
    body = make_body(name="Joint Scrutiny Panel")
    user = actions.sign_in_as(Role.CLERK, name="Carla Clerk")
    user.grants[0].body_id = body.id
    db.session.commit()
    page = actions.client.get("/account")
    assert page.status_code == 200
    assert "Carla Clerk" in page.text and user.email in page.text
    assert "Democratic services officer for Joint Scrutiny Panel" in page.text
    assert "Two-factor sign-in" in page.text and "/account/two-factor" in page.text
    assert 'href="/account"' in actions.client.get("/").text  # the name in the header


def test_your_account_needs_signing_in(client):
    assert client.get("/account").status_code == 302
    assert client.get("/account/password").status_code == 302


def test_changing_your_password_keeps_this_session_and_ends_the_others(app, actions):
    user = actions.sign_in_as(Role.MEMBER)
    thief = _copy_session(app, actions.client)
    response = actions.submit(
        "/account/password", {"current": TEST_PASSWORD, "password": NEW, "confirm": NEW}
    )
    assert response.status_code == 302
    assert verify_password(_fresh(user).password_hash, NEW)
    assert actions.client.get("/account").status_code == 200
    assert thief.get("/account").status_code == 302
    assert "change-password" in _actions_of(user)


def test_a_wrong_current_or_weak_new_password_changes_nothing(actions):
    user = actions.sign_in_as(Role.MEMBER)
    before = _fresh(user).password_hash
    wrong = actions.submit(
        "/account/password", {"current": "not my password", "password": NEW, "confirm": NEW}
    )
    assert wrong.status_code == 422 and "current password is not right" in wrong.text
    weak = actions.submit(
        "/account/password",
        {"current": TEST_PASSWORD, "password": "password1234", "confirm": "password1234"},
    )
    assert weak.status_code == 422 and COMMON in weak.text.replace("&#39;", "'")
    assert _fresh(user).password_hash == before


def test_sign_out_everywhere_ends_every_session_including_this_one(app, actions):
    user = actions.sign_in_as(Role.MEMBER)
    thief = _copy_session(app, actions.client)
    page = actions.client.get("/account")
    response = actions.client.post(
        "/account/sign-out-everywhere", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    assert actions.client.get("/account").status_code == 302
    assert thief.get("/account").status_code == 302
    assert "end-sessions" in _actions_of(user)


def test_sign_out_everywhere_needs_the_form_token(actions):
    actions.sign_in_as(Role.MEMBER)
    actions.client.post("/account/sign-out-everywhere", data={})
    assert actions.client.get("/account").status_code == 200


def test_a_reset_answer_waits_out_its_time_whether_or_not_mail_was_sent(
    app, client, make_user, monkeypatch
):
    """The answer is held back to RESET_ANSWER_SECONDS however quick the work was (the sleep
    asked for is recorded, not timed)."""
    app.config["RESET_ANSWER_SECONDS"] = 0.5
    waits: list[float] = []
    monkeypatch.setattr(own_account.time, "sleep", waits.append)
    user = make_user()
    for email in (user.email, "nobody@example.org"):
        assert _post(client, "/forgot-password", {"email": email}).status_code == 200
    assert len(waits) == 2 and all(0 < wait <= 0.5 for wait in waits)


def _passwords_off(app):
    app.config.update(
        OIDC_ISSUER="http://127.0.0.1:9/",
        OIDC_CLIENT_ID="govtrack",
        OIDC_PROVIDER_NAME="Council",
        PASSWORD_SIGN_IN=False,
    )


def test_with_passwords_switched_off_an_invitation_offers_single_sign_on_only(
    app, client, make_user
):
    user = make_user(password_hash=None)
    token = _issue(user, LinkPurpose.INVITATION)
    form_token = csrf_token(client.get("/sign-in").text)
    _passwords_off(app)
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200 and "Sign in with Council" in page.text
    assert 'name="password"' not in page.text
    posted = client.post(
        f"/invitation/{token}",
        data={"csrf_token": form_token, "password": NEW, "confirm": NEW},
    )
    assert posted.status_code == 403
    assert _fresh(user).password_hash is None
    links.check(token, LinkPurpose.INVITATION)  # still usable, for single sign-on


def test_with_passwords_switched_off_there_is_nothing_to_reset(app, client, make_user):
    user = make_user()
    token = _issue(user, LinkPurpose.RESET)
    _passwords_off(app)
    assert "does not use passwords" in client.get("/forgot-password").text
    assert client.get(f"/reset-password/{token}").status_code == 403


def test_an_account_without_a_password_is_offered_a_link_to_set_one(actions):
    user = actions.sign_in_as(Role.MEMBER)
    user.password_hash = None
    db.session.commit()
    page = actions.client.get("/account")
    assert "Not set" in page.text and 'href="/forgot-password"' in page.text
    assert 'href="/account/password"' not in page.text
