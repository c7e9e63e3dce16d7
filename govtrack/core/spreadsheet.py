"""The one import and export pipeline for trackers kept in spreadsheets (CSV and Excel).

Export writes a table with a fixed header row; import reads exactly that format back:
read the sheet → parse and check every row (collecting every problem with its row number) →
show a preview → write everything in one transaction, or nothing. The uploaded file is kept
between the preview and the confirmation (``stage_upload``) so the user does not upload twice.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import secrets
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Generic, TypeVar

import click
from flask import Response, current_app
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired

from govtrack.core.dates import day_range_problem, parse_day
from govtrack.core.forms import GovForm
from govtrack.core.input_rules import MAX_TEXT, cleaned, nfc, text_problem, too_long_problem

T = TypeVar("T")
V = TypeVar("V")

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# What a workbook may unpack to: a tracker of MAX_ROWS rows fits well within it, while a small
# file that unpacks to a huge sheet (a "zip bomb") is stopped. Cells past MAX_COLUMNS (no
# tracker has that many) are never built, so a cell in column XFD cannot widen every row.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_COLUMNS = 100
MAX_CELL = MAX_TEXT  # characters in one cell; each column's parser may allow fewer
MAX_PARTS = 1_000
# Blank rows before the header and the header itself, read past MAX_ROWS before refusing.
_SPARE_ROWS = 10
# The dates a cell may hold, before each tracker's own rules: Excel's dates start in 1900, and
# nothing is planned beyond 2100 (a year like 9999 is a slip of the keyboard).
CELL_EARLIEST_DAY = date(1900, 1, 1)
CELL_LATEST_DAY = date(2100, 12, 31)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAGED_FOR_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"[0-9a-f]{48}")


# Problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: ``row`` is the row number the user sees in the spreadsheet
    (the header is row 1); None means the whole file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class RowInvalid(Exception):
    """A row parser's refusal: ``problems`` maps each column to its message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


