"""Use-cases for accounts: sign-in checks and the account commands."""

from __future__ import annotations

from sqlalchemy import func, select

from govtrack.auth.enums import Role
from govtrack.auth.models import User
from govtrack.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from govtrack.core import audit
from govtrack.db import db, utcnow


class AccountError(ValueError):
    """An account command could not be carried out; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials open, or None (never says which part was wrong)."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user and user.active and user.password_hash):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every open session of ``user``, on every app instance: each session carries the
    account's session version, and the version moves on. (Callers record why in the audit log
    where it is a change someone asked for: a new password, a disabled account, "sign out
    everywhere"; an ordinary sign-out is not logged.)"""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def sign_out_everywhere(actor: User | None, user: User) -> None:
    end_sessions(user)
    audit.record(actor, "end-sessions", user, f"Every session of {user.email} ended", after={})


def create_user(actor: User | None, email: str, name: str, role: Role, password: str) -> User:
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError("Enter an e-mail address in the correct format, like name@example.org")
    if find_user(email):
        raise AccountError(f"An account for {email} already exists")
    if not name.strip():
        raise AccountError("Enter the person's name")
    if problem := password_problem(password):
        raise AccountError(problem)
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
    db.session.add(user)
    audit.record(actor, "create", user, f"Created account {email} ({role.label})")
    return user


def set_password(actor: User | None, email: str, password: str) -> User:
    user = find_user(email)
    if user is None:
        raise AccountError(f"No account for {normalise_email(email)}")
    if problem := password_problem(password):
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    db.session.flush()
    audit.record(actor, "set-password", user, f"Password set for {user.email}", after={})
    end_sessions(user)
    return user


def disable_user(actor: User | None, email: str) -> User:
    user = find_user(email)
    if user is None:
        raise AccountError(f"No account for {normalise_email(email)}")
    before = audit.snapshot(user)
    user.active = False
    db.session.flush()
    audit.record(actor, "update", user, f"Disabled account {user.email}", before=before)
    end_sessions(user)
    return user
