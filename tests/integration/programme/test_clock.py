"""`flask tick` re-derives open milestones' RAG as dates pass and records each change."""

from __future__ import annotations

from datetime import timedelta

from govtrack.core.dates import today
from govtrack.core.rag import RAG
from govtrack.db import db
from govtrack.programme import queries
from tests.integration.programme.conftest import fresh


def test_the_tick_turns_a_milestone_red_when_its_baseline_passes(app, make_milestone):
    milestone = make_milestone(baseline_date=today() + timedelta(days=60))
    assert milestone.rag is RAG.GREEN
    # As if the days had passed: the baseline is now yesterday, the stored RAG still green.
    milestone.baseline_date = today() - timedelta(days=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "1 milestone(s) changed RAG" in result.output
    now = fresh(milestone.id)
    assert now.rag is RAG.RED and now.rag_since == today()
    last = queries.rag_changes_of(now.id)[-1]
    assert (last.from_rag, last.to_rag, last.on) == (RAG.GREEN, RAG.RED, today())
    # A second tick the same day changes nothing.
    again = app.test_cli_runner().invoke(args=["tick"])
    assert "0 milestone(s) changed RAG" in again.output