@dataclass(frozen=True)
class SheetRow:
    """One data row: its number in the spreadsheet and each column's text (stripped)."""

    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class ImportPlan(Generic[T]):
    """Every row parsed, or every problem found: nothing is written from an invalid plan."""

    items: list[tuple[SheetRow, T]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0
    # What checking learnt (lookups of existing records) that writing reuses.
    context: Any = None

    @property
    def valid(self) -> bool:
        return not self.problems and self.row_count > 0


# Reading -------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _archive_kind(data: bytes) -> str | None:
    """ "xlsx" for a workbook, "other" for another zip (a .docx, an .ods), "damaged" for a zip
    that cannot be opened; None when the data is not a zip at all."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xlsx" if "xl/workbook.xml" in archive.namelist() else "other"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "damaged"


UNREADABLE_XLSX = (
    "The file is not a readable Excel file: it may be damaged, or not really a workbook. Open "
    "it in Excel, save it again as .xlsx (or as CSV), and upload it again"
)
# What openpyxl raises on a damaged workbook: a broken archive, a member that will not
# decompress, XML that does not parse, parts that are missing or malformed.
_DAMAGED_XLSX = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, SyntaxError, KeyError, IndexError,
    ValueError, TypeError, AttributeError,
)  # fmt: skip


class SheetTooLarge(Exception):
    """A workbook holds more than an import may unpack; the message says so to the user."""


def too_large_message() -> str:
    limit = MAX_UNPACKED_BYTES // (1024 * 1024)
    return (
        f"The workbook holds more than {limit} MB of data once unpacked, or more than "
        f"{MAX_ROWS:,} rows: more than any tracker needs. Check it is the right file; split "
        "it, or save it as CSV, and upload it again"
    )


class _Meter:
    """Counts the bytes unpacked from every part of one archive, whatever its headers claim,
    and stops the reading as soon as they pass the budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0

    def count(self, size: int) -> None:
        self.used += size
        if self.used > self.budget:
            raise SheetTooLarge(too_large_message())


class _MeteredPart(io.RawIOBase):
    """One unpacked part of the archive, read through the meter."""

    def __init__(self, part: IO[bytes], meter: _Meter) -> None:
        super().__init__()
        self._part = part
        self._meter = meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # Never more than 64 KB at a time, so the meter stops a bomb early.
        chunk = self._part.read(min(len(buffer), 64 * 1024))
        self._meter.count(len(chunk))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._part.close()
        super().close()


class _MeteredZip(zipfile.ZipFile):
    meter: _Meter

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> Any:
        part = super().open(name, mode, pwd, **kwargs)
        if mode != "r":
            return part
        return io.BufferedReader(_MeteredPart(part, self.meter))


def _open_metered(data: bytes, budget: int) -> _MeteredZip:
    """The archive, refused before any unpacking when its own entries already claim more than
    the budget; what is then read is counted as it is unpacked (headers can lie)."""
    archive = _MeteredZip(io.BytesIO(data))
    entries = archive.infolist()
    if len(entries) > MAX_PARTS or sum(entry.file_size for entry in entries) > budget:
        archive.close()
        raise SheetTooLarge(too_large_message())
    archive.meter = _Meter(budget)
    return archive


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The first sheet's rows, read as a stream: at most ``MAX_UNPACKED_BYTES`` are unpacked,
    ``MAX_COLUMNS`` cells a row and ``MAX_ROWS`` rows (and a header and a few blank rows),
    so a small file that unpacks to a huge sheet is refused without reading it all."""
    from openpyxl.reader.excel import ExcelReader

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; they do not matter here.
        warnings.simplefilter("ignore")
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.archive.close()
        reader.archive = _open_metered(data, MAX_UNPACKED_BYTES)
        reader.read()
        book = reader.wb
        try:
            sheet = book.worksheets[0]
            for count, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)):
                if count > MAX_ROWS + _SPARE_ROWS:
                    raise SheetTooLarge(too_large_message())
                yield [_cell_text(value) for value in row]
        finally:
            book.close()


# Text a spreadsheet program would run as a formula ("=HYPERLINK(...)", "+1", "@SUM"): the CSV
# export writes it behind an apostrophe (OWASP's advice on CSV injection) and the import takes
# exactly one apostrophe off again, so the text goes out safe and comes back unchanged.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        yield [_unguarded(cell).strip() for cell in row]


def _guarded(text: str) -> str:
    return "'" + text if _FORMULA_LIKE.match(text) else text


def _unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_LIKE.match(text[1:]) else text


def _bounded(lines: Iterator[list[str]]) -> list[list[str]]:
    """The lines read, stopping (``SheetTooLarge``) as soon as there are more than a tracker
    can have, rather than holding millions of blank lines first."""
    out = []
    for line in lines:
        out.append(line)
        if len(out) > MAX_ROWS + _SPARE_ROWS:
            raise SheetTooLarge(too_large_message())
    return out


def read_sheet(
    data: bytes, filename: str, headers: Sequence[str], required: Sequence[str] = ()
) -> tuple[list[SheetRow], list[Problem]]:
    """The data rows of a CSV or Excel file whose first row holds the known ``headers``.

    A missing required column, an unknown or repeated column, an unreadable or empty file are
    problems of row 1 (or of the file); blank rows are skipped.
    """
    lines = _file_lines(data, filename)
    if isinstance(lines, str):
        return [], [Problem(None, None, lines)]
    while lines and not any(lines[0]):
        lines.pop(0)
    if not lines:
        return [], [Problem(None, None, "The file has no header row")]
    header_row, body = lines[0], lines[1:]
    problems = _header_problems(header_row, headers, required)
    if problems:
        return [], problems
    if len(body) > MAX_ROWS:
        return [], [Problem(None, None, f"The file has more than {MAX_ROWS:,} rows")]

    rows = _data_rows(header_row, body, problems)
    if not rows and not problems:
        problems.append(Problem(None, None, "The file has a header row but no data rows"))
    return rows, problems


def _file_lines(data: bytes, filename: str) -> list[list[str]] | str:
    """The file's rows of cells, or what makes it unreadable."""
    if not data:
        return "The file is empty"
    if len(data) > MAX_UPLOAD_BYTES:
        return f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
    kind = _archive_kind(data)
    if kind == "xlsx":
        try:
            return list(_xlsx_rows(data))
        except SheetTooLarge as exc:
            return str(exc)
        except _DAMAGED_XLSX:
            return UNREADABLE_XLSX
    if kind == "damaged" or (filename or "").lower().endswith((".xlsx", ".xlsm")):
        # Read as CSV, a damaged workbook's bytes would be reported as wrong column headers.
        return UNREADABLE_XLSX
    if kind == "other" or data.startswith(b"\xd0\xcf\x11\xe0"):
        return "The file must be a CSV or an Excel workbook (.xlsx)"
    try:
        return _bounded(_csv_rows(data))
    except SheetTooLarge:
        return f"The file has more than {MAX_ROWS:,} rows"
    except UnicodeDecodeError:
        return "The CSV file must be saved as UTF-8 text"
    except (csv.Error, ValueError) as exc:
        return f"The file could not be read ({exc})"


def _data_rows(
    header_row: list[str], body: list[list[str]], problems: list[Problem]
) -> list[SheetRow]:
    """The rows with something in them; a row with a refused cell is a problem, not a row."""
    rows = []
    for offset, cells in enumerate(body, start=2):
        if not any(cells):
            continue
        values = {
            name: (cells[index] if index < len(cells) else "")
            for index, name in enumerate(header_row)
            if name
        }
        cell_problems = [
            Problem(offset, name, message)
            for name, text in values.items()
            if (message := _cell_problem(text))
        ]
        if cell_problems:
            problems.extend(cell_problems)
            continue
        rows.append(SheetRow(number=offset, values={k: nfc(v) for k, v in values.items()}))
    return rows


def _cell_problem(text: str) -> str | None:
    """The input rule every form field has (``core.input_rules``), for one cell: the problem
    is reported with its row and column, so "This cell" names it."""
    return text_problem(text, "This cell", lines=True) or too_long_problem(
        text, "This cell", MAX_CELL
    )


def _header_problems(
    header_row: list[str], headers: Sequence[str], required: Sequence[str]
) -> list[Problem]:
    problems = []
    known = set(headers)
    seen: set[str] = set()
    for name in header_row:
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(
                    1,
                    name,
                    f"'{name}' is not a column of this tracker; the columns are: "
                    + ", ".join(headers),
                )
            )
        elif name in seen:
            problems.append(Problem(1, name, f"'{name}' appears more than once"))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(1, name, f"The column '{name}' is missing"))
    return problems


