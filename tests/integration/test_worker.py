"""`flask worker` as a service manager runs it: it delivers the mail due and ticks, and SIGTERM
stops it cleanly (the step under way finishes, exit status 0)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from sqlalchemy import select

from govtrack import ROOT, create_app
from govtrack.core.mail import send_mail
from govtrack.core.models import OutboxMessage
from govtrack.db import db
from tests.conftest import migrate


def test_the_worker_delivers_ticks_and_stops_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    migrate(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GOVTRACK_INSTANCE": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SMTP_HOST": "",  # the console
        "MAIL_DELIVERY": "worker",
        "PYTHONUNBUFFERED": "1",
    }
    app = create_app({"DATABASE_URL": url, "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        message = send_mail("clerk@example.org", "Minutes published", "Read them.")
        db.session.commit()
        message_id = message.id
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--mail-every", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    # Should the worker never deliver, end it rather than wait for ever (the test then fails).
    guard = threading.Timer(120, worker.kill)
    guard.start()
    try:
        for line in worker.stdout:
            seen.append(line)
            if line.startswith("Delivered 1 e-mail(s)"):
                break
        worker.send_signal(signal.SIGTERM)
        rest, _ = worker.communicate(timeout=60)
    finally:
        guard.cancel()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    output = "".join(seen) + rest
    assert worker.returncode == 0, output
    assert output.startswith("Worker started: a tick every 60 s, mail every 0.1 s.")
    assert "Closed 0 decision(s); sent 0 reminder(s)." in output  # it ticked
    assert "Worker stopping (SIGTERM)." in output and output.rstrip().endswith("Worker stopped.")
    with app.app_context():
        sent = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
        assert sent.sent_at is not None and sent.attempts == 1
    db.engine_for(url).dispose()
