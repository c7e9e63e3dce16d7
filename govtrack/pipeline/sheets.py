"""The pipeline table as a spreadsheet: export every column as CSV or Excel, and import the same
format back (checked row by row, previewed, then written all together or not at all).

A row is matched to a service by partner code and service name: a known service is updated
(a different stage is recorded as a move dated on the day of the import), an unknown one added.
The share and overdue columns are computed, so an import ignores them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from govtrack.core.records import Invalid
from govtrack.core.spreadsheet import (
    ImportPlan,
    RowInvalid,
    SheetRow,
    cell_date,
    cell_int,
    plan_import,
    read_sheet,
)
from govtrack.db import db
from govtrack.pipeline import commands, queries, rules
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage
from govtrack.pipeline.models import Directorate, Service
from govtrack.pipeline.permissions import can_edit_partner_services
from govtrack.registry.models import Partner

NAME = "Service name"
PARTNER = "Partner"
DIRECTORATE = "Directorate"
STAGE = "Status / project stage"
PARTIAL = "Partially integrated"
INTEGRATED = "Date integrated"
PLANNED = "Planned integration date"
LEAD = "Integration lead"
FURTHER = "Potential for further integration"
ENQUIRIES = "Average enquiries a month"
SHARE = "Share of telephone enquiries (%)"
HEAD = "Head of service"
MEETING = "Head of service meeting"
MEETING_NOTE = "Head of service meeting note"
NOTES = "Notes"
OVERDUE = "Overdue"
REASON = "Reason for a stage change"
MECHANISM_COLUMNS = {m.label: m for m in Mechanism}
HEADERS = [
    NAME, PARTNER, DIRECTORATE, STAGE, PARTIAL, INTEGRATED, PLANNED, LEAD, FURTHER,
    ENQUIRIES, SHARE, HEAD, MEETING, MEETING_NOTE, *MECHANISM_COLUMNS, NOTES, OVERDUE, REASON,
]  # fmt: skip
REQUIRED = [NAME, PARTNER, STAGE]
COMPUTED = [SHARE, OVERDUE]
MECHANISM_CHOICES = ", ".join(s.label for s in MechanismStatus)
STATUS_WORDS = {
    **{s.value: s for s in MechanismStatus},
    **{s.label: s for s in MechanismStatus},
    "proposed": MechanismStatus.PROPOSED,
    "in place": MechanismStatus.IN_PLACE,
    "potential future": MechanismStatus.POTENTIAL,
}
# The longest text each column may hold: the database's own limits, and the forms' caps on the
# long text, so a long cell is refused on the preview, with its row, rather than when it is
# written (or not at all).
TEXT_LIMITS = {
    **{
        column: getattr(Service, field).type.length
        for column, field in (
            (NAME, "name"),
            (LEAD, "integration_lead"),
            (HEAD, "head_of_service"),
            (MEETING_NOTE, "head_of_service_meeting_note"),
        )
    },
    FURTHER: rules.FURTHER_INTEGRATION_MAX,
    NOTES: rules.NOTE_MAX,
    REASON: rules.REASON_MAX,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def export_table(rows: Iterable[queries.Row]) -> list[list[Any]]:
    out = []
    for row in rows:
        out.append(
            [
                row.name,
                row.partner,
                row.directorate,
                row.stage.numbered,
                "Yes" if row.partially_integrated else "No",
                row.date_integrated,
                row.planned_integration_date,
                row.integration_lead,
                row.further_integration,
                row.enquiries_per_month,
                float(row.share) if row.share is not None else None,
                row.head_of_service,
                row.head_of_service_meeting,
                row.head_of_service_meeting_note,
                *[
                    row.mechanisms[m].label if m in row.mechanisms else ""
                    for m in MECHANISM_COLUMNS.values()
                ],
                row.note,
                "Overdue" if row.overdue else "",
                "",
            ]
        )
    return out


def _name(row: SheetRow, problems: dict[str, str]) -> str:
    """The service's name, which must be given; and every text column within its length."""
    name = row.get(NAME)
    if not name:
        problems[NAME] = "Enter the service's name"
    for column, limit in TEXT_LIMITS.items():
        if len(row.get(column)) > limit:
            problems[column] = f"{column} must be {limit:,} characters or fewer"
    return name


