"""What the browser waits for: responses compressed when the browser says it can read them,
static files under fingerprinted names cached for good (sent as their brotli or gzip copy), and
plotly.js loaded deferred on the pages with charts and on no others. Needs ``make assets``."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from govtrack import ROOT

BUILD = ROOT / "static" / "build"
FINGERPRINTED = r"/assets/build/{}\.[0-9a-f]{{12}}\.{}"


@pytest.fixture(autouse=True)
def _built() -> None:
    assert (BUILD / "manifest.json").exists(), "static files not built: run 'make assets'"


def _fetch(client, url: str, **headers: str):
    """A static file's response, read and closed (it was sent from an open file)."""
    response = client.get(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response.get_data()
    response.close()
    return response


def _asset(html: str, stem: str, ext: str) -> str:
    found = re.search(FINGERPRINTED.format(re.escape(stem), ext), html)
    assert found, f"no fingerprinted {stem}.{ext} in the page"
    return found.group(0)


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_are_compressed_when_the_browser_asks(client, encoding, decompress):
    plain = client.get("/pipeline")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/pipeline", headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    page = decompress(packed.data)
    # The same page (but for its nonce), in a third of the bytes or less.
    assert page.startswith(b"<!DOCTYPE html>") and page.endswith(b"</html>")
    assert abs(len(page) - len(plain.data)) < 50
    assert len(packed.data) < len(plain.data) / 3


def test_static_files_have_fingerprinted_names_and_are_cached_for_good(client):
    html = client.get("/").text
    css = _asset(html, "govtrack.min", "css")
    _asset(html, "app", "js")
    _asset(html, "favicon", "svg")
    on_disk = (ROOT / "static" / css.removeprefix("/assets/")).read_bytes()
    for accepted, encoding, decompress in (
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
    ):
        response = _fetch(client, css, Accept_Encoding=accepted)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.mimetype == "text/css"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert decompress(response.data) == on_disk
    plain = _fetch(client, css)
    assert "Content-Encoding" not in plain.headers and plain.data == on_disk
    assert "immutable" in plain.headers["Cache-Control"]


def test_app_js_imports_govuk_frontend_by_its_fingerprinted_name(client):
    app_js = _fetch(client, _asset(client.get("/").text, "app", "js")).text
    assert re.search(r'"\./govuk-frontend\.min\.[0-9a-f]{12}\.js"', app_js)


def test_chart_pages_load_plotly_deferred_and_other_pages_do_not(client):
    charts = client.get("/pipeline/analytics").text
    bundle = _asset(charts, "plotly-basic.min", "js")
    drawing = _asset(charts, "charts", "js")
    assert f'<script defer src="{bundle}"></script>' in charts
    assert f'<script defer src="{drawing}"></script>' in charts
    assert charts.index(bundle) < charts.index(drawing)  # deferred scripts run in order
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in charts
    for page in ("/", "/pipeline", "/scrutiny", "/decisions"):
        assert "plotly" not in client.get(page).text, page
