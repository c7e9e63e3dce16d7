"""The one pagination and list-sorting helper every list page uses."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from govtrack.db import db

T = TypeVar("T")


@dataclass(frozen=True)
class ListRequest:
    """What a list page was asked for: the page, the sort and the filters."""

    page: int = 1
    sort: str = ""
    descending: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(
        cls,
        args: Mapping[str, str],
        sorts: Sequence[str],
        default_sort: str,
        filters: Sequence[str] = (),
    ) -> ListRequest:
        """Read ``page``, ``sort``, ``order`` and the named filters; ignore anything malformed."""
        try:
            page = max(1, int(args.get("page", "1")))
        except ValueError:
            page = 1
        sort = args.get("sort", default_sort)
        if sort not in sorts:
            sort = default_sort
        descending = args.get("order") == "desc"
        chosen = {name: args[name].strip() for name in filters if args.get(name, "").strip()}
        return cls(page=page, sort=sort, descending=descending, filters=chosen)

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments for a link to this list with some of them changed."""
        current: dict[str, Any] = dict(self.filters)
        current.update(
            {"sort": self.sort, "order": "desc" if self.descending else "asc", "page": self.page}
        )
        current.update(changes)
        return {k: v for k, v in current.items() if v not in (None, "")}


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    def map(self, shape: Callable[[T], Any]) -> Page[Any]:
        """The same page with each item reshaped (a row into the dataclass a page shows)."""
        return Page(
            items=[shape(item) for item in self.items],
            page=self.page,
            per_page=self.per_page,
            total=self.total,
        )


def _page_number(page: int, total: int, per_page: int) -> int:
    """The page asked for, kept within the pages there are (past the end gives the last)."""
    return min(max(1, page), max(1, math.ceil(total / per_page)))


def paginate(stmt: Select[Any], page: int, per_page: int, *, scalars: bool = True) -> Page[Any]:
    """Run ``stmt`` for one page; a page past the end gives the last page."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    total = total or 0
    page = _page_number(page, total, per_page)
    paged = stmt.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(paged)
    items = list(result.scalars().unique()) if scalars else list(result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)


def paginate_rows(rows: Sequence[T], page: int, per_page: int) -> Page[T]:
    """One page of rows already worked out in memory (a list sorted in Python); a page past the
    end gives the last page."""
    page = _page_number(page, len(rows), per_page)
    start = (page - 1) * per_page
    return Page(
        items=list(rows[start : start + per_page]), page=page, per_page=per_page, total=len(rows)
    )


def order_by_choice(stmt: Select[Any], request: ListRequest, columns: Mapping[str, Any]) -> Select:
    """Apply the chosen sort (a key of ``columns``), with the id as a stable tie-break."""
    column = columns[request.sort]
    primary = column.desc() if request.descending else column.asc()
    tie_break = columns.get("_id")
    return stmt.order_by(primary, tie_break) if tie_break is not None else stmt.order_by(primary)
