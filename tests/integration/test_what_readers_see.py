"""What a careful reader notices, checked over the seeded record as an administrator sees it:
dates read "9 December 2026" (no leading zero), numbers over 999 carry thousands separators,
no page or download shows a stored code ("not_started"), a field of ids ("Addressee ids") or
a record number ("#12"), no two links run together ("EditHistory") and no word is doubled
("Complete Complete"); every CSV download declares the same charset and starts with the same
byte-order mark."""

from __future__ import annotations

import itertools
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from govtrack import ROOT
from govtrack.core.enums import LabelledEnum
from govtrack.core.seed import load_seed
from govtrack.db import db
from govtrack.pipeline.models import Service

# The pages a careful reader walks, and what they link to within these sections.
START = [
    "/",
    "/dashboard",
    "/partners",
    "/people",
    "/bodies",
    "/memberships",
    "/pipeline",
    "/pipeline/board",
    "/programme",
    "/milestones",
    "/audit",
]
SECTIONS = (
    "/partners",
    "/people",
    "/bodies",
    "/memberships",
    "/pipeline",
    "/programme",
    "/objectives",
    "/milestones",
    "/dashboard",
    "/audit",
    "/scrutiny",
    "/recommendations",
)
# Enough to reach every kind of page (and its history) several times over, not every record.
MAX_PAGES = 220
SKIP = re.compile(r"/(edit|new|delete|move|import|sign-out|export|rules/new)\b|format=|page=\d")

# Words that may be doubled in good English (a count next to its unit is never a word here).
ALLOWED_DOUBLES = {"that", "had"}
# Misprints of the papers, transcribed as printed (seed/meetings.yaml says so beside each).
VERBATIM = ("Councillor Councillor John Walker",)


