"""The one input rule for text and links, without a database."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.input_rules import (
    BIDI_CONTROLS,
    MAX_FILENAME,
    cleaned,
    is_safe_link,
    link_problem,
    nfc,
    safe_filename,
    text_problem,
    too_long_problem,
    unsafe_kinds,
)


@pytest.mark.parametrize(
    "text",
    ["abc\x00def", "a\x01b", "tab\there", "line\nbreak", "x\x7f", "\x1b[31m", "a\x85b"],
)
def test_control_characters_are_refused_in_a_line_naming_the_field(text):
    assert text_problem(text, "Service name") == (
        "Service name must not contain control characters or line breaks"
    )


def test_a_text_area_takes_line_breaks_and_tabs_but_not_nul():
    assert text_problem("one\r\ntwo\tthree", "Notes", lines=True) is None
    assert text_problem("one\x00two", "Notes", lines=True).startswith(
        "Notes must not contain control characters"
    )


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_direction_overrides_are_refused(char):
    assert text_problem(f"invoice{char}fdp.exe", "Title", lines=True) == (
        "Title must not contain characters that change the direction of text"
    )


def test_a_lone_surrogate_is_refused():
    assert "broken characters" in text_problem("half \ud800 a character", "Title")


def test_ordinary_text_in_any_script_is_accepted():
    for text in (
        "Lancashire County Council",
        "Cyngor Sir Ddinbych \u2013 Ŵ",
        "Ünïcödé",
        "עברית",
        "😀",
    ):
        assert text_problem(text, "Name") is None


def test_the_maximum_names_the_field_and_the_limit():
    assert too_long_problem("x" * 20_001, "Notes", 20_000) == (
        "Notes must be 20,000 characters or fewer"
    )
    assert too_long_problem("x" * 20_000, "Notes", 20_000) is None


def test_text_is_kept_in_nfc():
    decomposed = "Cafe\u0301"
    assert nfc(decomposed) == "Caf\u00e9"


@settings(max_examples=50)
@given(st.text(max_size=60))
def test_cleaned_text_always_passes_the_rule_and_keeps_what_was_allowed(text):
    out = cleaned(text)
    assert not unsafe_kinds(out, lines=True)
    assert out == unicodedata.normalize("NFC", out)
    if not unsafe_kinds(text, lines=True):
        assert out == unicodedata.normalize("NFC", text)


def test_cleaning_takes_nul_out_and_turns_other_controls_into_spaces():
    assert cleaned("abc\x00def") == "abcdef"
    assert cleaned("a\x07b\nc") == "a b\nc"
    assert cleaned("a\nb", lines=False) == "a b"
    assert cleaned("\u202egnp.exe") == "gnp.exe"


def test_a_file_name_has_refused_characters_replaced_not_refused():
    assert safe_filename("report\x00\u202e.pdf") == "report__.pdf"
    assert safe_filename("q2.pdf") == "q2.pdf"
    # A folder in the name is left for the upload's own check to refuse, as the user sent it.
    assert safe_filename("../q2.pdf") == "../q2.pdf"


def test_a_very_long_file_name_is_cut_keeping_its_extension():
    name = safe_filename("a" * 1000 + ".xlsx")
    assert len(name) == MAX_FILENAME and name.endswith(".xlsx")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "//evil.example/x",
        "/relative/path",
        "https://",
        "http://exa mple.com",
        "file:///etc/passwd",
    ],
)
def test_only_web_addresses_are_links(url):
    assert not is_safe_link(url)
    assert link_problem(url, "Link to the final report") == (
        "Link to the final report must be a web address starting with https:// or http://"
    )


def test_web_and_mail_addresses_are_links():
    assert is_safe_link("https://www.lancashire.gov.uk/report.pdf")
    assert is_safe_link("http://example.org")
    assert is_safe_link("mailto:clerk@example.org")
    assert link_problem("mailto:clerk@example.org", "Evidence links") is not None
    assert link_problem("", "Evidence links") is None


@settings(max_examples=50)
@given(st.text(max_size=30))
def test_no_text_becomes_a_link_unless_it_starts_with_an_allowed_scheme(text):
    if is_safe_link(text):
        assert text.strip().lower().startswith(("http://", "https://", "mailto:"))
