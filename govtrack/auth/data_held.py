"""What govtrack holds about a person: their account, their rights, and every row that points
at the account or at the registry's record of them (found from the schema's foreign keys, so a
table added later is included without anyone remembering to), with the changes they made, the
changes made to their account and the mail sent to them.

Accounts sit below the capabilities that hold such rows, so they are read here through the
shared metadata rather than the capabilities' models. Secrets (password and code hashes, the
two-factor secret, link tokens) are never shown or exported.
"""

from __future__ import annotations

import enum
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Column, Table, func, select

from govtrack.auth.enums import Role
from govtrack.auth.models import AccountRight, User
from govtrack.auth.rights import rights_of
from govtrack.core.dates import local_moment, long_date
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.db import Base, db

PAGE_ROWS = 100  # rows of one kind shown on the page; the download holds them all
_SECRET = ("password_hash", "totp_secret", "token_hash", "code_hash")
_HIDDEN_ON_PAGE = ("id", "version")
_LABELS = ("name", "title", "reference", "label", "subject", "summary")
# Friendlier titles for the rows people most often have; other tables are named from their
# table name ("scrutiny_responses" -> "Scrutiny responses (author)").
_TITLES = {
    ("people", "user_id"): "Your record in the registry",
    ("memberships", "person_id"): "Your memberships of bodies",
    ("votes_cast", "person_id"): "Votes you cast",
    ("current_votes", "person_id"): "Your current vote in each decision",
    ("attendance", "person_id"): "Your attendance at meetings",
    ("declarations", "person_id"): "Interests you declared",
    ("scrutiny_responses", "author_id"): "Responses to recommendations you wrote",
    ("scrutiny_updates", "author_id"): "Updates on recommendations you wrote",
    ("account_rights", "user_id"): "Rights granted to your account",
    ("account_links", "user_id"): "Invitation and password reset links sent to you",
    ("recovery_codes", "user_id"): "Your two-factor recovery codes (only when made and used)",
    ("audit_entries", "actor_id"): "Changes you made",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    total: int
    records: list[dict[str, Any]]  # every column but secrets, as plain JSON values
    lines: list[tuple[str, str]] = field(default_factory=list)  # (record, details) for the page


@dataclass(frozen=True)
class Held:
    account: list[tuple[str, str]]
    account_values: dict[str, Any]
    rights: list[str]
    sections: list[Section]

    def as_json(self) -> str:
        return json.dumps(
            {
                "account": self.account_values,
                "rights": self.rights,
                "records": {
                    s.key: {"title": s.title, "total": s.total, "records": s.records}
                    for s in self.sections
                },
            },
            indent=2,
            ensure_ascii=False,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _words(name: str) -> str:
    if name.endswith("_id"):
        name = name[:-3]
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


# Naming records that rows point at --------------------------------------------------------


def _referenced(column: Column) -> Table | None:
    for key in column.foreign_keys:
        return key.column.table
    return None


def _label_column(table: Table) -> Column | None:
    return next((table.c[name] for name in _LABELS if name in table.c), None)


def names_of(wanted: dict[Table, set[int]]) -> dict[tuple[str, int], str]:
    """The name (title, reference ...) of each wanted record: one query per table."""
    names: dict[tuple[str, int], str] = {}
    for table, ids in wanted.items():
        label = _label_column(table)
        ids = {i for i in ids if isinstance(i, int)}
        if label is None or not ids:
            continue
        for row in db.session.execute(select(table.c.id, label).where(table.c.id.in_(ids))):
            names[(table.name, row[0])] = str(row[1])
    return names


def _shown(column: Column, value: Any, names: dict[tuple[str, int], str]) -> str:
    if value is None or value == "" or value == {} or value == []:
        return ""
    table = _referenced(column)
    if table is not None:
        return names.get((table.name, value), f"{_words(table.name)} {value}")
    if isinstance(value, enum.Enum):
        return getattr(value, "label", str(value.value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return local_moment(value)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


# Rights -----------------------------------------------------------------------------------


def _body_and_partner_tables() -> tuple[Table | None, Table | None]:
    table = AccountRight.__table__
    return _referenced(table.c.body_id), _referenced(table.c.partner_id)


def _listed(ids: Iterable[int], table: Table | None, names: dict[tuple[str, int], str]) -> str:
    if table is None:
        return ""
    return ", ".join(sorted(names.get((table.name, i), f"#{i}") for i in ids))


def _granted_lines(rights: Any, bodies: Table | None, names: dict) -> list[str]:
    """Administrator, clerk and scrutiny rights, for every body or the named ones."""
    if rights.admin:
        return [f"{Role.ADMIN.label}: every right, for every body and partner"]
    lines = []
    for role, ids, every in (
        (Role.CLERK, rights.clerk_bodies, "every body"),
        (Role.SCRUTINY, rights.scrutiny_bodies, "every scrutiny body"),
    ):
        if ids is None:
            lines.append(f"{role.label} for {every}")
        elif ids:
            lines.append(f"{role.label} for {_listed(ids, bodies, names)}")
    return lines


def rights_in_words(user: Any) -> list[str]:
    """What the account may do now, from its grants and the registry, with body and partner
    names (the account page and the data download)."""
    rights = rights_of(user)
    bodies, partners = _body_and_partner_tables()
    wanted: dict[Table, set[int]] = defaultdict(set)
    for ids in (rights.clerk_bodies, rights.scrutiny_bodies, rights.member_bodies):
        if ids and bodies is not None:
            wanted[bodies].update(ids)
    if rights.officer_partners and partners is not None:
        wanted[partners].update(rights.officer_partners)
    names = names_of(wanted)
    lines = _granted_lines(rights, bodies, names)
    if rights.member_bodies:
        seats = _listed(rights.member_bodies, bodies, names)
        lines.append(f"Sits on {seats} today: may vote or respond there and see private items")
    if rights.officer_partners:
        lines.append(f"Officer of {_listed(rights.officer_partners, partners, names)}")
    elif rights.officer:
        lines.append("Officer (not yet linked to a partner's person record)")
    if rights.councillor and not rights.admin:
        lines.append(Role.MEMBER.label)
    return lines or ["No rights: you can see what the public sees"]


# The account itself -----------------------------------------------------------------------


def account_fields(user: User) -> list[tuple[str, str]]:
    """The account's own details, as the account page shows them."""
    two_factor = (
        f"On since {local_moment(user.totp_enrolled_at)}" if user.totp_enrolled_at else "Off"
    )
    fields = [
        ("Name", user.name),
        ("Email address", user.email),
        ("Password", "Set" if user.password_hash else "Not set"),
        ("Two-factor sign-in", two_factor),
        ("Account created", local_moment(user.created_at)),
        (
            "Last signed in",
            local_moment(user.last_sign_in_at) if user.last_sign_in_at else "Never",
        ),
    ]
    if user.oidc_subject:
        fields.append(("Single sign-on", f"Linked to {user.oidc_issuer}"))
    if not user.active:
        fields.append(("Status", "Disabled"))
    if user.erased_at:
        fields.append(("Personal data erased", local_moment(user.erased_at)))
    return fields


def _account_values(user: User) -> dict[str, Any]:
    table = User.__table__
    return {
        c.name: _plain(getattr(user, c.key, None))
        for c in table.columns
        if c.name not in _SECRET and c.name != "totp_last_step"
    } | {"password_set": bool(user.password_hash), "two_factor": bool(user.totp_enrolled_at)}


# Rows pointing at the account or the person -----------------------------------------------


@cache
def _pointing_at(target: str) -> list[tuple[Table, Column]]:
    """Every (table, column) whose foreign key points at ``target`` (users or people)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(k.column.table.name == target for k in column.foreign_keys):
                found.append((table, column))
    return found


def _person_ids(user_id: int) -> list[int]:
    return [
        id_
        for table, column in _pointing_at("users")
        if table.name == "people"
        for id_ in db.session.scalars(select(table.c.id).where(column == user_id))
    ]


def _query_section(
    key: str, title: str, table: Table, where: Any, full: bool, hidden: tuple[str, ...] = ()
) -> Section | None:
    """One kind of row held about the person. ``hidden`` columns (those that name the person,
    which would only repeat it on every line) are left out of the page's details, not the
    download."""
    total = db.session.scalar(select(func.count()).select_from(table).where(where)) or 0
    if not total:
        return None
    stmt = select(table).where(where).order_by(table.c.id.desc())
    if not full:
        stmt = stmt.limit(PAGE_ROWS)
    rows = list(db.session.execute(stmt).mappings())
    columns = [c for c in table.columns if c.name not in _SECRET]
    records = [{c.name: _plain(row[c.name]) for c in columns} for row in rows]
    shown = [c for c in columns if c.name not in hidden]
    return Section(key, title, total, records, _lines(table, shown, rows))


def _lines(table: Table, columns: list[Column], rows: list[Any]) -> list[tuple[str, str]]:
    wanted: dict[Table, set[int]] = defaultdict(set)
    for column in columns:
        target = _referenced(column)
        if target is not None:
            wanted[target].update(row[column.name] for row in rows)
    names = names_of(wanted)
    label = _label_column(table)
    lines = []
    for row in rows:
        record = str(row[label.name]) if label is not None and row[label.name] else ""
        record = record or f"#{row['id']}"
        details = "; ".join(
            f"{_words(c.name)}: {shown}"
            for c in columns
            if c.name not in _HIDDEN_ON_PAGE
            and (label is None or c.name != label.name)
            and (shown := _shown(c, row[c.name], names))
        )
        lines.append((record if len(record) <= 120 else record[:119] + "…", details))
    return lines


def _title(table: Table, column: Column, several: bool) -> str:
    if (table.name, column.name) in _TITLES:
        return _TITLES[(table.name, column.name)]
    words = _words(table.name)
    return f"{words} ({_words(column.name).lower()})" if several else words


def _linked_sections(user: User, full: bool) -> list[Section]:
    sections = []
    for target, ids in (("users", [user.id]), ("people", _person_ids(user.id))):
        pairs = _pointing_at(target)
        counts = defaultdict(int)
        for table, _ in pairs:
            counts[table.name] += 1
        for table, column in pairs:
            if not ids:
                continue
            title = _title(table, column, counts[table.name] > 1)
            key = f"{table.name}.{column.name}"
            where = column.in_(ids)
            if section := _query_section(key, title, table, where, full, (column.name,)):
                sections.append(section)
    return sections


def held_about(user: User, full: bool = False) -> Held:
    """Everything govtrack holds about ``user`` (``full``: every row, for the download; else
    the newest ``PAGE_ROWS`` of each kind, for the page)."""
    sections = _linked_sections(user, full)
    audit = AuditEntry.__table__
    about = (audit.c.subject_type == "user") & (audit.c.subject_id == user.id)
    if section := _query_section(
        "changes_to_account",
        "Changes to your account",
        audit,
        about,
        full,
        ("subject_type", "subject_id"),
    ):
        sections.append(section)
    outbox = OutboxMessage.__table__
    if section := _query_section(
        "messages",
        "E-mails sent to you",
        outbox,
        outbox.c.recipient == user.email,
        full,
        ("recipient",),
    ):
        sections.append(section)
    return Held(account_fields(user), _account_values(user), rights_in_words(user), sections)
