"""Signing in and out: generic failure messages, rate limiting, safe redirects, CSRF."""

from __future__ import annotations

from govtrack.auth.enums import Role
from govtrack.auth.models import User
from govtrack.db import db
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import TEST_PASSWORD

GENERIC = "Email address or password is not right"


def test_sign_in_and_out(actions, make_user):
    user = make_user(role=Role.MEMBER, name="Doreen Pollitt")
    response = actions.sign_in(user.email, TEST_PASSWORD)
    assert response.status_code == 302
    home = actions.client.get("/")
    assert "Signed in as Doreen Pollitt" in home.text
    assert "Sign out" in home.text
    out = actions.client.post("/sign-out", data={"csrf_token": csrf_token(home.text)})
    assert out.status_code == 302
    assert actions.client.get("/people").status_code == 302  # back to signing in


def test_email_is_not_case_sensitive(actions, make_user):
    user = make_user(email="clerk@example.org")
    assert actions.sign_in("  Clerk@Example.ORG ", TEST_PASSWORD).status_code == 302
    assert db.session.get(User, user.id).last_sign_in_at is not None


def test_wrong_password_and_unknown_account_get_the_same_generic_message(actions, make_user):
    user = make_user()
    wrong = actions.sign_in(user.email, "not the password")
    unknown = actions.sign_in("nobody@example.org", "whatever it is")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert GENERIC in response.text
    assert actions.client.get("/people").status_code == 302


def test_disabled_account_cannot_sign_in(actions, make_user):
    user = make_user(active=False)
    response = actions.sign_in(user.email, TEST_PASSWORD)
    assert GENERIC in response.text


def _sign_in_from(app, address: str, email: str, password: str):
    """A sign-in from its own browser at ``address``."""
    client = app.test_client()
    page = client.get("/sign-in", environ_base={"REMOTE_ADDR": address})
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
        environ_base={"REMOTE_ADDR": address},
    )


def test_repeated_failures_at_one_account_from_one_address_are_slowed(actions, make_user, app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 5 minutes"
    user = make_user()
    for _ in range(3):
        assert actions.sign_in(user.email, "wrong guess").status_code == 200
    blocked = actions.sign_in(user.email, TEST_PASSWORD)
    assert blocked.status_code == 429
    assert 250 <= int(blocked.headers["Retry-After"]) <= 301
    assert "too many failed sign-in attempts. Wait 5 minutes (until " in blocked.text
    assert "There is a problem" in blocked.text  # the sign-in page, with its error summary
    assert actions.client.get("/people").status_code == 302  # not signed in


def test_a_guesser_elsewhere_cannot_lock_out_the_account_owner(make_user, app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 5 minutes"
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "5 per 5 minutes"
    user = make_user()
    for _ in range(10):
        _sign_in_from(app, "198.51.100.7", user.email, "wrong guess")
    assert _sign_in_from(app, "198.51.100.7", user.email, TEST_PASSWORD).status_code == 429
    assert _sign_in_from(app, "192.0.2.10", user.email, TEST_PASSWORD).status_code == 302


def test_past_the_accounts_limit_from_everywhere_only_new_addresses_may_try(make_user, app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE"] = "4 per hour"
    user = make_user()
    for n in range(4):
        assert _sign_in_from(app, f"198.51.100.{n}", user.email, "wrong guess").status_code == 200
    # Each guessing address has failed once and now waits; a new one gets one try.
    for n in range(4):
        again = _sign_in_from(app, f"198.51.100.{n}", user.email, "another guess")
        assert again.status_code == 429
        assert again.headers["Retry-After"]
    assert _sign_in_from(app, "198.51.100.99", user.email, "a new guess").status_code == 200
    assert _sign_in_from(app, "198.51.100.99", user.email, TEST_PASSWORD).status_code == 429
    # The owner, signing in correctly from their own address, gets in.
    assert _sign_in_from(app, "192.0.2.10", user.email, TEST_PASSWORD).status_code == 302


def test_repeated_failures_from_one_address_are_slowed_whatever_the_account(
    actions, make_user, app
):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 5 minutes"
    for n in range(4):
        actions.sign_in(f"guess{n}@example.org", "wrong guess")
    user = make_user()
    assert actions.sign_in(user.email, TEST_PASSWORD).status_code == 429
    assert _sign_in_from(app, "192.0.2.10", user.email, TEST_PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limit(actions, make_user, app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 5 minutes"
    user = make_user()
    for _ in range(4):
        assert actions.sign_in(user.email, TEST_PASSWORD).status_code == 302
        home = actions.client.get("/")
        actions.client.post("/sign-out", data={"csrf_token": csrf_token(home.text)})


def test_signing_in_correctly_forgives_earlier_slips_from_that_address(make_user, app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 5 minutes"
    user = make_user()
    for _ in range(3):
        assert _sign_in_from(app, "192.0.2.10", user.email, "a slip").status_code == 200
        assert _sign_in_from(app, "192.0.2.10", user.email, TEST_PASSWORD).status_code == 302


def test_an_untrusted_proxy_is_warned_of_once(app, caplog):
    from govtrack.core.security import UNTRUSTED_PROXY_WARNING

    app.extensions.pop("govtrack.proxy_warned", None)
    client = app.test_client()
    with caplog.at_level("WARNING"):
        client.get("/sign-in")
        for _ in range(3):
            client.get("/sign-in", headers={"X-Forwarded-For": "203.0.113.5"})
    assert [r.getMessage() for r in caplog.records].count(UNTRUSTED_PROXY_WARNING) == 1


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(actions, make_user):
    user = make_user()
    page = actions.client.get("/sign-in?next=/people")
    response = actions.client.post(
        "/sign-in",
        data={
            "email": user.email,
            "password": TEST_PASSWORD,
            "next": "/people",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.headers["Location"] == "/people"
    actions.client.post("/sign-out", data={"csrf_token": csrf_token(actions.client.get("/").text)})
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = actions.client.get("/sign-in")
        response = actions.client.post(
            "/sign-in",
            data={
                "email": user.email,
                "password": TEST_PASSWORD,
                "next": target,
                "csrf_token": csrf_token(page.text),
            },
        )
        assert response.headers["Location"] == "/"
        actions.client.post(
            "/sign-out", data={"csrf_token": csrf_token(actions.client.get("/").text)}
        )


def test_a_form_without_its_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "The form has expired or was not sent from this site" in response.text


def test_sign_out_needs_a_post_with_a_token(actions):
    actions.sign_in_as("clerk")
    assert actions.client.get("/sign-out").status_code == 405
    actions.client.post("/sign-out")  # no token: refused, still signed in
    assert actions.client.get("/people").status_code == 200
