"""Hostile but honest input through every way in: every form (its fields found on the pages, as a
browser would), every GET route's query string, and each import's spreadsheet, as an
administrator (who may use every form). Nothing answers 500, every refusal names its field, and
nothing stored afterwards breaks a page, an export or the database's text.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import column, inspect, select, table

from govtrack.core.input_rules import is_safe_link, unsafe_kinds
from govtrack.db import db
from govtrack.pipeline import sheets as pipeline_sheets
from govtrack.scrutiny import sheets as scrutiny_sheets
from tests.fixtures.actions import csrf_token
from tests.integration.test_permissions import (  # noqa: F401
    ENDS_SESSION,
    SKIP,
    url_for_rule,
    world,
)

LONG = "x" * 100_000
SCRIPT = '<script>alert("hostile")</script>'
# One value of each hostile class; every field gets each of them in turn.
HOSTILE = [
    "abc\x00def\x01\x1b",
    "\u202eevil\u202c \u2066isolate\u2069",
    LONG,
    SCRIPT,
    '=HYPERLINK("http://example.com","x")',
    "javascript:alert(1)",
    "99999999999999999999999999999999",
    "-2147483649",
    "9999-12-31",
]
DATE_PARTS = [("31", "02", "2020"), ("1", "1", "9999"), ("0", "0", "0"), ("-1", "13", "99999")]
# Query-string names the pages read (filters, sorting, pages, report dates, formats).
QUERY_NAMES = [
    "q", "page", "sort", "order", "format", "as_at", "changed", "changed_since", "from", "to",
    "period", "body", "when", "year", "kind", "status", "partner", "objective", "owner",
    "host", "recipient", "subject", "actor", "corrects", "next", "baseline", "stage",
    "directorate", "mechanism", "rag", "inquiry", "group",
]  # fmt: skip

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"', re.S)
ACTION = re.compile(r'\baction="([^"]*)"')
METHOD = re.compile(r'\bmethod="([^"]*)"', re.I)
ERROR_LINK = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.S)
NOT_POSTED = {"csrf_token", "version", "submit"}
PAGES_AND_EXPORTS = ["?format=csv", "?format=xlsx"]


def _forms(html: str, page_url: str) -> dict[str, dict[str, set[str]]]:
    """Field names of each form on a page, by method and the path it is sent to."""
    out: dict[str, dict[str, set[str]]] = {"post": defaultdict(set), "get": defaultdict(set)}
    for attributes, body in FORM.findall(html):
        method = (METHOD.search(attributes) or [None, "get"])[1].lower()
        action = ACTION.search(attributes)
        target = unescape(action.group(1)) if action and action.group(1) else page_url
        out["post" if method == "post" else "get"][target.split("?")[0]].update(
            set(NAME.findall(body)) - NOT_POSTED
        )
    return out


@pytest.fixture
def routes(app, actions, world):  # noqa: F811
    """Every route with its path in the world, and the fields each form sends, found by
    reading every page an administrator can open."""
    actions.sign_in_as("admin")
    gets, posts = [], []
    fields: dict[str, set[str]] = defaultdict(set)
    queries: set[str] = set(QUERY_NAMES)
    for rule in app.url_map.iter_rules():
        # Routes that end the administrator's own sessions would sign the walk out.
        if rule.endpoint in SKIP | ENDS_SESSION or rule.endpoint == "auth.sign_out":
            continue
        url = url_for_rule(rule, world)
        if "GET" in rule.methods:
            gets.append(url)
            page = actions.client.get(url)
            if page.status_code == 200 and page.mimetype == "text/html":
                found = _forms(page.text, url)
                for target, names in found["post"].items():
                    fields[target] |= names
                for names in found["get"].values():
                    queries |= names
        if "POST" in rule.methods:
            posts.append(url)
    lists = [url for url in gets if not re.search(r"/\d+(/|$)", url)]
    return {
        "gets": gets,
        "lists": lists,
        "posts": posts,
        "fields": fields,
        "queries": sorted(queries),
    }


def _token(client) -> str:
    return csrf_token(client.get("/").text)


def _payload(names: set[str], values: list[str], offset: int) -> dict:
    data: dict = {}
    for index, name in enumerate(sorted(names)):
        value = values[(index + offset) % len(values)]
        if name.endswith(("_on", "_date", "_until", "_at")) or name in ("on", "held_on"):
            parts = DATE_PARTS[(index + offset) % len(DATE_PARTS)]
            data[name] = [value, *parts[1:]] if value else list(parts)
        else:
            data[name] = value
    # Never send 100,000 characters in more than one field: the server refuses a body that
    # large as a whole (413), before any field could be checked. The others get just under
    # the default maximum, which finds a field longer than its column allows.
    long_fields = [n for n, v in data.items() if v == LONG]
    for name in long_fields[1:]:
        data[name] = "y" * 199
    return data


def _check_refusal(response, url: str) -> None:
    assert response.status_code != 500, f"POST {url}: 500"
    text = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    assert SCRIPT not in text, f"POST {url}: the script came back unescaped"
    if 'class="govuk-error-summary"' in text:
        summary = text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
        for target, message in ERROR_LINK.findall(summary):
            assert target and message.strip(), f"POST {url}: a problem linked to no field"


def _post_everywhere(client, routes, values: list[str], offset: int) -> None:
    token = _token(client)
    for url in routes["posts"]:
        data = {"csrf_token": token, **_payload(routes["fields"].get(url, set()), values, offset)}
        response = client.post(url, data=data)
        _check_refusal(response, url)


def _hostile_sheet(headers, values: list[str]) -> bytes:
    """A CSV with the import's own columns and every cell hostile (in turn), so each
    column's parser is tried, and one cell longer than any cell may be."""
    rows = [list(headers), ["z" * 20_001] + [SCRIPT] * (len(headers) - 1)]
    for offset in range(len(values)):
        rows.append([values[(i + offset) % len(values)] for i in range(len(headers))])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _get_everywhere(client, routes, value: str, lists_only: bool = False) -> None:
    query = dict.fromkeys(routes["queries"], value[:2000])
    for url in routes["lists" if lists_only else "gets"]:
        response = client.get(url, query_string=query)
        assert response.status_code != 500, f"GET {url}?...={value[:20]!r}: 500"