def _service_values(
    row: SheetRow,
    *,
    name: str,
    partner_id: int,
    directorate_id: int | None,
    partially_integrated: bool,
    date_integrated: date | None,
    planned_integration_date: date | None,
    enquiries_per_month: int | None,
    head_of_service_meeting: date | None,
    mechanisms: Any,
) -> dict[str, Any]:
    """The values a checked row writes to its service: those read and checked, and the free
    text as written in the sheet."""
    return {
        "name": name,
        "partner_id": partner_id,
        "directorate_id": directorate_id,
        "partially_integrated": partially_integrated,
        "date_integrated": date_integrated,
        "planned_integration_date": planned_integration_date,
        "integration_lead": row.get(LEAD),
        "further_integration": row.get(FURTHER),
        "enquiries_per_month": enquiries_per_month,
        "head_of_service": row.get(HEAD),
        "head_of_service_meeting": head_of_service_meeting,
        "head_of_service_meeting_note": row.get(MEETING_NOTE),
        "mechanisms": mechanisms,
        "note": row.get(NOTES),
    }


@dataclass(frozen=True)
class ImportRow:
    """One checked row: the service it updates (or None to add one) and the values to write."""

    partner_code: str
    name: str
    service_id: int | None
    values: dict[str, Any]
    stage: Stage
    reason: str
    # A known service that the row would leave exactly as it is: nothing is written for it.
    unchanged: bool = False
    # An unchanged row of a service the importer may not edit (another council's).
    passed_over: bool = False


class Context:
    """What checking a sheet needs to know, loaded once (not once per row)."""

    def __init__(self, actor: Any, today: date, filename: str) -> None:
        self.actor = actor
        self.today = today
        self.filename = filename
        self.partners = {p.code.casefold(): p for p in db.session.scalars(select(Partner))}
        self.directorates = {
            (d.partner_id, d.code.casefold()): d for d in db.session.scalars(select(Directorate))
        }
        self.services = {
            (s.partner_id, s.name.casefold()): s for s in db.session.scalars(select(Service))
        }
        self.last_moves = queries.last_moves()

    def parse(self, row: SheetRow) -> ImportRow:
        problems: dict[str, str] = {}
        name = _name(row, problems)
        partner = self._partner(row, problems)
        # Another council's row is refused unless it changes nothing (checked at the end): an
        # officer may upload the whole table's download and change only their own services.
        others = partner is not None and not can_edit_partner_services(self.actor, partner.id)
        directorate_id = self._directorate_id(row, partner, problems)
        stage = _stage(row, problems)
        partial = row.get(PARTIAL).casefold()
        if partial not in YES | NO:
            problems[PARTIAL] = f"'{row.get(PARTIAL)}' must be Yes or No"
        integrated, planned, meeting, enquiries = self._dates_and_enquiries(row, problems)
        mechanisms = _mechanisms(row, problems)
        if integrated and (problem := rules.date_integrated_problem(integrated, self.today, None)):
            problems[INTEGRATED] = problem
        existing = self.services.get((partner.id, name.casefold())) if partner and name else None
        if existing is not None and INTEGRATED not in row.values:
            integrated = existing.date_integrated
        reason = row.get(REASON)
        if stage is not None and INTEGRATED not in problems:
            integrated = self._check_stage(stage, integrated, existing, reason, problems)
        if others and (problems or existing is None):
            problems[PARTNER] = self._not_yours(partner)
        if problems:
            raise RowInvalid(problems)
        assert partner is not None and stage is not None
        values = _service_values(
            row,
            name=name,
            partner_id=partner.id,
            directorate_id=directorate_id,
            partially_integrated=partial in YES,
            date_integrated=integrated,
            planned_integration_date=planned,
            enquiries_per_month=enquiries,
            head_of_service_meeting=meeting,
            mechanisms=mechanisms,
        )
        unchanged = False
        if existing is not None:
            _keep_absent_columns(values, row, existing)
            unchanged = stage == existing.stage and not changed_fields(existing, values)
        if others and not unchanged:
            raise RowInvalid({PARTNER: self._not_yours(partner)})
        return ImportRow(
            partner_code=partner.code,
            name=name,
            service_id=existing.id if existing else None,
            values=values,
            stage=stage,
            reason=reason,
            unchanged=unchanged,
            passed_over=others,
        )

    def _partner(self, row: SheetRow, problems: dict[str, str]) -> Partner | None:
        partner = self.partners.get(row.get(PARTNER).casefold())
        if not row.get(PARTNER):
            problems[PARTNER] = "Enter the owning partner's code, like LCC"
        elif partner is None:
            known = ", ".join(sorted(p.code for p in self.partners.values()))
            problems[PARTNER] = (
                f"'{row.get(PARTNER)}' is not a partner's code; the codes are: {known}"
            )
        return partner

    def _directorate_id(
        self, row: SheetRow, partner: Partner | None, problems: dict[str, str]
    ) -> int | None:
        if not row.get(DIRECTORATE) or partner is None:
            return None
        directorate = self.directorates.get((partner.id, row.get(DIRECTORATE).casefold()))
        if directorate is None:
            problems[DIRECTORATE] = (
                f"'{row.get(DIRECTORATE)}' is not a directorate of {partner.code}: "
                "add it on the Directorates page first, or correct the code"
            )
            return None
        return directorate.id

    def _dates_and_enquiries(
        self, row: SheetRow, problems: dict[str, str]
    ) -> tuple[date | None, date | None, date | None, int | None]:
        # The pipeline's rules check these dates' range, with messages that say its limits.
        integrated = _attempt(problems, cell_date, row.get(INTEGRATED), INTEGRATED, None, None)
        planned = _attempt(problems, cell_date, row.get(PLANNED), PLANNED, None, None)
        meeting = _attempt(problems, cell_date, row.get(MEETING), MEETING, None, None)
        if PLANNED not in problems and (problem := rules.planned_date_problem(planned, self.today)):
            problems[PLANNED] = problem
        if MEETING not in problems and (problem := rules.meeting_date_problem(meeting, self.today)):
            problems[MEETING] = problem
        enquiries = _attempt(problems, cell_int, row.get(ENQUIRIES), ENQUIRIES, None)
        if enquiries is not None and (problem := rules.enquiries_problem(enquiries, ENQUIRIES)):
            problems[ENQUIRIES] = f"{problem}, not {enquiries}"
        if ENQUIRIES not in problems and row.get(ENQUIRIES) and enquiries is None:
            problems[ENQUIRIES] = f"'{row.get(ENQUIRIES)}' is not a whole number"
        return integrated, planned, meeting, enquiries

    def _check_stage(
        self,
        stage: Stage,
        integrated: date | None,
        existing: Service | None,
        reason: str,
        problems: dict[str, str],
    ) -> date | None:
        """The stage against the date integrated and, for a known service, the move it makes;
        returns the date integrated to write."""
        if integrated is not None:
            if stage != Stage.OPERATIONAL and existing and integrated == existing.date_integrated:
                # The date as downloaded, left in a row that takes the service out of
                # Operational: the move clears it, as a move on the service's page does, and
                # the history of changes keeps it, so clearing it loses nothing.
                integrated = None
            elif stage != Stage.OPERATIONAL:
                problems[INTEGRATED] = (
                    f"Empty the {INTEGRATED} cell: only an Operational service has a date "
                    f"integrated, not one at {stage.numbered}"
                )
                return integrated
        if stage == Stage.OPERATIONAL and integrated is None:
            problems[INTEGRATED] = "Enter the date integrated: the service is Operational"
        elif existing is not None and stage != existing.stage:
            move = rules.Move(
                current=existing.stage,
                seen=existing.stage,
                to=stage,
                on=self.today,
                reason=reason,
                date_integrated=integrated,
                last_move_on=self.last_moves.get(existing.id),
            )
            for field, message in rules.transition_problems(move, self.today).items():
                column = {"reason": REASON, "date_integrated": INTEGRATED}.get(field, STAGE)
                problems[column] = message
        return integrated

    @staticmethod
    def _not_yours(partner: Partner) -> str:
        return (
            f"You may import only services of your own council, not {partner.code}: another "
            "council's row is passed over only if it is left exactly as downloaded"
        )


