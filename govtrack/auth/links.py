"""Single-use links sent by e-mail: invitations (72 hours) and password resets (one hour).

The link carries a random token; only its SHA-256 is stored, so a copy of the database opens
nothing. A link is refused once used, revoked, replaced by a newer one of the same purpose, or
past its time; ``check`` says which, in words for the page, and changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from govtrack.auth.enums import LinkPurpose
from govtrack.auth.models import AccountLink, User
from govtrack.db import db, utcnow

LIFETIME = {LinkPurpose.INVITATION: timedelta(hours=72), LinkPurpose.RESET: timedelta(hours=1)}
TOKEN_BYTES = 32
TOKEN_MAX = 100  # a token longer than this was not made here


class LinkRefused(ValueError):
    """The link cannot be used; the message says why, for the person who followed it."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, purpose: LinkPurpose, actor: User | None = None) -> str:
    """A new link's token for ``user``; any earlier unused link of the same purpose is revoked
    (a resent invitation replaces the first). The caller mails it and audits the change."""
    now = utcnow()
    db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == purpose,
            AccountLink.used_at.is_(None),
            AccountLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = AccountLink(
        user_id=user.id,
        purpose=purpose,
        token_hash=_digest(token),
        created_at=now,
        created_by_id=getattr(actor, "id", None),
        expires_at=now + LIFETIME[purpose],
    )
    db.session.add(link)
    db.session.flush()
    return token


def revoke(user: User, purpose: LinkPurpose) -> int:
    """Revoke every unused link of ``purpose`` for ``user``; how many there were."""
    result = db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == purpose,
            AccountLink.used_at.is_(None),
            AccountLink.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


def pending(user_id: int, purpose: LinkPurpose) -> AccountLink | None:
    """The newest link of ``purpose`` still usable now, if any (for the accounts pages)."""
    stmt = (
        select(AccountLink)
        .where(
            AccountLink.user_id == user_id,
            AccountLink.purpose == purpose,
            AccountLink.used_at.is_(None),
            AccountLink.revoked_at.is_(None),
            AccountLink.expires_at > utcnow(),
        )
        .order_by(AccountLink.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def refusal(link: AccountLink | None, user: User | None, now: datetime) -> str | None:
    """Why this link cannot be used now, or None."""
    if link is None or user is None:
        return "This link is not valid. Check you copied the whole link from the e-mail."
    if link.used_at is not None:
        return "This link has already been used. Each link works once."
    if link.revoked_at is not None:
        return "This link has been replaced or withdrawn. Use the newest e-mail you were sent."
    if link.expires_at <= now:
        return "This link has expired. Ask for a new one."
    if not user.active:
        return "This account is disabled. Contact your administrator."
    return None


def check(token: str, purpose: LinkPurpose) -> tuple[AccountLink, User]:
    """The link and its account, or ``LinkRefused`` saying why; nothing changes."""
    link = None
    if token and len(token) <= TOKEN_MAX:
        link = db.session.scalar(
            select(AccountLink).where(
                AccountLink.token_hash == _digest(token), AccountLink.purpose == purpose
            )
        )
    user = db.session.get(User, link.user_id) if link is not None else None
    if problem := refusal(link, user, utcnow()):
        raise LinkRefused(problem)
    return link, user


def use(token: str, purpose: LinkPurpose) -> User:
    """Spend the link (in the caller's unit of work, with what it lets them do)."""
    link, user = check(token, purpose)
    link.used_at = utcnow()
    db.session.flush()
    return user
