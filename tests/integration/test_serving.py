"""govtrack served as `make run` and the container serve it: gunicorn with gunicorn.conf.py, in
processes of its own on free local ports. Two instances sharing Redis refuse the sixth wrong
password for one account between them; a session opened on one instance is valid on another
with the same SECRET_KEY; gunicorn refuses settings that would be unsafe."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
import requests

from govtrack import ROOT, create_app
from govtrack.auth.enums import Role
from govtrack.auth.models import User
from govtrack.auth.passwords import hash_password
from govtrack.db import db
from tests.conftest import IN_CI, migrate
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import TEST_PASSWORD

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WRONG = "Email address or password is not right"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_env(**settings: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI", "FLASK_DEBUG"}
        and not key.startswith(("PYTEST", "WEB_CONCURRENCY"))
    }
    env.update(settings)
    return env


def run_gunicorn(env: dict[str, str], *args: str, log) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (the tests' own arguments)
        [sys.executable, "-m", "gunicorn", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def gunicorn(**settings: str) -> Iterator[tuple[str, object]]:
    """A gunicorn instance of govtrack; yields its address and its output so far (a file)."""
    port = free_port()
    instance = tempfile.mkdtemp(prefix="govtrack-instance-")
    env = gunicorn_env(GOVTRACK_BIND=f"127.0.0.1:{port}", GOVTRACK_INSTANCE=instance, **settings)
    with tempfile.TemporaryFile("w+") as log:
        process = run_gunicorn(env, log=log)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_alive(process, url, log)
            yield url, log
        finally:
            process.terminate()
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def wait_until_alive(process: subprocess.Popen, url: str, log) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn stopped:\n{output(log)}"
        # gunicorn listens before its workers have loaded the app: a connection may wait in
        # the queue until one has, so a slow answer is tried again like a refused one.
        try:
            if requests.get(f"{url}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer:\n{output(log)}")


@pytest.fixture(scope="module")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    return REDIS_URL


def test_gunicorn_serves_the_pages_and_logs_each_request_as_json(sqlite_url):
    with gunicorn(DATABASE_URL=sqlite_url) as (url, log):
        home = requests.get(f"{url}/", timeout=120)
        ready = requests.get(f"{url}/readyz", timeout=120)
        text = output(log)
    assert home.status_code == 200
    assert home.headers["Server"].startswith("gunicorn")
    assert ready.json() == {"status": "ok"}
    # One process with threads: the sign-in counts are in its memory.
    assert "1 worker process(es) of 8 thread(s)" in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    [line] = [line for line in lines if line["route"] == "home.index"]
    assert line["request_id"] == home.headers["X-Request-Id"]
    assert line["status"] == 200


def sign_in_wrongly(sessions: list[requests.Session], urls: list[str], times: int) -> list[int]:
    """Wrong passwords for one new account, taking turns between the instances; the form's
    token comes from the first instance's page (its session cookie, read by both)."""
    account = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    session = sessions[0]
    token = csrf_token(session.get(f"{urls[0]}/sign-in", timeout=120).text)
    statuses = []
    for attempt in range(times):
        response = session.post(
            f"{urls[attempt % len(urls)]}/sign-in",
            data={"email": account, "password": "not-the-password", "csrf_token": token},
            timeout=120,
        )
        assert response.status_code == 429 or WRONG in response.text, response.text[:500]
        statuses.append(response.status_code)
    return statuses


def test_two_instances_sharing_redis_refuse_the_sixth_wrong_password_between_them(
    postgresql_url, redis_url
):
    shared = {
        "DATABASE_URL": postgresql_url,
        "SECRET_KEY": "one-key-for-every-instance",
        "RATELIMIT_STORAGE_URI": redis_url,
        # Two processes each, as measured in issue 15.
        "WEB_CONCURRENCY": "2",
    }
    with gunicorn(**shared) as (first, log), gunicorn(**shared) as (second, _):
        statuses = sign_in_wrongly([requests.Session()], [first, second], times=6)
        assert "2 worker process(es)" in output(log)
    # LOGIN_LIMIT_PER_ACCOUNT: 5 per 5 minutes from one address, counted across both.
    assert statuses == [200] * 5 + [429]


