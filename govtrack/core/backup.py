"""Backups that restore: the database and every capability's file store (the papers) in one
archive, with a manifest (format, app version, database kind, migration revision, the SHA-256
of every file), and the restore that checks it all before changing anything.

The database is copied with SQLite's online backup API, or PostgreSQL's ``pg_dump -Fc``; a
restore puts it back with the backup API, or with ``pg_restore --clean`` run by ``psql`` in one
transaction (tables a later migration added are dropped in that same transaction), so a
restore that fails leaves the database as it was. Stores are copied after the database: a
paper's file is written before its row is committed, so every paper in the dump is in the
archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from govtrack.core.capabilities import registered
from govtrack.db import db, utcnow

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    revision: str
    head: str
    files: int

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != self.head


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def app_version() -> str:
    try:
        return metadata.version("govtrack")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_stores() -> dict[str, Path]:
    """Every capability's store of files, by name."""
    stores: dict[str, Path] = {}
    for capability in registered():
        for name, folder in capability.file_stores.items():
            stores[name] = Path(folder())
    return stores


def current_revision() -> str:
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


def _url() -> URL:
    return make_url(current_app.config["DATABASE_URL"])


def _dialect(url: URL) -> str:
    name = url.get_backend_name()
    if name not in DUMPS:
        raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {name}.")
    return name


# PostgreSQL's client tools ------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH: install PostgreSQL's client tools (Debian and "
            "Ubuntu: apt install postgresql-client, of the server's major version or newer)."
        )
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it, and the environment carrying the password (never on the
    command line, where other users of the machine could read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")


# Backing up --------------------------------------------------------------------------------


def backup(to: Path) -> Path:
    """Write ``govtrack-backup-<when>.tar.gz`` into the folder ``to``; its path."""
    url = _url()
    dialect = _dialect(url)
    to.mkdir(parents=True, exist_ok=True)
    when = utcnow()
    revision = current_revision()
    db.session.rollback()  # no transaction of ours is held open while the copy is made
    with tempfile.TemporaryDirectory(dir=to, prefix=".backup-") as work:
        dump = Path(work) / DUMPS[dialect]
        if dialect == "sqlite":
            _sqlite_copy(Path(url.database or ""), dump)
        else:
            conninfo, env = _libpq(url)
            _run(
                [_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(dump),
                 "-d", conninfo],
                env,
                "pg_dump",
            )  # fmt: skip
        members: dict[str, Path] = {DUMPS[dialect]: dump}
        for name, folder in file_stores().items():
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                # Half-written uploads (".upload-*.part") are not part of the store.
                if path.is_file() and not path.name.startswith("."):
                    members[f"stores/{name}/{path.relative_to(folder).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "created_at": when.isoformat(),
            "database": dialect,
            "alembic_revision": revision,
            "stores": sorted(file_stores()),
            "files": {member: sha256_of(path) for member, path in members.items()},
        }
        final = to / f"govtrack-backup-{when:%Y%m%dT%H%M%SZ}.tar.gz"
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(when.timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
            for member, path in members.items():
                archive.add(path, arcname=member, recursive=False)
        os.replace(partial, final)
    return final


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while others read and write."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# Restoring ---------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())  # type: ignore[union-attr]
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError("This is not a govtrack backup: it has no readable manifest.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"This backup's format ({manifest.get('format')}) is not one this version of "
            f"govtrack reads ({FORMAT})."
        )
    return manifest


def check_revision(manifest: dict, scripts: ScriptDirectory) -> str:
    """The code's head; refuses a backup made at a migration this code does not know (made by
    a newer govtrack)."""
    revision = manifest.get("alembic_revision")
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"This backup was made by a newer govtrack (version {manifest.get('app_version')}, "
            f"migration {revision}, which this code does not have): restore it with that "
            "version or a later one."
        )
    return scripts.get_current_head() or ""


def _unpack(archive_path: Path, into: Path) -> dict:
    """Unpack the archive into ``into`` after checking it: a manifest, only the files it lists,
    each with the checksum it lists. Refuses a damaged or tampered archive."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            manifest = read_manifest(archive)
            listed = set(manifest.get("files", {})) | {MANIFEST}
            names = set(archive.getnames())
            if names != listed:
                raise BackupError(
                    "This backup is damaged: its files are not the ones its manifest lists "
                    f"(missing: {sorted(listed - names)[:5]}, unexpected: "
                    f"{sorted(names - listed)[:5]})."
                )
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"This backup cannot be read (damaged or not a backup): {exc}") from exc
    for member, expected in manifest["files"].items():
        if sha256_of(into / member) != expected:
            raise BackupError(f"This backup is damaged: {member} does not match its checksum.")
    return manifest


def restore(archive_path: Path, scripts: ScriptDirectory) -> Restored:
    """Replace the database and every file store with the archive's, after checking the
    archive whole (nothing is changed when it is refused)."""
    url = _url()
    dialect = _dialect(url)
    if not archive_path.is_file():
        raise BackupError(f"There is no file {archive_path}.")
    stores = file_stores()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=_scratch(stores)) as work:
        unpacked = Path(work)
        manifest = _unpack(archive_path, unpacked)
        if manifest.get("database") != dialect:
            raise BackupError(
                f"This backup is of a {manifest.get('database')} database; govtrack is set to "
                f"use {dialect} (DATABASE_URL). Restore it where it was made."
            )
        head = check_revision(manifest, scripts)
        db.session.remove()
        db.engine.dispose()  # no connection of ours keeps the old database open
        dump = unpacked / DUMPS[dialect]
        if dialect == "sqlite":
            _sqlite_copy(dump, Path(url.database or ""))
        else:
            _pg_restore(url, dump)
        for name, folder in stores.items():
            _replace_folder(unpacked / "stores" / name, folder)
    return Restored(manifest["alembic_revision"], head, len(manifest["files"]))


def _scratch(stores: dict[str, Path]) -> Path:
    """Where to unpack: beside the first store (same file system, so its folder can be moved
    into place), else the instance folder."""
    for folder in stores.values():
        folder.parent.mkdir(parents=True, exist_ok=True)
        return folder.parent
    return Path(current_app.instance_path)


def _pg_restore(url: URL, dump: Path) -> None:
    conninfo, env = _libpq(url)
    listing = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"pg_restore could not read the dump: {listing.stderr.strip()}")
    in_dump = set(re.findall(r"^\d+; \d+ \d+ TABLE public (\S+) ", listing.stdout, re.M))
    with db.engine.connect() as conn:
        now = set(inspect(conn).get_table_names(schema="public"))
    db.engine.dispose()
    # Tables a migration after the backup added: dropped in the restore's own transaction.
    drops = "".join(f'DROP TABLE IF EXISTS public."{t}" CASCADE;\n' for t in sorted(now - in_dump))
    script = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "-f", "-", str(dump)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if script.returncode != 0:
        raise BackupError(f"pg_restore failed: {script.stderr.strip()}")
    result = subprocess.run(  # noqa: S603
        [_tool("psql"), "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1",
         "-d", conninfo, "-f", "-"],
        input=drops + script.stdout, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(
            f"The restore was refused by PostgreSQL and nothing changed: {result.stderr.strip()}"
        )


def _replace_folder(source: Path, folder: Path) -> None:
    """Put ``source`` (possibly absent: an empty store) where ``folder`` is, by renames on one
    file system; the old folder goes only once the new one is in place."""
    if not source.exists():
        source.mkdir(parents=True)
    staged = folder.with_name(f".{folder.name}.restoring")
    old = folder.with_name(f".{folder.name}.before-restore")
    for leftover in (staged, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.move(str(source), staged)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staged, folder)
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
