"""Single sign-on with the council's OpenID Connect provider (Microsoft Entra ID, Google,
Keycloak ...), set up by the OIDC_* settings (``govtrack.config``).

The authorization code flow with state, nonce and PKCE (Authlib's Flask client); the callback
checks the ID token's signature against the provider's published keys, its issuer, audience,
expiry and nonce. A provider's identity opens an account only when it is already linked to it,
or when the provider says it verified the e-mail address and that address is an active (or
invited) account not linked to anyone else (``auth.rules.sso_decision``); the first sign-in
links the two. Every refusal is the sign-in page again, saying why, with nothing linked and
nobody signed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from joserfc import errors as jose_errors
from sqlalchemy import select

from govtrack.auth import links, services
from govtrack.auth.enums import LinkPurpose
from govtrack.auth.forms import SignInForm
from govtrack.auth.models import User
from govtrack.auth.rules import ProviderIdentity, SsoAccount, claim_is_true, sso_decision
from govtrack.auth.signing_in import complete_sign_in
from govtrack.auth.views import _safe_next, bp
from govtrack.config import password_sign_in_on, single_sign_on_on
from govtrack.core import audit
from govtrack.core.permissions import anyone, require
from govtrack.core.records import unit_of_work
from govtrack.db import db, utcnow

NAME = "sso"  # Authlib keeps each sign-in's state, nonce and PKCE verifier under this name
LEEWAY = 60  # seconds of clock difference allowed on the ID token's times


@dataclass(frozen=True)
class Settings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    provider: str
    email_claim: str
    verified_claim: str
    timeout: float


def settings() -> Settings | None:
    """This app's provider, or None when single sign-on is not set up."""
    config = current_app.config
    if not single_sign_on_on(config):
        return None
    scopes = config["OIDC_SCOPES"].split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return Settings(
        issuer=config["OIDC_ISSUER"],
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        scopes=" ".join(scopes),
        provider=config["OIDC_PROVIDER_NAME"],
        email_claim=config["OIDC_EMAIL_CLAIM"],
        verified_claim=config["OIDC_EMAIL_VERIFIED_CLAIM"],
        timeout=float(config["OIDC_TIMEOUT"]),
    )


@bp.app_context_processor
def single_sign_on_context() -> dict[str, Any]:
    """What every page may say about signing in: the provider's name (None without single
    sign-on) and whether passwords are used at all (the forgotten-password pages say to use
    the provider instead when they are not)."""
    found = settings()
    return {
        "single_sign_on": found.provider if found else None,
        "password_sign_in": password_sign_in_on(current_app.config),
    }


