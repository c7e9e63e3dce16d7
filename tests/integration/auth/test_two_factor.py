"""Two-factor sign-in with an authenticator app: enrolling, the code asked for at sign-in,
recovery codes, the requirement for administrators and clerks, turning it off, and the
command that resets it for a locked-out person."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from govtrack.auth import services
from govtrack.auth.enums import Role
from govtrack.auth.models import RecoveryCode, User
from govtrack.auth.signing_in import complete_sign_in
from govtrack.core.models import AuditEntry
from govtrack.core.records import unit_of_work
from govtrack.db import db, utcnow
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import TEST_PASSWORD

PROTECTED = "/people"
SECRET = re.compile(r'id="secret-key">([A-Z2-7 ]+)<')
RECOVERY = re.compile(r'<code class="app-recovery-code">([0-9a-z-]+)</code>')


def code(secret: str, steps_ahead: int = 0) -> str:
    """The app's code for ``secret``, now or a number of 30-second steps from now."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(actions) -> tuple[str, list[str]]:
    """Set up two-factor sign-in through the pages as the signed-in user: the secret read from
    the page and the recovery codes shown."""
    page = actions.client.get("/account/two-factor")
    assert page.status_code == 200
    secret = SECRET.search(page.text).group(1).replace(" ", "")
    done = actions.client.post(
        "/account/two-factor", data={"code": code(secret), "csrf_token": csrf_token(page.text)}
    )
    assert done.status_code == 200, done.text
    return secret, RECOVERY.findall(done.text)


def sign_out(actions) -> None:
    home = actions.client.get("/")
    actions.client.post("/sign-out", data={"csrf_token": csrf_token(home.text)})


def sign_in_going_to(actions, email: str, next_url: str):
    """The password step, from a page that sent the person to sign in."""
    page = actions.client.get(f"/sign-in?next={next_url}")
    return actions.client.post(
        "/sign-in",
        data={"email": email, "password": TEST_PASSWORD, "next": next_url,
              "csrf_token": csrf_token(page.text)},
    )  # fmt: skip


def enter_code(actions, text: str):
    page = actions.client.get("/sign-in/two-factor")
    return actions.client.post(
        "/sign-in/two-factor", data={"code": text, "csrf_token": csrf_token(page.text)}
    )


@pytest.fixture
def enrolled(actions):
    """A councillor who has set up two-factor sign-in and signed out: (user, secret, codes)."""
    user = actions.sign_in_as(Role.MEMBER)
    secret, codes = enrol(actions)
    sign_out(actions)
    return user, secret, codes


def audit_actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id)
            .order_by(AuditEntry.id)
        )
    )


# Enrolling ----------------------------------------------------------------------------------


def test_enrolling_shows_a_qr_code_and_the_key_then_a_code_turns_it_on(actions):
    user = actions.sign_in_as(Role.MEMBER)
    page = actions.client.get("/account/two-factor")
    assert "<svg" in page.text and 'role="img"' in page.text
    secret, codes = enrol(actions)
    db.session.refresh(user)
    assert user.totp_secret == secret
    assert user.totp_enrolled_at is not None
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    assert not set(stored) & {c.replace("-", "") for c in codes}  # only hashes are kept
    assert audit_actions(user) == ["two-factor-enrol"]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_id == user.id))
    assert all(secret not in f"{e.summary}{e.changes}" for e in entries)
    status = actions.client.get("/account/two-factor")
    assert "10 of 10" in status.text


def test_a_wrong_code_at_enrolment_says_so_and_keeps_the_same_key(actions):
    user = actions.sign_in_as(Role.MEMBER)
    page = actions.client.get("/account/two-factor")
    secret = SECRET.search(page.text).group(1)
    wrong = actions.client.post(
        "/account/two-factor", data={"code": "000000", "csrf_token": csrf_token(page.text)}
    )
    assert wrong.status_code == 422
    assert "There is a problem" in wrong.text and "The code is not right" in wrong.text
    assert SECRET.search(wrong.text).group(1) == secret
    db.session.refresh(user)
    assert user.totp_secret is None


