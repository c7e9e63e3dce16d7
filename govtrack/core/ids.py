"""Record ids read from URLs, query strings and forms.

An id is a whole number a database key can hold: 1 to 2,147,483,647 (PostgreSQL's
``integer``). Anything else (text, a negative number, twenty digits) is no id at all, so a
mistyped or crafted address is a 404 or an ignored filter, never a database overflow.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def record_id(value: Any) -> int | None:
    """``value`` as an id, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in every route: an address with a number no record can have is a 404."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
