"""Reports on agenda items: a clerk uploads them while the agenda can change; bad files are
refused with a clear message and leave nothing behind; an exempt item's papers reach only its
body's members and officers, clerks and admins."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from govtrack.auth.enums import Role
from govtrack.core.dates import today
from govtrack.core.models import AuditEntry
from govtrack.core.records import Invalid, Locked
from govtrack.db import db
from govtrack.meetings import paper_store, queries
from govtrack.meetings.enums import AgendaStatus, MinutesStatus
from govtrack.meetings.models import Paper
from govtrack.registry.models import Body
from tests.fixtures.actions import csrf_token
from tests.fixtures.meeting_factories import PDF


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
GIF = b"GIF89a" + bytes(20)
CSV = "Service,Budget (£)\nRevenues and Benefits,1200\n".encode()


WELSH_NAME = "Adroddiad cyllideb \u2013 Ch2.pdf"  # an en dash: not ASCII


def stored_files(folder) -> list[str]:
    """Every file under the papers folder, temporary ones (dot files) included."""
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def upcoming_meeting(make_meeting, **overrides):
    values = {
        "held_on": today() + timedelta(days=14),
        "agenda_status": AgendaStatus.PUBLISHED,
        "minutes_status": MinutesStatus.NONE,
    }
    values.update(overrides)
    return make_meeting(**values)


def upload(actions, item, filename: str, content: bytes, title: str = "Budget monitoring: Q2"):
    return actions.submit(
        f"/items/{item.id}/papers/new",
        {"title": title, "file": (io.BytesIO(content), filename)},
    )


def sign_in_as_member_of(actions, make_person, make_membership, body, **membership):
    """A councillor's account linked to a person who sits on ``body``."""
    user = actions.sign_in_as(Role.MEMBER)
    person = make_person(user_id=user.id)
    make_membership(person=person, body=body, **membership)
    return user


# Uploading ---------------------------------------------------------------------------------


def test_clerk_uploads_a_pdf_stored_by_its_hash_and_audited(
    actions, make_meeting, make_item, papers_dir
):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    clerk = actions.sign_in_as(Role.CLERK)
    form = actions.client.get(f"/items/{item.id}/papers/new")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    assert "up to 20 MB" in form.text

    response = upload(actions, item, "Budget report.pdf", PDF)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#item-{item.id}")
    paper = db.session.scalar(select(Paper).where(Paper.item_id == item.id))
    digest = hashlib.sha256(PDF).hexdigest()
    assert (paper.title, paper.filename, paper.content_type) == (
        "Budget monitoring: Q2",
        "Budget report.pdf",
        "application/pdf",
    )
    assert (paper.size, paper.sha256, paper.uploaded_by_id) == (len(PDF), digest, clerk.id)
    assert stored_files(papers_dir) == [f"{digest[:2]}/{digest}"]
    assert (papers_dir / digest[:2] / digest).read_bytes() == PDF
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.subject_type == "paper", AuditEntry.subject_id == paper.id
        )
    )
    assert entry.action == "create"
    assert entry.actor_id == clerk.id
    assert entry.changes["sha256"] == [None, digest]

    download = actions.client.get(f"/papers/{paper.id}", buffered=True)
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="Budget report.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_same_report_uploaded_twice_is_stored_once(
    actions, make_meeting, make_item, papers_dir
):
    meeting = upcoming_meeting(make_meeting)
    first, second = make_item(meeting=meeting), make_item(meeting=meeting)
    actions.sign_in_as(Role.CLERK)
    assert upload(actions, first, "report.pdf", PDF).status_code == 302
    assert upload(actions, second, "same report.pdf", PDF).status_code == 302
    papers = db.session.scalars(select(Paper).order_by(Paper.id)).all()
    assert [p.filename for p in papers] == ["report.pdf", "same report.pdf"]
    assert len(stored_files(papers_dir)) == 1


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        (
            "minutes.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("REPORT.ODT", ODT, "application/vnd.oasis.opendocument.text"),
        ("figures.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("old report.doc", OLE, "application/msword"),
        ("old budget.xls", OLE, "application/vnd.ms-excel"),
        ("figures.csv", CSV, "text/csv"),
        ("site plan.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("chart.gif", GIF, "image/gif"),
    ],
)
def test_word_spreadsheet_and_image_files_are_accepted(filename, content, content_type):
    checked = paper_store.check_upload(filename, io.BytesIO(content), 1024 * 1024)
    assert checked.kind.content_type == content_type
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00" + bytes(60),
            "The selected file must be a PDF, a Word document",
        ),
        ("report", PDF, "The selected file must be a PDF, a Word document"),
        ("page.html", b"<script>alert(1)</script>", "The selected file must be a PDF"),
        ("report.pdf", PNG, "The selected file is not a real PDF file"),
        ("photo.png", b"<svg onload=alert(1)>", "The selected file is not a real PNG file"),
        ("minutes.docx", zipped({"evil.html": b"<html/>"}), "is not a real DOCX file"),
        ("minutes.docx", b"PK\x03\x04 not really a zip", "is not a real DOCX file"),
        ("figures.ods", XLSX, "is not a real ODS file"),
        # Every Office file has [Content_Types].xml: a workbook renamed .docx is not a document.
        ("minutes.docx", XLSX, "is not a real DOCX file"),
        ("budget.xlsx", DOCX, "is not a real XLSX file"),
        ("figures.csv", b"a,b\x00c\n", "must be a CSV file saved as text (UTF-8)"),
        ("figures.csv", b"caf\xe9,1\n", "must be a CSV file saved as text (UTF-8)"),
        ("report.pdf", b"", "The selected file is empty"),
    ],
)
def test_files_of_the_wrong_type_are_refused(filename, content, message):
    with pytest.raises(Invalid) as refused:
        paper_store.check_upload(filename, io.BytesIO(content), 1024 * 1024)
    assert message in refused.value.problems["file"]


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/report.pdf",
        "reports/q2.pdf",
        "C:\\Users\\clerk\\q2.pdf",
        "..\\q2.pdf",
        "C:q2.pdf",
        "q2..pdf",
        "q2\x00.pdf",
    ],
)
def test_a_file_name_with_a_path_is_refused_not_trimmed(filename):
    with pytest.raises(Invalid) as refused:
        paper_store.check_upload(filename, io.BytesIO(PDF), 1024 * 1024)
    assert refused.value.problems["file"] == paper_store.PATH_IN_NAME


