"""The tracker goes out as CSV or Excel and comes back in the same format: every problem named
with its row, nothing written unless the whole file is valid, rows already recorded left alone."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.scrutiny import commands, progress, queries, sheets
from govtrack.scrutiny.models import Recommendation, RecommendationUpdate
from tests.fixtures.actions import csrf_token
from tests.integration.scrutiny.conftest import REPORTED

ACTOR = system_actor("Test")


def _seeded(world) -> None:
    rec = queries.load_recommendation(world.rec.id)
    progress.add_update(
        ACTOR,
        rec,
        {"on": date(2007, 11, 20), "text": "A vision statement has been agreed.",
         "partner_id": world.lcc.id},
        today(),
    )  # fmt: skip
    db.session.commit()


def _csv(rows: list[list[str]], headers=sheets.HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(**values) -> list[str]:
    base = dict.fromkeys(sheets.HEADERS, "")
    base.update({"Reference": "4.a"})
    base.update({k.replace("_", " "): v for k, v in values.items()})
    return [base[h] for h in sheets.HEADERS]


def _count_updates() -> int:
    return db.session.scalar(select(func.count(RecommendationUpdate.id)))


def test_export_csv_and_xlsx(client, scrutiny_world):
    world = scrutiny_world
    _seeded(world)
    base = f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export"
    response = client.get(f"{base}?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == list(sheets.HEADERS)
    assert rows[1][0] == "4.a" and rows[1][9] == "LCC" and rows[1][8] == "2007-11-20"
    response = client.get(f"{base}?format=xlsx")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert sheet.cell(2, 9).value.date() == date(2007, 11, 20)


def test_an_exported_sheet_comes_back_unchanged(client, scrutiny_world):
    world = scrutiny_world
    _seeded(world)
    data = client.get(f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=xlsx").data
    before = _count_updates()
    plan = sheets.plan(world.inquiry, data, "tracker.xlsx", today())
    assert plan.valid, [str(p) for p in plan.problems]
    written = sheets.write(ACTOR, world.inquiry, plan, today())
    assert (written.updates, written.unchanged) == (0, 1)
    assert _count_updates() == before


def test_every_bad_row_is_named_and_nothing_is_written(actions, scrutiny_world, tmp_path, app):
    world = scrutiny_world
    app.config["IMPORTS_DIR"] = str(tmp_path)
    actions.sign_in_as(Role.CLERK)
    good = _row(Update_date="2007-11-20", Update_by="LCC", Update="Agreed.")
    data = _csv(
        [
            good,
            _row(Update_date="20/13/2007", Update="Bad date"),
            _row(Update_date="2007-11-20", Update_by="XYZ", Update="Unknown partner"),
            _row(Reference="9.z", Update_date="2007-11-20", Update="Unknown ref"),
            good,
            _row(Update_date="2007-11-21", Update_by="PBC", Update="Not addressed"),
        ]
    )
    url = f"/scrutiny/inquiries/{world.inquiry.id}/import"
    page = actions.client.get(url)
    response = actions.client.post(
        url,
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), "tracker.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.text
    assert "is not a date" in text
    assert "unknown partner XYZ" in text
    assert "no recommendation 9.z in this inquiry" in text
    assert "repeats row 2" in text
    assert "is not addressed to PBC" in text
    for row in ("3", "4", "5", "6", "7"):
        assert f">{row}</td>" in text
    assert _count_updates() == 0


def test_a_wrong_header_is_refused(scrutiny_world):
    data = _csv([["4.a"]], headers=("Ref",))
    plan = sheets.plan(scrutiny_world.inquiry, data, "t.csv", today())
    assert not plan.valid
    assert any(p.row == 1 and "not a column" in p.message for p in plan.problems)


def test_a_valid_file_is_previewed_then_imported_in_one_go(actions, scrutiny_world, tmp_path, app):
    world = scrutiny_world
    app.config["IMPORTS_DIR"] = str(tmp_path)
    actions.sign_in_as(Role.CLERK)
    data = _csv(
        [
            _row(Update_date="2007-11-20", Update_by="LCC", Update="Agreed.",
                 Assessment="On track"),
            _row(Reference="6.a", Recommendation="A new one.", Addressed_to="LCC",
                 Update_date="2008-01-10", Update_by="LCC", Update="Started.",
                 Update_status="in_progress"),
        ]
    )  # fmt: skip
    url = f"/scrutiny/inquiries/{world.inquiry.id}/import"
    page = actions.client.get(url)
    preview = actions.client.post(
        url,
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), "tracker.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.text
    assert "ready to import" in preview.text
    assert _count_updates() == 0
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', preview.text)
    assert token, preview.text
    done = actions.client.post(
        f"{url}/confirm", data={"csrf_token": csrf_token(preview.text), "token": token.group(1)}
    )
    assert done.status_code == 303
    assert _count_updates() == 2
    new = db.session.scalar(select(Recommendation).where(Recommendation.reference == "6.a"))
    assert new.status.value == "in_progress"


def test_cli_import_shows_problems_and_writes_nothing(app, scrutiny_world, tmp_path):
    world = scrutiny_world
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([_row(Update_date="tomorrow", Update="x")]))
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["scrutiny", "import", str(bad), "--inquiry", str(world.inquiry.id)]
    )
    assert result.exit_code != 0
    assert "Row 2, Update date" in result.output
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([_row(Update_date="2007-11-20", Update_by="LCC", Update="Agreed.")]))
    result = runner.invoke(
        args=["scrutiny", "import", str(good), "--inquiry", str(world.inquiry.id)]
    )
    assert result.exit_code == 0, result.output
    assert "1 update(s) added" in result.output


def _signed_off(world) -> None:
    """4.a with the general update of 20 November 2007 (speaking for both councils it is
    addressed to), reported implemented and signed off."""
    rec = queries.load_recommendation(world.rec.id)
    progress.add_update(
        ACTOR,
        rec,
        {"on": date(2007, 11, 20), "text": "A vision statement has been agreed.",
         "status": "implemented"},
        today(),
    )  # fmt: skip
    progress.sign_off(ACTOR, rec, "Done.", rec.version, today())
    db.session.commit()


def _upload(actions, world, data: bytes):
    url = f"/scrutiny/inquiries/{world.inquiry.id}/import"
    page = actions.client.get(url)
    return actions.client.post(
        url,
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), "tracker.csv")},
        content_type="multipart/form-data",
    )


def test_a_new_update_for_a_signed_off_recommendation_is_named_in_the_preview(
    actions, scrutiny_world, tmp_path, app
):
    world = scrutiny_world
    app.config["IMPORTS_DIR"] = str(tmp_path)
    _signed_off(world)
    actions.sign_in_as(Role.CLERK)
    exported = actions.client.get(
        f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv"
    ).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    added = list(rows[1])
    added[8], added[10] = "2008-01-10", "A further step was taken."
    data = _csv([*rows[1:], added], headers=rows[0])
    preview = _upload(actions, world, data)
    assert preview.status_code == 422
    problems = re.findall(
        r'numeric">([^<]*)</td>\s*<td class="govuk-table__cell">([^<]*)</td>\s*'
        r'<td class="govuk-table__cell">([^<]*)</td>',
        preview.text,
    )
    assert len(problems) == 1, problems
    row, column, message = problems[0]
    assert (row, column) == ("3", "Update")
    assert "has been signed off" in message
    assert _count_updates() == 1


def test_an_exported_signed_off_recommendation_comes_back_unchanged(scrutiny_world, client):
    world = scrutiny_world
    _signed_off(world)
    data = client.get(f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv").data
    plan = sheets.plan(world.inquiry, data, "tracker.csv", today())
    assert plan.valid, [str(p) for p in plan.problems]
    written = sheets.write(ACTOR, world.inquiry, plan, today())
    assert (written.updates, written.unchanged) == (0, 1)


def test_cli_import_refused_at_write_prints_the_problem_without_a_traceback(
    app, scrutiny_world, tmp_path, monkeypatch
):
    world = scrutiny_world
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([_row(Update_date="2007-11-20", Update_by="LCC", Update="Agreed.")]))
    checked = sheets.plan

    def signed_off_meanwhile(*args, **kwargs):
        plan = checked(*args, **kwargs)
        _signed_off(world)  # by someone else, between the check and the write
        return plan

    monkeypatch.setattr(sheets, "plan", signed_off_meanwhile)
    before = _count_updates()
    result = app.test_cli_runner().invoke(
        args=["scrutiny", "import", str(good), "--inquiry", str(world.inquiry.id)]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Update: Row 2: This recommendation has been signed off" in result.output
    assert "nothing was imported" in result.output
    assert _count_updates() == before + 1  # only the update of the sign-off meanwhile


def test_an_imported_update_before_the_report_or_slipping_backwards_is_named(scrutiny_world):
    data = _csv(
        [
            _row(Update_date="1900-01-01", Update_by="LCC", Update="Too early."),
            _row(Update_date="2007-11-20", Update_by="LCC", Update="Slipped.",
                 Assessment="slipped", New_target_date="2007-11-01", Slip_reason="Late."),
        ]
    )  # fmt: skip
    plan = sheets.plan(scrutiny_world.inquiry, data, "t.csv", today())
    found = {(p.row, p.column): p.message for p in plan.problems}
    assert "on or after 7 March 2007" in found[(2, "Update date")]
    assert "must be after the date of the update" in found[(3, "New target date")]


def test_an_override_and_its_end_date_go_out_and_come_back(scrutiny_world, client):
    world = scrutiny_world
    until = today() + timedelta(days=40)
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": date(2007, 11, 20), "text": "Judged on course.", "partner_id": world.lcc.id,
         "rag_override": "green", "rag_reason": "Board", "rag_override_until": until},
        today(),
    )  # fmt: skip
    db.session.commit()
    data = client.get(f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv").data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    column = rows[0].index("RAG override until")
    assert rows[1][column] == until.isoformat()
    plan = sheets.plan(world.inquiry, data, "tracker.csv", today())
    assert plan.valid, [str(p) for p in plan.problems]
    assert sheets.write(ACTOR, world.inquiry, plan, today()).unchanged == 1
    # A new override in the file needs its end date.
    new = _csv([_row(Update_date="2007-12-01", Update_by="LCC", Update="Red now.",
                     RAG_override="red", RAG_reason="Board")])  # fmt: skip
    plan = sheets.plan(world.inquiry, new, "t.csv", today())
    assert [(p.row, p.column) for p in plan.problems] == [(2, "RAG override until")]


def test_the_export_shows_each_partners_response_as_at_its_date(scrutiny_world, client):
    """Like the monitoring report, the sheet names each addressee's latest response."""
    world = scrutiny_world
    progress.record_response(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"partner_id": world.lcc.id, "decision": "accepted", "text": "Agreed.", "reasons": "",
         "responded_on": date(2007, 4, 1)},
        today(),
    )  # fmt: skip
    db.session.commit()
    base = f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv"

    def responses(url: str) -> str:
        rows = list(csv.DictReader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))
        return rows[0]["Responses"]

    now = responses(base)
    assert "LCC: Accepted, 1 April 2007" in now
    assert "CBC: awaited (no time set by law for a report received before 30 October 2007)" in now
    assert "LCC: awaited, due" in responses(base + "&as_at=2007-03-20")


