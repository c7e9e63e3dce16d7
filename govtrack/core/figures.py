"""What each capability contributes to the dashboards: RAG counts, lists of what turned red or
amber, what is overdue, achieved or slipped, answered by SQL aggregates and LIMITed lists.

A capability lists its ``AreaFigures`` in ``Capability.figures``; the dashboards read those and
never another capability's tables, so a page costs the same few queries however many items
there are. The programme links its objectives to other areas' items (services,
recommendations) the same way: it names them by id and asks the area, found with
``area_named``, for their summaries, their RAG, whether they exist and what may be linked.

Where an area's RAG is derived rather than stored, ``rag_case`` is the engine's rule
(``govtrack.core.rag.derive``) written as one SQL CASE, so both give the same colour.

A page that gathers many areas' figures runs them through ``batched``: one query counts every
area's colours and lists, one more fetches every non-empty list's first items, whatever the
number of areas (see ``batched``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.sql import operators

from govtrack.core.capabilities import registered
from govtrack.core.rag import DEFAULT_TOLERANCE_DAYS, RAG


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole programme, one partner, one body or one objective."""

    kind: str = "programme"  # "programme" | "partner" | "body" | "objective"
    id: int | None = None
    # For an objective: by area name, a query selecting the ids of that area's items linked to
    # it ({"services": select(...)}), given by the programme, which keeps the links; so an area
    # narrows to an objective without reading the programme's tables.
    linked: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def linked_ids(self, area: str) -> Any:
        """The query selecting the ids of ``area``'s items linked to this scope (none if the
        scope gives no links for it)."""
        query = self.linked.get(area)
        return query if query is not None else select(literal(None)).where(literal(False))


PROGRAMME = Scope()


@dataclass(frozen=True)
class Item:
    """One thing named in a list on a dashboard or in the highlight report."""

    area: str
    title: str
    href: str
    on: date | None = None  # the date that put it in the list (due, turned red, achieved)
    rag: RAG | None = None
    note: str = ""  # the reason given (a slip, an override), if any


@dataclass(frozen=True)
class Listing:
    """The first ``limit`` items of a list and how many there are in all."""

    total: int
    items: list[Item] = field(default_factory=list)
    # How many of each colour, where the list is split by RAG (turned red / turned amber).
    by_rag: dict[RAG, int] = field(default_factory=dict)
    # The whole list, filtered the same way, when the area has such a page (shown when cut).
    more_href: str = ""

    @property
    def cut(self) -> bool:
        """Whether only the first of the list's items are given."""
        return self.total > len(self.items)


def rag_case(
    due: Any, complete: Any, today: date, tolerance_days: int = DEFAULT_TOLERANCE_DAYS
) -> Any:
    """``rag.derive`` as a SQL expression giving the RAG's value ("blue", "red" ...)."""
    return case(
        (complete, literal(RAG.BLUE.value)),
        (due.is_(None), literal(RAG.GREY.value)),
        (due < today, literal(RAG.RED.value)),
        (due <= today + timedelta(days=tolerance_days), literal(RAG.AMBER.value)),
        else_=literal(RAG.GREEN.value),
    )


def turned_colour(due: Any, today: date) -> Any:
    """Of items that turned red or amber by the calendar: red once past due, else amber."""
    return case((due < today, literal(RAG.RED.value)), else_=literal(RAG.AMBER.value))


def counts_from_rows(rows: Any) -> dict[RAG, int]:
    """Every colour with its count (zero when absent) from ``(value, count)`` rows."""
    counts = dict.fromkeys(RAG, 0)
    for value, n in rows:
        colour = value if isinstance(value, RAG) else RAG(value)
        counts[colour] += n
    return counts


def counted(grouped: Any) -> dict[RAG, int]:
    """Every colour with its count from ``grouped``, a query giving ``(colour, count)`` rows.
    One query, or none inside ``batched`` (its one counting query answers it)."""
    batch = _batch.get()
    if batch is not None:
        return counts_from_rows(batch.take("counts", grouped))
    from govtrack.db import db

    return counts_from_rows(db.session.execute(grouped))


def listing(base: Any, rows: Any, make: Any) -> Listing:
    """A list's first items and how many there are in all: ``base`` selects every row (it is
    counted), ``rows`` the first of them (already limited), ``make`` turns a row into an
    ``Item``. Two queries, or one when the list is empty; none inside ``batched``."""
    batch = _batch.get()
    if batch is not None:
        total, found = batch.take("listing", base, rows)
        return Listing(total, [make(r) for r in found])
    from govtrack.db import db

    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    if not total:
        return Listing(0, [])
    return Listing(total, [make(r) for r in db.session.execute(rows)])


