"""Erasing an account's personal data on request: what identifies the person goes, the public
record stays.

The account is disabled and every session ends; its e-mail address and name become
placeholders; its password, two-factor secret and recovery codes, single sign-on link,
e-mailed links and granted rights are removed; mail sent to it keeps its subject but loses its
address and text. Names in minutes, votes and the registry's person record are the council's
public record and stay, as does the audit log of who changed what (the privacy notice says so).
"""

from __future__ import annotations

from sqlalchemy import delete, update

from govtrack.auth import services
from govtrack.auth.models import AccountLink, RecoveryCode, User
from govtrack.core import audit
from govtrack.core.models import OutboxMessage
from govtrack.db import db, utcnow

ERASED_BODY = "(The text of this message was erased with the account's personal data.)"


def placeholder_email(user_id: int) -> str:
    # .invalid is reserved (RFC 2606): no mail can ever reach it.
    return f"erased-{user_id}@invalid"


def placeholder_name(user_id: int) -> str:
    return f"Erased account {user_id}"


def erasure_refusal(actor_id: int | None, user_id: int, erased: bool) -> str | None:
    """Why this account's personal data may not be erased by this actor now, or None."""
    if actor_id == user_id:
        return (
            "You cannot erase your own account. Ask another administrator to do it, so that "
            "someone who can still manage accounts remains"
        )
    if erased:
        return "This account's personal data has already been erased"
    return None


def erase_personal_data(actor: User, user: User) -> User:
    """Erase ``user``'s personal data (see the module docstring); ``AccountError`` if refused."""
    if problem := erasure_refusal(actor.id, user.id, user.erased_at is not None):
        raise services.AccountError(problem)
    old_email = user.email
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(AccountLink).where(AccountLink.user_id == user.id))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == old_email)
        .values(recipient=placeholder_email(user.id), body=ERASED_BODY)
    )
    user.grants = []
    user.email = placeholder_email(user.id)
    user.name = placeholder_name(user.id)
    user.password_hash = None
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    user.oidc_issuer = None
    user.oidc_subject = None
    user.last_sign_in_at = None
    user.active = False
    user.erased_at = utcnow()
    services.end_sessions(user)
    # The entry names the account by number only: the old name and address are not copied here.
    audit.record(
        actor,
        "erase",
        user,
        f"Erased the personal data of account {user.id}",
        after={"erased_at": user.erased_at.isoformat()},
    )
    return user
