"""The shared import pipeline: what it reads, the problems it names, and round trips."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from govtrack.core.input_rules import cleaned
from govtrack.core.spreadsheet import (
    UNREADABLE_XLSX,
    Problem,
    RowInvalid,
    cell_choice,
    cell_date,
    cell_int,
    csv_bytes,
    plan_import,
    read_sheet,
    xlsx_bytes,
)

HEADERS = ["Reference", "Target date", "Enquiries"]


def _parse(row):
    problems = {}
    reference = row.get("Reference")
    if not reference:
        problems["Reference"] = "must not be empty"
    target = enquiries = None
    try:
        target = cell_date(row.get("Target date"), "Target date")
    except RowInvalid as exc:
        problems.update(exc.problems)
    try:
        enquiries = cell_int(row.get("Enquiries"), "Enquiries")
    except RowInvalid as exc:
        problems.update(exc.problems)
    if problems:
        raise RowInvalid(problems)
    return (reference, target, enquiries)


def test_csv_rows_are_read_with_their_spreadsheet_row_numbers():
    data = b"Reference,Target date,Enquiries\r\n4.a,2007-11-20,12\r\n,,\r\n4.b,,\r\n"
    rows, problems = read_sheet(data, "t.csv", HEADERS)
    assert problems == []
    assert [(r.number, r.get("Reference")) for r in rows] == [(2, "4.a"), (4, "4.b")]


def test_a_byte_order_mark_from_excel_is_not_part_of_the_first_header():
    rows, problems = read_sheet(csv_bytes(HEADERS, [["4.a", None, 3]]), "t.csv", HEADERS)
    assert problems == []
    assert rows[0].values == {"Reference": "4.a", "Target date": "", "Enquiries": "3"}


def test_a_wrong_header_is_named_and_no_rows_are_read():
    data = b"Reference,Target,Enquiries\n4.a,,1\n"
    rows, problems = read_sheet(data, "t.csv", HEADERS, required=["Reference", "Target date"])
    assert rows == []
    messages = [str(p) for p in problems]
    assert any("'Target' is not a column" in m and m.startswith("Row 1") for m in messages)
    assert any("The column 'Target date' is missing" in m for m in messages)


def test_a_repeated_header_is_a_problem():
    _rows, problems = read_sheet(b"Reference,Reference\nx,y\n", "t.csv", HEADERS)
    assert [p.message for p in problems] == ["'Reference' appears more than once"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\n\n", "The file has no header row"),
        (b"Reference\n", "The file has a header row but no data rows"),
        (
            "Reference\n4.a caf\u00e9\n".encode("latin-1"),
            "The CSV file must be saved as UTF-8 text",
        ),
        (b"\xd0\xcf\x11\xe0old excel", "The file must be a CSV or an Excel workbook (.xlsx)"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, message):
    _rows, problems = read_sheet(data, "t.csv", HEADERS)
    assert [p.message for p in problems] == [message]


def _workbook() -> bytes:
    return xlsx_bytes(HEADERS, [["4.a", date(2007, 11, 20), 12]] * 40, "Tracker")


def _rezipped(change) -> bytes:
    """The workbook with each member passed through ``change`` (None leaves it out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook())) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def _flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 40]) + data[middle + 40 :]


