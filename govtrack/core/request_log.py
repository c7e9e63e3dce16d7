"""One JSON line per request on standard error: its id (also sent back as ``X-Request-Id``), the
account's id, the route's endpoint, the status and the time taken. Nothing else personal: no
path or query (they can carry names and tokens), and the client's address only when
``REQUEST_LOG_ADDRESS`` is on. Load balancers' probes (``/healthz``, ``/readyz``) are not logged."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request
from sqlalchemy import inspect
from werkzeug.local import LocalProxy

logger = logging.getLogger("govtrack.requests")

# An id the reverse proxy gave the request is kept (TRUST_PROXY), if it is plainly an id.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
PROBES = frozenset({"health.healthz", "health.readyz"})


class _StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is written (gunicorn and the tests
    replace it), not to the stream there was when the handler was made."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _handler() -> logging.Handler:
    handler = _StandardError()
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def request_id() -> str:
    """This request's id: the proxy's, when it is trusted and looks like one, else a new one."""
    if "request_id" not in g:
        given = request.headers.get("X-Request-Id", "")
        trusted = given and _REQUEST_ID.fullmatch(given)
        g.request_id = given if trusted and _trust_proxy() else uuid.uuid4().hex
    return g.request_id


def _trust_proxy() -> bool:
    from flask import current_app

    return bool(current_app.config["TRUST_PROXY"])


def _user_id() -> int | None:
    # Only an account the request already loaded (every guarded route does): logging never
    # costs a query, and a session rolled back by an error is not asked to refresh the row.
    user = g.get("_login_user")
    if isinstance(user, LocalProxy):
        # login_user(current_user) stores the proxy, which would look itself up for ever.
        return None
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or state.identity is None:
        return None
    return state.identity[0]


def init_app(app: Flask) -> None:
    if not logger.handlers:
        logger.addHandler(_handler())
        logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def log_request(response: Response) -> Response:
        response.headers["X-Request-Id"] = request_id()
        if not app.config["REQUEST_LOG"] or request.endpoint in PROBES:
            return response
        started = g.get("request_started", time.perf_counter())
        line = {
            "request_id": request_id(),
            "user_id": _user_id(),
            "method": request.method,
            "route": request.endpoint,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        if app.config["REQUEST_LOG_ADDRESS"]:
            line["address"] = request.remote_addr
        logger.info(json.dumps(line))
        return response
