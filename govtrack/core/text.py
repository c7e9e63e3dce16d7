"""Text typed or transcribed into paragraphs, as a reader expects them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from flask import has_app_context

from govtrack.core.capabilities import source_titles

_LIST_LINE = re.compile(r"^\s*(\d+[.)]|[a-z][.)]|\([a-z0-9]+\)|[-•*])\s")


def paragraphs(text: str | None) -> list[list[str]]:
    """Paragraphs (separated by blank lines), each a list of lines to show on their own.

    Hard-wrapped lines join into one; a line that starts a list item ("1.", "a)", "-") keeps
    its own line.
    """
    out: list[list[str]] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines: list[str] = []
        for raw in block.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if lines and not _LIST_LINE.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        if lines:
            out.append(lines)
    return out


def number(value: object) -> str:
    """A count or amount as the council prints it: 18,768 (thousands separated); empty for
    no value. Whole floats lose their ".0"; others keep their decimals (53.28). Anything that
    is not a number (text already written out) is shown as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


# The seed cites its copies by their path in the repository (seed/sources/...).
_PAPER_FILE = re.compile(r"(?:\bseed/sources/)?\b(\d{3}_[0-9a-f]{16}\.txt)(,? (?=lines? ))?")


def cited(source: str | None, titles: Mapping[str, str] | None = None) -> str:
    """A source as a reader can follow it: "seed/sources/002_….txt line 2145" reads
    "Partnership Sub-Group agenda pack, 7 March 2007, line 2145". The papers' ``titles`` are by
    file name; by default those the capabilities register (``Capability.source_papers``), in
    the running app."""
    if titles is None:
        titles = source_titles() if has_app_context() else {}

    def paper(match: re.Match[str]) -> str:
        title = titles.get(match.group(1), "a source paper")
        return f"{title}, " if match.group(2) else title

    return _PAPER_FILE.sub(paper, source or "")
