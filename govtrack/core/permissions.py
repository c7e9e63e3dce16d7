"""One way to guard a route: ``@require(predicate)``, with the predicate named in council words.

Anonymous visitors are sent to sign in; signed-in users without the permission get 403.
Services check the same predicates again before they write.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user


class PermissionDenied(Exception):
    """A service refused an action the user is not allowed to take."""


def require(predicate: Callable[..., bool]) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if predicate(current_user):
                return view(*args, **kwargs)
            if not current_user.is_authenticated:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            abort(403)

        wrapped.permission = predicate  # type: ignore[attr-defined]
        return wrapped

    return decorator


def permitted(record: Any, predicate: Callable[[Any, Any], bool]) -> Any:
    """For views, after loading a record: the record, when the signed-in user's permission
    holds for it (a clerk for its body, an officer of its partner ...); 403 otherwise. The route
    guard has already let in anyone who holds that kind of right somewhere."""
    if not predicate(current_user, record):
        abort(403)
    return record


def ensure(allowed: bool) -> None:
    """For services: stop unless the permission holds."""
    if not allowed:
        raise PermissionDenied


def anyone(_user: Any) -> bool:
    """Public pages."""
    return True