def test_sizes_read_as_on_gov_uk_pages():
    assert paper_store.format_size(300) == "1 KB"
    assert paper_store.format_size(350 * 1024) == "350 KB"
    assert paper_store.format_size(int(2.5 * 1024 * 1024)) == "2.5 MB"
    assert paper_store.format_size(20 * 1024 * 1024) == "20 MB"


def test_a_wrong_type_upload_is_refused_with_a_message_and_nothing_stored(
    actions, make_meeting, make_item, papers_dir
):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(Role.CLERK)
    response = upload(actions, item, "setup.exe", b"MZ\x90\x00" + bytes(60))
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "The selected file must be a PDF, a Word document" in response.text
    assert 'value="Budget monitoring: Q2"' in response.text  # the title is kept

    response = upload(actions, item, "report.pdf", PNG)
    assert response.status_code == 422
    assert "The selected file is not a real PDF file" in response.text
    assert db.session.scalar(select(Paper.id)) is None
    assert stored_files(papers_dir) == []


def test_a_path_in_the_file_name_is_refused_through_the_form(
    actions, make_meeting, make_item, papers_dir
):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(Role.CLERK)
    for name in ("../../etc/report.pdf", "C:\\Users\\clerk\\report.pdf"):
        response = upload(actions, item, name, PDF)
        assert response.status_code == 422
        assert "must not include a folder or drive" in response.text
    assert db.session.scalar(select(Paper.id)) is None
    assert stored_files(papers_dir) == []


def test_missing_title_or_file_is_refused(actions, make_meeting, make_item, papers_dir):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(Role.CLERK)
    response = actions.submit(
        f"/items/{item.id}/papers/new", {"title": "", "file": (io.BytesIO(b""), "")}
    )
    assert response.status_code == 422
    assert "Enter the report&#39;s title" in response.text
    assert "Select a report to upload" in response.text
    assert stored_files(papers_dir) == []


