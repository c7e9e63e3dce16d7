"""The final report of an inquiry: uploaded into the papers store (checked like a meeting's
report), downloaded by anyone, refused when it is not what its name says."""

from __future__ import annotations

import io
import zipfile

from govtrack.auth.enums import Role
from tests.fixtures.actions import csrf_token
from tests.fixtures.meeting_factories import PDF


def _upload(actions, world, content: bytes, name: str):
    url = f"/scrutiny/inquiries/{world.inquiry.id}/report"
    page = actions.client.get(url)
    assert page.status_code == 200
    return actions.client.post(
        url,
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_the_final_report_is_uploaded_and_downloaded(actions, client, scrutiny_world, papers_dir):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    response = _upload(actions, world, PDF, "final-report.pdf")
    assert response.status_code == 302, response.text
    page = client.get(f"/scrutiny/inquiries/{world.inquiry.id}")
    assert "final-report.pdf" in page.text
    download = client.get(f"/scrutiny/inquiries/{world.inquiry.id}/report/file")
    assert download.status_code == 200
    assert download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()


def test_a_file_that_is_not_what_it_says_is_refused(actions, scrutiny_world, papers_dir):
    world = scrutiny_world
    actions.sign_in_as(Role.SCRUTINY)
    response = _upload(actions, world, b"not a pdf at all", "final-report.pdf")
    assert response.status_code == 422
    assert "is not a real PDF file" in response.text


def test_a_workbook_renamed_docx_is_refused_as_the_final_report(
    actions, scrutiny_world, papers_dir
):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    response = _upload(actions, world, _zipped("xl/workbook.xml"), "final-report.docx")
    assert response.status_code == 422
    assert "is not a real DOCX file" in response.text
    response = _upload(actions, world, _zipped("word/document.xml"), "final-report.docx")
    assert response.status_code == 302, response.text


def _zipped(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(main_part, b"<x/>")
    return buffer.getvalue()


def test_no_report_is_not_found(client, scrutiny_world):
    assert (
        client.get(f"/scrutiny/inquiries/{scrutiny_world.inquiry.id}/report/file").status_code
        == 404
    )


def test_the_hint_and_the_refusal_name_the_same_kinds_of_file(actions, scrutiny_world, papers_dir):
    world = scrutiny_world
    actions.sign_in_as(Role.CLERK)
    form = actions.client.get(f"/scrutiny/inquiries/{world.inquiry.id}/report").text
    assert "A PDF or Word document (DOC, DOCX or ODT)" in form
    response = _upload(actions, world, b"a,b\n1,2\n", "final-report.csv")
    assert response.status_code == 422
    assert "The final report must be a PDF or Word document (DOC, DOCX or ODT)" in response.text
    assert "spreadsheet" not in response.text
