"""The recommendations tracker as a spreadsheet: the monitoring report's export, and the import
that reads exactly that format back (through the one pipeline, ``core.spreadsheet``).

One row per recommendation and update: the general progress text and each partner's latest
update each have their row (a recommendation without updates has one row with the update
columns empty). On import, a row whose update is already recorded (same date, partner and
text) is left alone, so a sheet can go out, be edited and come back: edited recommendation
columns change the recommendation, and a row with a new update adds it. The "Status", "RAG"
and "Responses" columns are what the report showed; they are not read back, and the preview
lists each such cell that differs from what the records now give (status changes go in
"Update status", RAG overrides in "RAG override" with a "RAG reason" and the last day it stands,
"RAG override until"; a file without that column still imports; responses have their form).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from govtrack.core import rag
from govtrack.core.dates import long_date
from govtrack.core.input_rules import link_problem
from govtrack.core.records import Invalid, update_record
from govtrack.core.spreadsheet import (
    ImportPlan,
    Problem,
    RowInvalid,
    SheetRow,
    cell_choice,
    cell_date,
    plan_import,
    read_sheet,
)
from govtrack.db import db
from govtrack.registry.models import Person
from govtrack.scrutiny import commands, enums, monitoring, queries, rules
from govtrack.scrutiny import progress as progress_writes
from govtrack.scrutiny.models import Addressee, Inquiry, Recommendation, RecommendationUpdate

HEADERS = (
    "Reference",
    "Group",
    "Recommendation",
    "Addressed to",
    "Lead officer",
    "Target date",
    "Status",
    "RAG",
    "Update date",
    "Update by",
    "Update",
    "Assessment",
    "New target date",
    "Slip reason",
    "Update status",
    "RAG override",
    "RAG reason",
    "RAG override until",
    "Evidence links",
    # Read-only: each addressed partner's latest response as at the report's date. Written by
    # the export, passed over by the import (responses are recorded on their own form).
    "Responses",
    # The inquiry the rows were exported from (its title): the import refuses a file that
    # names another inquiry. Files without it (downloaded before it was added, or made by
    # hand) are read, and the preview says the file does not name its inquiry.
    "Inquiry",
)
REQUIRED = ("Reference", "Update date", "Update by", "Update")
ASSESSMENTS = {**{a.value: a for a in enums.Assessment}, **{a.label: a for a in enums.Assessment}}
STATUSES = {
    **{s.value: s for s in rules.UPDATE_STATUSES},
    **{s.label: s for s in rules.UPDATE_STATUSES},
}
# The sheet's column for each field an update's rules name.
COLUMN_OF = {
    "on": "Update date",
    "text": "Update",
    "new_target_date": "New target date",
    "slip_reason": "Slip reason",
    "status": "Update status",
    "rag_reason": "RAG reason",
    "rag_override": "RAG override",
    "rag_override_until": "RAG override until",
    "partner_id": "Update by",
    "corrects_id": "Update",
}
OVERRIDES = {**{c.value: c for c in rag.OVERRIDABLE}, **{c.label: c for c in rag.OVERRIDABLE}}


def _update_cells(u: RecommendationUpdate | None) -> list[Any]:
    if u is None:
        return [None] * 11
    return [
        u.on,
        u.partner.code if u.partner else "",
        u.text,
        u.assessment,
        u.new_target_date,
        u.slip_reason,
        u.status,
        u.rag_override,
        u.rag_reason,
        u.rag_override_until,
        " ".join(u.links),
    ]


def responses_cell(lines: Sequence[queries.ResponseLine]) -> str:
    """Each addressed partner's latest response, as the monitoring report shows it."""
    shown = []
    for line in lines:
        if line.response:
            response = line.response
            state = f"{response.decision.label}, {long_date(response.responded_on)}"
        elif line.signed_off:
            state = "no response recorded (signed off)"
        elif line.due_on:
            awaited = "response overdue" if line.overdue else "awaited"
            state = f"{awaited}, due {long_date(line.due_on)}"
        else:
            state = f"awaited ({line.no_due_because})"
        shown.append(f"{line.partner.code}: {state}")
    return "; ".join(shown)