def split_listing(grouped: Any, rows: Any, make: Any) -> Listing:
    """A list split by RAG: ``grouped`` gives ``(colour, count)`` rows, ``rows`` the first
    items, ``make`` turns a row into an ``Item``."""
    batch = _batch.get()
    if batch is not None:
        counts, found = batch.take("split", grouped, rows)
        by_rag = {c: n for c, n in counts_from_rows(counts).items() if n}
        return Listing(sum(by_rag.values()), [make(r) for r in found], by_rag)
    from govtrack.db import db

    by_rag = {c: n for c, n in counts_from_rows(db.session.execute(grouped)).items() if n}
    total = sum(by_rag.values())
    if not total:
        return Listing(0, [], {})
    return Listing(total, [make(r) for r in db.session.execute(rows)], by_rag)


# Batching: every area's figures in two queries --------------------------------------------

T = TypeVar("T")
_DIRECTIONS = (operators.asc_op, operators.desc_op)


class _Batch:
    """What ``counted``, ``listing`` and ``split_listing`` asked for while recording, and
    their answers while replaying, in the order they were asked."""

    def __init__(self) -> None:
        self.recording = True
        self.asked: list[tuple[str, tuple[Any, ...]]] = []
        self.answers: list[Any] = []

    def take(self, kind: str, *stmts: Any) -> Any:
        if self.recording:
            self.asked.append((kind, stmts))
            return [] if kind == "counts" else (0 if kind == "listing" else [], [])
        asked_kind, answer = self.answers.pop(0)
        if asked_kind != kind:  # the figures asked differently the second time
            raise RuntimeError(f"batched figures replayed out of order: {asked_kind} != {kind}")
        return answer

    def run(self) -> None:
        """One query for every count (colours and list totals), then one for the first rows
        of every list that has any."""
        from govtrack.db import db

        counting = []
        for i, (kind, stmts) in enumerate(self.asked):
            sub = stmts[0].subquery()
            if kind == "listing":
                colour, n = cast(null(), String), func.count()
            else:
                colour, n = cast(sub.c[0], String), sub.c[1]
            counting.append(
                select(literal_column(str(i), Integer).label("k"), colour, n).select_from(sub)
            )
        counts: dict[int, list[tuple[str | None, int]]] = {}
        if counting:
            query = union_all(*counting) if len(counting) > 1 else counting[0]
            for k, colour, n in db.session.execute(query):
                counts.setdefault(k, []).append((colour, int(n or 0)))
        wanted = [
            i
            for i, (kind, _stmts) in enumerate(self.asked)
            if kind != "counts" and sum(n for _c, n in counts.get(i, [])) > 0
        ]
        rows = _rows_of({i: self.asked[i][1][1] for i in wanted})
        for i, (kind, _stmts) in enumerate(self.asked):
            if kind == "counts":
                self.answers.append((kind, counts.get(i, [])))
            elif kind == "listing":
                total = sum(n for _c, n in counts.get(i, []))
                self.answers.append((kind, (total, rows.get(i, []))))
            else:
                self.answers.append((kind, (counts.get(i, []), rows.get(i, []))))
        self.recording = False


_batch: ContextVar[_Batch | None] = ContextVar("govtrack_figures_batch", default=None)


def batched(gather: Callable[[], T]) -> T:
    """``gather()``'s figures in two queries however many areas and lists it asks for: it is
    run once to record what it asks (answered with nothing), the counts and the first rows of
    every list are then fetched in one query each, and it is run again, answered from them.
    ``gather`` must ask in the same order both times and run no other query (it may run twice).
    """
    batch = _Batch()
    token = _batch.set(batch)
    try:
        gather()
        batch.run()
        return gather()
    finally:
        _batch.reset(token)