def _attempt(problems: dict[str, str], fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, or None with its problems added when the cell is refused."""
    try:
        return fn(*args)
    except RowInvalid as exc:
        problems.update(exc.problems)
        return None


def _stage(row: SheetRow, problems: dict[str, str]) -> Stage | None:
    stage = Stage.parse(row.get(STAGE))
    if stage is None and "partial" in row.get(STAGE).casefold():
        problems[STAGE] = (
            f"'{row.get(STAGE)}' is not a stage: give the stage the service is at (like "
            f"7 - Operational) and Yes in '{PARTIAL}'"
        )
    elif stage is None:
        problems[STAGE] = (
            f"'{row.get(STAGE)}' is not a stage: write 1 to 7 or a name, like 7 - Operational"
            if row.get(STAGE)
            else "Enter the stage, like 7 - Operational"
        )
    return stage


def _mechanisms(row: SheetRow, problems: dict[str, str]) -> dict[str, str]:
    mechanisms = {}
    for column, mechanism in MECHANISM_COLUMNS.items():
        text = row.get(column)
        if not text:
            continue
        status = STATUS_WORDS.get(text) or STATUS_WORDS.get(text.casefold())
        if status is None:
            problems[column] = f"'{text}' must be one of {MECHANISM_CHOICES}, or empty"
        else:
            mechanisms[mechanism.value] = status.value
    return mechanisms


# The column each stored field is read from (the mechanisms have a column each).
FIELD_COLUMNS = {
    "directorate_id": DIRECTORATE, "partially_integrated": PARTIAL, "date_integrated": INTEGRATED,
    "planned_integration_date": PLANNED, "integration_lead": LEAD, "further_integration": FURTHER,
    "enquiries_per_month": ENQUIRIES, "head_of_service": HEAD, "head_of_service_meeting": MEETING,
    "head_of_service_meeting_note": MEETING_NOTE, "note": NOTES,
}  # fmt: skip


def _keep_absent_columns(values: dict[str, Any], row: SheetRow, existing: Service) -> None:
    """A column left out of the sheet leaves that field of a known service as it is (only an
    empty cell in a column that is there clears it)."""
    for name, column in FIELD_COLUMNS.items():
        if column not in row.values:
            values[name] = getattr(existing, name)
    kept = {
        mechanism.value: status
        for column, mechanism in MECHANISM_COLUMNS.items()
        if column not in row.values and (status := (existing.mechanisms or {}).get(mechanism.value))
    }
    values["mechanisms"] = {**kept, **values["mechanisms"]}


def changed_fields(service: Service, values: dict[str, Any]) -> list[str]:
    """The fields whose imported value differs from the service's stored one."""
    return [name for name, value in values.items() if getattr(service, name) != value]


@dataclass(frozen=True)
class Counts:
    """What an import does (or did) with the rows of a checked sheet."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    passed_over: int = 0

    def summary(self) -> str:
        """After the import: "2 services added, 1 updated, 31 unchanged (left as they are)"."""
        return (
            f"{_services(self.added)} added, {self.updated} updated, "
            f"{self.unchanged} unchanged (left as they are)" + self._others()
        )

    def preview(self) -> str:
        """Before it, on the preview."""
        return (
            f"Importing it will add {_services(self.added)} and update {self.updated}; "
            f"{_rows(self.unchanged)} unchanged and will be left as they are" + self._others()
        )

    def _others(self) -> str:
        if not self.passed_over:
            return ""
        rows = "row" if self.passed_over == 1 else "rows"
        return f"; {self.passed_over} {rows} of other councils' services, unchanged, passed over"


def _rows(count: int) -> str:
    return f"{count} row is" if count == 1 else f"{count:,} rows are"


def _services(count: int) -> str:
    return f"{count} service{'' if count == 1 else 's'}"


def counts(plan: ImportPlan[ImportRow]) -> Counts:
    items = [item for _row, item in plan.items]
    return Counts(
        added=sum(1 for item in items if item.service_id is None),
        updated=sum(1 for item in items if item.service_id is not None and not item.unchanged),
        unchanged=sum(1 for item in items if item.unchanged and not item.passed_over),
        passed_over=sum(1 for item in items if item.passed_over),
    )


def check(
    actor: Any, data: bytes, filename: str, today: date
) -> tuple[ImportPlan[ImportRow], Context | None]:
    rows, problems = read_sheet(data, filename, HEADERS, REQUIRED)
    if problems:
        plan: ImportPlan[ImportRow] = ImportPlan(problems=problems, row_count=len(rows))
        return plan, None
    context = Context(actor, today, filename)
    plan = plan_import(
        rows,
        context.parse,
        key=lambda item: (item.partner_code.casefold(), item.name.casefold()),
        describe_key=lambda item: f"{item.partner_code} {item.name}",
    )
    return plan, context


def write(actor: Any, plan: ImportPlan[ImportRow], context: Context, progress=None) -> Counts:
    """Write every changed row through the services (the caller commits once); rows that
    change nothing are passed over, so they get no audit entry and no new version."""
    items: Sequence = [(row, item) for row, item in plan.items if not item.unchanged]
    iterator = progress(items, "Importing services") if progress else items
    for sheet_row, item in iterator:
        try:
            _write_row(actor, item, context, sheet_row.number)
        except Invalid as exc:
            raise RowInvalid(
                {
                    column: f"row {sheet_row.number}: {message}"
                    for column, message in exc.problems.items()
                }
            ) from exc
    return counts(plan)


def _write_row(actor: Any, item: ImportRow, context: Context, number: int) -> None:
    today = context.today
    if item.service_id is None:
        since = (
            item.values["date_integrated"]
            if item.stage == Stage.OPERATIONAL and item.values["date_integrated"]
            else today
        )
        commands.create_service(actor, item.values, item.stage, since, today)
        return
    service = queries.load_service(item.service_id)
    assert service is not None
    if item.stage != service.stage:
        commands.move_service(
            actor,
            service,
            seen=service.stage,
            version=service.version,
            to=item.stage,
            on=today,
            reason=item.reason or f"Imported from {context.filename} (row {number})",
            date_integrated=item.values["date_integrated"],
            today=today,
        )
    commands.update_service(actor, service, item.values, service.version, today)