def report_rows(report: monitoring.MonitoringReport) -> Iterator[list[Any]]:
    people = {p.id: p.name for p in queries.all_people()}
    for row in report.rows:
        rec = row.recommendation
        head = [
            rec.reference,
            rec.group,
            rec.text,
            ", ".join(p.code for p in rec.addressees),
            people.get(rec.lead_officer_id, "") if rec.lead_officer_id else "",
            rec.target_date,
            row.status,
            row.rag.rag,
        ]
        updates = ([row.general] if row.general else []) + row.partner_updates
        responses = responses_cell(row.responses)
        for update in updates or [None]:
            yield [*head, *_update_cells(update), responses, report.inquiry.title]


# Import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    reference: str
    group: str
    text: str
    addressee_codes: tuple[str, ...]
    lead_officer_id: int | None
    target_date: date | None
    update_on: date | None
    update_by: str
    update_text: str
    assessment: enums.Assessment | None
    new_target_date: date | None
    slip_reason: str
    status: enums.Status | None
    rag_override: rag.RAG | None
    rag_reason: str
    rag_override_until: date | None
    evidence_links: str


@dataclass(frozen=True)
class Written:
    recommendations: int
    updates: int
    unchanged: int


class _Context:
    """What the row parser checks against, read once per file."""

    def __init__(self, inquiry: Inquiry) -> None:
        self.inquiry = inquiry
        self.partners = queries.partners_by_code()
        self.people: dict[str, list[int]] = defaultdict(list)
        for person_id, name in db.session.execute(select(Person.id, Person.name)):
            self.people[name.casefold()].append(person_id)
        self.recs = {
            r.reference: r
            for r in db.session.scalars(
                select(Recommendation).where(Recommendation.inquiry_id == inquiry.id)
            )
        }
        self.addressees: dict[int, set[str]] = defaultdict(set)
        # Updates already recorded: a row repeating one is left alone, even when signed off.
        self.existing = _existing_updates(inquiry.id)
        codes = {p.id: code for code, p in self.partners.items()}
        for rec_id, partner_id in db.session.execute(
            select(Addressee.recommendation_id, Addressee.partner_id)
            .join(Recommendation, Recommendation.id == Addressee.recommendation_id)
            .where(Recommendation.inquiry_id == inquiry.id)
        ):
            self.addressees[rec_id].add(codes[partner_id])


def _parse(ctx: _Context, row: SheetRow, today: date) -> ParsedRow:
    problems: dict[str, str] = {}
    reference = row.get("Reference")
    text = row.get("Recommendation")
    existing = ctx.recs.get(reference)
    if problem := _reference_problem(reference, text, existing):
        problems["Reference"] = problem
    codes = _addressee_codes(ctx, row, problems)
    lead_officer_id = _lead_officer_id(ctx, row.get("Lead officer"), problems)
    cells = _dates_and_choices(row, problems)
    update_by = row.get("Update by").upper()
    if problem := _update_by_problem(ctx, row.get("Update by"), codes, existing, reference):
        problems["Update by"] = problem
    entry = rules.UpdateInput(
        on=cells["update_on"],
        text=row.get("Update"),
        assessment=cells["assessment"],
        status=cells["status"],
        new_target_date=cells["new_target_date"],
        slip_reason=row.get("Slip reason"),
        rag_override=cells["rag_override"],
        rag_reason=row.get("RAG reason"),
        rag_override_until=cells["rag_override_until"],
    )
    _new_update_problems(ctx, existing, update_by, entry, today, problems)
    links = _evidence_links(row, problems)
    if problems:
        raise RowInvalid(problems)
    return ParsedRow(
        reference=reference,
        group=row.get("Group"),
        text=text,
        addressee_codes=codes,
        lead_officer_id=lead_officer_id,
        update_by=update_by,
        update_text=entry.text,
        slip_reason=entry.slip_reason,
        rag_reason=entry.rag_reason,
        evidence_links="\n".join(links),
        **cells,
    )


def _addressee_codes(ctx: _Context, row: SheetRow, problems: dict[str, str]) -> tuple[str, ...]:
    """The partner codes in "Addressed to"; any the partnership does not know is a problem."""
    codes = tuple(c.strip().upper() for c in row.get("Addressed to").split(",") if c.strip())
    unknown = [c for c in codes if c not in ctx.partners]
    if unknown:
        problems["Addressed to"] = f"unknown partner {', '.join(unknown)}"
    return codes