@pytest.mark.parametrize(
    ("damage", "filename"),
    [
        (lambda: _workbook()[: len(_workbook()) // 2], "t.xlsx"),  # cut short
        (lambda: _flipped(_workbook()), "t.xlsx"),  # corrupted inside a member
        (lambda: _rezipped(lambda n, d: d[: len(d) // 2] if "sheet1" in n else d), "t.xlsx"),
        (lambda: _rezipped(lambda n, d: b"<nope" if n == "xl/workbook.xml" else d), "t.xlsx"),
        (lambda: _rezipped(lambda n, d: None if "worksheets" in n else d), "t.xlsx"),
        (lambda: b"Reference,Target date\nnot a workbook\n", "t.xlsx"),  # text named .xlsx
        (lambda: bytes(range(256)) * 4, "t.xlsx"),
        (lambda: _workbook()[:-30], "t.csv"),  # a damaged workbook whatever its name
    ],
)
def test_a_damaged_workbook_is_reported_as_unreadable_not_as_wrong_headers(damage, filename):
    rows, problems = read_sheet(damage(), filename, HEADERS)

    assert rows == []
    assert [p.message for p in problems] == [UNREADABLE_XLSX]
    assert UNREADABLE_XLSX.startswith("The file is not a readable Excel file")


def test_an_excel_workbook_is_read_with_dates_as_iso_text():
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["4.a", date(2007, 11, 20), 12])
    out = io.BytesIO()
    book.save(out)
    rows, problems = read_sheet(out.getvalue(), "t.xlsx", HEADERS)
    assert problems == []
    assert rows[0].values == {"Reference": "4.a", "Target date": "2007-11-20", "Enquiries": "12"}


def test_every_bad_row_is_named_and_nothing_is_planned_from_them():
    data = (
        b"Reference,Target date,Enquiries\n"
        b"4.a,2007-11-20,12\n"
        b"4.b,31/02/2007,-3\n"
        b"4.a,2007-11-20,12\n"
        b",soon,many\n"
    )
    rows, _ = read_sheet(data, "t.csv", HEADERS)
    plan = plan_import(rows, _parse, key=lambda item: item[0], describe_key=lambda i: i[0])
    assert not plan.valid
    assert plan.row_count == 4
    assert Problem(3, "Enquiries", "must be 0 or more, not -3") in plan.problems
    assert any(p.row == 3 and p.column == "Target date" for p in plan.problems)
    assert Problem(4, None, "4.a repeats row 2") in plan.problems
    assert {p.column for p in plan.problems if p.row == 5} == {
        "Reference",
        "Target date",
        "Enquiries",
    }
    assert [row.number for row, _item in plan.items] == [2]


def test_a_clean_file_plans_every_row():
    rows, _ = read_sheet(b"Reference,Target date,Enquiries\n4.a,22/03/2007,1\n", "t.csv", HEADERS)
    plan = plan_import(rows, _parse)
    assert plan.valid
    assert [item for _row, item in plan.items] == [("4.a", date(2007, 3, 22), 1)]


def test_choices_match_without_regard_to_case_and_name_the_allowed_values():
    choices = {"accepted": 1, "rejected": 2}
    assert cell_choice("Accepted", "Decision", choices) == 1
    assert cell_choice("", "Decision", choices) is None
    with pytest.raises(RowInvalid) as caught:
        cell_choice("maybe", "Decision", choices)
    assert caught.value.problems == {"Decision": "'maybe' is not one of: accepted, rejected"}


def test_numbers_with_thousands_separators_are_read():
    assert cell_int("18,768", "Enquiries") == 18768
    with pytest.raises(RowInvalid):
        cell_int("12.5", "Enquiries")


# Text as the app stores it: every form and import keeps it clean and in NFC (core.input_rules),
# and reading a sheet puts a cell in NFC, so a compatibility character (U+F900) is stored as
# its canonical form (U+8C48) before it is ever exported.
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
    lambda text: cleaned(text, lines=False).strip()
)


# Each example writes and reads a workbook: slow on a busy machine, so no deadline.
@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(_text, st.one_of(st.none(), st.dates()), st.integers(0, 10**6)),
        min_size=1,
        max_size=15,
    )
)
def test_what_is_exported_reads_back_the_same_from_csv_and_excel(rows):
    for data, name in (
        (csv_bytes(HEADERS, rows), "t.csv"),
        (xlsx_bytes(HEADERS, rows, "Tracker"), "t.xlsx"),
    ):
        read, problems = read_sheet(data, name, HEADERS)
        expected = [
            (text, when.isoformat() if when else "", str(number)) for text, when, number in rows
        ]
        assert problems == []
        assert [
            (r.get("Reference"), r.get("Target date"), r.get("Enquiries")) for r in read
        ] == expected


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-3 days", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_is_exported_inert_and_read_back_unchanged(text):
    data = csv_bytes(HEADERS, [[text, None, 1]])
    raw_rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert raw_rows[1][0] == "'" + text  # a spreadsheet program shows it as text
    rows, _ = read_sheet(data, "t.csv", HEADERS)
    assert rows[0].get("Reference") == text
    book = load_workbook(io.BytesIO(xlsx_bytes(HEADERS, [[text, None, 1]], "T")))
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.value == text