def test_the_key_offered_to_one_person_is_not_offered_to_the_next_on_the_same_browser(actions):
    actions.sign_in_as(Role.MEMBER)
    first = SECRET.search(actions.client.get("/account/two-factor").text).group(1)
    assert SECRET.search(actions.client.get("/account/two-factor").text).group(1) == first
    sign_out(actions)
    actions.sign_in_as(Role.MEMBER)
    assert SECRET.search(actions.client.get("/account/two-factor").text).group(1) != first


def test_moving_to_a_new_device_replaces_the_secret_and_the_recovery_codes(actions):
    user = actions.sign_in_as(Role.MEMBER)
    first = actions.client.get("/account/two-factor/new-device")  # nothing to move yet
    assert first.headers["Location"] == "/account/two-factor"
    old_secret, old_codes = enrol(actions)
    page = actions.client.get("/account/two-factor/new-device")
    secret = SECRET.search(page.text).group(1).replace(" ", "")
    assert secret != old_secret
    done = actions.client.post(
        "/account/two-factor/new-device",
        data={"code": code(secret), "csrf_token": csrf_token(page.text)},
    )
    assert done.status_code == 200
    db.session.refresh(user)
    assert user.totp_secret == secret
    assert not set(RECOVERY.findall(done.text)) & set(old_codes)


# Signing in with a code --------------------------------------------------------------------


def test_an_enrolled_account_is_asked_for_a_code_before_the_session_opens(actions, enrolled):
    user, secret, _ = enrolled
    response = sign_in_going_to(actions, user.email, PROTECTED)
    assert response.headers["Location"] == "/sign-in/two-factor"
    assert actions.client.get(PROTECTED).status_code == 302  # not signed in yet
    done = enter_code(actions, code(secret, 1))
    assert done.status_code == 302 and done.headers["Location"] == PROTECTED
    assert actions.client.get(PROTECTED).status_code == 200


def test_a_wrong_code_says_so_and_signs_nobody_in(actions, enrolled):
    user, _, _ = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    wrong = enter_code(actions, "123456")
    assert wrong.status_code == 422
    assert "The code is not right" in wrong.text
    assert actions.client.get(PROTECTED).status_code == 302


def test_a_code_is_accepted_once(app, actions, enrolled):
    user, secret, _ = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    once = code(secret, 1)
    assert enter_code(actions, once).status_code == 302
    sign_out(actions)
    actions.sign_in(user.email, TEST_PASSWORD)
    again = enter_code(actions, once)
    assert again.status_code == 422
    assert "already been used" in again.text
    assert actions.client.get(PROTECTED).status_code == 302


def test_a_code_two_steps_away_is_refused(actions, enrolled):
    user, secret, _ = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    assert enter_code(actions, code(secret, 3)).status_code == 422
    assert enter_code(actions, code(secret, -3)).status_code == 422


def test_a_recovery_code_works_once(actions, enrolled):
    user, _, codes = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    assert enter_code(actions, codes[0].upper().replace("-", " ")).status_code == 302
    assert actions.client.get(PROTECTED).status_code == 200
    sign_out(actions)
    actions.sign_in(user.email, TEST_PASSWORD)
    again = enter_code(actions, codes[0])
    assert again.status_code == 422
    assert actions.client.get(PROTECTED).status_code == 302
    assert "two-factor-recovery-code-used" in audit_actions(user)


def test_the_waiting_sign_in_expires_after_five_minutes(actions, enrolled):
    user, secret, _ = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    with actions.client.session_transaction() as session:
        session["two_factor_pending"] = {
            **session["two_factor_pending"],
            "started": time.time() - 301,
        }
    page = actions.client.get("/sign-in/two-factor")
    assert "Sign in again" in page.text
    token = csrf_token(actions.client.get("/sign-in").text)
    late = actions.client.post(
        "/sign-in/two-factor", data={"code": code(secret, 1), "csrf_token": token}
    )
    assert "Sign in again" in late.text
    assert actions.client.get(PROTECTED).status_code == 302


def test_ending_the_accounts_sessions_ends_a_waiting_sign_in(actions, enrolled):
    user, _, _ = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    with unit_of_work():
        services.end_sessions(db.session.get(User, user.id))
    assert "Sign in again" in actions.client.get("/sign-in/two-factor").text
    assert actions.client.get(PROTECTED).status_code == 302


