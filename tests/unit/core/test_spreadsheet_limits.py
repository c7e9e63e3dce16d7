"""Spreadsheets cannot exhaust the server: a small workbook that unpacks to a huge sheet, or
that claims a million rows or thousands of columns, is refused with a clear message after
reading little of it; and a cell's date must be in a year a spreadsheet could mean."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from govtrack.core import spreadsheet
from govtrack.core.spreadsheet import (
    MAX_ROWS,
    UNREADABLE_XLSX,
    RowInvalid,
    cell_date,
    read_sheet,
    xlsx_bytes,
)

HEADERS = ["Reference", "Target date", "Enquiries"]
SHEET = "xl/worksheets/sheet1.xml"
_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_CLOSE = b"</sheetData></worksheet>"
_HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Reference</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Target date</t></is></c></row>'
)


def _with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook (made by openpyxl) whose first sheet is replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.append(HEADERS)
    original = io.BytesIO()
    book.save(original)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for entry in source.infolist():
            data = sheet_xml if entry.filename == SHEET else source.read(entry)
            target.writestr(entry.filename, data)
    return out.getvalue()


def _bomb() -> bytes:
    """About 50 MB of sheet data that zips to well under 150 KB."""
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 400 + b"</t></is></c></row>"
    return _with_sheet(_OPEN + _HEADER_ROW + row * (50 * 1024 * 1024 // len(row)) + _CLOSE)


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """The same archive with every entry's stated unpacked size replaced by ``size``."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = patched.find(signature)
        while start != -1:
            patched[start + offset : start + offset + 4] = struct.pack("<I", size)
            start = patched.find(signature, start + 4)
    return bytes(patched)


@pytest.fixture
def unpacked(monkeypatch):
    """How many bytes the import unpacked, in all."""
    counted = []
    original = spreadsheet._Meter.count

    def count(meter, size):
        counted.append(size)
        original(meter, size)

    monkeypatch.setattr(spreadsheet._Meter, "count", count)
    return counted


@pytest.fixture(scope="module")
def bomb():
    return _bomb()


def test_a_small_workbook_that_unpacks_to_50_mb_is_refused_before_unpacking(bomb, unpacked):
    assert len(bomb) < 200 * 1024
    rows, problems = read_sheet(bomb, "tracker.xlsx", HEADERS)
    assert rows == []
    assert len(problems) == 1
    assert "more than 32 MB of data once unpacked" in problems[0].message
    assert "split it, or save it as CSV" in problems[0].message
    assert sum(unpacked) == 0


def test_a_bomb_whose_headers_understate_its_size_is_refused_having_read_little(bomb, unpacked):
    rows, problems = read_sheet(_lie_about_sizes(bomb, 4096), "tracker.xlsx", HEADERS)
    assert rows == []
    assert [p.message for p in problems] == [UNREADABLE_XLSX]
    assert sum(unpacked) < spreadsheet.MAX_UNPACKED_BYTES


def test_the_meter_stops_reading_as_soon_as_the_budget_is_passed(monkeypatch, unpacked):
    # A budget far below the sheet's size, passed by the stated sizes check only when it runs
    # before the budget is lowered: the unpacking itself is stopped by counting.
    data = _with_sheet(_OPEN + _HEADER_ROW + b"<row><c><v>1</v></c></row>" * 100_000 + _CLOSE)
    real_open = spreadsheet._open_metered

    def open_then_lower(data, budget):
        archive = real_open(data, budget)
        archive.meter.budget = 256 * 1024
        return archive

    monkeypatch.setattr(spreadsheet, "_open_metered", open_then_lower)
    rows, problems = read_sheet(data, "tracker.xlsx", HEADERS)
    assert rows == []
    assert "more than 32 MB of data once unpacked" in problems[0].message
    assert 256 * 1024 < sum(unpacked) <= 256 * 1024 + 64 * 1024


def test_a_sheet_that_claims_a_million_rows_is_refused_without_reading_them_all():
    far_row = b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    data = _with_sheet(_OPEN + _HEADER_ROW + far_row + _CLOSE)
    rows, problems = read_sheet(data, "tracker.xlsx", HEADERS)
    assert rows == []
    assert f"more than {MAX_ROWS:,} rows" in problems[0].message


def test_a_cell_in_the_last_column_does_not_widen_every_row():
    row = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>4.a</t></is></c><c r="XFD2"><v>1</v></c></row>'
    )
    data = _with_sheet(_OPEN + _HEADER_ROW + row + _CLOSE)
    rows, problems = read_sheet(data, "tracker.xlsx", HEADERS)
    assert problems == []
    assert [r.values for r in rows] == [{"Reference": "4.a", "Target date": ""}]


def test_a_csv_of_millions_of_blank_lines_is_refused_by_its_rows():
    rows, problems = read_sheet(b"Reference\n" + b"\n" * 5_000_000, "t.csv", HEADERS)
    assert rows == []
    assert [p.message for p in problems] == [f"The file has more than {MAX_ROWS:,} rows"]


def test_an_ordinary_workbook_still_reads_every_row():
    data = xlsx_bytes(HEADERS, [[f"4.{n}", None, n] for n in range(1, 2001)], "Tracker")
    rows, problems = read_sheet(data, "tracker.xlsx", HEADERS)
    assert problems == []
    assert len(rows) == 2000
    assert rows[-1].values == {"Reference": "4.2000", "Target date": "", "Enquiries": "2000"}


def test_a_date_in_an_impossible_year_is_refused_with_the_range():
    assert cell_date("31 December 2026", "Target date") == date(2026, 12, 31)
    with pytest.raises(RowInvalid) as refused:
        cell_date("31/12/9999", "Target date")
    assert refused.value.problems == {
        "Target date": "Target date must be between 1 January 1900 and 31 December 2100"
    }


def test_a_date_column_may_leave_its_range_to_the_importer_s_own_rule():
    assert cell_date("2150-01-01", "Planned integration date", None, None) == date(2150, 1, 1)
    with pytest.raises(RowInvalid) as refused:
        cell_date("1890-01-01", "Planned integration date", date(2000, 1, 1), None)
    assert refused.value.problems == {
        "Planned integration date": "Planned integration date must be 1 January 2000 or later"
    }
