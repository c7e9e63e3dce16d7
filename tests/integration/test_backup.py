"""The restore drill, on SQLite and PostgreSQL: back up, change records and papers, restore, and
every table's contents and every paper's checksum are as backed up. A damaged archive, or one
from a newer migration than the code knows, is refused with a clear message and nothing is
changed."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import delete, inspect, select, text, update

from govtrack import create_app
from govtrack.auth.enums import Role
from govtrack.auth.models import User
from govtrack.db import db
from govtrack.meetings import paper_store
from govtrack.meetings.models import AgendaItem, Paper
from govtrack.voting.models import Decision
from tests.integration.test_tick_once import own_database  # noqa: F401 (a fixture)
from tests.integration.voting.test_concurrent_votes import build_board


@pytest.fixture
def drill_app(own_database, tmp_path):  # noqa: F811 (the fixture imported above)
    app = create_app(
        {
            "DATABASE_URL": own_database,
            "TESTING": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_DELIVERY": "worker",
            "PAPERS_DIR": str(tmp_path / "papers"),
        }
    )
    try:
        yield app
    finally:
        db.session.remove()


def add_paper(app, content: bytes, title: str) -> str:
    """A paper on the board's agenda item, its file in the store; its checksum."""
    sha = hashlib.sha256(content).hexdigest()
    with app.app_context():
        item = db.session.scalar(select(AgendaItem))
        paper_store.store(io.BytesIO(content), sha)
        db.session.add(
            Paper(
                item_id=item.id,
                title=title,
                filename=f"{title}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=sha,
            )
        )
        db.session.commit()
    return sha


def every_table(app) -> dict[str, list]:
    """Every table's rows (in a stable order), the migration table included."""
    with app.app_context():
        connection = db.session.connection()
        contents = {}
        for name in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608
            contents[name] = sorted((tuple(row) for row in rows), key=repr)
        db.session.rollback()
    return contents


def every_paper(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_back_up_change_restore_and_everything_is_as_backed_up(drill_app, tmp_path):
    app = drill_app
    world = build_board(app, absent=5)
    add_paper(app, b"%PDF-1.4 the work plan", "work-plan")
    add_paper(app, b"%PDF-1.4 the budget", "budget")
    papers = Path(app.config["PAPERS_DIR"])
    tables, files = every_table(app), every_paper(papers)
    assert len(files) == 2 and tables["decisions"] and tables["papers"]

    made = cli(app, "backup", "--to", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    [archive] = (tmp_path / "backups").glob("govtrack-backup-*.tar.gz")
    assert made.output.strip() == f"Backed up to {archive}"
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["alembic_revision"] == tables["alembic_version"][0][0]
    assert manifest["database"] in ("sqlite", "postgresql")
    assert {f"stores/papers/{name}" for name in files} <= set(manifest["files"])

    # Records and papers change after the backup.
    with app.app_context():
        db.session.add(User(email="new@example.org", name="New", role=Role.MEMBER))
        db.session.execute(
            update(Decision).where(Decision.id == world.decision_id).values(reminded_at=None)
        )
        db.session.execute(delete(Paper).where(Paper.title == "budget"))
        # As a later migration would: a table the backup does not have goes on restore.
        db.session.execute(text("CREATE TABLE later_feature (id INTEGER PRIMARY KEY)"))
        db.session.commit()
    add_paper(app, b"%PDF-1.4 added after the backup", "late")
    first = papers / next(iter(files))
    first.write_bytes(b"damaged on disk")
    assert every_table(app) != tables and every_paper(papers) != files

    restored = cli(app, "restore", "--from", str(archive), "--yes")
    assert restored.exit_code == 0, restored.output
    assert f"Restored {len(manifest['files'])} file(s)" in restored.output
    assert every_table(app) == tables
    assert every_paper(papers) == files


def test_a_damaged_or_newer_archive_is_refused_and_nothing_changes(drill_app, tmp_path):
    app = drill_app
    build_board(app, absent=2)
    add_paper(app, b"%PDF-1.4 the work plan", "work-plan")
    assert cli(app, "backup", "--to", str(tmp_path)).exit_code == 0
    [archive] = tmp_path.glob("govtrack-backup-*.tar.gz")
    with app.app_context():
        db.session.add(User(email="after@example.org", name="After", role=Role.MEMBER))
        db.session.commit()
    tables, files = every_table(app), every_paper(Path(app.config["PAPERS_DIR"]))

    def rewritten(name: str, change_manifest=None, change_file=None) -> Path:
        out = tmp_path / name
        with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == "manifest.json" and change_manifest:
                    manifest = json.loads(data)
                    change_manifest(manifest)
                    data = json.dumps(manifest).encode()
                elif member.name.startswith("stores/") and change_file:
                    data = change_file(data)
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        return out

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-200])
    cases = {
        truncated: "cannot be read",
        rewritten("tampered.tar.gz", change_file=lambda data: data + b"!"): (
            "does not match its checksum"
        ),
        rewritten(
            "newer.tar.gz",
            change_manifest=lambda m: m.update(alembic_revision="ffffffffffff", app_version="9.9"),
        ): "made by a newer govtrack (version 9.9, migration ffffffffffff",
        tmp_path / "missing.tar.gz": "There is no file",
    }
    for path, why in cases.items():
        result = cli(app, "restore", "--from", str(path), "--yes")
        assert result.exit_code == 1, (path, result.output)
        assert "Nothing was restored." in result.output and why in result.output, result.output
    assert every_table(app) == tables
    assert every_paper(Path(app.config["PAPERS_DIR"])) == files


def test_without_postgresql_client_tools_the_backup_says_what_to_install(
    drill_app, tmp_path, monkeypatch
):
    if drill_app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite is backed up by Python's own sqlite3")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    result = cli(drill_app, "backup", "--to", str(tmp_path / "backups"))
    assert result.exit_code == 1
    assert "pg_dump was not found on PATH: install PostgreSQL's client tools" in result.output