def _dates_and_choices(row: SheetRow, problems: dict[str, str]) -> dict[str, Any]:
    """The row's dates and choices, by their ``ParsedRow`` names: a cell that does not read
    notes its problem and reads as None."""

    def attempt(fn, column, *args):
        try:
            return fn(row.get(column), column, *args)
        except RowInvalid as exc:
            problems.update(exc.problems)
            return None

    return {
        "target_date": attempt(cell_date, "Target date"),
        "update_on": attempt(cell_date, "Update date"),
        "new_target_date": attempt(cell_date, "New target date"),
        "rag_override_until": attempt(cell_date, "RAG override until"),
        "assessment": attempt(cell_choice, "Assessment", ASSESSMENTS),
        "status": attempt(cell_choice, "Update status", STATUSES),
        "rag_override": attempt(cell_choice, "RAG override", OVERRIDES),
    }


def _new_update_problems(
    ctx: _Context,
    existing: Recommendation | None,
    update_by: str,
    entry: rules.UpdateInput,
    today: date,
    problems: dict[str, str],
) -> None:
    """The rules for a new update, applied to the row's update (a column already wrong keeps
    its first problem). A row repeating an update already recorded is left alone (even on a
    signed-off recommendation), so the rules for a new update are not applied to it."""
    partner = ctx.partners.get(update_by) if update_by else None
    recorded = existing is not None and (
        (existing.id, partner.id if partner else None, entry.on, entry.text.strip()) in ctx.existing
    )
    if not (entry.text or entry.on) or recorded:
        return
    current = existing.status if existing else enums.Status.NOT_STARTED
    earliest = rules.earliest_update(ctx.inquiry.reported_on, ctx.inquiry.started_on)
    for name, message in rules.update_problems(entry, current, today, earliest).items():
        if message and COLUMN_OF[name] not in problems:
            problems[COLUMN_OF[name]] = message


def _evidence_links(row: SheetRow, problems: dict[str, str]) -> list[str]:
    """The evidence links, one a word; the first that is not a safe link is the problem."""
    links = row.get("Evidence links").split()
    if problem := next(filter(None, (link_problem(k, "Each evidence link") for k in links)), None):
        problems["Evidence links"] = problem
    return links


def _reference_problem(reference: str, text: str, existing: Recommendation | None) -> str | None:
    if not reference:
        return "must not be empty"
    if existing is None and not text:
        return (
            f"no recommendation {reference} in this inquiry; give its text in "
            "'Recommendation' to add it"
        )
    return None


def _lead_officer_id(ctx: _Context, name: str, problems: dict[str, str]) -> int | None:
    if not name:
        return None
    matches = ctx.people.get(name.casefold(), [])
    if len(matches) == 1:
        return matches[0]
    problems["Lead officer"] = (
        f"no person called '{name}'" if not matches else f"more than one person is called '{name}'"
    )
    return None


def _update_by_problem(
    ctx: _Context,
    typed: str,
    codes: tuple[str, ...],
    existing: Recommendation | None,
    reference: str,
) -> str | None:
    """The partner giving an update must be one the recommendation is addressed to."""
    update_by = typed.upper()
    if update_by and update_by not in ctx.partners:
        return f"unknown partner {typed}"
    if update_by and update_by not in (
        codes or (ctx.addressees[existing.id] if existing else ()) or (update_by,)
    ):
        return f"recommendation {reference} is not addressed to {update_by}"
    return None


def _existing_updates(inquiry_id: int) -> set[tuple[int, int | None, date, str]]:
    return {
        (rec_id, partner_id, on, text.strip())
        for rec_id, partner_id, on, text in db.session.execute(
            select(
                RecommendationUpdate.recommendation_id,
                RecommendationUpdate.partner_id,
                RecommendationUpdate.on,
                RecommendationUpdate.text,
            )
            .join(Recommendation, Recommendation.id == RecommendationUpdate.recommendation_id)
            .where(Recommendation.inquiry_id == inquiry_id)
        )
    }