def test_an_exported_sheet_with_responses_comes_back_unchanged(scrutiny_world, client):
    world = scrutiny_world
    _seeded(world)
    data = client.get(f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv").data
    assert "response overdue" in data.decode("utf-8-sig")
    plan = sheets.plan(world.inquiry, data, "tracker.csv", today())
    assert plan.valid, [str(p) for p in plan.problems]
    assert sheets.write(ACTOR, world.inquiry, plan, today()).updates == 0


def test_edits_to_the_read_only_columns_are_listed_as_not_imported(
    actions, scrutiny_world, tmp_path, app
):
    world = scrutiny_world
    _seeded(world)
    app.config["IMPORTS_DIR"] = str(tmp_path)
    actions.sign_in_as(Role.CLERK)
    export = f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv"
    rows = list(csv.reader(io.StringIO(actions.client.get(export).data.decode("utf-8-sig"))))
    [row] = rows[1:]
    column = {h: i for i, h in enumerate(sheets.HEADERS)}
    untouched = _upload(actions, world, _csv([row]))
    assert "Cells that will not be imported" not in untouched.text
    assert "will write 0 rows" in untouched.text and "1 row is already recorded" in untouched.text

    row[column["Status"]] = "implemented"
    row[column["Responses"]] = "LCC: Accepted, 01/04/2007"
    new = list(row)
    new[column["Update date"]], new[column["Update"]] = "2007-11-21", "Front Office live."
    preview = _upload(actions, world, _csv([row, new]))
    assert preview.status_code == 200, preview.text
    text = preview.text
    assert "Cells that will not be imported" in text
    assert "&#39;implemented&#39; is not read back: the records give &#39;not_started&#39;" in text
    assert "&#39;LCC: Accepted, 01/04/2007&#39; is not read back" in text
    assert "will write 1 row" in text and "1 row is already recorded" in text
    assert "Responses are recorded on each recommendation's own form" in text


def _second_inquiry(world):
    other = commands.create_inquiry(
        ACTOR,
        {"body_id": world.body.id, "title": "Customer access review", "reported_on": REPORTED},
    )
    commands.add_recommendation(
        ACTOR,
        other,
        {"reference": "4.a", "text": "Another inquiry's 4.a.", "addressee_ids": []},
        today(),
    )
    db.session.commit()
    return other


def test_a_file_exported_from_another_inquiry_is_refused_on_the_web_and_the_command_line(
    actions, scrutiny_world, tmp_path, app
):
    """Both inquiries have a 4.a: without the export naming its inquiry, the other inquiry's
    updates would have been filed under this one's 4.a."""
    world = scrutiny_world
    app.config["IMPORTS_DIR"] = str(tmp_path)
    other = _second_inquiry(world)
    progress.add_update(
        ACTOR,
        queries.load_recommendation(world.rec.id),
        {"on": date(2007, 11, 20), "text": "This inquiry's progress.", "partner_id": world.lcc.id},
        today(),
    )  # fmt: skip
    db.session.commit()
    actions.sign_in_as(Role.CLERK)
    exported = actions.client.get(
        f"/scrutiny/inquiries/{world.inquiry.id}/monitoring/export?format=csv"
    ).data
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0][-1] == "Inquiry" and rows[1][-1] == world.inquiry.title
    before = _count_updates()

    url = f"/scrutiny/inquiries/{other.id}/import"
    page = actions.client.get(url)
    refused = actions.client.post(
        url,
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(exported), "t.csv")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "exported from the inquiry" in refused.text
    assert "Shared Services partnership" in refused.text
    file = tmp_path / "tracker.csv"
    file.write_bytes(exported)
    result = app.test_cli_runner().invoke(
        args=["scrutiny", "import", str(file), "--inquiry", str(other.id)]
    )
    assert result.exit_code != 0
    assert "exported from the inquiry 'Shared Services partnership'" in result.output
    assert _count_updates() == before
    # Into its own inquiry it comes back unchanged, with no warning about the inquiry.
    back = _upload(actions, world, exported)
    assert "does not say which inquiry" not in back.text
    assert "exported from the inquiry" not in back.text


def test_a_file_that_does_not_name_its_inquiry_is_read_with_a_warning(
    actions, scrutiny_world, tmp_path, app
):
    world = scrutiny_world
    app.config["IMPORTS_DIR"] = str(tmp_path)
    actions.sign_in_as(Role.CLERK)
    older = [h for h in sheets.HEADERS if h != "Inquiry"]
    row = _row(Update_date="2007-11-20", Update_by="LCC", Update="Agreed.")[:-1]
    preview = _upload(actions, world, _csv([row], headers=older))
    assert preview.status_code == 200
    assert "does not say which inquiry it was downloaded from" in preview.text
