"""Reports attached to agenda items: which files are accepted, how they are kept (by content
hash, outside static/, written atomically) and who may download them.

A file is checked completely (name, type by extension and by content, size) before anything
is written; the file is then stored once per content, so uploading the same report twice keeps
one copy.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from govtrack.core.permissions import ensure
from govtrack.core.records import Invalid, create_record, raise_if
from govtrack.db import db
from govtrack.meetings import commands, queries
from govtrack.meetings.enums import AgendaStatus
from govtrack.meetings.models import AgendaItem, Meeting, Paper
from govtrack.meetings.permissions import can_manage_meetings

DEFAULT_MAX_PAPER_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024
# What a document may unpack to: reports with pictures stay far below it, while a small file
# that unpacks to gigabytes (a "zip bomb") would hang whoever opens it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 5_000
MAX_FILENAME = 200  # the lengths of Paper.filename and Paper.title
MAX_TITLE = 200
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


# Which files are accepted ------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: what to call it, its MIME type, and the check its bytes pass."""

    label: str
    content_type: str
    signature: str  # a key of SIGNATURES


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _is_ole(head: bytes) -> bool:
    # Compound File Binary: the container of Word 97-2003 and Excel 97-2003 files.
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _is_gif(head: bytes) -> bool:
    return head.startswith((b"GIF87a", b"GIF89a"))


# The first bytes each kind of file starts with. CSV has no signature: it is checked as text.
SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "pdf": _is_pdf,
    "ooxml": _is_zip,
    "odf": _is_zip,
    "ole": _is_ole,
    "png": _is_png,
    "jpeg": _is_jpeg,
    "gif": _is_gif,
    "csv": lambda _head: True,
}

_WORD = "Word document"
_SHEET = "Spreadsheet"
KINDS: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", "pdf"),
    "doc": FileKind(_WORD, "application/msword", "ole"),
    "docx": FileKind(
        _WORD,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml",
    ),
    "odt": FileKind("OpenDocument text", "application/vnd.oasis.opendocument.text", "odf"),
    "xls": FileKind(_SHEET, "application/vnd.ms-excel", "ole"),
    "xlsx": FileKind(
        _SHEET, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"
    ),
    "ods": FileKind(
        "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "odf"
    ),
    "csv": FileKind("CSV spreadsheet", "text/csv", "csv"),
    "png": FileKind("PNG image", "image/png", "png"),
    "jpg": FileKind("JPEG image", "image/jpeg", "jpeg"),
    "jpeg": FileKind("JPEG image", "image/jpeg", "jpeg"),
    "gif": FileKind("GIF image", "image/gif", "gif"),
}
LABELS_BY_TYPE = {kind.content_type: kind.label for kind in KINDS.values()}
ACCEPT = ",".join(f".{extension}" for extension in KINDS)

WRONG_TYPE = (
    "The selected file must be a PDF, a Word document (DOC, DOCX or ODT), a spreadsheet "
    "(XLS, XLSX, ODS or CSV) or an image (PNG, JPEG or GIF)"
)
UNPACKS_TOO_LARGE = (
    f"The selected file holds more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB once opened, "
    "more than any report needs: it may be damaged. Save it again (with smaller pictures) "
    "and select it"
)
PATH_IN_NAME = (
    "The file name must be just a name, like report.pdf: it must not include a folder or "
    "drive (/, \\, .. or C:). Rename the file and select it again"
)


def max_paper_bytes() -> int:
    return int(current_app.config.get("MAX_PAPER_BYTES") or DEFAULT_MAX_PAPER_BYTES)


def papers_dir() -> str:
    return current_app.config.get("PAPERS_DIR") or os.path.join(current_app.instance_path, "papers")


