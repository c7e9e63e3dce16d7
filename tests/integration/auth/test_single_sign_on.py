"""Single sign-on against a real OpenID Connect provider started locally by the tests.

Each test drives the whole flow: govtrack sends the browser (the test client) to the
provider, the person is authorized on the provider's own form, and the provider sends them
back with a code that govtrack exchanges and checks. Refusals are checked for what they say
and for what they leave unchanged: nothing linked, nobody signed in.
"""

from __future__ import annotations

import socket
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import select

from govtrack.auth import links, single_sign_on
from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.models import User
from govtrack.core.models import AuditEntry
from govtrack.db import db
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import TEST_PASSWORD
from tests.fixtures.oidc_provider import (  # noqa: F401  (fixtures)
    oidc_provider,
    oidc_provider_server,
)


@pytest.fixture
def sso(app, oidc_provider):  # noqa: F811
    app.config.update(oidc_provider.settings())
    return oidc_provider


def go_to_provider(client, next_url: str | None = None) -> str:
    """Press "Sign in with ...": the provider's authorization URL govtrack redirects to."""
    response = client.get("/sign-in/sso", query_string={"next": next_url} if next_url else {})
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def authorize(authorization_url: str, subject: str) -> str:
    """The person signs in at the provider; where the provider sends them back."""
    response = requests.post(
        authorization_url, data={"sub": subject}, allow_redirects=False, timeout=5
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def sign_in_through(client, provider, subject: str, next_url: str | None = None):
    return client.get(authorize(go_to_provider(client, next_url), subject))


def signed_in(client) -> bool:
    return client.get("/people").status_code == 200


def audit_actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id)
            .order_by(AuditEntry.id)
        )
    )


def assert_refused(response, status: int, words: str, client, user: User | None = None):
    assert response.status_code == status, response.text
    assert "There is a problem" in response.text
    assert words in response.text
    assert not signed_in(client)
    if user is not None:
        db.session.refresh(user)
        assert user.oidc_subject is None and user.oidc_issuer is None
        assert user.last_sign_in_at is None


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


# --- The sign-in page --------------------------------------------------------------------


def test_the_sign_in_page_offers_the_provider_when_it_is_set_up(client, sso):
    page = client.get("/sign-in?next=/people")
    assert "Sign in with Council Login" in page.text
    assert "/sign-in/sso?next=/people" in page.text
    assert 'name="password"' in page.text


def test_without_single_sign_on_there_is_no_button_and_no_route(client, app):
    app.config["OIDC_ISSUER"] = ""
    assert "Sign in with" not in client.get("/sign-in").text
    assert client.get("/sign-in/sso").status_code == 404
    assert client.get("/sign-in/sso/callback?code=x&state=y").status_code == 404


