"""The rules of administering accounts, as pure functions: how an account's state reads, which
rights may be granted and removed, and when disabling an account is refused.

The one hard rule is that the system never loses its last administrator: an administrator
cannot take away their own last administrator right or disable themselves, and nobody can
remove or disable the last active administrator (no one could then grant rights again except
from the command line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from govtrack.accounts.enums import AccountState
from govtrack.auth.enums import Role
from govtrack.auth.rules import Grant, Rights

# Rights that may be for one named body, and the one that may be for a named partner.
BODY_RIGHTS = (Role.CLERK, Role.SCRUTINY)
PARTNER_RIGHTS = (Role.OFFICER,)


def account_state(active: bool, has_password: bool, uses_single_sign_on: bool) -> AccountState:
    """Disabled, invited (no password set and never signed in with single sign-on), or active."""
    if not active:
        return AccountState.DISABLED
    if not has_password and not uses_single_sign_on:
        return AccountState.INVITED
    return AccountState.ACTIVE


def may_invite_again(has_password: bool, uses_single_sign_on: bool) -> str | None:
    """Why an invitation cannot be resent or revoked, or None: once the person has set a
    password (or signed in with single sign-on) the invitation has done its work."""
    if has_password or uses_single_sign_on:
        return (
            "This person has already accepted their invitation and set up their sign-in, "
            "so there is no invitation to resend or revoke."
        )
    return None


def grant_label(right: Role, body: str | None = None, partner: str | None = None) -> str:
    """A granted right in words, with the body or partner it is for."""
    if right is Role.CLERK:
        return f"{right.label} for {body or 'every body'}"
    if right is Role.SCRUTINY:
        return f"{right.label} for {body or 'every scrutiny body'}"
    if right is Role.OFFICER:
        return f"{right.label} of {partner or 'the partner of the linked person'}"
    return right.label


def _covered(grant: Grant, held: Iterable[Grant]) -> str | None:
    for other in held:
        if other == grant:
            return "This account already holds this right"
        everywhere = other.right == grant.right and other.body_id is None
        if grant.right in BODY_RIGHTS and grant.body_id is not None and everywhere:
            return "This account already holds this right for every body, which includes this one"
    return None


def grant_problems(grant: Grant, body_is_scrutiny: bool | None, held: Iterable[Grant]) -> dict:
    """What is wrong with granting ``grant`` to an account holding ``held``: by form field.

    ``body_is_scrutiny`` says whether the named body (if any) is a scrutiny panel or sub-group.
    A body may be named only for clerk and scrutiny rights, a partner only for officer rights;
    a scrutiny right is for a scrutiny body; a right already held (or held for every body) is
    not granted twice.
    """
    problems: dict[str, str] = {}
    if grant.body_id is not None and grant.right not in BODY_RIGHTS:
        problems["body_id"] = "Name a body only for clerk or scrutiny rights"
    elif grant.right is Role.SCRUTINY and grant.body_id is not None and not body_is_scrutiny:
        problems["body_id"] = "Choose a scrutiny panel or sub-group for a scrutiny right"
    if grant.partner_id is not None and grant.right not in PARTNER_RIGHTS:
        problems["partner_id"] = "Name a partner only for officer rights"
    if not problems and (duplicate := _covered(grant, held)):
        problems["right"] = duplicate
    return problems


def removal_refusal(
    right: Role,
    own_account: bool,
    holder_admin_rights: int,
    holder_active: bool,
    active_admins: int,
) -> str | None:
    """Why this right may not be removed, or None.

    ``holder_admin_rights`` counts the administrator rights the account holds (the one being
    removed included); ``active_admins`` counts the active accounts holding one.
    """
    if right is not Role.ADMIN or holder_admin_rights > 1:
        return None
    if own_account:
        return (
            "You cannot remove your own administrator right. Ask another administrator to "
            "remove it if it is no longer needed."
        )
    if holder_active and active_admins <= 1:
        return (
            "This is the last active administrator. Grant the administrator right to someone "
            "else before removing it here."
        )
    return None


def disable_refusal(own_account: bool, holder_is_admin: bool, active_admins: int) -> str | None:
    """Why this account may not be disabled, or None."""
    if own_account:
        return "You cannot disable your own account. Ask another administrator to do it."
    if holder_is_admin and active_admins <= 1:
        return (
            "This is the last active administrator. Grant the administrator right to someone "
            "else before disabling this account."
        )
    return None


def parse_right(text: str) -> tuple[Role, str | None]:
    """``clerk``, ``clerk:Joint Committee``, ``officer:Partner name``: a right as the command
    line names it, with the body or partner it is for. ``ValueError`` says what is wrong."""
    kind, _, scope = text.partition(":")
    try:
        right = Role(kind.strip().lower())
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise ValueError(f"Unknown right '{kind.strip()}': use one of {names}") from None
    scope = scope.strip() or None
    if scope is not None and right not in (*BODY_RIGHTS, *PARTNER_RIGHTS):
        raise ValueError(f"The {right.value} right is not for a named body or partner")
    return right, scope


def rights_in_words(
    rights: Rights, body_names: Mapping[int, str], partner_names: Mapping[int, str]
) -> list[str]:
    """What an account may do today (its grants and the registry's seats taken together), one
    line per kind of right, with the names of the bodies and partners."""

    def names(ids: Iterable[int], known: Mapping[int, str]) -> str:
        return ", ".join(sorted(known.get(i, f"#{i}") for i in ids))

    lines = []
    if rights.admin:
        lines.append("Administrator: every right, everywhere")
    elif rights.clerk_bodies is None:
        lines.append(f"{Role.CLERK.label} for every body")
    elif rights.clerk_bodies:
        lines.append(f"{Role.CLERK.label} for {names(rights.clerk_bodies, body_names)}")
    if rights.member_bodies:
        lines.append(f"Sits on (votes there): {names(rights.member_bodies, body_names)}")
    elif rights.councillor and not rights.admin:
        lines.append(f"{Role.MEMBER.label}, sitting on no body today")
    if not rights.admin and rights.scrutiny_bodies is None:
        lines.append(f"{Role.SCRUTINY.label} for every scrutiny body")
    elif not rights.admin and rights.scrutiny_bodies:
        lines.append(f"{Role.SCRUTINY.label} for {names(rights.scrutiny_bodies, body_names)}")
    if rights.officer_partners:
        lines.append(f"{Role.OFFICER.label} of {names(rights.officer_partners, partner_names)}")
    elif rights.officer:
        lines.append(f"{Role.OFFICER.label}, for no partner yet (linked to no person)")
    return lines or ["No rights: the account can sign in and see what the public sees"]
