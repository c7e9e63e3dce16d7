"""Papers cannot exhaust the server either: a Word document or workbook that unpacks to far
more than any report holds is refused on upload, with a message, after reading little of it."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from govtrack.core.records import Invalid
from govtrack.meetings import paper_store

LIMIT = 20 * 1024 * 1024


def _docx(document: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = patched.find(signature)
        while start != -1:
            patched[start + offset : start + offset + 4] = struct.pack("<I", size)
            start = patched.find(signature, start + 4)
    return bytes(patched)


@pytest.fixture(scope="module")
def bomb():
    """A Word document of about 300 KB that unpacks to 300 MB."""
    return _docx(b"<w:document>" + b" " * (300 * 1024 * 1024) + b"</w:document>")


def test_a_document_that_unpacks_to_300_mb_is_refused_with_a_message(bomb):
    assert len(bomb) < 400 * 1024
    with pytest.raises(Invalid) as refused:
        paper_store.check_upload("minutes.docx", io.BytesIO(bomb), LIMIT)
    assert refused.value.problems["file"] == paper_store.UNPACKS_TOO_LARGE
    assert "more than 200 MB once opened" in paper_store.UNPACKS_TOO_LARGE


def test_a_document_whose_headers_understate_its_size_is_refused(bomb):
    with pytest.raises(Invalid) as refused:
        paper_store.check_upload("minutes.docx", io.BytesIO(_lie_about_sizes(bomb, 100)), LIMIT)
    assert "is not a real DOCX file" in refused.value.problems["file"]


class _EndlessPart(io.RawIOBase):
    """A part that unpacks without end, whatever its header says."""

    def __init__(self, served: list[int]) -> None:
        self.served = served

    def read(self, size=-1):
        self.served.append(size)
        return b" " * size


class _LyingArchive:
    """An archive whose one entry claims 10 bytes and unpacks forever."""

    def __init__(self) -> None:
        self.served: list[int] = []

    def infolist(self):
        entry = zipfile.ZipInfo("word/document.xml")
        entry.file_size = 10
        return [entry]

    def open(self, _entry):
        return _EndlessPart(self.served)


def test_unpacking_is_counted_and_stops_once_the_budget_is_passed():
    archive = _LyingArchive()
    assert paper_store.unpacks_too_large(archive, budget=5 * 1024 * 1024)
    assert sum(archive.served) <= 5 * 1024 * 1024 + paper_store.CHUNK


def test_an_ordinary_document_is_accepted():
    data = _docx(b"<w:document>" + b"Minutes of the meeting. " * 10_000 + b"</w:document>")
    checked = paper_store.check_upload("minutes.docx", io.BytesIO(data), LIMIT)
    assert checked.kind.label == "Word document"
