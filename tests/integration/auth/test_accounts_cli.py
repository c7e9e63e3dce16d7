"""`flask user create|set-password|disable`."""

from __future__ import annotations

from sqlalchemy import select

from govtrack.auth.enums import Role
from govtrack.auth.models import User
from govtrack.core.models import AuditEntry
from govtrack.db import db


def run(app, *args):
    return app.test_cli_runner().invoke(args=["user", *args])


def test_create_set_password_and_disable(app, actions):
    result = run(
        app,
        "create",
        "--email",
        "New.Clerk@example.org",
        "--name",
        "New Clerk",
        "--role",
        "clerk",
        "--password",
        "a strong password here",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new.clerk@example.org"))
    assert user.role is Role.CLERK
    assert user.password_hash.startswith("$argon2")
    assert actions.sign_in("new.clerk@example.org", "a strong password here").status_code == 302

    result = run(
        app,
        "set-password",
        "--email",
        "new.clerk@example.org",
        "--password",
        "another long password",
    )
    assert result.exit_code == 0, result.output
    result = run(app, "disable", "--email", "new.clerk@example.org")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False
    actions_taken = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id
        )
    ).all()
    assert sorted(actions_taken) == ["create", "set-password", "update"]


def test_account_commands_refuse_bad_input(app, make_user):
    make_user(email="taken@example.org")
    short = run(
        app,
        "create",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "member",
        "--password",
        "short",
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    taken = run(
        app,
        "create",
        "--email",
        "taken@example.org",
        "--name",
        "B",
        "--role",
        "member",
        "--password",
        "a long enough password",
    )
    assert taken.exit_code != 0 and "already exists" in taken.output
    bad_role = run(
        app,
        "create",
        "--email",
        "c@example.org",
        "--name",
        "C",
        "--role",
        "mayor",
        "--password",
        "a long enough password",
    )
    assert bad_role.exit_code != 0
    missing = run(app, "disable", "--email", "nobody@example.org")
    assert missing.exit_code != 0 and "No account" in missing.output