def test_wrong_codes_are_throttled_per_account(app, actions, enrolled):
    app.config["TWO_FACTOR_LIMIT_PER_ACCOUNT"] = "3 per 5 minutes"
    user, secret, _ = enrolled
    actions.sign_in(user.email, TEST_PASSWORD)
    for _ in range(3):
        assert enter_code(actions, "000000").status_code == 422
    slowed = enter_code(actions, code(secret, 1))
    assert slowed.status_code == 429
    assert "too many wrong codes" in slowed.text
    assert int(slowed.headers["Retry-After"]) > 0
    assert actions.client.get(PROTECTED).status_code == 302


def test_there_is_no_code_page_without_a_sign_in_waiting(client):
    page = client.get("/sign-in/two-factor")
    assert page.status_code == 200 and "Sign in again" in page.text


# Required for administrators and clerks -----------------------------------------------------


def test_a_clerk_must_set_up_two_factor_before_the_session_opens(app, actions, make_user):
    app.config["TWO_FACTOR_REQUIRED_FOR"] = "admin,clerk"
    clerk = make_user(role=Role.CLERK)
    response = sign_in_going_to(actions, clerk.email, PROTECTED)
    assert response.headers["Location"] == "/sign-in/two-factor/set-up"
    assert actions.client.get(PROTECTED).status_code == 302
    # The code page sends a person who must enrol to the set-up page.
    assert actions.client.get("/sign-in/two-factor").headers["Location"].endswith("/set-up")
    page = actions.client.get("/sign-in/two-factor/set-up")
    assert "Your account must use two-factor sign-in" in page.text
    secret = SECRET.search(page.text).group(1).replace(" ", "")
    done = actions.client.post(
        "/sign-in/two-factor/set-up",
        data={"code": code(secret), "csrf_token": csrf_token(page.text)},
    )
    assert done.status_code == 200
    assert len(RECOVERY.findall(done.text)) == 10
    assert f'href="{PROTECTED}"' in done.text
    assert actions.client.get(PROTECTED).status_code == 200


def test_an_invited_administrator_sets_up_two_factor_before_the_session_opens(
    app, client, make_user
):
    from govtrack.auth import links
    from govtrack.auth.enums import LinkPurpose

    app.config["TWO_FACTOR_REQUIRED_FOR"] = "admin,clerk"
    admin = make_user(role=Role.ADMIN, password_hash=None)
    with unit_of_work():
        token = links.issue(admin, LinkPurpose.INVITATION)
    page = client.get(f"/invitation/{token}")
    password = "plum tractor lantern orbit"
    done = client.post(
        f"/invitation/{token}",
        data={"password": password, "confirm": password, "csrf_token": csrf_token(page.text)},
    )
    assert done.headers["Location"] == "/sign-in/two-factor/set-up"
    assert client.get(PROTECTED).status_code == 302


def test_a_councillor_is_not_required_to_use_two_factor(app, actions):
    app.config["TWO_FACTOR_REQUIRED_FOR"] = "admin,clerk"
    actions.sign_in_as(Role.MEMBER)
    assert actions.client.get(PROTECTED).status_code == 200


def test_a_clerk_for_one_body_counts_as_a_clerk(app, actions, make_user, make_body):
    from govtrack.auth.models import AccountRight

    app.config["TWO_FACTOR_REQUIRED_FOR"] = "clerk"
    body = make_body()
    user = make_user(role=Role.MEMBER)
    user.grants = [AccountRight(right=Role.CLERK, body_id=body.id)]
    db.session.commit()
    response = actions.sign_in(user.email, TEST_PASSWORD)
    assert response.headers["Location"] == "/sign-in/two-factor/set-up"


