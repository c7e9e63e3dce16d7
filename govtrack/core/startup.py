"""What govtrack checks as it starts to serve: settings that are unsafe in production (refused
under gunicorn) or risky (a warning), and how many gunicorn processes may share the sign-in
counts. The decisions are plain functions of plain values; gunicorn.conf.py and ``create_app``
apply them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Flask

# The rate limiter's store that lives in one process (Flask-Limiter's default).
IN_PROCESS_STORES = ("memory://",)


@dataclass(frozen=True)
class Finding:
    refuse: bool
    message: str


class UnsafeSettings(RuntimeError):
    """Raised at start-up under gunicorn; gunicorn prints it as "Error: ..." and stops."""


def shared_store(storage_uri: str) -> bool:
    """Whether every process and instance counts sign-ins in one place (Redis and the like)."""
    return not storage_uri.strip().lower().startswith(IN_PROCESS_STORES)


def settings_findings(
    *,
    database_url: str,
    secret_key_from_environment: bool,
    debug: bool,
    under_gunicorn: bool,
    smtp_host: str,
    storage_uri: str,
) -> list[Finding]:
    """What is wrong with these settings for serving people, refusals first."""
    findings = []
    on_postgresql = database_url.startswith("postgresql")
    if on_postgresql and not secret_key_from_environment:
        findings.append(
            Finding(
                True,
                "DATABASE_URL names a PostgreSQL server but SECRET_KEY is not set: each "
                "instance would sign sessions with a key of its own, so a person signed in on "
                "one would be signed out by the next. Set SECRET_KEY to the same long random "
                "value on every instance (python3 -c 'import secrets; "
                "print(secrets.token_hex(32))').",
            )
        )
    if debug and under_gunicorn:
        findings.append(
            Finding(
                True,
                "Debug mode is on (FLASK_DEBUG) under gunicorn: its error pages let anyone who "
                "reaches one run code on the server. Unset FLASK_DEBUG; use `make dev` for the "
                "debugger and the reloader on your own machine.",
            )
        )
    if not smtp_host.strip():
        findings.append(
            Finding(
                False,
                "SMTP_HOST is not set: e-mail is written to the log and the outbox page, not "
                "sent, so nobody is asked to vote or reminded of a deadline. Set SMTP_HOST "
                "(README, E-mail).",
            )
        )
    if on_postgresql and not shared_store(storage_uri):
        findings.append(
            Finding(
                False,
                "RATELIMIT_STORAGE_URI is memory:// on PostgreSQL: if several instances serve "
                "this database, each counts failed sign-ins on its own and together they let "
                "several times the limit through. Set RATELIMIT_STORAGE_URI=redis://host:6379 "
                "on every instance.",
            )
        )
    return findings


@dataclass(frozen=True)
class WorkerPlan:
    workers: int
    threads: int


def worker_plan(
    *, storage_uri: str, web_concurrency: str | None, threads: str | None, cpus: int
) -> WorkerPlan:
    """gunicorn's worker processes and threads: with the sign-in counts in this process's
    memory, one process (with threads) so the limits hold as written; with a shared store,
    two per CPU plus one (gunicorn's advice). WEB_CONCURRENCY, when set, is taken as asked
    (and more than one with counts in memory is then refused: ``workers_refusal``)."""
    shared = shared_store(storage_uri)
    default_workers, default_threads = (2 * cpus + 1, 4) if shared else (1, 8)
    return WorkerPlan(
        workers=max(1, int(web_concurrency)) if web_concurrency else default_workers,
        threads=int(threads) if threads else default_threads,
    )


def workers_refusal(*, storage_uri: str, workers: int) -> str | None:
    """Several worker processes each counting sign-ins on their own would let several times
    the limit through (measured: 13 wrong passwords for one account, against 5): refused."""
    if workers > 1 and not shared_store(storage_uri):
        return (
            f"gunicorn is asked for {workers} worker processes but RATELIMIT_STORAGE_URI is "
            f"{storage_uri}: each process would count failed sign-ins on its own and let "
            f"{workers} times the limit through. Set RATELIMIT_STORAGE_URI=redis://host:6379 "
            "to share the counts, or serve with one process (threads serve more at once)."
        )
    return None


def under_gunicorn() -> bool:
    # gunicorn's arbiter sets SERVER_SOFTWARE in its environment, which its workers inherit.
    return os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/")


def findings_for(config: Mapping[str, Any], *, debug: bool, gunicorn: bool) -> list[Finding]:
    return settings_findings(
        database_url=config["DATABASE_URL"],
        secret_key_from_environment=config["SECRET_KEY_FROM_ENVIRONMENT"],
        debug=debug,
        under_gunicorn=gunicorn,
        smtp_host=config["SMTP_HOST"],
        storage_uri=config["RATELIMIT_STORAGE_URI"],
    )


def check_at_start(app: Flask) -> None:
    """Under gunicorn, refuse unsafe settings; wherever a server loads the app, log what is
    risky. Command-line runs (`flask db upgrade`, `flask run`) stay quiet: they serve no one,
    or one developer."""
    import click

    gunicorn = under_gunicorn()
    if click.get_current_context(silent=True) is not None and not gunicorn:
        return
    findings = findings_for(app.config, debug=app.debug, gunicorn=gunicorn)
    refusals = [f.message for f in findings if f.refuse]
    if refusals and gunicorn:
        raise UnsafeSettings("govtrack will not start. " + " ".join(refusals))
    for finding in findings:
        app.logger.warning(finding.message)
