"""Requests per second of the main pages over real HTTP: Flask's development server (`make dev`)
against gunicorn as `make run` serves it (one process of threads, the in-process rate-limit
store) and, when Redis answers, gunicorn with the counts in Redis and several processes, all on
the same seeded SQLite database in one run. `make bench-http` runs it; nothing here is a test.

Each page is asked by ``--clients`` clients at once (each a keep-alive connection of its own)
for ``--seconds``; a page answered other than 200 stops the run.

    .venv/bin/python scripts/http_bench.py --clients 8 --seconds 10
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"Home page": "/", "Recommendations tracker": "/recommendations", "Decisions": "/decisions"}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(instance: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WEB_CONCURRENCY"}}
    env.update(
        GOVTRACK_INSTANCE=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'govtrack.db'}",
        SECRET_KEY="bench-only-key",  # noqa: S106 (a throwaway database)
        **settings,
    )
    return env


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own arguments)
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def _serving(command: list[str], env: dict[str, str], url: str):
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"{command[2]} stopped before answering")
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise SystemExit(f"{command[2]} did not answer")
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def _rate(url: str, clients: int, seconds: float) -> float:
    """Requests a second answered 200 by ``clients`` keep-alive clients asking at once."""
    counts = [0] * clients
    stop = time.monotonic() + seconds
    failures: list[str] = []

    def client(n: int) -> None:
        session = requests.Session()
        while time.monotonic() < stop and not failures:
            answer = session.get(url, timeout=60)
            if answer.status_code != 200:
                failures.append(f"{url} answered {answer.status_code}")
                return
            counts[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])
    return sum(counts) / (time.monotonic() - started)


def _redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception:
        return False
    return True


def _servers(instance: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    servers = [
        ("Development server", ["-m", "flask", "--app", "app", "run"], _env(instance)),
        ("gunicorn (make run)", ["-m", "gunicorn"], _env(instance)),
    ]
    if _redis_answers():
        shared = _env(instance, RATELIMIT_STORAGE_URI=REDIS_URL, WEB_CONCURRENCY="3")
        servers.append(("gunicorn, 3 processes, Redis", ["-m", "gunicorn"], shared))
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govtrack-http-bench-") as folder:
        instance = Path(folder)
        _flask(_env(instance), "db", "upgrade")
        _flask(_env(instance), "seed", "--if-empty")
        results: dict[str, dict[str, float]] = {}
        for name, args_, env in _servers(instance):
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            if args_[1] == "flask":
                command = [sys.executable, *args_, "--port", str(port)]
            else:
                env = {**env, "GOVTRACK_BIND": f"127.0.0.1:{port}"}
                command = [sys.executable, *args_]
            with _serving(command, env, url):
                for page, path in PAGES.items():
                    _rate(url + path, 1, 1)  # warm up
                    results.setdefault(page, {})[name] = _rate(
                        url + path, args.clients, args.seconds
                    )
    names = [name for name, _, _ in _servers(Path(tempfile.gettempdir()))]
    print(f"\nRequests per second, {args.clients} clients at once, {args.seconds:g} s a page")
    print(f"{'Page':<26}" + "".join(f"{n:>32}" for n in names) + f"{'vs dev':>10}")
    for page, rates in results.items():
        best = max(rates[n] for n in names[1:] if n in rates)
        row = "".join(f"{rates.get(n, float('nan')):>32.1f}" for n in names)
        print(f"{page:<26}{row}{best / rates[names[0]]:>9.1f}x")


if __name__ == "__main__":
    main()