def _rows_of(statements: Mapping[int, Any]) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of every statement in one query: each row as a JSON array of its values
    with its statement's number and its position in that statement's order, read back into
    the values the statement itself would have given."""
    from govtrack.db import db

    if not statements:
        return {}
    dialect = db.session.get_bind().dialect
    to_json = func.json_build_array if dialect.name == "postgresql" else func.json_array
    branches, readers = [], {}
    for i, stmt in statements.items():
        columns = list(stmt.selected_columns)
        # The statement's order keys ride along as columns, so its (already limited) rows
        # are numbered in that order: a few rows sorted, not every row the list counts.
        keys = []
        for j, clause in enumerate(stmt._order_by_clauses):
            descending = getattr(clause, "modifier", None) is operators.desc_op
            element = clause.element if getattr(clause, "modifier", None) in _DIRECTIONS else clause
            keys.append((element.label(f"_key{j}"), descending))
        limited = stmt.add_columns(*(key for key, _d in keys)).subquery()
        order = [
            limited.c[f"_key{j}"].desc() if descending else limited.c[f"_key{j}"]
            for j, (_key, descending) in enumerate(keys)
        ]
        branches.append(
            select(
                literal_column(str(i), Integer).label("k"),
                func.row_number().over(order_by=order).label("pos"),
                to_json(*(limited.c[j] for j in range(len(columns)))).label("row"),
            ).select_from(limited)
        )
        readers[i] = [_reader(c.type, dialect) for c in columns]
    query = union_all(*branches) if len(branches) > 1 else branches[0]
    out: dict[int, list[tuple[Any, ...]]] = {}
    for k, _pos, row in db.session.execute(query.order_by("k", "pos")):
        values = json.loads(row) if isinstance(row, str) else row
        out.setdefault(k, []).append(
            tuple(read(v) for read, v in zip(readers[k], values, strict=True))
        )
    return out


def _reader(type_: Any, dialect: Any) -> Callable[[Any], Any]:
    """Turns a value from a JSON array back into what the column gives: JSON has no dates
    (PostgreSQL writes them in ISO form; SQLite stores them as text already, which the
    column's own processing reads, as it reads its enums and booleans)."""
    process = type_._cached_result_processor(dialect, None)
    affinity = getattr(type_, "_type_affinity", None) or type(type_)
    native = dialect.name == "postgresql"

    def read(value: Any) -> Any:
        if value is None:
            return None
        if native and isinstance(value, str) and issubclass(affinity, (Date, DateTime)):
            parsed = datetime.fromisoformat(value)
            value = parsed if issubclass(affinity, DateTime) else parsed.date()
        return process(value) if process else value

    return read


class AreaFigures:
    """One area of the programme (recommendations, services …). Subclasses answer what they
    can; ``None`` means "this area has no such figure" (or none for that scope)."""

    name = ""
    label = ""  # plural, lower case: "recommendations"
    scopes: tuple[str, ...] = ("programme",)
    # False for an area whose items roll up others' (objectives): counting it in a combined
    # total would count the same milestones and services twice.
    in_total = True

    def visible_to(self, user: Any) -> bool:
        """Whether ``user`` may see this area's figures (most are public record)."""
        return True

    def counts(self, scope: Scope, today: date) -> dict[RAG, int] | None:
        raise NotImplementedError

    def turned(self, scope: Scope, since: date, today: date, limit: int) -> Listing | None:
        """Items that turned red or amber on or after ``since``."""
        return None

    def overdue(self, scope: Scope, today: date, limit: int) -> Listing | None:
        return None

    def upcoming(self, scope: Scope, today: date, days: int, limit: int) -> Listing | None:
        return None

    def achieved(self, scope: Scope, start: date, end: date, limit: int) -> Listing | None:
        return None

    def slipped(self, scope: Scope, start: date, end: date, limit: int) -> Listing | None:
        return None

    def needing_decision(self, scope: Scope, today: date, limit: int) -> Listing | None:
        """Red or overridden items that need a decision of the governing body."""
        return None

    # Linking: another capability (the programme) keeps links to this area's items by id and
    # reads the items only through these. ``ids`` is a query selecting the linked ids.

    def linked(self, ids: Any, today: date) -> list[Any] | None:
        """A summary of each item ``ids`` selects, as a page listing them shows it, in the
        area's order (a fixed number of queries however many there are)."""
        return None

    def rag_by(self, links: Any, today: date) -> dict[Any, dict[RAG, int]] | None:
        """How many linked items are of each colour, per key: ``links`` selects
        ``(key, item id)`` pairs (an objective's id and a service's, say). One query."""
        return None

    def existing(self, ids: Sequence[int]) -> set[int] | None:
        """Which of ``ids`` name an item of this area."""
        return None

    def choices(self) -> list[tuple[int, str]] | None:
        """Every item that may be linked, as ``(id, label)`` in the order a form offers them."""
        return None

    def id_for(self, key: Mapping[str, Any]) -> int | None:
        """The id of the item its natural key names (the seed links by it), or None."""
        return None


def area_named(name: str) -> AreaFigures:
    """The area of that name among the capabilities of the running app."""
    for capability in registered():
        for area in capability.figures:
            if area.name == name:
                return area
    raise LookupError(f"No capability registers the {name} area")
