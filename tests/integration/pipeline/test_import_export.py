"""The pipeline table as CSV and Excel, and importing it back: every problem named with its row,
nothing written until every row is right, then everything in one go."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.pipeline import sheets
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service, StageTransition
from tests.fixtures.actions import csrf_token
from tests.integration.pipeline.conftest import stage_of

TOKEN = re.compile(r'name="token" type="hidden" value="([0-9a-f]+)"')


def csv_file(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sheets.HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def row(**values) -> dict:
    base = {
        sheets.NAME: "Road Safety",
        sheets.PARTNER: "LCC",
        sheets.DIRECTORATE: "ENV",
        sheets.STAGE: "2 - Business Case",
        sheets.PARTIAL: "No",
        sheets.ENQUIRIES: "40",
        sheets.LEAD: "C/Team",
        "Telephone enquiries": "proposed",
    }
    base.update(values)
    return base


def upload(actions, data: bytes, filename: str = "pipeline.csv"):
    page = actions.client.get("/pipeline/import")
    return actions.client.post(
        "/pipeline/import",
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(actions, preview):
    token = TOKEN.search(preview.text)
    assert token, "the preview offers no confirmation"
    return actions.client.post(
        "/pipeline/import/confirm",
        data={"csrf_token": csrf_token(preview.text), "token": token.group(1)},
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def lcc(make_partner, make_directorate):
    partner = make_partner(code="LCC", name="Lancashire County Council")
    make_directorate(partner=partner, code="ENV")
    return partner


def test_a_sheet_with_bad_rows_names_each_and_writes_nothing_then_imports_when_fixed(
    actions, make_partner, make_directorate
):
    lcc(make_partner, make_directorate)
    actions.sign_in_as("clerk")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    bad = csv_file(
        [
            row(),
            row(**{sheets.NAME: "Waste Helpline", sheets.ENQUIRIES: "-3"}),
            row(**{sheets.NAME: "Cashiers", sheets.STAGE: "9"}),
            row(**{sheets.NAME: "Debt Recovery", sheets.DIRECTORATE: "XYZ"}),
            row(
                **{
                    sheets.NAME: "Complaints",
                    sheets.STAGE: "7",
                    sheets.INTEGRATED: tomorrow,
                }
            ),
            row(**{sheets.NAME: "Student Support", sheets.ENQUIRIES: "many"}),
            row(**{sheets.NAME: "Blue Badge", sheets.STAGE: "Partially Integrated"}),
            row(**{sheets.NAME: "Cashiers", sheets.PARTNER: ""}),
            row(**{sheets.NAME: "Libraries", sheets.ENQUIRIES: "9" * 25}),
            row(**{sheets.NAME: "Museums", sheets.LEAD: "C" * 121}),
        ]
    )

    preview = upload(actions, bad)

    assert preview.status_code == 422
    text = preview.text
    assert "Nothing has been imported" in text
    for number, message in [
        (3, "must be 0 or more, not -3"),
        (4, "&#39;9&#39; is not a stage"),
        (5, "&#39;XYZ&#39; is not a directorate of LCC"),
        (6, "The date integrated must be today or in the past"),
        (7, "&#39;many&#39; is not a whole number"),
        (8, "and Yes in &#39;Partially integrated&#39;"),
        (9, "Enter the owning partner&#39;s code, like LCC"),
        (10, "must be 1,000,000 or fewer, not 9999999999999999999999999"),
        (11, "Integration lead must be 120 characters or fewer"),
    ]:
        assert re.search(
            rf"<td[^>]*>{number}</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>[^<]*{message}", text
        ), (number, message)
    assert 'name="token"' not in text
    assert count(Service) == 0

    good = csv_file([row(), row(**{sheets.NAME: "Waste Helpline", sheets.ENQUIRIES: "3"})])
    ready = upload(actions, good)
    assert ready.status_code == 200
    assert "ready to import" in ready.text
    assert count(Service) == 0  # the preview writes nothing

    done = confirm(actions, ready)

    assert done.status_code == 303
    assert count(Service) == 2 and count(StageTransition) == 2
    road = db.session.scalar(select(Service).where(Service.name == "Road Safety"))
    assert road.stage == Stage.BUSINESS_CASE and road.mechanisms == {"telephone": "proposed"}


def test_the_export_comes_back_unchanged_and_an_edited_stage_becomes_a_move(
    actions, make_partner, make_directorate, make_service
):
    partner = lcc(make_partner, make_directorate)
    service = make_service(Stage.MANDATE, name="Trading Standards", partner=partner)
    make_service(Stage.OPERATIONAL, name="Lancashire Highways", partner=partner)
    actions.sign_in_as("clerk")

    exported = actions.client.get("/pipeline/export?format=xlsx")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(exported.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == sheets.HEADERS
    assert len(rows) == 3

    same = upload(actions, exported.data, "pipeline.xlsx")
    assert same.status_code == 200 and "ready to import" in same.text

    csv_export = actions.client.get("/pipeline/export?format=csv")
    assert csv_export.data.startswith("\ufeff".encode())
    text = csv_export.data.decode("utf-8-sig").replace("1 - Mandate", "2 - Business Case")
    moved = confirm(actions, upload(actions, text.encode()))

    assert moved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Service, service.id).stage == Stage.BUSINESS_CASE
    last = db.session.scalars(
        select(StageTransition)
        .where(StageTransition.service_id == service.id)
        .order_by(StageTransition.id.desc())
    ).first()
    assert last.from_stage == Stage.MANDATE and "Imported from pipeline.csv" in last.reason


def test_an_import_that_moves_a_service_back_needs_a_reason(
    actions, make_partner, make_directorate, make_service
):
    partner = lcc(make_partner, make_directorate)
    make_service(Stage.START_UP, name="Road Safety", partner=partner)
    actions.sign_in_as("clerk")

    refused = upload(actions, csv_file([row(**{sheets.STAGE: "1"})]))
    allowed = upload(actions, csv_file([row(**{sheets.STAGE: "1", sheets.REASON: "Paused"})]))

    assert (
        refused.status_code == 422 and "Give a reason for moving the service back" in refused.text
    )
    assert allowed.status_code == 200


def test_officers_import_only_their_own_councils_services(
    actions, make_partner, make_directorate, sign_in_officer_of
):
    lcc(make_partner, make_directorate)
    sign_in_officer_of(make_partner(code="CBC"))

    refused = upload(actions, csv_file([row()]))

    assert refused.status_code == 422
    assert "You may import only services of your own council, not LCC" in refused.text


def test_the_command_line_import_shows_progress_and_writes_all_or_nothing(
    app, make_partner, make_directorate, tmp_path
):
    lcc(make_partner, make_directorate)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([row(), row(**{sheets.NAME: "X", sheets.STAGE: "nine"})]))
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file([row(), row(**{sheets.NAME: "X"})]))
    runner = app.test_cli_runner()

    failed = runner.invoke(args=["pipeline", "import", str(bad)])
    assert failed.exit_code == 1
    assert "Row 3, Status / project stage: 'nine' is not a stage" in failed.output
    assert count(Service) == 0

    done = runner.invoke(args=["pipeline", "import", str(good)])
    assert done.exit_code == 0, done.output
    assert "Importing services" in done.output
    assert "2 services added, 0 updated" in done.output
    assert count(Service) == 2


def test_the_export_as_at_a_date_is_the_table_on_that_day(
    client, make_partner, make_directorate, make_service
):
    partner = lcc(make_partner, make_directorate)
    make_service(Stage.MANDATE, name="Early", partner=partner, since=date(2006, 1, 1))
    make_service(Stage.MANDATE, name="Later", partner=partner, since=date(2008, 1, 1))

    exported = client.get("/pipeline/export?format=csv&as_at=22/03/2007")

    text = exported.data.decode("utf-8-sig")
    assert "Early" in text and "Later" not in text
    assert 'filename="service-pipeline-2007-03-22.csv"' in exported.headers["Content-Disposition"]


def full_services(partner, directorate, make_service):
    """Services with every column filled, as an officer would have recorded them."""
    common = {
        "partner": partner,
        "directorate_id": directorate.id,
        "planned_integration_date": date(2007, 6, 1),
        "further_integration": "Web forms",
        "enquiries_per_month": 1200,
        "head_of_service": "A. Head",
        "head_of_service_meeting": date(2006, 11, 2),
        "head_of_service_meeting_note": "via CASDT",
        "mechanisms": {"telephone": "proposed", "email": "potential"},
    }
    return [
        make_service(Stage.MANDATE, name="Trading Standards", note="Waiting on ICT", **common),
        make_service(
            Stage.OPERATIONAL,
            name="Lancashire Highways",
            note="=Formula-looking note\nover two lines",
            partially_integrated=True,
            **common,
        ),
        make_service(Stage.INTEGRATION, name="Blue Badge", note="", **common),
    ]


def test_importing_the_export_unchanged_writes_nothing_and_loses_nothing(
    actions, make_partner, make_directorate, make_service
):
    from govtrack.core.models import AuditEntry

    partner = make_partner(code="LCC", name="Lancashire County Council")
    directorate = make_directorate(partner=partner, code="ENV")
    made = full_services(partner, directorate, make_service)
    before = {s.id: (s.version, s.note) for s in made}
    actions.sign_in_as("clerk")

    for fmt in ("csv", "xlsx"):
        exported = actions.client.get(f"/pipeline/export?format={fmt}")
        audits = count(AuditEntry)

        preview = upload(actions, exported.data, f"pipeline.{fmt}")
        assert preview.status_code == 200, preview.text
        assert "add 0 services and update 0; 3 rows are unchanged" in preview.text
        done = confirm(actions, preview)

        assert done.status_code == 303
        banner = actions.client.get(done.headers["Location"]).text
        assert "0 services added, 0 updated, 3 unchanged" in banner
        db.session.expire_all()
        after = {s.id: (s.version, s.note) for s in db.session.scalars(select(Service))}
        assert after == before, fmt
        assert count(AuditEntry) == audits, fmt


def test_a_sheet_without_a_column_leaves_that_field_as_it_is(
    actions, make_partner, make_directorate, make_service
):
    partner = make_partner(code="LCC", name="Lancashire County Council")
    directorate = make_directorate(partner=partner, code="ENV")
    highways = full_services(partner, directorate, make_service)[1]
    actions.sign_in_as("clerk")
    # No Notes and no E-mail enquiries column; the telephone column is there, empty.
    headers = [h for h in sheets.HEADERS if h not in (sheets.NOTES, "E-mail enquiries")]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerow(
        {
            sheets.NAME: "Lancashire Highways",
            sheets.PARTNER: "LCC",
            sheets.DIRECTORATE: "ENV",
            sheets.STAGE: "7 - Operational",
            sheets.PARTIAL: "Yes",
            sheets.INTEGRATED: highways.date_integrated.isoformat(),
            sheets.ENQUIRIES: "1300",
        }
    )
    data = out.getvalue().encode()

    done = confirm(actions, upload(actions, data))

    assert done.status_code == 303
    db.session.expire_all()
    service = db.session.get(Service, highways.id)
    assert service.enquiries_per_month == 1300
    assert service.note == "=Formula-looking note\nover two lines"
    assert service.mechanisms == {"email": "potential"}


def test_an_export_with_a_bad_as_at_date_is_refused_not_todays_table(client, make_service):
    make_service(Stage.MANDATE, name="Early")
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")

    for as_at, message in [
        (
            "bad",
            "The &#39;as at&#39; date must be a real date, like 27/3/2007 or 27 March 2007, "
            "or leave it empty for today",
        ),
        (tomorrow, "The &#39;as at&#39; date must be today or in the past"),
    ]:
        refused = client.get(f"/pipeline/export?format=xlsx&as_at={as_at}")

        assert refused.status_code == 400
        assert "attachment" not in refused.headers.get("Content-Disposition", "")
        assert message in refused.text and "Nothing was exported" in refused.text


def test_an_officer_imports_the_whole_download_other_councils_unchanged_rows_passed_over(
    actions, make_partner, make_directorate, make_service, sign_in_officer_of
):
    county = lcc(make_partner, make_directorate)
    ours = make_partner(code="CBC", name="Chorley Borough Council")
    make_service(Stage.MANDATE, name="Trading Standards", partner=county)
    make_service(Stage.OPERATIONAL, name="Lancashire Highways", partner=county)
    own = make_service(Stage.MANDATE, name="Waste Collection", partner=ours)
    sign_in_officer_of(ours)
    download = actions.client.get("/pipeline/export?format=csv").data.decode("utf-8-sig")

    edited = download.replace("Waste Collection,CBC,,1 - Mandate", "Waste Collection,CBC,,2")
    preview = upload(actions, edited.encode())

    assert preview.status_code == 200, preview.text
    assert (
        "update 1; 0 rows are unchanged and will be left as they are; 2 rows of other "
        "councils&#39; services, unchanged, passed over"
    ) in preview.text
    done = confirm(actions, preview)
    assert done.status_code == 303
    assert stage_of(own.id) == Stage.BUSINESS_CASE

    download = actions.client.get("/pipeline/export?format=csv").data.decode("utf-8-sig")
    theirs_edited = download.replace(
        "Trading Standards,LCC,,1 - Mandate", "Trading Standards,LCC,,2"
    )
    assert theirs_edited != download
    refused = upload(actions, theirs_edited.encode())

    assert refused.status_code == 422
    number = next(
        i
        for i, line in enumerate(theirs_edited.splitlines(), start=1)
        if "Trading Standards" in line
    )
    assert re.search(
        rf"<td[^>]*>{number}</td>\s*<td[^>]*>Partner</td>\s*<td[^>]*>You may import only services "
        "of your own council, not LCC",
        refused.text,
    )


def test_a_damaged_excel_file_is_named_unreadable_not_a_header_problem(actions, make_service):
    make_service(Stage.MANDATE, name="Trading Standards")
    actions.sign_in_as("clerk")
    workbook = actions.client.get("/pipeline/export?format=xlsx").data

    refused = upload(actions, workbook[: len(workbook) // 2], "pipeline.xlsx")

    assert refused.status_code == 422
    assert "The file is not a readable Excel file" in refused.text
    assert "is not a column of this tracker" not in refused.text
