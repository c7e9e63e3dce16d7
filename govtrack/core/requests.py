"""The request as every view reads it: query-string values and uploaded file names pass the
input rule (``core.input_rules``) before any view, service or query sees them.

A query string only reads (a search, a filter, a page), so it is cleaned rather than refused:
refused characters are taken out and each value is cut to ``MAX_QUERY_VALUE`` characters, so a
NUL in a search can reach neither SQLite nor PostgreSQL. A file name is kept for display and
download only, so its refused characters are replaced.
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from govtrack.core.input_rules import MAX_QUERY_VALUE, cleaned, safe_filename


def clean_query_value(value: str) -> str:
    return cleaned(value, lines=False)[:MAX_QUERY_VALUE]


class CleanRequest(Request):
    @cached_property
    def args(self) -> MultiDict[str, str]:
        raw = super().args
        return ImmutableMultiDict(
            [(clean_query_value(k), clean_query_value(v)) for k, v in raw.items(multi=True)]
        )

    def _load_form_data(self) -> None:
        super()._load_form_data()
        for storage in self.__dict__.get("files", {}).values():
            if storage.filename:
                storage.filename = safe_filename(storage.filename) or "upload"
