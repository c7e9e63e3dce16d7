"""Start-up decisions (core/startup.py): which settings are refused, which warned about, and how
many gunicorn processes may share the sign-in counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.startup import settings_findings, shared_store, worker_plan, workers_refusal

SAFE = {
    "database_url": "postgresql+psycopg://govtrack@db/govtrack",
    "secret_key_from_environment": True,
    "debug": False,
    "under_gunicorn": True,
    "smtp_host": "smtp.example.org",
    "storage_uri": "redis://redis:6379",
}


def test_safe_production_settings_raise_nothing():
    assert settings_findings(**SAFE) == []


def test_postgresql_without_a_secret_key_is_refused():
    [finding] = settings_findings(**{**SAFE, "secret_key_from_environment": False})
    assert finding.refuse
    assert "SECRET_KEY" in finding.message
    assert "signed out" in finding.message


def test_the_embedded_sqlite_default_may_use_its_generated_key():
    findings = settings_findings(
        **{
            **SAFE,
            "database_url": "sqlite:///instance/govtrack.db",
            "secret_key_from_environment": False,
        }
    )
    assert findings == []


def test_debug_under_gunicorn_is_refused_but_not_under_the_development_server():
    [finding] = settings_findings(**{**SAFE, "debug": True})
    assert finding.refuse
    assert "FLASK_DEBUG" in finding.message
    assert settings_findings(**{**SAFE, "debug": True, "under_gunicorn": False}) == []


def test_no_mail_server_is_a_warning_that_says_nobody_is_asked_to_vote():
    [finding] = settings_findings(**{**SAFE, "smtp_host": " "})
    assert not finding.refuse
    assert "SMTP_HOST" in finding.message
    assert "nobody is asked to vote" in finding.message


def test_postgresql_with_sign_ins_counted_in_memory_is_a_warning():
    [finding] = settings_findings(**{**SAFE, "storage_uri": "memory://"})
    assert not finding.refuse
    assert "RATELIMIT_STORAGE_URI" in finding.message


@settings(max_examples=50)
@given(
    postgresql=st.booleans(),
    from_environment=st.booleans(),
    debug=st.booleans(),
    gunicorn=st.booleans(),
    smtp=st.sampled_from(["", "smtp.example.org"]),
    store=st.sampled_from(["memory://", "redis://127.0.0.1:6379"]),
)
def test_refused_exactly_when_sessions_would_not_be_shared_or_the_debugger_is_served(
    postgresql, from_environment, debug, gunicorn, smtp, store
):
    findings = settings_findings(
        database_url="postgresql+psycopg://db/govtrack" if postgresql else "sqlite:///x.db",
        secret_key_from_environment=from_environment,
        debug=debug,
        under_gunicorn=gunicorn,
        smtp_host=smtp,
        storage_uri=store,
    )
    refused = any(f.refuse for f in findings)
    assert refused == ((postgresql and not from_environment) or (debug and gunicorn))
    # Refusals come first, so the message that stops the start is read first.
    flags = [f.refuse for f in findings]
    assert flags == sorted(flags, reverse=True)


def test_sign_ins_counted_in_memory_mean_one_process_with_threads():
    plan = worker_plan(storage_uri="memory://", web_concurrency=None, threads=None, cpus=8)
    assert (plan.workers, plan.threads) == (1, 8)


def test_processes_asked_for_are_taken_as_asked_so_that_too_many_can_be_refused():
    plan = worker_plan(storage_uri="memory://", web_concurrency="4", threads=None, cpus=8)
    assert plan.workers == 4
    assert workers_refusal(storage_uri="memory://", workers=plan.workers)


def test_a_shared_store_lets_gunicorn_run_several_processes():
    plan = worker_plan(storage_uri="redis://r:6379", web_concurrency=None, threads=None, cpus=2)
    assert (plan.workers, plan.threads) == (5, 4)
    plan = worker_plan(storage_uri="redis://r:6379", web_concurrency="3", threads="2", cpus=2)
    assert (plan.workers, plan.threads) == (3, 2)


@settings(max_examples=50)
@given(
    workers=st.integers(min_value=1, max_value=64),
    store=st.sampled_from(["memory://", "MEMORY://", "redis://r:6379", "rediss://r:6380/1"]),
)
def test_several_processes_are_refused_only_with_counts_in_memory(workers, store):
    refusal = workers_refusal(storage_uri=store, workers=workers)
    assert (refusal is not None) == (workers > 1 and not shared_store(store))
    if refusal:
        assert f"{workers} worker processes" in refusal
        assert "RATELIMIT_STORAGE_URI" in refusal
