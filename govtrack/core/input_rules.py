"""What the app accepts as text and as a link, whichever way it comes in (a form, a spreadsheet
cell, a query string, a file name): one rule, as pure functions, so it cannot differ by route.

Refused: NUL and the other control characters (tab and line breaks only where a field takes
lines), lone surrogates (half a character, which no database or export can hold) and the
bidirectional overrides U+202A to U+202E and U+2066 to U+2069 (which can make text read differently
from what it is: the "Trojan Source" trick). Accepted text is stored in Unicode NFC, so the same
words typed on two keyboards compare and search as the same.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_CHARACTERS = frozenset("\t\n\r")

# Defaults for a text field that does not declare its own maximum (its column's size where it
# has one is declared on the field).
MAX_LINE = 200
MAX_TEXT = 20_000
MAX_QUERY_VALUE = 500
MAX_FILENAME = 255

CONTROL = "control"
BIDI = "bidi"
SURROGATE = "surrogate"


def _kind(char: str, lines: bool) -> str | None:
    if char in BIDI_CONTROLS:
        return BIDI
    category = unicodedata.category(char)
    if category == "Cc":
        return None if lines and char in LINE_CHARACTERS else CONTROL
    if category == "Cs":
        return SURROGATE
    return None


def unsafe_kinds(text: str, lines: bool = False) -> set[str]:
    """Which kinds of refused character ``text`` holds (none: an empty set)."""
    if text.isprintable() and not (BIDI_CONTROLS & set(text)):
        return set()  # the common case, checked at C speed
    return {kind for char in set(text) if (kind := _kind(char, lines))}


def text_problem(text: str | None, name: str, lines: bool = False) -> str | None:
    """Why ``text`` cannot be stored, naming the field (``name`` as the user sees it)."""
    if not text:
        return None
    kinds = unsafe_kinds(text, lines)
    if not kinds:
        return None
    if CONTROL in kinds:
        what = (
            "control characters (only letters, numbers, punctuation, spaces and line breaks)"
            if lines
            else "control characters or line breaks"
        )
        return f"{name} must not contain {what}"
    if SURROGATE in kinds:
        return f"{name} must not contain broken characters: type or paste the text again"
    return f"{name} must not contain characters that change the direction of text"


def too_long_problem(text: str | None, name: str, maximum: int) -> str | None:
    if text is not None and len(text) > maximum:
        return f"{name} must be {maximum:,} characters or fewer"
    return None


def nfc(text: str | None) -> str | None:
    """The text in Unicode NFC (composed accents), or None."""
    if not text or text.isascii():
        return text
    try:
        return unicodedata.normalize("NFC", text)
    except UnicodeError:
        return text


def cleaned(text: str, lines: bool = True) -> str:
    """The text with every refused character taken out (a control character other than a
    line break becomes a space), in NFC: for text that is already stored, or that is only
    read (a search), where refusing is not possible or not helpful."""
    if not unsafe_kinds(text, lines):
        return nfc(text) or text
    out = []
    for char in text:
        kind = _kind(char, lines)
        if kind is None:
            out.append(char)
        elif kind == CONTROL and char != "\x00":
            out.append(" ")
    return nfc("".join(out)) or ""


def safe_filename(name: str | None) -> str:
    """An uploaded file's name with each refused character replaced by "_", in NFC. A folder
    in the name is left for the upload's own check to refuse (so the user sees what was sent);
    a name past ``MAX_FILENAME`` characters is cut, keeping its extension."""
    name = nfc("".join("_" if _kind(c, lines=False) else c for c in name or "")) or ""
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_FILENAME - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME]
    return name


WEB_SCHEMES = ("http", "https")
MAIL_SCHEMES = ("http", "https", "mailto")


def link_problem(url: str | None, name: str, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
    """Why ``url`` is not a link the app will keep, naming the field; None when it is."""
    url = (url or "").strip()
    if not url:
        return None
    if not is_safe_link(url, schemes):
        starts = " or ".join(f"{s}:" if s == "mailto" else f"{s}://" for s in reversed(schemes))
        return f"{name} must be a web address starting with {starts}"
    return None


def is_safe_link(url: str | None, schemes: tuple[str, ...] = MAIL_SCHEMES) -> bool:
    """Whether ``url`` may become a link (an href): an absolute http(s) address with a host,
    or mailto: where allowed. Anything else (javascript:, data:, vbscript:, a relative path,
    text with spaces or control characters) is shown as plain text instead."""
    url = (url or "").strip()
    if not url or unsafe_kinds(url) or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return False
    if scheme == "mailto":
        return "@" in parts.path
    return bool(parts.netloc) and not parts.netloc.startswith("@")