def test_password_sign_in_can_be_switched_off(client, sso, app, make_user):
    user = make_user(role=Role.MEMBER)
    token = csrf_token(client.get("/sign-in").text)  # a password form opened before the switch
    app.config["PASSWORD_SIGN_IN"] = False
    page = client.get("/sign-in")
    assert "Sign in with Council Login" in page.text
    assert 'name="password"' not in page.text
    response = client.post(
        "/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert_refused(response, 403, "Signing in with a password is switched off", client)
    assert "Sign in with Council Login instead" in response.text


def test_passwords_stay_on_while_single_sign_on_is_not_set_up(client, app, actions, make_user):
    app.config.update(OIDC_ISSUER="", PASSWORD_SIGN_IN=False)
    user = make_user(role=Role.MEMBER)
    assert 'name="password"' in client.get("/sign-in").text
    assert actions.sign_in(user.email, TEST_PASSWORD).status_code == 302


# --- Signing in and linking --------------------------------------------------------------


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(client, sso):
    query = parse_qs(urlsplit(go_to_provider(client)).query)
    assert query["client_id"] == [sso.client_id]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://localhost/sign-in/sso/callback"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20
    assert len(query["nonce"][0]) >= 20


def test_first_sign_in_links_the_account_then_the_subject_opens_it(client, sso, make_user):
    user = make_user(role=Role.MEMBER, email="ruth.ellis@example.org", name="Ruth Ellis")
    sso.person("ruth-1", email="Ruth.Ellis@example.org", email_verified=True)

    response = sign_in_through(client, sso, "ruth-1", next_url="/people")
    assert response.status_code == 302
    assert response.headers["Location"] == "/people"
    assert "Signed in as Ruth Ellis" in client.get("/people").text
    db.session.refresh(user)
    assert (user.oidc_issuer, user.oidc_subject) == (sso.url, "ruth-1")
    assert user.last_sign_in_at is not None
    assert audit_actions(user) == ["link-sso"]

    # Later the subject opens the account, even after the provider's address for it changed.
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/").text)})
    sso.person("ruth-1", email="ruth.ellis@new.example.org", email_verified=True)
    assert sign_in_through(client, sso, "ruth-1").status_code == 302
    assert signed_in(client)
    assert audit_actions(user) == ["link-sso"]  # linked once


def test_an_invited_account_accepting_by_single_sign_on_spends_its_invitation(
    client, sso, make_user
):
    user = make_user(role=Role.MEMBER, password_hash=None)
    token = links.issue(user, LinkPurpose.INVITATION)
    db.session.commit()
    sso.person("invited-1", email=user.email, email_verified=True)

    assert sign_in_through(client, sso, "invited-1").status_code == 302
    assert signed_in(client)
    with pytest.raises(links.LinkRefused, match="replaced or withdrawn"):
        links.check(token, LinkPurpose.INVITATION)
    assert audit_actions(user) == ["link-sso", "accept-invitation"]


def test_next_stays_on_this_site(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("next-1", email=user.email, email_verified=True)
    response = sign_in_through(client, sso, "next-1", next_url="//evil.example/steal")
    assert response.headers["Location"] == "/"


def test_an_unlinked_account_links_to_the_new_identity(client, sso, make_user):
    admin = make_user(role=Role.ADMIN)
    user = make_user(role=Role.MEMBER, oidc_issuer=sso.url, oidc_subject="old-identity")
    assert single_sign_on.unlink(admin, user) is True
    assert single_sign_on.unlink(admin, user) is False  # nothing left to forget
    db.session.commit()
    assert audit_actions(user) == ["unlink-sso"]
    sso.person("new-identity", email=user.email, email_verified=True)
    assert sign_in_through(client, sso, "new-identity").status_code == 302
    db.session.refresh(user)
    assert user.oidc_subject == "new-identity"
    assert audit_actions(user) == ["unlink-sso", "link-sso"]


# --- Refusals: who the provider says it is ----------------------------------------------


def test_an_unverified_email_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("unverified-1", email=user.email, email_verified=False)
    response = sign_in_through(client, sso, "unverified-1")
    assert_refused(response, 403, "has not verified the e-mail address", client, user)


def test_an_email_without_the_verified_claim_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("unverified-2", email=user.email)
    response = sign_in_through(client, sso, "unverified-2")
    assert_refused(response, 403, "has not verified the e-mail address", client, user)


def test_an_unknown_account_is_refused(client, sso):
    sso.person("stranger-1", email="stranger@example.org", email_verified=True)
    response = sign_in_through(client, sso, "stranger-1", next_url="/people")
    assert "/sign-in/sso?next=/people" in response.text  # another try goes where they were going
    assert_refused(response, 403, "There is no govtrack account for stranger@example.org", client)
    assert db.session.scalar(select(User).where(User.oidc_subject == "stranger-1")) is None


def test_a_disabled_account_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER, active=False)
    sso.person("disabled-1", email=user.email, email_verified=True)
    response = sign_in_through(client, sso, "disabled-1")
    assert_refused(response, 403, "This govtrack account is disabled", client, user)


def test_a_linked_account_that_is_disabled_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER, active=False, oidc_issuer=sso.url, oidc_subject="disabled-2")
    sso.person("disabled-2", email=user.email, email_verified=True)
    response = sign_in_through(client, sso, "disabled-2")
    assert response.status_code == 403
    assert "This govtrack account is disabled" in response.text
    assert not signed_in(client)


def test_an_account_linked_to_another_subject_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER, oidc_issuer=sso.url, oidc_subject="the-real-one")
    sso.person("impostor-1", email=user.email, email_verified=True)
    response = sign_in_through(client, sso, "impostor-1")
    assert response.status_code == 403
    assert "is linked to another Council Login identity" in response.text
    assert not signed_in(client)
    db.session.refresh(user)
    assert user.oidc_subject == "the-real-one"