class Refused(Exception):
    """Single sign-on did not open an account; the message says why, for the person."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# --- The provider's identity ---------------------------------------------------------


def identity_from(claims: dict[str, Any], found: Settings) -> ProviderIdentity:
    """Who the ID token says signed in, read through the configured claims."""
    email = claims.get(found.email_claim)
    return ProviderIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=services.normalise_email(email) if isinstance(email, str) and email else None,
        email_verified=claim_is_true(claims.get(found.verified_claim)),
    )


# --- The service: find, link, record ------------------------------------------------------


def _facts(user: User | None) -> SsoAccount | None:
    if user is None:
        return None
    return SsoAccount(user.active, user.erased_at is not None, user.oidc_issuer, user.oidc_subject)


def sign_in_with(identity: ProviderIdentity, provider: str) -> User:
    """The account ``identity`` opens, linked on its first use (audited; an invitation still
    waiting is spent), with its sign-in time recorded; or ``Refused``."""
    linked = db.session.scalar(
        select(User).where(
            User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject
        )
    )
    by_email = services.find_user(identity.email) if identity.email and linked is None else None
    decision = sso_decision(identity, _facts(linked), _facts(by_email), provider)
    if decision.refusal:
        raise Refused(decision.refusal)
    user = linked if decision.account == "linked" else by_email
    assert user is not None
    if decision.link:
        user.oidc_issuer = identity.issuer
        user.oidc_subject = identity.subject
        db.session.flush()
        audit.record(
            user,
            "link-sso",
            user,
            f"{user.email} linked to {provider} (single sign-on)",
            after={"oidc_issuer": identity.issuer, "oidc_subject": identity.subject},
        )
        if links.revoke(user, LinkPurpose.INVITATION):
            audit.record(
                user,
                "accept-invitation",
                user,
                f"{user.email} accepted the invitation by signing in with {provider}",
                after={},
            )
    user.last_sign_in_at = utcnow()
    db.session.flush()
    return user


def unlink(actor: Any, user: User) -> bool:
    """Forget the provider identity linked to ``user`` (audited), so the next single sign-on
    with a verified address of the account links afresh: for a person whose identity at the
    provider was replaced. False when there was none."""
    if user.oidc_subject is None and user.oidc_issuer is None:
        return False
    before = {"oidc_issuer": user.oidc_issuer, "oidc_subject": user.oidc_subject}
    user.oidc_issuer = None
    user.oidc_subject = None
    db.session.flush()
    audit.record(
        actor,
        "unlink-sso",
        user,
        f"{user.email} no longer linked to a single sign-on identity",
        before=before,
        after={"oidc_issuer": None, "oidc_subject": None},
    )
    return True


# --- The provider, through Authlib --------------------------------------------------------


def _client(found: Settings) -> FlaskOAuth2App:
    """Authlib's client for these settings, kept for the app (it caches the provider's
    discovery document and keys; a provider that was down is asked again next time)."""
    clients = current_app.extensions.setdefault("govtrack.single_sign_on", {})
    if found not in clients:
        clients[found] = FlaskOAuth2App(
            FlaskIntegration(NAME),
            NAME,
            client_id=found.client_id,
            client_secret=found.client_secret or None,
            server_metadata_url=f"{found.issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={
                "scope": found.scopes,
                "code_challenge_method": "S256",
                "default_timeout": found.timeout,
                # A public client (no secret) proves itself by PKCE alone.
                "token_endpoint_auth_method": (
                    "client_secret_basic" if found.client_secret else "none"
                ),
            },
        )
    return clients[found]


def _unreachable(found: Settings) -> Refused:
    return Refused(
        f"govtrack could not reach {found.provider} to sign you in. Try again in a few "
        "minutes; if it keeps happening, tell your administrator.",
        status=502,
    )


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _metadata(client: FlaskOAuth2App, found: Settings) -> dict[str, Any]:
    """The provider's discovery document, which must name the configured issuer. Only a
    provider on this machine (development, the tests) may be reached without TLS."""
    issuer = urlsplit(found.issuer)
    if issuer.scheme != "https" and issuer.hostname not in LOCAL_HOSTS:
        raise Refused(
            f"{found.provider} is not set up correctly for govtrack (OIDC_ISSUER must start "
            "with https://). Tell your administrator.",
            status=502,
        )
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise _unreachable(found) from error
    if str(metadata.get("issuer", "")).rstrip("/") != found.issuer.rstrip("/"):
        raise Refused(
            f"{found.provider} is not set up correctly for govtrack (its issuer is not "
            "OIDC_ISSUER). Tell your administrator.",
            status=502,
        )
    return metadata


_TOKEN_PROBLEMS = {
    "nonce": "it was not made for this sign-in",
    "aud": "it was issued to another service",
    "azp": "it was issued to another service",
    "iss": "it was issued by another provider",
    "exp": "it has expired",
}


def _token_problem(error: Exception) -> str:
    if isinstance(error, jose_errors.ExpiredTokenError):
        return _TOKEN_PROBLEMS["exp"]
    if isinstance(error, jose_errors.ClaimError):
        return _TOKEN_PROBLEMS.get(error.claim, "its details could not be checked")
    return "its signature could not be verified"


def _verified_claims(client: FlaskOAuth2App, found: Settings, metadata: dict) -> dict[str, Any]:
    """The ID token's claims, after Authlib has checked the state, exchanged the code (with
    the PKCE verifier) and checked the token's signature and nonce; issuer and audience are
    checked here against the settings (Authlib alone accepts another audience with our azp)."""
    claims_options = {
        "iss": {"essential": True, "value": metadata["issuer"]},
        "aud": {"essential": True, "value": found.client_id},
    }
    try:
        token = client.authorize_access_token(claims_options=claims_options, leeway=LEEWAY)
    except MismatchingStateError as error:
        raise Refused(
            "This sign-in has expired or has already been used. Start again.", status=400
        ) from error
    except OAuthError as error:
        raise Refused(
            f"{found.provider} did not complete the sign-in ({error.error}). Start again.",
            status=400,
        ) from error
    except jose_errors.JoseError as error:
        raise Refused(
            f"govtrack could not trust the identity {found.provider} sent, because "
            f"{_token_problem(error)}. Nothing was changed. Start again.",
            status=400,
        ) from error
    except (requests.RequestException, ValueError) as error:
        raise _unreachable(found) from error
    claims = token.get("userinfo")
    if not claims:
        raise Refused(f"{found.provider} did not send an ID token. Start again.", status=400)
    return dict(claims)


def _provider_error(found: Settings) -> Refused | None:
    """The provider came back with an error instead of a code (the person said no, or it
    refused); the sign-in started is dropped."""
    error = request.args.get("error")
    if not error:
        return None
    state = request.args.get("state")
    if state:
        FlaskIntegration(NAME).clear_state_data(session, state)
    if error == "access_denied":
        return Refused(
            f"You did not let {found.provider} sign you in to govtrack. Nothing was changed.",
            status=400,
        )
    return Refused(
        f"{found.provider} could not sign you in ({error[:60]}). Start again, or tell your "
        "administrator if it keeps happening.",
        status=400,
    )


def _refused(refusal: Refused, next_url: str = ""):
    """The sign-in page again, with the reason in its error summary (and where the person
    was going, for another try)."""
    form = SignInForm()
    form.next.data = next_url
    page = render_template(
        "auth/sign_in.html", form=form, problem=refusal.message, problem_href="#single-sign-on"
    )
    return page, refusal.status


# --- The routes ---------------------------------------------------------------------------


@bp.route("/sign-in/sso")
@require(anyone)
def sso_start():
    """Send the person to the provider, remembering (in the session) state, nonce, the PKCE
    verifier and where to go afterwards."""
    found = settings()
    if found is None:
        abort(404)
    next_url = _safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    client = _client(found)
    try:
        _metadata(client, found)
        redirect_uri = url_for("auth.sso_callback", _external=True)
        started = client.create_authorization_url(redirect_uri)
    except Refused as refusal:
        return _refused(refusal, next_url)
    except (requests.RequestException, ValueError):
        return _refused(_unreachable(found), next_url)
    client.save_authorize_data(redirect_uri=redirect_uri, next=next_url, **started)
    return redirect(started["url"])


@bp.route("/sign-in/sso/callback")
@require(anyone)
def sso_callback():
    """Where the provider sends the person back: check everything, then sign in."""
    found = settings()
    if found is None:
        abort(404)
    state = FlaskIntegration(NAME).get_state_data(session, request.args.get("state")) or {}
    next_url = _safe_next(state.get("next"))
    try:
        if refusal := _provider_error(found):
            raise refusal
        client = _client(found)
        metadata = _metadata(client, found)
        identity = identity_from(_verified_claims(client, found, metadata), found)
        with unit_of_work():
            user = sign_in_with(identity, found.provider)
    except Refused as refusal:
        return _refused(refusal, next_url)
    return complete_sign_in(user, next_url, method="sso")