# Columns the export writes from the records as they stand, and the import does not read back.
READ_ONLY = ("Status", "RAG", "Responses")


@dataclass(frozen=True)
class Preview:
    """What a valid file will do, for the preview: how many rows add or change something, and
    each read-only cell that differs from what the export would write now (not read back)."""

    writes: int
    left_alone: int
    not_read_back: list[Problem]
    # The file does not say which inquiry it was exported from (no "Inquiry" cell filled).
    unnamed: bool = False


def _as_written(column: str, typed: str, now: str) -> bool:
    """Whether a read-only cell says what the export would write (a status or RAG may be
    typed as its label: 'In progress' for in_progress)."""
    choices = {"Status": enums.Status, "RAG": rag.RAG}.get(column)
    if choices is not None:
        return any(
            c.value == now and typed.casefold() in (c.value, c.label.casefold()) for c in choices
        )
    return " ".join(typed.split()) == " ".join(now.split())


def _preview(
    ctx: _Context, inquiry: Inquiry, items: list[tuple[SheetRow, ParsedRow]], today: date
) -> Preview:
    report = monitoring.monitoring_report(inquiry, today, None)
    now = {
        row.recommendation.reference: {
            "Status": row.status.value,
            "RAG": row.rag.rag.value,
            "Responses": responses_cell(row.responses),
        }
        for row in report.rows
    }
    writes, differing = 0, []
    for sheet_row, parsed in items:
        writes += _writes(ctx, parsed)
        current = now.get(parsed.reference)
        for column in READ_ONLY if current else ():
            typed = sheet_row.get(column)
            if typed and not _as_written(column, typed, current[column]):
                differing.append(
                    Problem(
                        sheet_row.number,
                        column,
                        f"'{typed}' is not read back: the records give '{current[column]}'",
                    )
                )
    unnamed = not all(sheet_row.get("Inquiry") for sheet_row, _parsed in items)
    return Preview(writes, len(items) - writes, differing, unnamed)


def _writes(ctx: _Context, row: ParsedRow) -> bool:
    """Whether importing the row adds or changes anything (as ``write`` decides)."""
    rec = ctx.recs.get(row.reference)
    if rec is None:
        return True
    if row.text and _differs(rec, _rec_values(ctx, row, rec), ctx):
        return True
    partner = ctx.partners.get(row.update_by) if row.update_by else None
    key = (rec.id, partner.id if partner else None, row.update_on, row.update_text.strip())
    return bool(row.update_text) and key not in ctx.existing


def _rec_values(ctx: _Context, row: ParsedRow, rec: Recommendation | None) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "group": row.group,
        "text": row.text or (rec.text if rec else ""),
        "lead_officer_id": row.lead_officer_id,
        "target_date": row.target_date,
        "addressee_ids": [ctx.partners[c].id for c in row.addressee_codes],
    }


def other_inquiry_problems(inquiry: Inquiry, rows: Sequence[SheetRow]) -> list[Problem]:
    """A file exported from another inquiry is refused whole: its rows would otherwise become
    this inquiry's recommendations and updates. Each other inquiry it names is one problem."""
    ours = " ".join(inquiry.title.split()).casefold()
    named: dict[str, list[int]] = {}
    for row in rows:
        title = " ".join(row.get("Inquiry").split())
        if title and title.casefold() != ours:
            named.setdefault(title, []).append(row.number)
    return [
        Problem(
            None,
            "Inquiry",
            f"This file was exported from the inquiry '{title}' (row "
            f"{', '.join(str(n) for n in numbers[:5])}{' and others' if len(numbers) > 5 else ''}"
            f"), not from '{inquiry.title}': import it into that inquiry",
        )
        for title, numbers in named.items()
    ]