def _stored_text_is_clean() -> None:
    """No text column of any table holds a character the input rule refuses."""
    connection = db.session.connection()
    inspector = inspect(connection)
    for name in inspector.get_table_names():
        if name.endswith(("_fts", "_data", "_idx", "_content", "_docsize", "_config")):
            continue
        texts = [c["name"] for c in inspector.get_columns(name) if hasattr(c["type"], "length")]
        if not texts:
            continue
        rows = connection.execute(select(*(column(t) for t in texts)).select_from(table(name)))
        for row in rows:
            for column_name, value in zip(texts, row, strict=True):
                if not isinstance(value, str):
                    continue
                assert not unsafe_kinds(value, lines=True), (name, column_name, value[:80])
                if column_name.endswith(("_url", "_links")):
                    for link in value.split():
                        assert is_safe_link(link), (name, column_name, link)


def _pages_and_exports_work(client, routes) -> None:
    for url in routes["gets"]:
        response = client.get(url)
        assert response.status_code != 500, f"GET {url} after hostile posts: 500"
        if url.endswith(("/export", "/monitoring", "/table", "/services")):
            for query in PAGES_AND_EXPORTS:
                response = client.get(url + query)
                assert response.status_code != 500, f"GET {url}{query}: 500"


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["Cc", "Cf", "Lu", "Nd", "Po", "Sm", "Zs"],
            exclude_characters="\r",
        ),
        max_size=40,
    ),
)


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(values=st.lists(hostile_text, min_size=2, max_size=6), offset=st.integers(0, 30))
def test_hostile_values_in_every_form_and_query_never_break_the_service(
    app, actions, routes, values, offset
):
    _post_everywhere(actions.client, routes, values, offset)
    # Query strings matter most on lists (filters, sorting, searches, reports' dates).
    _get_everywhere(actions.client, routes, values[offset % len(values)], lists_only=True)


def test_every_hostile_class_in_every_field_leaves_pages_exports_and_data_whole(
    app, actions, routes
):
    for offset in range(len(HOSTILE)):
        _post_everywhere(actions.client, routes, HOSTILE, offset)
    for value in ("a\x00b\u202ex\x01", SCRIPT + LONG[:3000], "-99999999999999999999"):
        _get_everywhere(actions.client, routes, value)
    db.session.expire_all()
    _stored_text_is_clean()
    _pages_and_exports_work(actions.client, routes)


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/pipeline/import", pipeline_sheets.HEADERS), ("import", scrutiny_sheets.HEADERS)],
)
def test_each_import_refuses_hostile_cells_naming_row_and_column(
    app,
    actions,
    world,  # noqa: F811
    path,
    headers,
):
    actions.sign_in_as("admin")
    if path == "import":
        path = f"/scrutiny/inquiries/{world['inquiry_id']}/import"
    values = ["a\x00b", "\u202eevil", "=1+1", "x\x01y", SCRIPT, "-1", "9" * 40]
    response = actions.client.post(
        path,
        data={
            "csrf_token": _token(actions.client),
            "file": (io.BytesIO(_hostile_sheet(headers, values)), "hostile\x00\u202e.csv"),
        },
        content_type="multipart/form-data",
    )
    _check_refusal(response, path)
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 422), text[:500]
    assert "hostile__.csv" in text  # the file's name, its refused characters replaced
    assert "This cell must not contain control characters" in text
    assert "This cell must not contain characters that change the direction of text" in text
    assert "This cell must be 20,000 characters or fewer" in text
