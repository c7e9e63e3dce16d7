"""The one way to create and edit a record: validate, check the version, write, audit; and
the one way to commit what was written (``unit_of_work``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from govtrack.core import audit
from govtrack.core.versioning import check_version
from govtrack.db import db

T = TypeVar("T")


class Invalid(Exception):
    """A rule refused the input; ``problems`` maps each form field to its message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


class Locked(Exception):
    """The record may no longer change (a meeting held, minutes confirmed): HTTP 409.

    ``instead`` tells the user what to do instead.
    """

    def __init__(self, message: str, instead: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.instead = instead


@contextlib.contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit the writes of the block as one change, or none of them if it raises.

    Views and commands wrap the service call that writes; services themselves only flush. The
    block runs in a savepoint: any exception (a refusal such as ``Invalid`` as much as a
    failure) undoes what it wrote, mail included (``core.mail`` delivers after the commit), and
    leaves the records the page had read as they were, so the page can be shown again with the
    problem. No error path rolls back by hand; a request that never commits is rolled back
    when it ends.
    """
    session = db.session()
    with session.begin_nested():
        yield
    session.commit()


def raise_if(problems: Mapping[str, str | None]) -> None:
    found = {field: message for field, message in problems.items() if message}
    if found:
        raise Invalid(found)


def create_record(actor: Any, obj: T, summary: str) -> T:
    db.session.add(obj)
    audit.record(actor, "create", obj, summary)
    return obj


def update_record(
    actor: Any, obj: T, values: Mapping[str, Any], submitted_version: int | None, summary: str
) -> T:
    """Apply ``values`` if the editor saw the current version; audit what changed."""
    check_version(obj, submitted_version)
    before = audit.snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    audit.record(actor, "update", obj, summary, before=before)
    return obj
