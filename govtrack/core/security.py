"""Security by default: headers, cookies that are Secure over HTTPS, the store that counts
failed sign-ins, and a warning when a proxy forwards requests the app does not trust."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

limiter = Limiter(key_func=get_remote_address, default_limits=[])


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, and whenever the request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def should_set_cookie(self, app: Flask, session) -> bool:
        # A load balancer's probe (core.health) neither starts nor refreshes a session.
        if g.get("without_session"):
            return False
        return super().should_set_cookie(app, session)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    # Only the app's own scripts and styles; the one inline script (GOV.UK's js-enabled
    # switch in the page template) runs by nonce.
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


UNTRUSTED_PROXY_WARNING = (
    "Requests arrive with X-Forwarded-For but TRUST_PROXY is off: every visitor appears to "
    "come from the proxy's address, so sign-in limits count them all as one. If govtrack runs "
    "behind a reverse proxy, set TRUST_PROXY=1 (see the README)."
)


def _warn_once_of_an_untrusted_proxy(app: Flask) -> None:
    """Log, once per process, that a proxy forwards requests the app does not trust."""

    @app.before_request
    def untrusted_proxy() -> None:
        if "X-Forwarded-For" in request.headers and not app.extensions.get("govtrack.proxy_warned"):
            app.extensions["govtrack.proxy_warned"] = True
            app.logger.warning(UNTRUSTED_PROXY_WARNING)


def init_app(app: Flask) -> None:
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    else:
        _warn_once_of_an_untrusted_proxy(app)
    app.session_interface = SessionInterface()
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    limiter.init_app(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
