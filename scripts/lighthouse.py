"""`make bench`, last step: Lighthouse's mobile performance score of the public pages, served by
the production server (gunicorn, as `make run` serves them) on the seed data, in Debian's
Chromium. Run by hand or by `make bench`, never by the tests.

A temporary instance folder and SQLite database are migrated and seeded, gunicorn serves them
on a free local port, and ``npx lighthouse`` (the version pinned below, fetched by npm on first
use) audits each page once with its default mobile settings (a slow 4G network and a slowed
CPU, simulated). Prints each page's score and its first and largest contentful paint, total
blocking time and bytes sent.

    .venv/bin/python scripts/lighthouse.py [--page /path ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# Lighthouse 13 needs Node 22; 12.2.3 runs on Node 20 (Debian's and the container's).
LIGHTHOUSE = "lighthouse@12.2.3"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# The pages anyone may see, the two with charts among them.
PAGES = (
    "/",
    "/partners",
    "/bodies",
    "/meetings",
    "/decisions",
    "/pipeline",
    "/pipeline/table",
    "/pipeline/analytics",
    "/scrutiny",
    "/recommendations",
    "/programme",
    "/programme/milestones",
)
AUDITS = (
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("total-byte-weight", "Bytes"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:])} failed: {done.stderr.strip()[-800:]}")


def serve(env: dict[str, str]) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py, as `make run` starts it; returns once it answers."""
    server = subprocess.Popen(  # noqa: S603 (our own arguments)
        [str(BIN / "gunicorn")], env=env, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    url = f"http://{env['GOVTRACK_BIND']}/healthz"
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it served a page")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer in 60 s")


def audit(url: str, env: dict[str, str]) -> dict:
    found = subprocess.run(  # noqa: S603
        [
            shutil.which("npx") or "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--only-categories=performance",
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env=env | {"CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {found.stderr.strip()[-800:]}")
    return json.loads(found.stdout)


def row(path: str, report: dict) -> tuple[str, ...]:
    score = report["categories"]["performance"]["score"]
    cells = [path, "-" if score is None else f"{score * 100:.0f}"]
    for key, _label in AUDITS:
        value = report["audits"][key].get("numericValue")
        if value is None:
            cells.append("-")
        elif key == "total-byte-weight":
            cells.append(f"{value / 1024:,.0f} KiB")
        else:
            cells.append(f"{value:,.0f} ms")
    return tuple(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", action="append", help="a path to audit (default: all public)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"No Chromium at {CHROMIUM} (make chromium, or set CHROME_PATH)")
    with tempfile.TemporaryDirectory(prefix="govtrack-lighthouse-") as workdir:
        env = os.environ | {
            "GOVTRACK_INSTANCE": workdir,
            "DATABASE_URL": f"sqlite:///{workdir}/lighthouse.db",
            "GOVTRACK_BIND": f"127.0.0.1:{free_port()}",
            "PAPERS_DIR": f"{workdir}/papers",
            "IMPORTS_DIR": f"{workdir}/imports",
            "REQUEST_LOG": "",
        }
        flask = str(BIN / "flask")
        run(flask, "--app", "app", "db", "upgrade", env=env)
        run(flask, "--app", "app", "seed", "--if-empty", env=env)
        server = serve(env)
        try:
            base = f"http://{env['GOVTRACK_BIND']}"
            rows = [row(path, audit(base + path, env)) for path in args.page or PAGES]
        finally:
            server.terminate()
            server.wait(timeout=30)
    headers = ("Page", "Score", *(label for _key, label in AUDITS))
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    print(f"Lighthouse {LIGHTHOUSE.split('@')[1]} (mobile, performance), gunicorn on seed data")
    for cells in [headers, *rows]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
