"""Text typed or transcribed into paragraphs, as a reader expects them."""

from __future__ import annotations

import re

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
