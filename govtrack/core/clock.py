"""The scheduler: what the passing of time does (every capability's ``clock`` steps), done by
one scheduler at a time, and the worker that ticks and delivers mail in a loop.

One at a time by a lease row (``clock_leases``), which works the same on SQLite and PostgreSQL:
a tick takes the lease in a short transaction of its own (an UPDATE of a lapsed lease, else an
INSERT; the database lets only one of two simultaneous takers succeed), does the work in
another, and gives it back. A second tick meanwhile finds it held and does nothing. A holder
that dies leaves a lease that lapses after ``LEASE_FOR``. The lease is not the only guard:
each step checks what it has already done after locking the row it acts on (a decision closed,
a reminder sent), so even two ticks at once (a lease lapsed under a very long tick) do each
thing once.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from govtrack.core.capabilities import registered
from govtrack.core.dates import LONDON
from govtrack.core.mail import deliver_due
from govtrack.core.models import ClockLease
from govtrack.core.records import unit_of_work
from govtrack.db import db, utcnow

TICK = "tick"
# Far longer than a tick takes; only matters when a holder died without giving the lease back.
LEASE_FOR = timedelta(minutes=15)


@dataclass(frozen=True)
class TickResult:
    ran: bool
    lines: list[str]


def holder_name() -> str:
    """Who takes a lease: this machine, process and thread, and a one-off part."""
    return f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:8]})"[:200]


def take_lease(name: str, holder: str, now: datetime, lasts: timedelta = LEASE_FOR) -> bool:
    """Take the named lease until ``now + lasts`` if nobody holds it (or theirs has lapsed);
    committed at once. Whether it was taken."""
    session = db.session()
    taken = session.execute(
        update(ClockLease)
        .where(ClockLease.name == name, ClockLease.expires_at <= now)
        .values(holder=holder, expires_at=now + lasts)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        try:
            with session.begin_nested():
                session.execute(
                    insert(ClockLease).values(name=name, holder=holder, expires_at=now + lasts)
                )
            taken = 1
        except IntegrityError:  # held, and not lapsed: someone else's
            taken = 0
    session.commit()
    return bool(taken)


def _renew(name: str, holder: str, now: datetime) -> None:
    db.session.execute(
        update(ClockLease)
        .where(ClockLease.name == name, ClockLease.holder == holder)
        .values(expires_at=now + LEASE_FOR)
        .execution_options(synchronize_session=False)
    )


def give_back(name: str, holder: str) -> None:
    session = db.session()
    session.execute(
        update(ClockLease)
        .where(ClockLease.name == name, ClockLease.holder == holder)
        .values(expires_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()


def lease_held_by(name: str) -> ClockLease | None:
    return db.session.scalar(select(ClockLease).where(ClockLease.name == name))


def tick(now: datetime) -> TickResult:
    """Run every capability's clock steps at ``now`` in one transaction, under the tick lease;
    or, when another tick holds it, nothing, saying so."""
    holder = holder_name()
    if not take_lease(TICK, holder, now):
        lease = lease_held_by(TICK)
        who = (
            f" ({lease.holder}, until {lease.expires_at.astimezone(LONDON):%H:%M:%S})"
            if lease
            else ""
        )
        return TickResult(False, [f"Another tick is running{who}: this one did nothing."])
    try:
        with unit_of_work():
            if db.session.get_bind().dialect.name == "sqlite":
                # SQLite refuses a transaction that read and then writes after another writer
                # committed: take the write lock before reading (by renewing the lease).
                _renew(TICK, holder, now)
            lines = [step(now) for capability in registered() for step in capability.clock]
    except BaseException:
        db.session.rollback()
        raise
    finally:
        give_back(TICK, holder)
    return TickResult(True, lines)


def work(
    stop: threading.Event,
    tick_every: float,
    mail_every: float,
    say: Callable[[str], None],
) -> None:
    """Until ``stop`` is set: tick every ``tick_every`` seconds and deliver the mail due every
    ``mail_every`` seconds. A failure (the database restarting, say) is logged and the loop
    goes on; a stop waits for the step under way to finish."""
    next_tick = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + tick_every
                for line in tick(utcnow()).lines:
                    say(line)
            report = deliver_due()
            if report.sent or report.failed or report.given_up:
                say(str(report))
        except Exception:
            current_app.logger.exception("The worker's step failed; trying again")
        finally:
            db.session.remove()
        stop.wait(max(0.05, min(mail_every, next_tick - time.monotonic())))
