"""Settings from the environment, with safe defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _smtp_settings() -> dict:
    """How e-mail leaves govtrack. No SMTP_HOST means development: mail is written to the
    console and the outbox page instead of being sent."""
    host = os.environ.get("SMTP_HOST", "").strip()
    use_ssl = _flag("SMTP_SSL", False)
    if os.environ.get("SMTP_PORT", "").strip():
        port = int(os.environ["SMTP_PORT"])
    elif use_ssl:
        port = 465
    else:
        # With a server named, the submission port with STARTTLS unless told otherwise.
        port = 587 if _flag("SMTP_STARTTLS", bool(host)) else 25
    return {
        "SMTP_HOST": host,
        "SMTP_PORT": port,
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        # Implicit TLS (SMTP_SSL, port 465) and STARTTLS are exclusive; SSL wins.
        "SMTP_SSL": use_ssl,
        "SMTP_STARTTLS": not use_ssl and _flag("SMTP_STARTTLS", bool(host) and port == 587),
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", "10")),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "govtrack <no-reply@localhost>"),
        # Who delivers the outbox after the commit (core.mail): "background", a thread of each
        # app process (one machine, `make run`); "worker", only `flask worker` or `flask mail
        # deliver` (several instances, or to keep web processes free of SMTP). Unset:
        # background, except in tests (TESTING), which deliver where they say.
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY", "").strip().lower(),
    }


def _oidc_settings() -> dict:
    """Single sign-on with the council's OpenID Connect provider (README, "Single sign-on").
    Off until OIDC_ISSUER and OIDC_CLIENT_ID are set."""
    return {
        # The provider's issuer; govtrack reads the rest from its discovery document
        # (<issuer>/.well-known/openid-configuration).
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", "").strip(),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", "").strip(),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_SCOPES": os.environ.get("OIDC_SCOPES", "openid email profile"),
        # Shown on the button: "Sign in with <name>".
        "OIDC_PROVIDER_NAME": os.environ.get("OIDC_PROVIDER_NAME", "").strip()
        or "your council account",
        # The ID token's claims that carry the e-mail address and say the provider verified it
        # (Microsoft Entra ID: see the README on xms_edov).
        "OIDC_EMAIL_CLAIM": os.environ.get("OIDC_EMAIL_CLAIM", "email"),
        "OIDC_EMAIL_VERIFIED_CLAIM": os.environ.get("OIDC_EMAIL_VERIFIED_CLAIM", "email_verified"),
        "OIDC_TIMEOUT": float(os.environ.get("OIDC_TIMEOUT", "10")),
        # Off (with single sign-on set up): no password form, password sign-ins refused.
        "PASSWORD_SIGN_IN": _flag("PASSWORD_SIGN_IN", True),
    }


def single_sign_on_on(config: Mapping[str, Any]) -> bool:
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def password_sign_in_on(config: Mapping[str, Any]) -> bool:
    """Passwords can be switched off only while single sign-on is there to sign people in."""
    return bool(config.get("PASSWORD_SIGN_IN", True)) or not single_sign_on_on(config)


def load_config(instance_path: Path) -> dict:
    default_db = f"sqlite:///{instance_path / 'govtrack.db'}"
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        "SECRET_KEY": _secret_key(instance_path),
        # Off: the key was generated into instance/ on this machine, so no other instance
        # shares it (refused on PostgreSQL under gunicorn: core/startup.py).
        "SECRET_KEY_FROM_ENVIRONMENT": bool(os.environ.get("SECRET_KEY")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Failed sign-ins allowed before a pause (auth/rules.py): from one address at any
        # account; at one account from one address; at one account from everywhere, past which
        # an address that has failed at the account waits, while a new address may still try.
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 5 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 5 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE", "20 per hour"
        ),
        # "Forgot your password?" (auth/own_account.py): reset e-mails to one account, and
        # requests from one address; the answer takes at least this long whether or not the
        # address has an account, so its timing does not tell.
        "RESET_LIMIT_PER_ACCOUNT": os.environ.get("RESET_LIMIT_PER_ACCOUNT", "5 per hour"),
        "RESET_LIMIT_PER_ADDRESS": os.environ.get("RESET_LIMIT_PER_ADDRESS", "20 per hour"),
        "RESET_ANSWER_SECONDS": float(os.environ.get("RESET_ANSWER_SECONDS", "0.5")),
        # Two-factor sign-in (auth/two_factor.py). Holders of these kinds of right (any of
        # admin, clerk, scrutiny, officer, member, comma-separated) must use an authenticator
        # app; empty: nobody must, everyone may. A clerk for one body counts as a clerk.
        "TWO_FACTOR_REQUIRED_FOR": os.environ.get("TWO_FACTOR_REQUIRED_FOR", "admin,clerk"),
        # Off: a single sign-on leaves the second factor to the council's identity provider
        # (which does its own MFA). On: SSO sign-ins also ask for the app's code.
        "TWO_FACTOR_FOR_SSO": _flag("TWO_FACTOR_FOR_SSO", False),
        # Wrong codes allowed at one account before it must wait (counted like passwords).
        "TWO_FACTOR_LIMIT_PER_ACCOUNT": os.environ.get(
            "TWO_FACTOR_LIMIT_PER_ACCOUNT", "5 per 5 minutes"
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Always Secure when set; otherwise Secure whenever the request came over HTTPS.
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 60 * 60,
        # Behind a reverse proxy that sets X-Forwarded-For/-Proto, set TRUST_PROXY=1.
        "TRUST_PROXY": _flag("TRUST_PROXY", False),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": int(os.environ.get("PAGE_SIZE", "25")),
        # Uploaded papers and spreadsheets waiting for their confirmation; empty: under the
        # instance folder. With several instances, a folder every instance reads and writes.
        "PAPERS_DIR": os.environ.get("PAPERS_DIR", "").strip(),
        "IMPORTS_DIR": os.environ.get("IMPORTS_DIR", "").strip(),
        "SERVICE_NAME": "govtrack",
        # Where people reach govtrack: links in e-mails sent by `flask tick` (no request) start so.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # One JSON line per request on standard error (core/request_log.py); the client's
        # address only when REQUEST_LOG_ADDRESS is on.
        "REQUEST_LOG": _flag("REQUEST_LOG", True),
        "REQUEST_LOG_ADDRESS": _flag("REQUEST_LOG_ADDRESS", False),
        **_smtp_settings(),
        **_oidc_settings(),
    }