# --- Refusals: the exchange itself -------------------------------------------------------


def test_a_forged_state_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("forged-1", email=user.email, email_verified=True)
    back = authorize(go_to_provider(client), "forged-1")
    response = client.get(with_query(back, state="forged-by-someone-else"))
    assert_refused(response, 400, "This sign-in has expired or has already been used", client, user)


def test_a_callback_from_another_browser_is_refused(client, sso, app, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("csrf-1", email=user.email, email_verified=True)
    back = authorize(go_to_provider(client), "csrf-1")
    victim = app.test_client()
    response = victim.get(back)
    assert_refused(response, 400, "This sign-in has expired or has already been used", victim, user)


def test_a_replayed_callback_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("replay-1", email=user.email, email_verified=True)
    back = authorize(go_to_provider(client), "replay-1")
    assert client.get(back).status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/").text)})
    response = client.get(back)
    assert response.status_code == 400
    assert "This sign-in has expired or has already been used" in response.text
    assert not signed_in(client)


def test_a_callback_replayed_with_the_old_session_cookie_is_refused(client, sso, make_user):
    """A copy of the browser's cookie from before the callback still holds the state; the
    provider then refuses the code, which works once."""
    user = make_user(role=Role.MEMBER)
    sso.person("replay-2", email=user.email, email_verified=True)
    back = authorize(go_to_provider(client), "replay-2")
    copied = client.get_cookie("session").value
    assert client.get(back).status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/").text)})
    client.set_cookie("session", copied)
    response = client.get(back)
    assert response.status_code == 400
    assert "Council Login did not complete the sign-in (invalid_grant)" in response.text
    assert not signed_in(client)


def test_a_wrong_nonce_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("nonce-1", email=user.email, email_verified=True)
    sso.tamper({"nonce": "a-nonce-from-another-sign-in"})
    response = sign_in_through(client, sso, "nonce-1")
    assert_refused(response, 400, "it was not made for this sign-in", client, user)


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-service"}, {"aud": "another-service", "azp": "govtrack-tests"}],
    ids=["aud", "aud-with-our-azp"],
)
def test_a_token_for_another_audience_is_refused(client, sso, make_user, claims):
    user = make_user(role=Role.MEMBER)
    sso.person("audience-1", email=user.email, email_verified=True)
    sso.tamper(claims)
    response = sign_in_through(client, sso, "audience-1")
    assert_refused(response, 400, "it was issued to another service", client, user)


def test_an_expired_token_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("expired-1", email=user.email, email_verified=True)
    now = int(time.time())
    sso.tamper({"iat": now - 7200, "exp": now - 3600})
    response = sign_in_through(client, sso, "expired-1")
    assert_refused(response, 400, "it has expired", client, user)


def test_a_token_from_another_issuer_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("issuer-1", email=user.email, email_verified=True)
    sso.tamper({"iss": "https://login.example.net"})
    response = sign_in_through(client, sso, "issuer-1")
    assert_refused(response, 400, "it was issued by another provider", client, user)


def test_a_token_with_a_bad_signature_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    sso.person("signature-1", email=user.email, email_verified=True)
    sso.tamper(foreign_key=True)
    response = sign_in_through(client, sso, "signature-1")
    assert_refused(response, 400, "its signature could not be verified", client, user)


def test_the_person_saying_no_at_the_provider_is_refused(client, sso, make_user):
    user = make_user(role=Role.MEMBER)
    response = requests.post(
        go_to_provider(client), data={"action": "deny"}, allow_redirects=False, timeout=5
    )
    back = response.headers["Location"]
    assert "error=access_denied" in back
    refused = client.get(back)
    assert_refused(refused, 400, "You did not let Council Login sign you in", client, user)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_provider_that_is_down_is_a_clear_page(client, sso, app):
    app.config["OIDC_ISSUER"] = f"http://127.0.0.1:{_closed_port()}"
    response = client.get("/sign-in/sso")
    assert_refused(response, 502, "govtrack could not reach Council Login", client)


def test_a_provider_reached_without_tls_is_refused(client, sso, app):
    app.config["OIDC_ISSUER"] = "http://login.example.org"
    response = client.get("/sign-in/sso")
    assert_refused(response, 502, "OIDC_ISSUER must start with https://", client)
