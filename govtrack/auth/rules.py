"""Sign-in rules as pure functions: when guessing is slowed, and for how long.

Failed sign-ins are counted three ways: for one account from one address, from one address
(whatever the account) and for one account from everywhere. The first two slow a guesser down
without touching anyone else. The third cannot lock the account's owner out: once an account
has had too many failures from everywhere, each address may still try it, but an address that
has already failed at it waits until its own failures expire (or the account cools down). So a
person signing in from their own address with the right password always gets through, while a
guesser spread over many addresses gets one try per address per window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govtrack.auth.enums import Role


@dataclass(frozen=True)
class FailureCount:
    """Failed sign-ins counted in one window: how many so far, how many the window allows, and
    how many seconds until the count is forgotten."""

    failures: int
    allowed: int
    resets_in: int

    @property
    def spent(self) -> bool:
        return self.failures >= self.allowed


def sign_in_wait(here: FailureCount, address: FailureCount, everywhere: FailureCount) -> int:
    """Seconds this address must wait before trying this account again; 0 lets it try.

    ``here`` counts failures at this account from this address, ``address`` failures from this
    address at any account, ``everywhere`` failures at this account from any address.
    """
    waits = []
    if here.spent:
        waits.append(here.resets_in)
    if address.spent:
        waits.append(address.resets_in)
    if everywhere.spent and here.failures:
        waits.append(min(here.resets_in, everywhere.resets_in))
    return max(1, max(waits)) if waits else 0


def wait_in_words(seconds: int) -> str:
    """ "1 minute", "5 minutes", "30 seconds": a wait as the sign-in page says it."""
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = -(-seconds // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# Rights ------------------------------------------------------------------------------------

# Highest first: the one-word label of an account with several rights.
ROLE_RANK = (Role.ADMIN, Role.CLERK, Role.SCRUTINY, Role.OFFICER, Role.MEMBER)

EVERY = None  # a right held over every body (or every scrutiny body)


@dataclass(frozen=True)
class Grant:
    """A granted right as the rules see it (``AccountRight`` without the database)."""

    right: Role
    body_id: int | None = None
    partner_id: int | None = None


@dataclass(frozen=True)
class Sitting:
    """A seat the account's person holds today: on which body, and whether it is a scrutiny
    body (whose inquiries the seat gives scrutiny rights over)."""

    body_id: int
    scrutiny: bool


@dataclass(frozen=True)
class Rights:
    """What an account may do, from its grants and the registry on the day.

    ``clerk_bodies`` and ``scrutiny_bodies`` are None for "every body"; ``member_bodies`` are
    the bodies the person sits on (vote or respond there, see their private items);
    ``officer_partners`` the partners whose officer rights the account holds.
    """

    admin: bool = False
    clerk_bodies: frozenset[int] | None = frozenset()
    member_bodies: frozenset[int] = frozenset()
    scrutiny_bodies: frozenset[int] | None = frozenset()
    officer_partners: frozenset[int] = frozenset()
    councillor: bool = False
    # Holds an officer grant, even when the account is linked to no person (and so speaks for
    # no partner yet): it may open the officers' forms, which then offer nothing to change.
    officer: bool = False

    def has(self, role: Role) -> bool:
        """Holds this kind of right anywhere (what a route that is open to it asks)."""
        if role is Role.ADMIN:
            return self.admin
        if role is Role.CLERK:
            return self.clerk_bodies is None or bool(self.clerk_bodies)
        if role is Role.SCRUTINY:
            return self.scrutiny_bodies is None or bool(self.scrutiny_bodies)
        if role is Role.OFFICER:
            return self.officer or bool(self.officer_partners)
        return self.councillor or bool(self.member_bodies)

    @property
    def clerk_everywhere(self) -> bool:
        return self.clerk_bodies is None

    def clerk_for(self, body_id: int | None) -> bool:
        return self.clerk_bodies is None or body_id in self.clerk_bodies

    def scrutiny_for(self, body_id: int | None) -> bool:
        return self.scrutiny_bodies is None or body_id in self.scrutiny_bodies

    def sits_on(self, body_id: int | None) -> bool:
        return body_id in self.member_bodies

    def officer_for(self, partner_id: int | None) -> bool:
        return partner_id is not None and partner_id in self.officer_partners


ALL_RIGHTS = Rights(admin=True, clerk_bodies=EVERY, scrutiny_bodies=EVERY, councillor=True)
NO_RIGHTS = Rights()


def _union(held: frozenset[int] | None, more: frozenset[int] | None) -> frozenset[int] | None:
    return None if held is None or more is None else held | more


def rights_from(
    grants: Iterable[Grant], sittings: Iterable[Sitting], own_partner_id: int | None
) -> Rights:
    """The rights of an account holding ``grants`` whose person sits on ``sittings`` today and
    works for ``own_partner_id``.

    An administrator holds every right. A clerk grant with no body is for every body. An officer
    grant with no partner is for the person's own partner (none when the account is linked to
    nobody). A scrutiny grant with no body covers every scrutiny body; a seat on a scrutiny body
    gives scrutiny rights over that body; any seat lets the person act as a member there.
    """
    grants = list(grants)
    sittings = list(sittings)
    admin = any(g.right is Role.ADMIN for g in grants)
    clerk: frozenset[int] | None = frozenset()
    scrutiny: frozenset[int] | None = frozenset(s.body_id for s in sittings if s.scrutiny)
    officers: set[int] = set()
    for grant in grants:
        one = EVERY if grant.body_id is None else frozenset({grant.body_id})
        if grant.right is Role.CLERK:
            clerk = _union(clerk, one)
        elif grant.right is Role.SCRUTINY:
            scrutiny = _union(scrutiny, one)
        elif grant.right is Role.OFFICER:
            partner = grant.partner_id if grant.partner_id is not None else own_partner_id
            if partner is not None:
                officers.add(partner)
    if admin:
        return Rights(
            admin=True,
            clerk_bodies=EVERY,
            member_bodies=frozenset(s.body_id for s in sittings),
            scrutiny_bodies=EVERY,
            officer_partners=frozenset(officers),
            councillor=True,
            officer=any(g.right is Role.OFFICER for g in grants),
        )
    return Rights(
        clerk_bodies=clerk,
        member_bodies=frozenset(s.body_id for s in sittings),
        scrutiny_bodies=scrutiny,
        officer_partners=frozenset(officers),
        councillor=any(g.right is Role.MEMBER for g in grants),
        officer=any(g.right is Role.OFFICER for g in grants),
    )


# Two-factor sign-in -----------------------------------------------------------------------

# RFC 6238's defaults, which every authenticator app follows: a six-digit code a 30-second step.
TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
# Steps either side of now whose code is still accepted (RFC 6238 s. 5.2: allow for a clock that
# drifts and for the seconds a person takes to type; one step each way is the usual choice).
TOTP_DRIFT_STEPS = 1
# How long a sign-in may wait for its code, and for a person who must enrol to set up the app.
PENDING_CODE_SECONDS = 5 * 60
PENDING_ENROLMENT_SECONDS = 20 * 60
RECOVERY_CODE_COUNT = 10
# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is not misread.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_CODE_LENGTH = 16  # 80 random bits: too many to guess, even from a copy of the hashes
_MISREAD = str.maketrans({"i": "1", "l": "1", "o": "0"})


def required_kinds(setting: str) -> frozenset[Role]:
    """The kinds of right whose holders must use two-factor sign-in, from a setting such as
    "admin,clerk" (empty: nobody must). An unknown word is an error, not silently ignored."""
    words = [word.strip().lower() for word in setting.split(",") if word.strip()]
    known = {role.value: role for role in Role}
    unknown = [word for word in words if word not in known]
    if unknown:
        raise ValueError(
            f"TWO_FACTOR_REQUIRED_FOR: {', '.join(unknown)} is not a kind of right "
            f"(use {', '.join(known)})"
        )
    return frozenset(known[word] for word in words)


def two_factor_required(rights: Rights, kinds: frozenset[Role]) -> bool:
    """Whether an account with ``rights`` must sign in with a second factor: it holds one of
    ``kinds`` anywhere (a clerk for one body counts as a clerk)."""
    return any(rights.has(kind) for kind in kinds)


def two_factor_applies(method: str, enrolled: bool, required: bool, for_sso: bool) -> str | None:
    """What a sign-in by ``method`` ("password", "invitation", "sso") asks before the session
    opens: "code" (the account has enrolled), "enrol" (it must and has not) or None.

    Single sign-on leaves the second factor to the council's identity provider unless
    ``for_sso`` (the setting TWO_FACTOR_FOR_SSO) asks for the app's own as well.
    """
    if method == "sso" and not for_sso:
        return None
    if enrolled:
        return "code"
    return "enrol" if required else None


def totp_step(moment: float) -> int:
    """The RFC 6238 time step a Unix time falls in."""
    return int(moment // TOTP_STEP_SECONDS)


def steps_to_try(now_step: int) -> list[int]:
    """The steps whose codes are accepted now: this one first, then its neighbours."""
    return [now_step, *(now_step + d for k in range(1, TOTP_DRIFT_STEPS + 1) for d in (-k, k))]


def fresh_step(matching: list[int], now_step: int, last_step: int | None) -> int | None:
    """The step a typed code is accepted at, or None.

    ``matching`` are the steps whose code equals the one typed. A step outside the drift window
    is never accepted, nor one at or before the step the account last used (a code is good once:
    one seen over a shoulder or replayed a moment later opens nothing).
    """
    window = set(steps_to_try(now_step))
    usable = [s for s in matching if s in window and (last_step is None or s > last_step)]
    return max(usable) if usable else None


def looks_like_totp(text: str) -> bool:
    """Six digits (spaces allowed, as some apps show "123 456"): a code from the app, not a
    recovery code or a password."""
    digits = "".join(text.split())
    return len(digits) == TOTP_DIGITS and digits.isascii() and digits.isdigit()


def totp_digits(text: str) -> str:
    return "".join(text.split())


def normalise_recovery_code(text: str) -> str:
    """A recovery code as stored: lower case, no spaces or dashes, misread letters mended."""
    kept = "".join(ch for ch in text.lower() if ch not in " -\t")
    return kept.translate(_MISREAD)


def format_recovery_code(code: str) -> str:
    """A recovery code as shown: groups of four, "abcd-efgh-jkmn-pqrs"."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def pending_expired(started: float, now: float, enrolling: bool) -> bool:
    """Whether a sign-in waiting for its second step (since ``started``) has waited too long;
    a person setting up their app is given longer than one typing a code."""
    limit = PENDING_ENROLMENT_SECONDS if enrolling else PENDING_CODE_SECONDS
    return not 0 <= now - started <= limit


