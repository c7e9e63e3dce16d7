"""`make assets`, last step: the static files the pages load, under names that change with
their content, compressed ahead of time.

Each file (the stylesheet, the scripts, the icon, plotly.js's basic bundle and its stylesheet,
which the Makefile puts in ``static/`` first) is copied to ``static/build/`` as
``<name>.<first 12 hex of its SHA-256>.<ext>``, beside a gzip (``.gz``) and a brotli (``.br``)
copy; ``static/build/manifest.json`` maps each plain
name to its fingerprinted one, which ``static_url()`` in the templates reads
(``govtrack/core/assets.py``, which serves the compressed copies with immutable caching). A
script that imports another (app.js imports GOV.UK Frontend's) is rewritten to import it by
its fingerprinted name, so a new GOV.UK Frontend gives app.js a new name too.

    .venv/bin/python scripts/build_assets.py
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
BUILD = STATIC / "build"

# In order: a file that imports another comes after it.
ASSETS = (
    "govuk-frontend.min.js",
    "app.js",
    "govtrack.min.css",
    "favicon.svg",
    "plotly-basic.min.js",
    "plotly.css",
    "charts.js",
)
COMPRESSED = (".js", ".css", ".svg")


def fingerprinted(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}{dot}{ext}"


def build() -> dict[str, str]:
    if BUILD.exists():
        shutil.rmtree(BUILD)
    BUILD.mkdir()
    manifest: dict[str, str] = {}
    for name in ASSETS:
        data = (STATIC / name).read_bytes()
        if name.endswith(".js"):
            for plain, built in manifest.items():
                data = data.replace(f'"./{plain}"'.encode(), f'"./{built}"'.encode())
        built = fingerprinted(name, data)
        (BUILD / built).write_bytes(data)
        if name.endswith(COMPRESSED):
            (BUILD / f"{built}.gz").write_bytes(gzip.compress(data, 9, mtime=0))
            (BUILD / f"{built}.br").write_bytes(brotli.compress(data, quality=11))
        manifest[name] = built
    (BUILD / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main() -> int:
    missing = [name for name in ASSETS if not (STATIC / name).exists()]
    if missing:
        raise SystemExit(f"Not built yet: {', '.join(missing)} (run 'make assets')")
    for built in build().values():
        size = (BUILD / built).stat().st_size
        br = BUILD / f"{built}.br"
        squeezed = f", {br.stat().st_size:,} brotli" if br.exists() else ""
        print(f"static/build/{built} ({size:,} bytes{squeezed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
