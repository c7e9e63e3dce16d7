"""In service: the load balancer's probes, one JSON log line per request, and what the app
refuses or warns about as it starts (core/health.py, core/request_log.py, core/startup.py)."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import create_engine, text

from govtrack import create_app
from govtrack.auth.enums import Role
from govtrack.core.request_log import logger as request_logger
from govtrack.core.startup import UnsafeSettings


@pytest.fixture
def log_lines():
    """The request log's lines, parsed."""
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(record.getMessage()))

    handler = Collect()
    request_logger.addHandler(handler)
    try:
        yield lines
    finally:
        request_logger.removeHandler(handler)


def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_when_the_database_is_at_the_newest_migration(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_a_probe_does_not_refresh_a_signed_in_session(client, actions):
    actions.sign_in_as(Role.CLERK)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_readyz_says_503_with_a_reason_when_migrations_are_not_applied(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "TESTING": True})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert "migrations" in response.json["reason"]
    assert response.json["applied"] == []
    assert response.json["head"]
    # Alive all the same: the process answers.
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_says_503_behind_a_migration_that_is_not_applied(tmp_path):
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0123456789ab')"))
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["applied"] == ["0123456789ab"]


def test_readyz_says_503_when_the_database_cannot_be_reached():
    # Nothing listens on port 1: the connection is refused at once.
    app = create_app(
        {"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none", "TESTING": True}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "reason": "database unreachable"}


def test_every_request_is_one_json_line_with_its_id_user_route_status_and_time(
    app, client, actions, log_lines
):
    user = actions.sign_in_as(Role.CLERK)
    log_lines.clear()
    response = client.get("/partners?q=Lancashire")
    assert response.status_code == 200
    [line] = log_lines
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert line["user_id"] == user.id
    assert line["route"] == "registry.partners"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)
    # No other personal data: no address, no path or query, no e-mail or name.
    assert set(line) == {"request_id", "user_id", "method", "route", "status", "duration_ms"}
    assert user.email not in json.dumps(line)
    assert "Lancashire" not in json.dumps(line)


def test_an_anonymous_refusal_and_a_missing_page_are_logged_too(client, log_lines):
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/audit").status_code == 302
    assert [(line["route"], line["status"], line["user_id"]) for line in log_lines] == [
        (None, 404, None),
        ("audit.log", 302, None),
    ]
    assert log_lines[0]["request_id"] != log_lines[1]["request_id"]


def test_probes_are_not_logged(client, log_lines):
    client.get("/healthz")
    client.get("/readyz")
    assert log_lines == []


def test_the_address_is_logged_only_when_configured(app, client, log_lines):
    app.config["REQUEST_LOG_ADDRESS"] = True
    client.get("/", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert log_lines[0]["address"] == "192.0.2.7"


def test_a_request_id_from_a_trusted_proxy_is_kept_and_a_strange_one_replaced(
    app, client, log_lines
):
    assert client.get("/", headers={"X-Request-Id": "edge-42"}).headers["X-Request-Id"] != (
        "edge-42"
    )
    app.config["TRUST_PROXY"] = True
    assert client.get("/", headers={"X-Request-Id": "edge-42"}).headers["X-Request-Id"] == (
        "edge-42"
    )
    odd = client.get("/", headers={"X-Request-Id": 'x" injected="1'}).headers["X-Request-Id"]
    assert odd != 'x" injected="1'
    assert [line["request_id"] for line in log_lines][1] == "edge-42"


# Start-up (create_app outside the tests' TESTING mode, as a WSGI server loads it).


@pytest.fixture
def under_gunicorn(monkeypatch):
    # What gunicorn's arbiter sets for its workers.
    monkeypatch.setenv("SERVER_SOFTWARE", "gunicorn/27.0.1")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_postgresql_without_a_secret_key_is_refused_under_gunicorn(
    monkeypatch, tmp_path, under_gunicorn
):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    with pytest.raises(UnsafeSettings, match="SECRET_KEY is not set"):
        create_app()


def test_debug_is_refused_under_gunicorn(monkeypatch, tmp_path, under_gunicorn):
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path))
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(UnsafeSettings, match="FLASK_DEBUG"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"})


def test_risky_settings_are_warned_about_and_the_app_starts(
    monkeypatch, tmp_path, under_gunicorn, caplog
):
    monkeypatch.setenv("SECRET_KEY", "shared-by-every-instance")
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app()
    assert app.config["SECRET_KEY"] == "shared-by-every-instance"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("nobody is asked to vote" in message for message in warnings)
    assert any("RATELIMIT_STORAGE_URI" in message for message in warnings)


def test_the_embedded_sqlite_default_starts_with_its_generated_key(
    monkeypatch, tmp_path, under_gunicorn
):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GOVTRACK_INSTANCE", str(tmp_path))
    app = create_app()
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()


def test_the_paper_store_and_import_staging_folders_come_from_the_environment(
    monkeypatch, tmp_path
):
    from govtrack.core.spreadsheet import _staging_dir
    from govtrack.meetings.paper_store import papers_dir

    monkeypatch.setenv("PAPERS_DIR", str(tmp_path / "shared" / "papers"))
    monkeypatch.setenv("IMPORTS_DIR", str(tmp_path / "shared" / "imports"))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "TESTING": True})
    with app.app_context():
        assert papers_dir() == str(tmp_path / "shared" / "papers")
        assert _staging_dir() == str(tmp_path / "shared" / "imports")
    monkeypatch.delenv("PAPERS_DIR")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "TESTING": True})
    with app.app_context():
        assert papers_dir() == f"{app.instance_path}/papers"