def test_a_file_over_the_limit_is_refused_naming_the_limit(
    actions, app, make_meeting, make_item, papers_dir
):
    app.config["MAX_PAPER_BYTES"] = 2048
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(Role.CLERK)
    response = upload(actions, item, "report.pdf", PDF + bytes(3000))
    assert response.status_code == 422
    assert "The selected file must be smaller than 2 KB" in response.text
    assert db.session.scalar(select(Paper.id)) is None
    assert stored_files(papers_dir) == []


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(
    actions, app, make_meeting, make_item, papers_dir
):
    app.config["MAX_PAPER_BYTES"] = 2048
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(Role.CLERK)
    response = upload(actions, item, "report.pdf", PDF + bytes(200 * 1024))
    assert response.status_code == 413
    assert "The file is too large" in response.text
    assert "A report can be up to 2 KB" in response.text
    assert "Nothing has been saved" in response.text
    assert db.session.scalar(select(Paper.id)) is None
    assert stored_files(papers_dir) == []


def test_a_failed_write_leaves_no_temporary_file_and_no_row(
    actions, make_meeting, make_item, papers_dir, monkeypatch
):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(Role.CLERK)

    def disk_full(_src, _dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paper_store.os, "replace", disk_full)
    response = upload(actions, item, "report.pdf", PDF)
    assert response.status_code == 500
    assert db.session.scalar(select(Paper.id)) is None
    assert stored_files(papers_dir) == []


def test_uploading_to_a_held_meeting_is_refused_with_409(
    actions, make_meeting, make_item, papers_dir
):
    held = make_meeting(held_on=today() - timedelta(days=1))
    item = make_item(meeting=held)
    actions.sign_in_as(Role.CLERK)
    page = actions.client.get(f"/items/{item.id}/papers/new")
    assert page.status_code == 409
    assert "The meeting has been held" in page.text
    assert "Record what happened in the minutes instead" in page.text
    response = actions.client.post(
        f"/items/{item.id}/papers/new",
        data={
            "csrf_token": csrf_token(page.text),
            "title": "Late report",
            "file": (io.BytesIO(PDF), "late.pdf"),
        },
    )
    assert response.status_code == 409
    assert db.session.scalar(select(Paper.id)) is None
    assert stored_files(papers_dir) == []


def test_the_service_refuses_a_held_meeting_too(
    app, make_user, make_meeting, make_item, papers_dir
):
    item = queries.load_item(make_item(meeting=make_meeting(held_on=date(2024, 3, 27))).id)
    upload_ = FileStorage(io.BytesIO(PDF), filename="late.pdf")
    with pytest.raises(Locked):
        paper_store.attach_paper(make_user(role=Role.CLERK), item, "Late", upload_, today())
    assert stored_files(papers_dir) == []


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OFFICER, Role.SCRUTINY])
def test_only_clerks_and_admins_upload(actions, make_meeting, make_item, papers_dir, role):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    actions.sign_in_as(role)
    assert actions.client.get(f"/items/{item.id}/papers/new").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_to_upload(client, make_meeting, make_item):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    response = client.get(f"/items/{item.id}/papers/new")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_upload_to_an_unknown_item_is_404(actions, papers_dir):
    actions.sign_in_as(Role.CLERK)
    assert actions.client.get("/items/999999/papers/new").status_code == 404


# Downloading -------------------------------------------------------------------------------


def test_a_public_paper_downloads_for_anyone_with_its_own_name(
    client, make_meeting, make_item, make_paper
):
    item = make_item(meeting=upcoming_meeting(make_meeting))
    paper = make_paper(item=item, filename=WELSH_NAME)
    response = client.get(f"/papers/{paper.id}", buffered=True)
    assert response.status_code == 200
    assert response.data == PDF
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == WELSH_NAME
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_exempt_paper_is_hidden_from_the_public_and_other_users(
    actions, client, make_meeting, make_item, make_paper, make_person, make_membership, make_body
):
    meeting = upcoming_meeting(make_meeting)
    paper = make_paper(item=make_item(meeting=meeting, title="Contract award", exempt_paragraph=3))
    url = f"/papers/{paper.id}"

    assert client.get(url, buffered=True).status_code == 404  # the public is not told it exists

    actions.sign_in_as(Role.OFFICER)
    assert actions.client.get(url, buffered=True).status_code == 403
    actions.client.post("/sign-out", data={"csrf_token": csrf_token(actions.client.get("/").text)})

    sign_in_as_member_of(actions, make_person, make_membership, make_body())
    assert actions.client.get(url, buffered=True).status_code == 403