def test_without_a_shared_store_two_instances_would_each_count_their_own(postgresql_url):
    """Why the store must be shared: the same six attempts, counted in each instance's memory,
    are all let through."""
    alone = {"DATABASE_URL": postgresql_url, "SECRET_KEY": "one-key-for-every-instance"}
    with gunicorn(**alone) as (first, _), gunicorn(**alone) as (second, _):
        statuses = sign_in_wrongly([requests.Session()], [first, second], times=6)
    assert statuses == [200] * 6


@pytest.fixture
def database_with_an_account(tmp_path) -> str:
    """A migrated SQLite database of the test's own, holding one councillor's account
    (committed, so the gunicorn instances see it)."""
    url = f"sqlite:///{tmp_path / 'govtrack.db'}"
    migrate(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        user = User(email="cllr@example.org", name="Councillor Ada Example")
        user.password_hash = hash_password(TEST_PASSWORD)
        db.session.add(user)
        db.session.flush()
        user.role = Role.MEMBER
        db.session.commit()
        db.session.remove()
    return url


def test_a_session_opened_on_one_instance_is_valid_on_another_with_the_same_key(
    database_with_an_account,
):
    key = {"DATABASE_URL": database_with_an_account, "SECRET_KEY": "one-key-for-every-instance"}
    other_key = {**key, "SECRET_KEY": "a-key-of-its-own"}
    with (
        gunicorn(**key) as (first, _),
        gunicorn(**key) as (second, _),
        gunicorn(**other_key) as (stranger, _),
    ):
        browser = requests.Session()
        token = csrf_token(browser.get(f"{first}/sign-in", timeout=120).text)
        signed_in = browser.post(
            f"{first}/sign-in",
            data={"email": "cllr@example.org", "password": TEST_PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=120,
        )
        assert signed_in.status_code == 302, signed_in.text[:500]
        on_second = browser.get(f"{second}/account", allow_redirects=False, timeout=120)
        on_stranger = browser.get(f"{stranger}/account", allow_redirects=False, timeout=120)
    assert on_second.status_code == 200
    assert "Councillor Ada Example" in on_second.text
    # An instance with another key does not know the session: it asks to sign in.
    assert on_stranger.status_code == 302
    assert "/sign-in" in on_stranger.headers["Location"]


def refused(*args: str, **settings: str) -> str:
    env = gunicorn_env(
        GOVTRACK_BIND=f"127.0.0.1:{free_port()}",
        GOVTRACK_INSTANCE=tempfile.mkdtemp(prefix="govtrack-instance-"),
        **settings,
    )
    with tempfile.TemporaryFile("w+") as log:
        process = run_gunicorn(env, *args, log=log)
        try:
            process.wait(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        text = output(log)
    assert process.returncode == 1, text
    assert "Booting worker" not in text
    return re.sub(r"\s+", " ", text)


def test_gunicorn_refuses_several_processes_counting_sign_ins_in_memory(sqlite_url):
    text = refused("--workers", "3", DATABASE_URL=sqlite_url)
    assert "Error: govtrack will not start." in text
    assert "asked for 3 worker processes but RATELIMIT_STORAGE_URI is memory://" in text


def test_gunicorn_refuses_several_processes_asked_for_by_web_concurrency_too(sqlite_url):
    text = refused(DATABASE_URL=sqlite_url, WEB_CONCURRENCY="2")
    assert "asked for 2 worker processes but RATELIMIT_STORAGE_URI is memory://" in text


def test_gunicorn_refuses_postgresql_without_a_secret_key():
    text = refused(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert "SECRET_KEY is not set" in text


def test_gunicorn_refuses_debug_mode(sqlite_url):
    text = refused(DATABASE_URL=sqlite_url, FLASK_DEBUG="1")
    assert "FLASK_DEBUG" in text