class _Reader(HTMLParser):
    """The text a sighted reader sees, the links, and any two links with nothing between."""

    HIDDEN = {"script", "style", "title", "head", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.glued: list[str] = []
        self._hidden = 0
        self._in_link = False
        self._link_text = ""
        self._last_link_text: str | None = None  # text of a link just closed, nothing since
        self._visually_hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if self._visually_hidden or "govuk-visually-hidden" in (attrs.get("class") or ""):
            self._visually_hidden += 1
        if tag == "a":
            if attrs.get("href"):
                self.links.append(attrs["href"])
            if "govuk-button" in (attrs.get("class") or ""):
                # A button stands apart in its group, whatever the markup between.
                self._last_link_text = None
            self._in_link = True
            self._link_text = ""
            self._opened_after = self._last_link_text
        if tag in {"br", "p", "li", "td", "th", "tr", "dd", "dt", "div", "h1", "h2", "h3"}:
            self.parts.append("\n")
            self._last_link_text = None

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if self._visually_hidden:
            self._visually_hidden -= 1
        if tag == "a" and self._in_link:
            self._in_link = False
            before = getattr(self, "_opened_after", None)
            if before and self._link_text.strip():
                self.glued.append(f"{before.strip()}{self._link_text.strip()}")
            self._last_link_text = self._link_text
        if tag in {"p", "li", "td", "th", "tr", "dd", "dt", "div"}:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._hidden:
            return
        if data and not self._in_link:
            self._last_link_text = None
        if self._visually_hidden:
            return
        if self._in_link:
            self._link_text += data
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def stored_codes() -> set[str]:
    """Every stored code of a labelled set that differs from how it is shown and reads as a
    code (has an underscore): "not_started", "in_place", "vice_chair"."""
    codes: set[str] = set()
    pending = list(LabelledEnum.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        codes.update(m.value for m in cls if "_" in m.value)
    return codes


def problems_in(text: str, codes: set[str]) -> list[str]:
    found = []
    if m := re.search(
        r"\b0\d (January|February|March|April|May|June|July|August|September|"
        r"October|November|December) \d{4}",
        text,
    ):
        found.append(f"leading zero: {m.group(0)!r}")
    for code in codes:
        if re.search(rf"(?<![\w/=.-]){re.escape(code)}(?![\w/=.-])", text):
            found.append(f"stored code {code!r}")
    if m := re.search(r"[\w/-]+\.(txt|py|yaml|html)\b", text):
        found.append(f"source file name: {m.group(0)!r}")
    if m := re.search(r"\b[A-Z][a-z]+ ids\b|\b\w+_id\b|#\d+\b", text):
        found.append(f"internal id: {m.group(0)!r}")
    for line in text.split("\n"):  # a line: text not broken by a cell, item or paragraph
        for misprint in VERBATIM:
            line = line.replace(misprint, "")
        words = re.findall(r"[A-Za-z][A-Za-z'-]*|\S", line)
        for a, b in itertools.pairwise(words):
            doubled = len(a) > 1 and a.isalpha() and a.lower() == b.lower()
            if doubled and a.lower() not in ALLOWED_DOUBLES:
                found.append(f"doubled word: {' '.join(line.split())[:120]!r}")
    for line in text.split("\n"):
        if m := re.search(r"(?<![\d,.])\d{4,}(?![\d,.])", _without_years_and_codes(line)):
            found.append(
                f"number without separators {m.group(0)}: {' '.join(line.split())[:160]!r}"
            )
    return found


def _without_years_and_codes(text: str) -> str:
    # A year (1974, 2026), a line of a source paper and a reference with letters (R1234,
    # LCC/2007) are not quantities; a quotation is as the paper printed it.
    text = re.sub(r"\b(1[89]|20)\d\d\b", " ", text)
    text = re.sub(r"\b[A-Z]{2,} \d+", " ", text)  # a law report's page ("EWHC 1093")
    text = re.sub(r"\blines? [\d, -]+", " ", text)
    text = re.sub(r'"[^"]*"|“[^”]*”', " ", text)  # words quoted from a paper stay verbatim
    return re.sub(r"\S*[A-Za-z/_:-]\S*", " ", text)


@pytest.fixture
def seeded(app):
    load_seed(str(ROOT / "seed"))
    return app


def test_every_page_a_reader_walks_reads_as_the_council_writes(seeded, actions):
    actions.sign_in_as("admin", name="Alex Administrator", email="alex.admin@example.org")
    codes = stored_codes()
    seen: set[str] = set()
    queue = deque(START)
    failures: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = actions.client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        reader = read(response.text)
        found = problems_in(reader.text, codes)
        found += [f"links run together: {g!r}" for g in reader.glued]
        if found:
            failures[url] = sorted(set(found))[:5]
        for href in reader.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or SKIP.search(target):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SECTIONS) and path not in seen:
                queue.append(path)
    assert len(seen) > 60, f"only {len(seen)} pages reached"
    assert any("/history" in u for u in seen)
    assert not failures, "\n".join(f"{u}: {f}" for u, f in failures.items())


def _change_some_records(admin) -> None:
    """Edits whose history shows a before and an after: a role, a stage, the addressees."""
    from datetime import date

    from govtrack.core.dates import today
    from govtrack.pipeline import commands as pipeline
    from govtrack.pipeline.enums import Stage
    from govtrack.pipeline.models import Service
    from govtrack.registry import services as registry
    from govtrack.registry.enums import MembershipRole
    from govtrack.registry.models import Membership, Partner
    from govtrack.scrutiny import commands as scrutiny
    from govtrack.scrutiny.models import Inquiry, Recommendation

    chair = db.session.scalars(
        select(Membership).where(Membership.role == MembershipRole.CHAIR).order_by(Membership.id)
    ).first()
    registry.update_membership(
        admin,
        registry.load_membership(chair.id),
        {
            "person_id": chair.person_id,
            "body_id": chair.body_id,
            "partner_id": chair.partner_id,
            "role": "vice_chair",
            "start_on": chair.start_on,
            "end_on": None,
        },
        chair.version,
    )
    service = db.session.scalars(
        select(Service).where(Service.stage < Stage.INTEGRATION).order_by(Service.id)
    ).first()
    pipeline.move_service(
        admin,
        service,
        seen=service.stage,
        version=service.version,
        to=Stage(service.stage + 1),
        on=today(),
        reason="Business case agreed",
        date_integrated=None,
        today=today(),
    )
    rec = db.session.scalars(select(Recommendation).order_by(Recommendation.id)).first()
    inquiry = db.session.get(Inquiry, rec.inquiry_id)
    partners = db.session.scalars(select(Partner.id).order_by(Partner.id)).all()
    scrutiny.set_addressees(admin, rec, inquiry, partners[:2])
    db.session.flush()
    assert date.today()  # the edits above are the test's own, rolled back at its end


def test_every_history_shows_labels_names_and_dates_not_codes_or_ids(seeded, actions):
    from govtrack.programme.models import Milestone
    from govtrack.registry.models import Body, Membership, Partner, Person
    from govtrack.scrutiny.models import Recommendation

    admin = actions.sign_in_as("admin", name="Alex Administrator", email="alex.admin@example.org")
    _change_some_records(admin)
    urls = ["/audit?sort=at&order=desc"]
    for model, path in (
        (Partner, "/partners/{}/history"),
        (Person, "/people/{}/history"),
        (Body, "/bodies/{}/history"),
        (Membership, "/memberships/{}/history"),
        (Service, "/pipeline/services/{}"),
        (Milestone, "/programme/milestones/{}"),
        (Recommendation, "/recommendations/{}"),
    ):
        urls += [path.format(i) for i in db.session.scalars(select(model.id))]
    first = actions.client.get(urls[0])
    pages = int(m.group(1)) if (m := re.search(r"of ([\d,]+)</p>", first.text)) else 1
    urls += [f"/audit?page={n}" for n in range(2, 2 + int(str(pages).replace(",", "")) // 25)]
    codes = stored_codes()
    failures = {}
    changes_seen = 0
    for url in urls:
        response = actions.client.get(url)
        assert response.status_code == 200, url
        text = read(response.text).text
        changes_seen += text.count("→")
        if found := problems_in(text, codes):
            failures[url] = found[:5]
    assert not failures, "\n".join(f"{u}: {f}" for u, f in failures.items())
    assert changes_seen > 0
    # The edits above read as the pages word them.
    chair_history = actions.client.get("/audit?subject=membership").text
    assert "Chair → Vice-chair" in " ".join(read(chair_history).text.split())


def test_every_csv_download_declares_utf8_once_and_writes_labels(seeded, actions):
    from govtrack.scrutiny.models import Inquiry

    actions.sign_in_as("admin", name="Alex Administrator", email="alex.admin@example.org")
    exports = {
        r.endpoint: r.rule
        for r in seeded.url_map.iter_rules()
        if "export" in r.endpoint and not r.rule.endswith(".json")
    }
    # A new download must join this test: every CSV route is listed here (a person's data is
    # exported as JSON, not CSV: see tests/integration/auth for it).
    assert set(exports) == {"pipeline.export", "scrutiny.export"}
    urls = ["/pipeline/export?format=csv"]
    urls += [
        f"/scrutiny/inquiries/{i}/monitoring/export?format=csv"
        for i in db.session.scalars(select(Inquiry.id))
    ]
    codes = stored_codes()
    for url in urls:
        response = actions.client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url
        assert response.data.startswith(b"\xef\xbb\xbf"), f"{url} has no byte-order mark"
        text = response.data.decode("utf-8")
        assert text.count("\ufeff") == 1
        shown = [c for c in codes if re.search(rf"(^|,){re.escape(c)}(,|\r?$)", text, re.M)]
        assert shown == [], f"{url} writes stored codes {shown}"
        assert not re.search(
            r"\b0\d (January|February|March|April|May|June|July|August|"
            r"September|October|November|December)",
            text,
        ), url


def test_the_reader_catches_each_slip_it_looks_for():
    codes = {"not_started", "in_place"}
    slips = {
        "<p>Due 09 December 2026</p>": "leading zero",
        "<p>18768 enquiries a month</p>": "number without separators",
        "<dd>not_started → In progress</dd>": "stored code",
        "<dt>Addressee ids</dt>": "internal id",
        "<p>recommendation #12</p>": "internal id",
        "<p>Source: seed/sources/002_b7395ae3564ed772.txt line 5</p>": "source file name",
        "<p>Complete Complete.</p>": "doubled word",
    }
    for html, problem in slips.items():
        assert any(problem in f for f in problems_in(read(html).text, codes)), html
    clean = "<p>9 December 2026: 18,768 enquiries, Not started, In place (line 2145).</p>"
    assert problems_in(read(clean).text, codes) == []
    glued = read('<td><a href="/e">Edit</a><a href="/h">History</a></td>')
    assert glued.glued == ["EditHistory"]
    apart = read('<td><a href="/e">Edit</a> <a href="/h">History</a></td>')
    assert apart.glued == []
