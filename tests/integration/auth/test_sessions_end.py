"""Sessions end when they should: a copied session cookie stops working after signing out,
a new password, or the account being disabled, on every app instance (the session version)."""

from __future__ import annotations

from govtrack.auth import services
from govtrack.auth.enums import Role
from govtrack.core.records import unit_of_work
from tests.fixtures.actions import csrf_token

PROTECTED = "/people"


def _copy_session(app, client):
    """A second browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def test_a_copied_cookie_stops_working_after_sign_out(app, actions):
    actions.sign_in_as(Role.CLERK)
    thief = _copy_session(app, actions.client)
    assert thief.get(PROTECTED).status_code == 200
    home = actions.client.get("/")
    actions.client.post("/sign-out", data={"csrf_token": csrf_token(home.text)})
    assert thief.get(PROTECTED).status_code == 302


def test_a_new_password_ends_every_session(app, actions):
    user = actions.sign_in_as(Role.CLERK)
    thief = _copy_session(app, actions.client)
    with unit_of_work():
        services.set_password(None, user.email, "a brand new long passphrase")
    assert thief.get(PROTECTED).status_code == 302
    assert actions.client.get(PROTECTED).status_code == 302


def test_disabling_the_account_ends_every_session(app, actions):
    user = actions.sign_in_as(Role.CLERK)
    thief = _copy_session(app, actions.client)
    with unit_of_work():
        services.disable_user(None, user.email)
    assert thief.get(PROTECTED).status_code == 302


def test_a_session_from_before_the_version_column_is_refused(app, actions):
    """A cookie naming only the account (as sessions did before versions) opens nothing."""
    user = actions.sign_in_as(Role.CLERK)
    with actions.client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert actions.client.get(PROTECTED).status_code == 302