def plan_import(
    rows: Iterable[SheetRow],
    parse_row: Callable[[SheetRow], T],
    key: Callable[[T], Hashable] | None = None,
    describe_key: Callable[[T], str] | None = None,
) -> ImportPlan[T]:
    """Parse every row, collecting every problem; ``key`` finds rows that repeat another."""
    plan: ImportPlan[T] = ImportPlan()
    first_seen: dict[Hashable, int] = {}
    for row in rows:
        plan.row_count += 1
        try:
            item = parse_row(row)
        except RowInvalid as exc:
            plan.problems.extend(Problem(row.number, col, msg) for col, msg in exc.problems.items())
            continue
        if key is not None:
            identity = key(item)
            if identity in first_seen:
                what = describe_key(item) if describe_key else "This row"
                plan.problems.append(
                    Problem(row.number, None, f"{what} repeats row {first_seen[identity]}")
                )
                continue
            first_seen[identity] = row.number
        plan.items.append((row, item))
    return plan


# Cells ---------------------------------------------------------------------------------------


def cell_date(
    text: str,
    column: str,
    earliest: date | None = CELL_EARLIEST_DAY,
    latest: date | None = CELL_LATEST_DAY,
) -> date | None:
    """A date written as 2007-03-22 (as exported), 22/03/2007 or 22 March 2007, from 1900 to
    2100 unless the column says otherwise (None: the importer's own rule checks that side, with
    its own message); empty is None."""
    text = (text or "").strip()
    if not text:
        return None
    # A moment written by a spreadsheet ("2007-03-22 00:00:00") counts as its day.
    day = parse_day(text[:10] if re.match(r"\d{4}-", text) else text, two_digit_years=True)
    if day is None:
        raise RowInvalid(
            {column: f"'{text[:40]}' is not a date: write it as 2007-03-22 or 22/03/2007"}
        )
    if problem := day_range_problem(day, column, earliest, latest):
        raise RowInvalid({column: problem})
    return day