def test_a_former_member_of_the_body_cannot_download_an_exempt_paper(
    actions, make_meeting, make_item, make_paper, make_person, make_membership
):
    meeting = upcoming_meeting(make_meeting)
    paper = make_paper(item=make_item(meeting=meeting, exempt_paragraph=1))
    body = db.session.get(Body, meeting.body_id)
    sign_in_as_member_of(
        actions,
        make_person,
        make_membership,
        body,
        start_on=date(2015, 5, 1),
        end_on=today() - timedelta(days=1),
    )
    assert actions.client.get(f"/papers/{paper.id}", buffered=True).status_code == 403


@pytest.mark.parametrize("who", ["member of the body", "clerk", "admin"])
def test_an_exempt_paper_downloads_for_the_body_and_clerks(
    actions, make_meeting, make_item, make_paper, make_person, make_membership, who
):
    meeting = upcoming_meeting(make_meeting)
    paper = make_paper(item=make_item(meeting=meeting, exempt_paragraph=3))
    if who == "member of the body":
        body = db.session.get(Body, meeting.body_id)
        sign_in_as_member_of(actions, make_person, make_membership, body)
    else:
        actions.sign_in_as(Role(who))
    response = actions.client.get(f"/papers/{paper.id}", buffered=True)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_paper_on_an_unpublished_agenda_is_not_found_except_by_clerks(
    actions, client, make_meeting, make_item, make_paper, make_person, make_membership
):
    meeting = upcoming_meeting(make_meeting, agenda_status=AgendaStatus.DRAFT)
    body_id = meeting.body_id
    paper = make_paper(item=make_item(meeting=meeting))
    url = f"/papers/{paper.id}"
    assert client.get(url, buffered=True).status_code == 404
    # A refused request rolls the session back: load the body again.
    body = db.session.get(Body, body_id)
    sign_in_as_member_of(actions, make_person, make_membership, body)
    assert actions.client.get(url, buffered=True).status_code == 404
    actions.client.post("/sign-out", data={"csrf_token": csrf_token(actions.client.get("/").text)})
    actions.sign_in_as(Role.CLERK)
    response = actions.client.get(url, buffered=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_an_unknown_paper_is_404(client, papers_dir):
    assert client.get("/papers/999999").status_code == 404


def test_a_download_is_sandboxed_if_a_browser_opens_it(client, make_meeting, make_item, make_paper):
    paper = make_paper(item=make_item(meeting=upcoming_meeting(make_meeting)))
    response = client.get(f"/papers/{paper.id}", buffered=True)
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


# The meeting page's list of papers ---------------------------------------------------------


def test_the_meeting_page_lists_papers_but_not_an_exempt_items_to_the_public(
    actions, client, make_meeting, make_item, make_paper
):
    meeting = upcoming_meeting(make_meeting)
    open_paper = make_paper(item=make_item(meeting=meeting), title="Budget monitoring")
    secret = make_paper(
        item=make_item(meeting=meeting, title="Contract award", exempt_paragraph=3),
        title="Tender evaluation scores",
        content=PDF + b"% other\n",
    )

    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert "Budget monitoring" in page.text
    assert f'href="/papers/{open_paper.id}"' in page.text
    assert "PDF, 1 KB" in page.text
    assert "Contract award" in page.text  # the exempt item's title is public...
    assert "Tender evaluation scores" not in page.text  # ...its papers are not
    assert f"/papers/{secret.id}" not in page.text
    assert "Add a report" not in page.text

    actions.sign_in_as(Role.CLERK)
    page = actions.client.get(f"/meetings/{meeting.id}")
    assert "Tender evaluation scores" in page.text
    assert f'href="/items/{open_paper.item_id}/papers/new"' in page.text


def test_a_held_meeting_offers_no_upload(actions, make_meeting, make_item, make_paper):
    meeting = make_meeting(held_on=today() - timedelta(days=3))
    paper = make_paper(item=make_item(meeting=meeting))
    actions.sign_in_as(Role.CLERK)
    page = actions.client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert f'href="/papers/{paper.id}"' in page.text
    assert "Add a report" not in page.text
