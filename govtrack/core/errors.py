"""Error pages that say what happened and leak nothing."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from govtrack.core.permissions import PermissionDenied
from govtrack.db import db

MESSAGES = {
    400: ("There is a problem with your request", "Go back and try again."),
    403: (
        "You do not have permission to see this page",
        "Your account's role does not allow this. Ask a democratic services officer or an "
        "administrator if you need it.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("That action is not allowed here", "Go back and try again."),
    409: ("This change cannot be made", "The record has moved on. Reload it and try again."),
    413: ("The file is too large", "Choose a smaller file."),
    422: ("There is a problem with what you sent", "Go back and check your answers."),
    429: (
        "Too many attempts",
        "You have tried too many times. Wait a few minutes, then try again.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. The problem has been logged; nothing you entered has been saved.",
    ),
}


def render_error(status: int, detail: str | None = None):
    title, hint = MESSAGES.get(status, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return {"error": title, "message": detail or hint, "status": status}, status
    return render_template("errors/error.html", title=title, hint=detail or hint, status=status), (
        status
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(
            400,
            "The form has expired or was not sent from this site. Go back, reload the page "
            "and try again; nothing was saved.",
        )

    @app.errorhandler(PermissionDenied)
    def permission_denied(_exc: PermissionDenied):
        # Nothing to undo: a refused service call was rolled back by its unit_of_work.
        return render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        detail = None
        if status == 429:
            detail = (
                "There have been too many failed sign-in attempts. Wait a few minutes, "
                "then try again."
            )
        elif exc.description != type(exc).description:
            # A view's own explanation (abort(400, description=...)) reaches the reader.
            detail = exc.description
        return render_error(status, detail)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        # Not to undo work (what was not committed is never kept) but so the error page can
        # still read: a failed statement leaves PostgreSQL's transaction unusable.
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)
