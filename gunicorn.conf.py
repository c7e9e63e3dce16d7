"""gunicorn's settings for govtrack: `make run` and the container serve `app:app` with them
(gunicorn reads this file from the folder it starts in; options on its command line win).

Failed sign-ins are counted in RATELIMIT_STORAGE_URI. In the default in-process store
(memory://) each worker process would keep counts of its own and let several times the limit
through, so with it govtrack serves from one process with threads and refuses more processes;
with a shared store (redis://) it runs WEB_CONCURRENCY processes (default: two a CPU, plus one).
"""

from __future__ import annotations

import os

from govtrack.core.startup import worker_plan

_STORE = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
_plan = worker_plan(
    storage_uri=_STORE,
    web_concurrency=os.environ.get("WEB_CONCURRENCY"),
    threads=os.environ.get("GUNICORN_THREADS"),
    cpus=os.cpu_count() or 1,
)

wsgi_app = "app:app"
bind = os.environ.get("GOVTRACK_BIND", "127.0.0.1:5000")
workers = _plan.workers
threads = _plan.threads
# A request that takes longer than this is stuck: its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# govtrack writes one JSON line per request itself (core/request_log.py); gunicorn's own
# messages (starting, workers) go to standard error.
accesslog = None
errorlog = "-"
# Behind a reverse proxy: TRUST_PROXY=1 makes the app read X-Forwarded-*; gunicorn needs only
# to accept them from wherever the proxy is.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No control socket in the home folder: several instances on one machine would share its path.
control_socket_disable = True


def on_starting(server) -> None:
    """Before any worker starts: refuse what would be unsafe, with a clear message (gunicorn
    prints "Error: ..." and stops)."""
    from flask.helpers import get_debug_flag

    from govtrack import instance_path
    from govtrack.config import load_config
    from govtrack.core.startup import (
        UnsafeSettings,
        findings_for,
        shared_store,
        workers_refusal,
    )

    config = load_config(instance_path())
    refusals = [
        f.message for f in findings_for(config, debug=get_debug_flag(), gunicorn=True) if f.refuse
    ]
    too_many = workers_refusal(
        storage_uri=config["RATELIMIT_STORAGE_URI"], workers=server.cfg.workers
    )
    if too_many:
        refusals.append(too_many)
    if refusals:
        raise UnsafeSettings("govtrack will not start. " + " ".join(refusals))
    server.log.info(
        "govtrack: %d worker process(es) of %d thread(s); sign-ins counted in %s",
        server.cfg.workers,
        server.cfg.threads,
        "a shared store" if shared_store(config["RATELIMIT_STORAGE_URI"]) else "this process",
    )