def turn_off_refusal(required: bool) -> str | None:
    """Why two-factor sign-in cannot be turned off, or None."""
    if required:
        return (
            "Two-factor sign-in cannot be turned off: accounts with your rights must use it. "
            "To use another phone or app, set it up on the new device instead."
        )
    return None


# Single sign-on (auth/single_sign_on.py): which account a provider's identity opens.


@dataclass(frozen=True)
class ProviderIdentity:
    """Who a single sign-on provider says signed in."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool


@dataclass(frozen=True)
class SsoAccount:
    """What single sign-on needs to know of an account."""

    active: bool
    erased: bool
    oidc_issuer: str | None
    oidc_subject: str | None


@dataclass(frozen=True)
class SsoDecision:
    account: str | None  # "linked" (already linked to this identity), "by_email", or None
    link: bool  # store the identity on the account
    refusal: str | None = None

    @classmethod
    def refuse(cls, why: str) -> SsoDecision:
        return cls(None, False, why)


def sso_decision(
    identity: ProviderIdentity,
    linked: SsoAccount | None,
    by_email: SsoAccount | None,
    provider: str,
) -> SsoDecision:
    """Whether ``identity`` opens the account already linked to its issuer and subject, or
    links to and opens the account with its e-mail address (only an address the provider
    verified, of an active account not linked to another identity), or is refused (and why)."""
    disabled = "This govtrack account is disabled. Contact your administrator."
    if linked is not None:
        if not linked.active or linked.erased:
            return SsoDecision.refuse(disabled)
        return SsoDecision("linked", False)
    if not identity.email:
        return SsoDecision.refuse(
            f"{provider} did not tell govtrack your e-mail address, so it cannot "
            "find your account. Ask your administrator to check the single sign-on settings.",
        )
    if not identity.email_verified:
        return SsoDecision.refuse(
            f"{provider} has not verified the e-mail address {identity.email}, so "
            "govtrack cannot use it to find your account. Contact your administrator.",
        )
    if by_email is None:
        return SsoDecision.refuse(
            f"There is no govtrack account for {identity.email}. Ask your "
            "administrator to invite you.",
        )
    if not by_email.active or by_email.erased:
        return SsoDecision.refuse(disabled)
    if by_email.oidc_subject is not None:
        return SsoDecision.refuse(
            f"The govtrack account for {identity.email} is linked to another "
            f"{provider} identity. Contact your administrator.",
        )
    return SsoDecision("by_email", True)


def claim_is_true(value: object) -> bool:
    """A boolean claim such as ``email_verified``; some providers send the string "true"."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