def test_an_unknown_kind_of_right_in_the_setting_stops_the_app_starting(app):
    from govtrack.auth.two_factor_views import check_settings

    with pytest.raises(ValueError, match="mayor is not a kind of right"):
        check_settings({**app.config, "TWO_FACTOR_REQUIRED_FOR": "admin,mayor"})
    check_settings({**app.config, "TWO_FACTOR_REQUIRED_FOR": " Admin, clerk "})
    with pytest.raises(ValueError, match="TWO_FACTOR_LIMIT_PER_ACCOUNT"):
        check_settings({**app.config, "TWO_FACTOR_LIMIT_PER_ACCOUNT": "five a minute"})


# Single sign-on ----------------------------------------------------------------------------


@pytest.mark.parametrize("for_sso, goes_to", [(False, "/people"), (True, "/sign-in/two-factor")])
def test_single_sign_on_asks_for_the_apps_code_only_when_set_to(app, make_user, for_sso, goes_to):
    app.config["TWO_FACTOR_FOR_SSO"] = for_sso
    user = make_user(role=Role.MEMBER, totp_secret=pyotp.random_base32(), totp_enrolled_at=utcnow())
    with app.test_request_context("/"):
        assert complete_sign_in(user, "/people", method="sso").location == goes_to
        assert complete_sign_in(user, "/people").location == "/sign-in/two-factor"


# Recovery codes and turning it off ----------------------------------------------------------


def _proof(actions, url: str, proof: str):
    page = actions.client.get(url)
    return actions.client.post(url, data={"proof": proof, "csrf_token": csrf_token(page.text)})


def test_new_recovery_codes_replace_the_old_ones(actions):
    user = actions.sign_in_as(Role.MEMBER)
    _, old = enrol(actions)
    refused = _proof(actions, "/account/two-factor/recovery-codes", "not my password")
    assert refused.status_code == 422
    done = _proof(actions, "/account/two-factor/recovery-codes", TEST_PASSWORD)
    new = RECOVERY.findall(done.text)
    assert len(new) == 10 and not set(new) & set(old)
    sign_out(actions)
    actions.sign_in(user.email, TEST_PASSWORD)
    assert enter_code(actions, old[1]).status_code == 422
    assert enter_code(actions, new[1]).status_code == 302


def test_turning_it_off_needs_a_current_code_or_the_password(actions):
    user = actions.sign_in_as(Role.MEMBER)
    secret, _ = enrol(actions)
    assert _proof(actions, "/account/two-factor/turn-off", "000000").status_code == 422
    done = _proof(actions, "/account/two-factor/turn-off", code(secret, 1))
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.totp_secret is None and user.totp_enrolled_at is None
    assert (
        db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    )
    assert audit_actions(user) == ["two-factor-enrol", "two-factor-off"]
    sign_out(actions)
    assert actions.sign_in(user.email, TEST_PASSWORD).headers["Location"] == "/"


def test_turning_it_off_is_refused_when_the_accounts_rights_require_it(app, actions):
    user = actions.sign_in_as(Role.CLERK)
    enrol(actions)
    app.config["TWO_FACTOR_REQUIRED_FOR"] = "clerk"
    page = actions.client.get("/account/two-factor/turn-off")
    assert "cannot be turned off" in page.text
    refused = _proof(actions, "/account/two-factor/turn-off", TEST_PASSWORD)
    assert refused.status_code == 422
    db.session.refresh(user)
    assert user.totp_secret is not None


# The command line ---------------------------------------------------------------------------


def test_the_command_line_resets_two_factor_and_ends_every_session(app, actions):
    user = actions.sign_in_as(Role.MEMBER)
    enrol(actions)
    assert actions.client.get(PROTECTED).status_code == 200
    result = app.test_cli_runner().invoke(
        args=["user", "reset-two-factor", "--email", user.email.upper()]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.totp_secret is None and user.totp_enrolled_at is None
    assert (
        db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    )
    assert actions.client.get(PROTECTED).status_code == 302
    assert audit_actions(user)[-1] == "two-factor-reset"
    assert actions.sign_in(user.email, TEST_PASSWORD).headers["Location"] == "/"


def test_the_command_line_refuses_an_unknown_account(app):
    result = app.test_cli_runner().invoke(
        args=["user", "reset-two-factor", "--email", "nobody@example.org"]
    )
    assert result.exit_code != 0
    assert "No account for nobody@example.org" in result.output