def plan(inquiry: Inquiry, data: bytes, filename: str, today: date) -> ImportPlan[ParsedRow]:
    """Read and check every row; nothing is written."""
    rows, problems = read_sheet(data, filename, HEADERS, REQUIRED)
    problems = problems or other_inquiry_problems(inquiry, rows)
    if problems:
        result: ImportPlan[ParsedRow] = ImportPlan(problems=problems, row_count=len(rows))
        return result
    ctx = _Context(inquiry)
    result = plan_import(
        rows,
        lambda row: _parse(ctx, row, today),
        key=lambda p: (p.reference, p.update_on, p.update_by, p.update_text),
        describe_key=lambda p: f"Recommendation {p.reference}'s row",
    )
    # Every row of one recommendation must describe it the same way.
    first: dict[str, tuple[int, ParsedRow]] = {}
    for sheet_row, parsed in result.items:
        seen = first.setdefault(parsed.reference, (sheet_row.number, parsed))
        other_number, other = seen
        for column, a, b in (
            ("Recommendation", parsed.text, other.text),
            ("Group", parsed.group, other.group),
            ("Addressed to", parsed.addressee_codes, other.addressee_codes),
            ("Target date", parsed.target_date, other.target_date),
        ):
            if a != b:
                result.problems.append(
                    Problem(
                        sheet_row.number,
                        column,
                        f"differs from row {other_number} for recommendation {parsed.reference}",
                    )
                )
    if result.valid:
        result.context = _preview(ctx, inquiry, result.items, today)
    return result


def write(
    actor: Any, inquiry: Inquiry, result: ImportPlan[ParsedRow], today: date, progress=None
) -> Written:
    """Write every row of a valid plan through the services, in the caller's transaction: the
    recommendations added or changed one by one (a file has few), then every new update at
    once (``progress.add_updates``: the statements do not grow with the rows)."""
    if not result.valid:
        raise Invalid({"file": "The file has problems: nothing was imported"})
    ctx = _Context(inquiry)
    existing = ctx.existing
    recs_changed = unchanged = 0
    done: set[str] = set()
    new_updates: list[tuple[int, dict[str, Any]]] = []
    numbers: list[int] = []
    items = result.items if progress is None else progress(result.items, "Importing rows")
    for sheet_row, row in items:
        rec = ctx.recs.get(row.reference)
        values = _rec_values(ctx, row, rec)
        if row.reference not in done:
            done.add(row.reference)
            if rec is None:
                rec = commands.add_recommendation(actor, inquiry, values, today)
                ctx.recs[row.reference] = rec
                recs_changed += 1
            elif row.text and _differs(rec, values, ctx):
                update_record(actor, rec, _rec_fields(values), rec.version, "Imported")
                commands.set_addressees(actor, rec, inquiry, values["addressee_ids"])
                recs_changed += 1
        if not row.update_text:
            continue
        partner = ctx.partners.get(row.update_by) if row.update_by else None
        key = (rec.id, partner.id if partner else None, row.update_on, row.update_text.strip())
        if key in existing:
            unchanged += 1
            continue
        existing.add(key)
        new_updates.append((rec.id, _update_values(row, partner)))
        numbers.append(sheet_row.number)
    try:
        updates = progress_writes.add_updates(actor, new_updates, today)
    except progress_writes.EntryInvalid as exc:
        # The records changed since the file was checked: name the row and its columns.
        raise Invalid(
            {
                COLUMN_OF.get(name, name): f"Row {numbers[exc.index]}: {message}"
                for name, message in exc.problems.items()
            }
        ) from exc
    db.session.flush()
    return Written(recs_changed, len(updates), unchanged)


def _update_values(row: ParsedRow, partner) -> dict[str, Any]:
    return {
        "partner_id": partner.id if partner else None,
        "on": row.update_on,
        "text": row.update_text,
        "assessment": row.assessment,
        "status": row.status,
        "new_target_date": row.new_target_date,
        "slip_reason": row.slip_reason,
        "rag_override": row.rag_override,
        "rag_reason": row.rag_reason,
        "rag_override_until": row.rag_override_until,
        "evidence_links": row.evidence_links,
    }


def _rec_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in ("reference", "group", "text", "lead_officer_id", "target_date")}


def _differs(rec: Recommendation, values: dict[str, Any], ctx: _Context) -> bool:
    codes = set(ctx.addressees.get(rec.id, set()))
    wanted = {p for p, partner in ctx.partners.items() if partner.id in values["addressee_ids"]}
    return codes != wanted or any(getattr(rec, k) != v for k, v in _rec_fields(values).items())
