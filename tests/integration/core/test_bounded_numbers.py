"""Numbers and ids are bounded at the way in: every choice (select or radios) and every record
version a form posts, given an id no record has (10^30, 2^31 - past PostgreSQL's integer - or
-1), is refused with the form shown again and a message, never a server error, and nothing is
saved. The forms are found by walking the seeded site as an administrator, so a new form is
covered without being listed here."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from govtrack import ROOT
from govtrack.core.seed import load_seed

START = [
    "/",
    "/partners",
    "/people",
    "/bodies",
    "/memberships",
    "/meetings",
    "/decisions",
    "/actions",
    "/pipeline/board",
    "/pipeline/directorates",
    "/scrutiny",
    "/programme",
    "/milestones",
    "/dashboard",
    "/dashboard/periods",
]
SKIP = re.compile(r"sign-out|format=|/export|\.ics|\.json|/papers/\d+|/history|/print|page=\d")
MAX_PAGES = 260
VISITS_PER_SHAPE = 2
HOSTILE = [str(10**30), str(2**31), "-1"]


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: set[str] = field(default_factory=set)  # names of selects and radio groups
    numbers: set[str] = field(default_factory=set)  # text boxes holding a whole number


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = Form(action=a.get("action") or "")
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(self._form, a)
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
            self._form.choices.add(a["name"])
        elif tag == "option" and self._select:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    @staticmethod
    def _input(form: Form, a: dict) -> None:
        kind = (a.get("type") or "text").lower()
        value = a.get("value") or ""
        if kind in ("radio", "checkbox"):
            # Radios, and check boxes that choose records by id (addressees, meetings).
            if kind == "radio" or value.isdigit():
                form.choices.add(a["name"])
            if "checked" in a:
                form.fields.append((a["name"], value or "on"))
        elif kind not in ("submit", "file"):
            form.fields.append((a["name"], value))
            if kind == "text" and value.isdigit():
                form.numbers.add(a["name"])  # a whole number: a count, days

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select:
            self._form.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._form.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _forms_of_the_site(client) -> list[tuple[str, Form]]:
    """Each post form (with the page it is on), once per kind of page."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    found: dict[tuple[str, str], tuple[str, Form]] = {}
    queue = deque(START)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or shapes.get(_shape(url), 0) >= VISITS_PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] = shapes.get(_shape(url), 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        page = Page()
        page.feed(response.text)
        for form in page.forms:
            action = urlsplit(urljoin(url, form.action or url)).path
            if "sign-out" in action:
                continue
            key = (_shape(action), ",".join(sorted(form.choices | form.numbers)))
            found.setdefault(key, (url, form))
        for href in page.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or SKIP.search(target):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return list(found.values())


@pytest.fixture
def seeded(app):
    load_seed(str(ROOT / "seed"))
    return app


def test_ids_no_record_can_have_are_refused_with_a_message_in_every_form(seeded, actions):
    actions.sign_in_as("admin")
    client = actions.client
    forms = _forms_of_the_site(client)
    tried, failures = 0, []
    for url, form in forms:
        names = {name for name, _ in form.fields}
        targets = sorted(form.choices | form.numbers | ({"version"} & names))
        action = urljoin(url, form.action or url)
        for name in targets:
            for value in HOSTILE:
                data = [(n, v) for n, v in form.fields if n != name] + [(name, value)]
                response = client.post(action, data=MultiDict(data))
                tried += 1
                if response.status_code == 500:
                    failures.append(f"{action} {name}={value}: 500")
                elif response.status_code == 302:
                    failures.append(f"{action} {name}={value}: accepted")
                elif response.status_code == 422 and "There is a problem" not in response.text:
                    failures.append(f"{action} {name}={value}: 422 without a message")
    assert len(forms) > 20 and tried > 100, (len(forms), tried)
    assert not failures, "\n".join(failures)
