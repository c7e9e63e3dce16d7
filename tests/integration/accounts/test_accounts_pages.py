"""The accounts pages, through the test client: administrators list, search, invite, resend,
revoke, disable, re-enable, grant and remove rights; everyone else gets 403; bad input is
refused with the problem named and nothing changed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from govtrack.accounts import commands
from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.models import AccountLink, AccountRight, User
from govtrack.auth.services import AccountError
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.db import db
from govtrack.registry.enums import BodyKind
from govtrack.registry.models import Person
from tests.fixtures.actions import Actions, csrf_token

ACCOUNT_PAGES = [
    ("get", "/accounts"),
    ("get", "/accounts/invite"),
    ("get", "/accounts/{id}"),
    ("get", "/accounts/{id}/rights/new"),
    ("post", "/accounts/{id}/invitation/resend"),
    ("post", "/accounts/{id}/invitation/revoke"),
    ("post", "/accounts/{id}/disable"),
    ("post", "/accounts/{id}/enable"),
    ("post", "/accounts/{id}/end-sessions"),
    ("post", "/accounts/{id}/two-factor/reset"),
    ("post", "/accounts/{id}/rights/{grant}/remove"),
]


def _grant_id(user: User) -> int:
    return db.session.scalar(select(AccountRight.id).where(AccountRight.user_id == user.id))


def _token(client) -> str:
    """The CSRF token of the signed-in session (every page has one, in its sign-out form)."""
    return csrf_token(client.get("/").text)


def _post(actions, url: str, data: dict | None = None):
    return actions.client.post(url, data={"csrf_token": _token(actions.client), **(data or {})})


def _mails_to(address: str) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.recipient == address)
    return list(db.session.scalars(stmt.order_by(OutboxMessage.id)))


def _audit(user: User) -> list[str]:
    stmt = select(AuditEntry.action).where(
        AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def _invite(actions, **data):
    values = {"email": "new.person@example.org", "name": "New Person", "right": ""}
    values.update(data)
    return actions.submit("/accounts/invite", values)


# Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICER, Role.MEMBER, Role.SCRUTINY])
def test_only_administrators_reach_the_accounts_pages(actions, make_user, role):
    other = make_user(role=Role.MEMBER)
    actions.sign_in_as(role)
    token = _token(actions.client)
    for method, url in ACCOUNT_PAGES:
        url = url.format(id=other.id, grant=_grant_id(other))
        if method == "get":
            response = actions.client.get(url)
        else:
            response = actions.client.post(url, data={"csrf_token": token})
        assert response.status_code == 403, url
    assert 'href="/accounts"' not in actions.client.get("/").text


def test_the_public_is_sent_to_sign_in(client):
    response = client.get("/accounts")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_administrators_see_accounts_in_the_navigation(actions):
    actions.sign_in_as(Role.ADMIN)
    assert 'href="/accounts"' in actions.client.get("/").text


def test_an_unknown_account_or_right_is_404(actions, make_user):
    admin = actions.sign_in_as(Role.ADMIN)
    other = make_user(role=Role.MEMBER)
    assert actions.client.get("/accounts/999999").status_code == 404
    assert actions.client.get("/accounts/999999/rights/new").status_code == 404
    assert _post(actions, "/accounts/999999/disable").status_code == 404
    # A right of another account, named under this one, is not found either.
    url = f"/accounts/{other.id}/rights/{_grant_id(admin)}/remove"
    assert _post(actions, url).status_code == 404
    assert db.session.get(User, admin.id).role is Role.ADMIN


# The list --------------------------------------------------------------------------------


def test_the_list_searches_and_filters(actions, make_user):
    actions.sign_in_as(Role.ADMIN)
    make_user(name="Alice Clerk", email="alice@example.org", role=Role.CLERK)
    make_user(name="Bob Officer", email="bob@council.example", role=Role.OFFICER)
    make_user(name="Carol Gone", email="carol@example.org", role=Role.MEMBER, active=False)
    make_user(name="Dan Invited", email="dan@example.org", role=Role.MEMBER, password_hash=None)

    page = actions.client.get("/accounts?q=council.example").text
    assert "Bob Officer" in page and "Alice Clerk" not in page
    page = actions.client.get("/accounts?q=ALICE").text
    assert "Alice Clerk" in page and "Bob Officer" not in page
    page = actions.client.get("/accounts?right=officer").text
    assert "Bob Officer" in page and "Alice Clerk" not in page
    page = actions.client.get("/accounts?state=disabled").text
    assert "Carol Gone" in page and "Alice Clerk" not in page
    page = actions.client.get("/accounts?state=invited").text
    assert "Dan Invited" in page and "Carol Gone" not in page and "Alice Clerk" not in page
    page = actions.client.get("/accounts?state=active").text
    assert "Alice Clerk" in page and "Carol Gone" not in page and "Dan Invited" not in page
    # Nonsense filters are ignored, a search for % matches names literally.
    assert actions.client.get("/accounts?state=nonsense&right=x&page=zz").status_code == 200
    assert "No accounts match" in actions.client.get("/accounts?q=%25").text


def test_the_list_shows_rights_with_body_names_in_a_fixed_number_of_queries(
    app, actions, make_user, make_body
):
    from sqlalchemy import event

    actions.sign_in_as(Role.ADMIN)
    body = make_body(name="Joint Committee of Tests")

    def count_queries(n_users):
        for _ in range(n_users):
            user = make_user(role=Role.MEMBER)
            db.session.add(AccountRight(user_id=user.id, right=Role.CLERK, body_id=body.id))
        db.session.commit()
        statements = []
        engine = app.extensions["govtrack.engine"]

        def seen(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            page = actions.client.get("/accounts")
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert "Democratic services officer for Joint Committee of Tests" in page.text
        return len(statements)

    assert count_queries(2) == count_queries(8)


# An account's page -----------------------------------------------------------------------


def test_an_accounts_page_shows_its_rights_and_what_the_registry_adds(
    actions, make_user, make_person, make_membership, make_body
):
    actions.sign_in_as(Role.ADMIN)
    user = make_user(name="Councillor Page", role=Role.OFFICER)
    person = make_person(name="Councillor Page", user_id=user.id)
    panel = make_body(name="Overview Panel", kind=BodyKind.SCRUTINY_PANEL)
    make_membership(person=person, body=panel)
    page = actions.client.get(f"/accounts/{user.id}").text
    assert "Officer of the partner of the linked person" in page
    assert "Sits on (votes there): Overview Panel" in page
    assert "Scrutiny panel member for Overview Panel" in page
    assert f"Officer of {person.partner_id}" not in page
    assert "Not set up" in page  # two-factor
    assert "Never" in page  # last signed in
    assert f'href="/accounts/{user.id}/personal-data.json"' in page
    assert f'href="/accounts/{user.id}/erase"' in page


# Inviting --------------------------------------------------------------------------------


def test_inviting_creates_an_account_without_a_password_and_mails_a_link(
    actions, make_body, make_person
):
    admin = actions.sign_in_as(Role.ADMIN, name="Ada Admin")
    body = make_body(name="Joint Committee")
    person = make_person(name="Cllr New")
    response = _invite(
        actions,
        email=" New.Person@Example.org ",
        name="Cllr New",
        person_id=str(person.id),
        right="clerk",
        body_id=str(body.id),
    )
    assert response.status_code == 302, response.text
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.password_hash is None and user.active
    assert [(g.right, g.body_id, g.granted_by_id) for g in user.grants] == [
        (Role.CLERK, body.id, admin.id)
    ]
    assert db.session.get(Person, person.id).user_id == user.id
    [mail] = _mails_to("new.person@example.org")
    assert "Ada Admin" in mail.body and "72 hours" in mail.body and "works once" in mail.body
    token = re.search(r"/invitation/(\S+)", mail.body).group(1)
    link = db.session.scalar(select(AccountLink).where(AccountLink.user_id == user.id))
    assert link.purpose is LinkPurpose.INVITATION and link.token_hash != token
    assert "invite" in _audit(user)
    page = actions.client.get(response.headers["Location"]).text
    assert "Invitation sent" in page and "Invited" in page
    assert "Democratic services officer for Joint Committee" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Enter the person&#39;s email address"),
        ({"email": "not-an-address"}, "Enter an email address in the correct format"),
        ({"email": "nul\x00@example.org"}, "control characters"),
        ({"name": "  "}, "Enter the person&#39;s name"),
        ({"right": "emperor"}, "Choose a right from the list"),
        ({"right": "clerk", "body_id": "999999"}, "Choose a body from the list"),
        ({"right": "officer", "partner_id": "abc"}, "Choose a partner from the list"),
        ({"right": "member", "body_id": "{body}"}, "Name a body only for clerk or scrutiny"),
        ({"right": "scrutiny", "body_id": "{body}"}, "Choose a scrutiny panel or sub-group"),
        ({"person_id": "999999"}, "Choose a person who has no account yet"),
    ],
)
def test_a_bad_invitation_is_refused_and_keeps_what_was_typed(actions, make_body, data, message):
    actions.sign_in_as(Role.ADMIN)
    body = make_body()
    data = {k: v.format(body=body.id) for k, v in data.items()}
    response = _invite(actions, **{"name": "Kept Name", **data})
    assert response.status_code == 422
    assert message in response.text
    assert "There is a problem" in response.text
    if data.get("name") is None:
        assert 'value="Kept Name"' in response.text
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None


def test_inviting_a_person_who_already_has_an_account_is_refused(actions, make_person, make_user):
    actions.sign_in_as(Role.ADMIN)
    existing = make_user(email="taken@example.org", name="Taken Person")
    response = _invite(actions, email="TAKEN@example.org")
    assert response.status_code == 422
    assert "An account for taken@example.org already exists" in response.text
    assert f'href="/accounts/{existing.id}"' in response.text
    # A person already linked to an account is not offered, and a forged choice is refused.
    linked = make_person(user_id=existing.id)
    page = actions.client.get("/accounts/invite").text
    assert f">{linked.name} (" not in page
    response = _invite(actions, person_id=str(linked.id))
    assert "Choose a person who has no account yet" in response.text


def test_invitations_to_one_address_are_throttled(actions, app, make_user):
    actions.sign_in_as(Role.ADMIN)
    app.config["INVITATION_LIMIT_PER_ADDRESS"] = "2 per hour"
    response = _invite(actions)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert _post(actions, f"/accounts/{user.id}/invitation/resend").status_code == 302
    refused = _post(actions, f"/accounts/{user.id}/invitation/resend")
    assert refused.status_code == 409
    assert "Too many invitation e-mails" in refused.text
    assert len(_mails_to("new.person@example.org")) == 2


# Resend and revoke -----------------------------------------------------------------------


def test_resending_replaces_the_link_and_revoking_withdraws_it(actions):
    actions.sign_in_as(Role.ADMIN)
    _invite(actions)
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    first = db.session.scalar(select(AccountLink).where(AccountLink.user_id == user.id))
    assert _post(actions, f"/accounts/{user.id}/invitation/resend").status_code == 302
    db.session.expire_all()
    assert db.session.get(AccountLink, first.id).revoked_at is not None
    assert len(_mails_to(user.email)) == 2
    assert _post(actions, f"/accounts/{user.id}/invitation/revoke").status_code == 302
    stmt = select(AccountLink).where(
        AccountLink.user_id == user.id, AccountLink.revoked_at.is_(None)
    )
    assert db.session.scalars(stmt).all() == []
    page = actions.client.get(f"/accounts/{user.id}").text
    assert "Invitation expired" in page
    again = _post(actions, f"/accounts/{user.id}/invitation/revoke")
    assert again.status_code == 409 and "no invitation waiting" in again.text
    assert _audit(user) == ["invite", "resend-invitation", "revoke-invitation"]


def test_an_invitation_cannot_be_resent_or_revoked_once_accepted(actions, make_user):
    actions.sign_in_as(Role.ADMIN)
    user = make_user(role=Role.MEMBER)
    for action in ("resend", "revoke"):
        response = _post(actions, f"/accounts/{user.id}/invitation/{action}")
        assert response.status_code == 409
        assert "already accepted their invitation" in response.text
    assert _mails_to(user.email) == []


# Disable and enable ----------------------------------------------------------------------


def test_disabling_ends_every_session_and_re_enabling_lets_them_back(app, actions, make_user):
    actions.sign_in_as(Role.ADMIN)
    clerk = make_user(role=Role.CLERK)
    other = app.test_client()
    theirs = Actions(other, None)
    assert theirs.sign_in(clerk.email, "a long test password").status_code == 302
    assert other.get("/people").status_code == 200
    assert _post(actions, f"/accounts/{clerk.id}/disable").status_code == 302
    assert other.get("/people").status_code == 302  # signed out
    assert db.session.get(User, clerk.id).active is False
    assert _post(actions, f"/accounts/{clerk.id}/disable").status_code == 409
    assert _post(actions, f"/accounts/{clerk.id}/enable").status_code == 302
    assert db.session.get(User, clerk.id).active is True
    assert _post(actions, f"/accounts/{clerk.id}/enable").status_code == 409
    assert _audit(clerk) == ["update", "update"]


def test_an_administrator_ends_every_session_of_someone_elses_account(app, actions, make_user):
    admin = actions.sign_in_as(Role.ADMIN)
    clerk = make_user(role=Role.CLERK)
    other = app.test_client()
    assert Actions(other, None).sign_in(clerk.email, "a long test password").status_code == 302
    page = actions.client.get(f"/accounts/{clerk.id}")
    assert "End every session" in page.text
    assert _post(actions, f"/accounts/{clerk.id}/end-sessions").status_code == 302
    assert other.get("/people").status_code == 302  # signed out, account still active
    assert db.session.get(User, clerk.id).active
    assert _audit(clerk) == ["end-sessions"]
    own = _post(actions, f"/accounts/{admin.id}/end-sessions")
    assert own.status_code == 409 and "Sign out everywhere" in own.text


def test_an_administrator_resets_a_locked_out_persons_two_factor(app, actions, make_user):
    from govtrack.db import utcnow

    actions.sign_in_as(Role.ADMIN)
    clerk = make_user(role=Role.CLERK, totp_secret="JBSWY3DPEHPK3PXP", totp_enrolled_at=utcnow())
    page = actions.client.get(f"/accounts/{clerk.id}")
    assert "Reset two-factor sign-in" in page.text
    assert _post(actions, f"/accounts/{clerk.id}/two-factor/reset").status_code == 302
    db.session.expire_all()
    reset = db.session.get(User, clerk.id)
    assert reset.totp_secret is None and reset.totp_enrolled_at is None
    assert "two-factor-reset" in _audit(clerk)
    again = _post(actions, f"/accounts/{clerk.id}/two-factor/reset")
    assert again.status_code == 409 and "nothing to reset" in again.text


def test_an_administrator_cannot_disable_themselves(actions):
    admin = actions.sign_in_as(Role.ADMIN)
    response = _post(actions, f"/accounts/{admin.id}/disable")
    assert response.status_code == 409
    assert "You cannot disable your own account" in response.text
    assert db.session.get(User, admin.id).active


# Rights ----------------------------------------------------------------------------------


def _grant(actions, user, **data):
    return actions.submit(f"/accounts/{user.id}/rights/new", data)


def test_granting_and_removing_rights(app, actions, make_user, make_body, make_partner):
    actions.sign_in_as(Role.ADMIN)
    user = make_user(role=Role.MEMBER)
    theirs = app.test_client()
    assert Actions(theirs, None).sign_in(user.email, "a long test password").status_code == 302
    panel = make_body(name="Panel A", kind=BodyKind.SCRUTINY_PANEL)
    partner = make_partner(name="Northshire", code="NSH")
    assert _grant(actions, user, right="scrutiny", body_id=str(panel.id)).status_code == 302
    assert _grant(actions, user, right="officer", partner_id=str(partner.id)).status_code == 302
    assert _grant(actions, user, right="clerk").status_code == 302
    page = actions.client.get(f"/accounts/{user.id}").text
    assert "Scrutiny panel member for Panel A" in page
    assert "Officer of Northshire" in page
    assert "Democratic services officer for every body" in page

    duplicate = _grant(actions, user, right="scrutiny", body_id=str(panel.id))
    assert duplicate.status_code == 422 and "already holds this right" in duplicate.text
    covered = _grant(actions, user, right="clerk", body_id=str(panel.id))
    assert covered.status_code == 422 and "for every body" in covered.text
    missing = _grant(actions, user, right="")
    assert missing.status_code == 422 and "Choose the right to grant" in missing.text
    forged = _grant(actions, user, right="clerk", body_id="12345678")
    assert forged.status_code == 422 and "Choose a body from the list" in forged.text

    officer = db.session.scalar(
        select(AccountRight).where(
            AccountRight.user_id == user.id, AccountRight.right == Role.OFFICER
        )
    )
    officer_id = officer.id
    assert _post(actions, f"/accounts/{user.id}/rights/{officer_id}/remove").status_code == 302
    assert db.session.scalar(select(AccountRight).where(AccountRight.id == officer_id)) is None
    assert _audit(user) == ["grant-right"] * 3 + ["remove-right"]
    # Changing rights ends no session of the account: it carries on with its new rights.
    assert theirs.get("/people").status_code == 200
    assert theirs.get("/partners/new").status_code == 200  # a clerk's page, granted above


def test_an_administrator_cannot_remove_their_own_last_administrator_right(actions, make_user):
    admin = actions.sign_in_as(Role.ADMIN)
    make_user(role=Role.ADMIN)  # another administrator: still refused for oneself
    response = _post(actions, f"/accounts/{admin.id}/rights/{_grant_id(admin)}/remove")
    assert response.status_code == 409
    assert "You cannot remove your own administrator right" in response.text
    assert db.session.get(User, admin.id).role is Role.ADMIN


def test_the_last_active_administrator_cannot_be_removed_or_disabled(actions, make_user):
    admin = actions.sign_in_as(Role.ADMIN)
    other = make_user(role=Role.ADMIN)
    # Two administrators: one may remove the other's right ...
    assert (
        _post(actions, f"/accounts/{other.id}/rights/{_grant_id(other)}/remove").status_code == 302
    )
    # ... and once it is the last one, the system keeps it, even from the command line.
    grant = db.session.scalar(select(AccountRight).where(AccountRight.user_id == admin.id))
    with pytest.raises(AccountError, match="last active administrator"):
        commands.remove_right(None, db.session.get(User, admin.id), grant)
    with pytest.raises(AccountError, match="last active administrator"):
        commands.disable(None, db.session.get(User, admin.id))
    assert db.session.get(User, admin.id).active
    assert db.session.get(AccountRight, grant.id) is not None


# The invitation, end to end --------------------------------------------------------------


def test_the_invited_person_sets_a_password_and_the_invitation_is_then_spent(app, actions):
    actions.sign_in_as(Role.ADMIN)
    _invite(actions, email="cllr.invited@example.org", name="Cllr Invited")
    user = db.session.scalar(select(User).where(User.email == "cllr.invited@example.org"))
    _post(actions, f"/accounts/{user.id}/invitation/resend")
    first, second = _mails_to(user.email)
    old_link = re.search(r"http://\S+/invitation/\S+", first.body).group(0)
    link = re.search(r"http://\S+/invitation/\S+", second.body).group(0)
    path = "/" + link.split("/", 3)[3]

    invitee = app.test_client()
    assert invitee.get("/" + old_link.split("/", 3)[3]).status_code == 410  # replaced
    page = invitee.get(path)
    assert page.status_code == 200
    password = "violet harbour lantern 2931"
    response = invitee.post(
        path,
        data={"csrf_token": csrf_token(page.text), "password": password, "confirm": password},
    )
    assert response.status_code == 302, response.text
    assert db.session.get(User, user.id).password_hash is not None
    assert invitee.get(path).status_code == 410  # used

    account_page = actions.client.get(f"/accounts/{user.id}").text
    assert "Active" in account_page and "Send a new invitation" not in account_page
    refused = _post(actions, f"/accounts/{user.id}/invitation/resend")
    assert refused.status_code == 409 and "already accepted their invitation" in refused.text
    assert len(_mails_to(user.email)) == 2


@pytest.mark.parametrize(
    ("password_sign_in", "says"),
    [
        (True, "choose a password, or sign in with Northshire Login"),
        (False, "To sign in with Northshire Login, open this link"),
    ],
)
def test_with_single_sign_on_the_invitation_says_how_to_sign_in(
    app, actions, password_sign_in, says
):
    actions.sign_in_as(Role.ADMIN)
    app.config.update(
        OIDC_ISSUER="https://login.example.org",
        OIDC_CLIENT_ID="govtrack",
        OIDC_PROVIDER_NAME="Northshire Login",
        PASSWORD_SIGN_IN=password_sign_in,
    )
    assert _invite(actions).status_code == 302
    [mail] = _mails_to("new.person@example.org")
    assert says in mail.body


def test_two_invitations_to_one_address_at_once_make_one_account(app, make_user, monkeypatch):
    """The second of two simultaneous invitations finds the address taken only when it writes:
    refused in words, nothing of it kept."""
    from govtrack.core.records import Invalid, unit_of_work

    make_user(email="race@example.org")
    monkeypatch.setattr(commands.queries, "find_account", lambda _email: None)
    with pytest.raises(Invalid) as refused, unit_of_work():
        commands.invite(None, {"email": "race@example.org", "name": "Second"})
    assert refused.value.problems == {"email": "An account for race@example.org already exists"}
    count = select(func.count()).select_from(User).where(User.email == "race@example.org")
    assert db.session.scalar(count) == 1
