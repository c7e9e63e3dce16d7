"""`flask user invite|grant|revoke-right|enable|list`: the accounts administration from the
command line, with the same rules and audit as the browser."""

from __future__ import annotations

from sqlalchemy import select

from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.links import pending
from govtrack.auth.models import User
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.db import db
from govtrack.registry.enums import BodyKind


def run(app, *args):
    return app.test_cli_runner().invoke(args=["user", *args])


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _rights(user: User) -> list[tuple]:
    return sorted((g.right.value, g.body_id, g.partner_id) for g in user.grants)


def test_invite_with_rights_grant_revoke_and_list(app, make_body, make_partner):
    body = make_body(name="Joint Committee")
    panel = make_body(name="Overview Panel", kind=BodyKind.SCRUTINY_PANEL)
    partner = make_partner(name="Northshire", code="NSH")
    result = run(
        app,
        "invite",
        "--email",
        "Cllr.New@example.org",
        "--name",
        "Cllr New",
        "--right",
        "member",
        "--right",
        "clerk:joint committee",
        "--right",
        "officer:nsh",
    )
    assert result.exit_code == 0, result.output
    user = _user("cllr.new@example.org")
    assert user.password_hash is None
    expected = [("clerk", body.id, None), ("member", None, None), ("officer", None, partner.id)]
    assert _rights(user) == expected
    assert pending(user.id, LinkPurpose.INVITATION) is not None
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert "An administrator has invited you" in mail.body

    assert (
        run(app, "grant", "--email", user.email, "--right", "scrutiny:Overview Panel").exit_code
        == 0
    )
    assert ("scrutiny", panel.id, None) in _rights(_user(user.email))
    result = run(app, "revoke-right", "--email", user.email, "--right", "officer:Northshire")
    assert result.exit_code == 0, result.output
    assert ("officer", None, partner.id) not in _rights(_user(user.email))

    listed = run(app, "list", "--state", "invited")
    assert "cllr.new@example.org\tCllr New\tInvited" in listed.output
    assert "Democratic services officer for Joint Committee" in listed.output
    assert run(app, "list", "--search", "nobody-at-all").output.strip() == "0 accounts."
    actions = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id
        )
    ).all()
    # The first right is granted with the invitation, the others one by one.
    assert actions == ["invite", "grant-right", "grant-right", "grant-right", "remove-right"]


def test_enable_brings_back_a_disabled_account(app, make_user):
    user = make_user(role=Role.CLERK, active=False)
    result = run(app, "enable", "--email", user.email)
    assert result.exit_code == 0, result.output
    assert _user(user.email).active
    again = run(app, "enable", "--email", user.email)
    assert again.exit_code != 0 and "already active" in again.output


def test_an_erased_account_cannot_be_enabled_again(app, make_user):
    from govtrack.db import utcnow

    user = make_user(role=Role.CLERK, active=False, erased_at=utcnow())
    result = run(app, "enable", "--email", user.email)
    assert result.exit_code != 0 and "erased" in result.output
    assert not _user(user.email).active


def test_the_commands_refuse_bad_input(app, make_user, make_body):
    admin = make_user(role=Role.ADMIN, email="only.admin@example.org")
    make_body(name="Joint Committee")
    cases = [
        (["invite", "--email", admin.email, "--name", "X"], "already exists"),
        (["invite", "--email", "bad", "--name", "X"], "correct format"),
        (["invite", "--email", "a@example.org", "--name", "X", "--right", "emperor"], "Unknown"),
        (
            ["invite", "--email", "a@example.org", "--name", "X", "--right", "clerk:Nowhere"],
            "No body",
        ),
        (["grant", "--email", "nobody@example.org", "--right", "clerk"], "No account"),
        (["grant", "--email", admin.email, "--right", "admin"], "already holds"),
        (["grant", "--email", admin.email, "--right", "officer:ZZZ"], "No partner"),
        (["revoke-right", "--email", admin.email, "--right", "clerk"], "does not hold"),
        (["revoke-right", "--email", admin.email, "--right", "admin"], "last active administrator"),
    ]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    assert _user("a@example.org") is None
    assert _rights(_user(admin.email)) == [("admin", None, None)]
