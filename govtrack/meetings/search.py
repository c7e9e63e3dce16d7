"""The decision register: every resolution across bodies, searchable by words (the database's
own full-text search) and filterable by body, partner and dates, one query per page.

Exempt items (Local Government Act 1972 Sch. 12A) stay exempt here: to anyone who may not see
a body's exempt items, such an item shows only its number, title and exemption paragraph, its
resolutions' text is never read from the database, and its words never match a search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    column,
    exists,
    func,
    literal_column,
    not_,
    null,
    or_,
    select,
    table,
)

from govtrack.core.dates import read_day
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.db import db
from govtrack.meetings import rules
from govtrack.meetings.enums import MeetingKind, MinutesStatus
from govtrack.meetings.models import AgendaItem, Meeting, Resolution
from govtrack.meetings.queries import exempt_access, or_clerked, visible_items
from govtrack.registry.models import Body, Membership

FILTERS = ("q", "body", "partner", "from", "to")
SORTS = {"date": Meeting.held_on, "body": Body.name}
PUBLIC_MINUTES = [status for status in MinutesStatus if rules.minutes_are_public(status)]

# Bounds on what one search may ask the full-text engine to do.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# The FTS5 table the migration creates on SQLite (not a model: see core.schema_filters).
_fts = table("resolution_fts", column("rowid"))
# A literal, not a parameter, so the query's expression is the index's expression.
ENGLISH = literal_column("'english'")


@dataclass(frozen=True)
class Decision:
    """One row of the register. ``text`` is None when the user may not read it (an exempt
    item of a body whose exempt items they cannot see): only the item and the exemption show."""

    resolution_id: int
    number: int
    text: str | None
    item_number: str
    item_title: str
    exempt_label: str
    meeting_id: int
    held_on: date
    meeting_name: str
    body_id: int
    body_name: str
    minutes_public: bool

    @property
    def withheld(self) -> bool:
        return self.text is None

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in (self.text or "").splitlines() if line.strip()]


# Reading the request ------------------------------------------------------------------------


def register_request(args: Mapping[str, str]) -> ListRequest:
    """The register's list request: newest meetings first unless asked otherwise."""
    req = ListRequest.from_args(args, list(SORTS), "date", filters=FILTERS)
    if req.sort == "date" and args.get("order") != "asc":
        req = replace(req, descending=True)
    return req


def parse_date(value: str | None) -> date | None:
    """A date typed as every date filter takes one (31/12/2026, 31 December 2026 or
    2026-12-31, between 1970 and 2100), or None for anything else."""
    return read_day(value, "Date")[0]


def search_terms(q: str) -> list[str]:
    """The words to search for: whitespace-separated terms with at least one letter or digit.

    Double quotes are dropped, so no term can open or close a phrase in the query syntax.
    """
    terms = q[:MAX_QUERY_CHARS].replace('"', " ").split()
    return [term for term in terms if any(ch.isalnum() for ch in term)][:MAX_TERMS]


def filter_problems(req: ListRequest) -> dict[str, str]:
    """Why a filter was ignored (or cannot match), by filter name, in GOV.UK's words."""
    problems: dict[str, str] = {}
    if req.filters.get("q") and not search_terms(req.filters["q"]):
        problems["q"] = "Words to search for must include a letter or a number"
    for name, label in (("from", "From date"), ("to", "To date")):
        if problem := read_day(req.filters.get(name), label)[1]:
            problems[name] = problem
    start, end = parse_date(req.filters.get("from")), parse_date(req.filters.get("to"))
    if start and end and end < start:
        problems["to"] = "To date must be the same as or after the from date"
    return problems


# The register -------------------------------------------------------------------------------


def _withheld(access: frozenset[int] | None) -> ColumnElement[bool]:
    """SQL: the row is an exempt item of a body whose exempt items the user may not see."""
    return not_(visible_items(access))


def _partner_sat_on_body(partner_id: int) -> ColumnElement[bool]:
    """SQL: the partner had a seat on the meeting's body on the day of the meeting."""
    return exists().where(
        Membership.body_id == Meeting.body_id,
        Membership.partner_id == partner_id,
        or_(Membership.start_on.is_(None), Membership.start_on <= Meeting.held_on),
        or_(Membership.end_on.is_(None), Membership.end_on >= Meeting.held_on),
    )