def cell_int(text: str, column: str, minimum: int | None = 0) -> int | None:
    """A whole number (thousands separators allowed); empty is None."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise RowInvalid({column: f"'{text}' is not a whole number"}) from None
    if minimum is not None and value < minimum:
        raise RowInvalid({column: f"must be {minimum} or more, not {value}"})
    return value


def cell_choice(text: str, column: str, choices: Mapping[str, V]) -> V | None:
    """One of ``choices`` (matched case-insensitively on its key); empty is None."""
    text = (text or "").strip()
    if not text:
        return None
    folded = {name.casefold(): value for name, value in choices.items()}
    try:
        return folded[text.casefold()]
    except KeyError:
        # Each choice once, by the label people see (the codes are accepted but not offered).
        allowed = ", ".join(dict.fromkeys(getattr(v, "label", k) for k, v in choices.items()))
        raise RowInvalid({column: f"'{text}' is not one of: {allowed}"}) from None


def cell_required(text: str, column: str) -> str:
    text = (text or "").strip()
    if not text:
        raise RowInvalid({column: "must not be empty"})
    return text


# Writing -------------------------------------------------------------------------------------


def _plain_cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "label") and hasattr(value, "value"):
        # An enum: its label, as the pages show it; every import reads labels back.
        return value.label
    if isinstance(value, str):
        # Text stored before the input rule held may carry characters no workbook (openpyxl's
        # IllegalCharacterError) or UTF-8 file can hold: they are taken out, not a failure.
        return cleaned(value)
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    value = _plain_cell(value)
    return _guarded(value) if isinstance(value, str) else value


# Every CSV download says UTF-8 once and starts with a byte-order mark (see csv_bytes).
CSV_MIME = "text/csv; charset=utf-8"


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    # The byte-order mark makes Excel read the file as UTF-8 (accented names, dashes).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A cell's value; text is always stored as text, never as a formula (an exported "=1+1"
    must not run when the workbook is opened)."""
    from openpyxl.cell import WriteOnlyCell

    value = _plain_cell(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    title = re.sub(r"[\\/*?:\[\]]", "-", cleaned(sheet_title, lines=False))[:31].strip()
    sheet = book.create_sheet(title=title or "Sheet1")
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    filename_stem: str,
    sheet_title: str,
) -> Response:
    """A download of the table as CSV or Excel; dates are real dates in Excel, ISO in CSV."""
    if fmt == "xlsx":
        body = xlsx_bytes(headers, rows, sheet_title)
        mimetype = XLSX_MIME
    elif fmt == "csv":
        body = csv_bytes(headers, rows)
        mimetype = CSV_MIME
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    safe_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", filename_stem).strip("-") or "export"
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text mimetype again.
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_stem}.{fmt}"'
    return response


# Keeping an upload between the preview and the confirmation -------------------------------


def _staging_dir() -> str:
    return current_app.config.get("IMPORTS_DIR") or os.path.join(
        current_app.instance_path, "imports"
    )


def stage_upload(data: bytes, filename: str, owner_id: int | None) -> str:
    """Keep an uploaded file for its confirmation; the token is unguessable and only the
    user who uploaded it can use it."""
    directory = _staging_dir()
    os.makedirs(directory, exist_ok=True)
    _prune(directory)
    token = secrets.token_hex(24)
    meta = {
        "filename": filename,
        "owner_id": owner_id,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    for suffix, content in ((".bin", data), (".json", json.dumps(meta).encode())):
        path = os.path.join(directory, token + suffix)
        temporary = path + ".part"
        with open(temporary, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    return token


def _prune(directory: str) -> None:
    """Forget uploads nobody confirmed within a day."""
    cutoff = time.time() - STAGED_FOR_SECONDS
    with os.scandir(directory) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    os.remove(entry.path)


class StagedUploadMissing(Exception):
    """The confirmation names an upload that is not (or no longer) kept for this user."""


def load_staged(token: str, owner_id: int | None) -> tuple[bytes, str]:
    if not TOKEN.fullmatch(token or ""):
        raise StagedUploadMissing("The upload to confirm is not recognised: upload the file again")
    directory = _staging_dir()
    try:
        with open(os.path.join(directory, token + ".json"), encoding="utf-8") as handle:
            meta = json.load(handle)
        with open(os.path.join(directory, token + ".bin"), "rb") as handle:
            data = handle.read()
    except OSError:
        raise StagedUploadMissing(
            "The upload to confirm is no longer kept: upload the file again"
        ) from None
    if meta.get("owner_id") != owner_id or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        raise StagedUploadMissing("The upload to confirm is not recognised: upload the file again")
    return data, meta.get("filename") or "upload"


def discard_staged(token: str) -> None:
    if not TOKEN.fullmatch(token or ""):
        return
    for suffix in (".bin", ".json"):
        with contextlib.suppress(OSError):
            os.remove(os.path.join(_staging_dir(), token + suffix))


# Forms and the command line ------------------------------------------------------------------


class UploadForm(GovForm):
    """Choose a CSV or Excel file to check before anything is imported."""

    file = FileField(
        "Spreadsheet (CSV or Excel .xlsx)",
        widget=GovFileInput(),
        validators=[FileRequired("Select a CSV or Excel file to import")],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(GovForm):
    """Write a checked upload: the token names the staged file."""

    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Import", widget=GovSubmitInput())


def uploaded_bytes(form: UploadForm) -> tuple[bytes, str]:
    """The uploaded file's content and name (read at most one byte past the limit)."""
    storage = form.file.data
    data = storage.stream.read(MAX_UPLOAD_BYTES + 1)
    return data, storage.filename or "upload"


def cli_progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate with a progress bar on the terminal (the CLI import commands)."""
    with click.progressbar(items, label=f"{label:<22}", show_pos=True) as bar:
        yield from bar
