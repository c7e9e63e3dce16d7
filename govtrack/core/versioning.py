"""Optimistic locking for records people edit: a stale save is refused, nothing is lost."""

from __future__ import annotations

from typing import Any


class EditConflict(Exception):
    """Someone else saved the record after this editor opened it."""

    def __init__(self, obj: Any) -> None:
        super().__init__("This record was changed by someone else after you opened it.")
        self.obj = obj


def check_version(obj: Any, submitted_version: int | None) -> None:
    """Refuse the save if the version the editor started from is not the current one."""
    if submitted_version is None or int(submitted_version) != obj.version:
        raise EditConflict(obj)