def _match(stmt: Select, terms: list[str]) -> Select:
    """Restrict ``stmt`` to resolutions whose words match every term, stemmed, so "confirm"
    finds "confirmed".

    Each term goes in as a quoted phrase: user input is data, never query syntax (FTS5's AND,
    NEAR( or *, websearch's "or" and "-" are just words here), the same on both databases.
    """
    query = " ".join(f'"{term}"' for term in terms)
    if db.session.get_bind().dialect.name == "postgresql":
        # The same expression as the migration's GIN index, or the planner cannot use it.
        document = func.to_tsvector(ENGLISH, Resolution.search_text)
        return stmt.where(document.op("@@")(func.websearch_to_tsquery(ENGLISH, query)))
    return stmt.join(_fts, _fts.c.rowid == Resolution.id).where(
        literal_column("resolution_fts").op("MATCH")(query)
    )


def decision_register(req: ListRequest, per_page: int, user: Any, today: date) -> Page[Decision]:
    """One page of the register as ``user`` may see it: one query for the page and one for
    the total, however many resolutions there are.

    The public sees resolutions of meetings whose minutes are public; admins and the clerks
    of a body also those of its draft minutes (each row says which). Filters a user gave that
    are not valid (see ``filter_problems``) are ignored.
    """
    access = exempt_access(user, today)
    withheld = _withheld(access)
    stmt: Select = (
        select(
            Resolution.id,
            Resolution.number,
            # The text of a withheld resolution is never read from the database.
            case((withheld, null()), else_=Resolution.text).label("text"),
            AgendaItem.number.label("item_number"),
            AgendaItem.title.label("item_title"),
            AgendaItem.exempt_paragraph,
            Meeting.id.label("meeting_id"),
            Meeting.held_on,
            Meeting.title.label("meeting_title"),
            Meeting.kind,
            Meeting.minutes_status,
            Body.id.label("body_id"),
            Body.name.label("body_name"),
            Body.jurisdiction,
        )
        .join(AgendaItem, Resolution.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .join(Body, Meeting.body_id == Body.id)
        # A withheld item is listed once, not once per resolution: how many resolutions an
        # exempt item had is not the public's either.
        .where(or_(not_(withheld), Resolution.number == 1))
    )
    stmt = stmt.where(or_clerked(Meeting.minutes_status.in_(PUBLIC_MINUTES), user))
    if body_id := record_id(req.filters.get("body")):
        stmt = stmt.where(Meeting.body_id == body_id)
    if partner_id := record_id(req.filters.get("partner")):
        stmt = stmt.where(_partner_sat_on_body(partner_id))
    if start := parse_date(req.filters.get("from")):
        stmt = stmt.where(Meeting.held_on >= start)
    if end := parse_date(req.filters.get("to")):
        stmt = stmt.where(Meeting.held_on <= end)

    if terms := search_terms(req.filters.get("q", "")):
        # Withheld items never match by their words: their text is not the user's to search.
        stmt = _match(stmt.where(not_(withheld)), terms)
    stmt = order_by_choice(stmt, req, SORTS)
    stmt = stmt.order_by(
        Meeting.held_on.desc(), Meeting.id.desc(), AgendaItem.position, Resolution.number
    )
    return paginate(stmt, req.page, per_page, scalars=False).map(_decision)


def _decision(row: Any) -> Decision:
    return Decision(
        resolution_id=row.id,
        number=row.number,
        text=row.text,
        item_number=row.item_number,
        item_title=row.item_title,
        exempt_label=rules.exempt_paragraph_label(row.exempt_paragraph, row.jurisdiction),
        meeting_id=row.meeting_id,
        held_on=row.held_on,
        meeting_name=row.meeting_title or MeetingKind(row.kind).label,
        body_id=row.body_id,
        body_name=row.body_name,
        minutes_public=rules.minutes_are_public(row.minutes_status),
    )