def format_size(size: int) -> str:
    """1 KB, 340 KB, 2.5 MB, 20 MB: how GOV.UK pages give file sizes."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB"


def kind_label(content_type: str) -> str:
    return LABELS_BY_TYPE.get(content_type, "File")


def filename_problem(filename: str) -> str | None:
    """Why a name cannot be kept as the download name; None when it can.

    A name with a path is refused rather than trimmed, so the clerk sees what was sent.
    """
    if not filename:
        return "Select a report to upload"
    if (
        "/" in filename
        or "\\" in filename
        or ".." in filename
        or "\x00" in filename
        or re.match(r"^[A-Za-z]:", filename)
    ):
        return PATH_IN_NAME
    if any(unicodedata.category(char) == "Cc" for char in filename):
        return "The file name must not contain control characters. Rename the file"
    if len(filename) > MAX_FILENAME:
        return f"The file name must be {MAX_FILENAME} characters or fewer. Rename the file"
    return None


def kind_of(filename: str) -> FileKind | None:
    _stem, dot, extension = filename.rpartition(".")
    return KINDS.get(extension.lower()) if dot else None


# The main part of each accepted OOXML kind: every Office file has [Content_Types].xml, so
# without this a workbook renamed .docx would pass as a Word document.
OOXML_MAIN_PARTS = {
    KINDS["docx"].content_type: "word/document.xml",
    KINDS["xlsx"].content_type: "xl/workbook.xml",
}


def unpacks_too_large(archive: zipfile.ZipFile, budget: int = MAX_UNPACKED_BYTES) -> bool:
    """Whether the archive holds more than ``budget`` bytes once unpacked: its entries' own
    sizes are checked first, then every part is unpacked and counted (a header can lie), and
    the counting stops as soon as the budget is passed."""
    entries = archive.infolist()
    if len(entries) > MAX_PARTS or sum(entry.file_size for entry in entries) > budget:
        return True
    used = 0
    for entry in entries:
        with archive.open(entry) as part:
            while chunk := part.read(CHUNK):
                used += len(chunk)
                if used > budget:
                    return True
    return False


def _container_matches(kind: FileKind, stream: IO[bytes]) -> bool:
    """An OOXML file is a zip with [Content_Types].xml and its kind's main part (a Word
    document's word/document.xml); an ODF file names its type first. One that unpacks to
    more than a document can hold is refused (``Invalid``) as too large."""
    try:
        with zipfile.ZipFile(stream) as archive:
            if unpacks_too_large(archive):
                raise Invalid({"file": UNPACKS_TOO_LARGE})
            if kind.signature == "ooxml":
                names = set(archive.namelist())
                return (
                    "[Content_Types].xml" in names
                    and OOXML_MAIN_PARTS.get(kind.content_type) in names
                )
            with archive.open("mimetype") as entry:
                return entry.read(200).decode("ascii", "replace").strip() == kind.content_type
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, RuntimeError,
            NotImplementedError):  # fmt: skip
        return False


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: FileKind
    size: int
    sha256: str


def check_upload(filename: str, stream: IO[bytes], limit: int) -> CheckedFile:
    """Read the whole upload once: refuse it (``Invalid`` on the ``file`` field) unless its name,
    its type by extension and by content, and its size are acceptable."""
    filename = unicodedata.normalize("NFC", (filename or "").strip())
    problem = filename_problem(filename)
    if problem:
        raise Invalid({"file": problem})
    kind = kind_of(filename)
    if kind is None:
        raise Invalid({"file": WRONG_TYPE})
    digest = hashlib.sha256()
    size = 0
    head = b""
    text = codecs.getincrementaldecoder("utf-8-sig")() if kind.signature == "csv" else None
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise Invalid({"file": f"The selected file must be smaller than {format_size(limit)}"})
        if len(head) < 16:
            head = (head + chunk)[:16]
        digest.update(chunk)
        if text is not None:
            _check_text(text, chunk, kind, filename)
    if text is not None:
        _check_text(text, b"", kind, filename, final=True)
    if size == 0:
        raise Invalid({"file": "The selected file is empty"})
    fits = SIGNATURES[kind.signature](head)
    if fits and kind.signature in ("ooxml", "odf"):
        stream.seek(0)
        fits = _container_matches(kind, stream)
    if not fits:
        raise Invalid({"file": _not_really(kind, filename)})
    return CheckedFile(filename=filename, kind=kind, size=size, sha256=digest.hexdigest())


def _check_text(
    decoder: codecs.IncrementalDecoder,
    chunk: bytes,
    kind: FileKind,
    filename: str,
    final: bool = False,
) -> None:
    """A CSV file is UTF-8 text with no NUL byte: refuse a chunk that is not."""
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        raise Invalid({"file": _not_really(kind, filename)}) from None
    if b"\x00" in chunk:
        raise Invalid({"file": _not_really(kind, filename)})


def _not_really(kind: FileKind, filename: str) -> str:
    extension = filename.rpartition(".")[2].upper()
    if kind.signature == "csv":
        return "The selected file must be a CSV file saved as text (UTF-8)"
    return (
        f"The selected file is not a real {extension} file: its contents do not match its "
        f"name. Save it again as {extension} and select it"
    )


# Where files are kept ----------------------------------------------------------------------


def stored_path(sha256: str) -> str:
    if not SHA256_HEX.fullmatch(sha256):
        raise ValueError("not a SHA-256 digest")
    return os.path.join(papers_dir(), sha256[:2], sha256)


def store(stream: IO[bytes], sha256: str) -> None:
    """Keep the content under its hash, once: the same report uploaded again reuses the file.

    Written to a temporary file in the same directory, synced, then renamed into place, so a
    reader never sees half a file and a failure leaves nothing behind.
    """
    path = stored_path(sha256)
    if os.path.exists(path):
        return
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            stream.seek(0)
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise OSError("the upload changed while it was being stored")
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _sync_directory(directory)


def _sync_directory(directory: str) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX).
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# Use-cases ---------------------------------------------------------------------------------


def attach_paper(
    actor: Any, item: AgendaItem, title: str, upload: FileStorage, today: date
) -> Paper:
    """Attach a report to an agenda item while its agenda can still change; audited.

    The row is written (flushed) before the file is stored: if storing fails, the request rolls
    the row back and ``store`` has removed its temporary file, so nothing is left half-done.
    """
    ensure(can_manage_meetings(actor, item))
    commands.ensure_agenda_editable(item.meeting, today)
    title = (title or "").strip()
    raise_if(
        {
            "title": None if title else "Enter the report's title",
            "file": None if upload and upload.filename else "Select a report to upload",
        }
    )
    if len(title) > MAX_TITLE:
        raise Invalid({"title": f"Title must be {MAX_TITLE} characters or fewer"})
    checked = check_upload(upload.filename or "", upload.stream, max_paper_bytes())
    paper = Paper(
        item_id=item.id,
        title=title,
        filename=checked.filename,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by_id=getattr(actor, "id", None),
    )
    create_record(actor, paper, f"Attached {checked.filename} ({title}) to item {item.number}")
    store(upload.stream, checked.sha256)
    return paper


@dataclass(frozen=True)
class PaperOnAgenda:
    paper: Paper
    item: AgendaItem
    meeting: Meeting

    @property
    def public(self) -> bool:
        """Open to anyone: on a published agenda and not exempt."""
        return self.meeting.agenda_status is AgendaStatus.PUBLISHED and not self.item.exempt


def load_paper(paper_id: int) -> PaperOnAgenda | None:
    row = db.session.execute(
        select(Paper, AgendaItem, Meeting)
        .join(AgendaItem, Paper.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Paper.id == paper_id)
    ).one_or_none()
    return PaperOnAgenda(*row) if row is not None else None


def may_download(user: Any, found: PaperOnAgenda, today: date) -> bool:
    """An exempt item's papers follow the item: its body's members and officers, clerks and
    admins. The agenda must be published unless the user runs meetings."""
    if not queries.meeting_visible(found.meeting, user):
        return False
    if not found.item.exempt:
        return True
    access = queries.exempt_access(user, today)
    return queries.item_visible(found.item, found.meeting.body_id, access)
