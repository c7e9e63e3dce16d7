"""A tracker import writes its updates together (``progress.add_updates``): the same records,
history and audit entries as adding them one by one, in a number of queries that does not grow
with the rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.core.models import AuditEntry
from govtrack.core.spreadsheet import csv_bytes
from govtrack.db import db
from govtrack.scrutiny import commands, progress, queries, sheets
from govtrack.scrutiny.models import Recommendation, RecommendationEvent, RecommendationUpdate
from tests.fixtures.bulk import QueryCounter

ACTOR = system_actor("Test")


def _story(world) -> list[dict]:
    """Updates that move the status, slip the target, override the RAG and end it again, some
    back-dated among the others, from each council and for both."""
    lcc, cbc = world.lcc.id, world.cbc.id
    until = today() + timedelta(days=30)
    return [
        {"on": date(2007, 6, 1), "text": "Started.", "partner_id": lcc, "status": "in_progress"},
        {"on": date(2007, 9, 1), "text": "Late.", "partner_id": None, "assessment": "slipped",
         "new_target_date": date(2008, 6, 30), "slip_reason": "Staffing."},
        {"on": date(2007, 5, 1), "text": "Back-dated.", "partner_id": cbc,
         "status": "in_progress"},
        {"on": date(2007, 10, 1), "text": "Board view.", "partner_id": lcc,
         "rag_override": "green", "rag_reason": "Board", "rag_override_until": until},
        {"on": date(2007, 11, 1), "text": "Done here.", "partner_id": lcc,
         "status": "implemented"},
        {"on": date(2007, 12, 1), "text": "Done too.", "partner_id": cbc,
         "status": "implemented", "assessment": "achieved"},
    ]  # fmt: skip


def _twin(world, reference: str) -> Recommendation:
    return commands.add_recommendation(
        ACTOR,
        world.inquiry,
        {"reference": reference, "text": "A twin.", "target_date": date(2007, 12, 31),
         "addressee_ids": [world.lcc.id, world.cbc.id]},
        today(),
    )  # fmt: skip


def _what_happened(rec: Recommendation) -> dict:
    """The recommendation's state, history and audit trail, without ids and its reference."""
    db.session.refresh(rec)
    updates = list(
        db.session.scalars(
            select(RecommendationUpdate)
            .where(RecommendationUpdate.recommendation_id == rec.id)
            .order_by(RecommendationUpdate.id)
        )
    )
    position = {u.id: n for n, u in enumerate(updates)}
    events = [
        (e.kind, e.on, e.text, e.from_value, e.to_value, position.get(e.update_id))
        for e in db.session.scalars(
            select(RecommendationEvent)
            .where(RecommendationEvent.recommendation_id == rec.id)
            .order_by(RecommendationEvent.id)
        )
    ]
    subjects = {
        "recommendation": [rec.id],
        "recommendation_update": list(position),
        "recommendation_event": list(
            db.session.scalars(
                select(RecommendationEvent.id).where(
                    RecommendationEvent.recommendation_id == rec.id
                )
            )
        ),
    }
    trail = [
        (a.action, a.subject_type, a.summary.replace(rec.reference, "REF"), a.changes)
        for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        if a.subject_id in subjects.get(a.subject_type, ())
    ]
    state = {k: getattr(rec, k) for k in rec.__audit_fields__ if k != "reference"}
    return {
        "state": state,
        "updates": [(u.on, u.text, u.partner_id, u.status, u.rag_override) for u in updates],
        "events": events,
        "trail": [
            (action, kind, summary, _without_reference(changes))
            for action, kind, summary, changes in trail
        ],
    }


def _without_reference(changes: dict) -> dict:
    return {k: v for k, v in changes.items() if k not in ("reference", "recommendation_id")}


def test_updates_written_together_leave_the_same_records_history_and_audit_as_one_by_one(
    scrutiny_world,
):
    world = scrutiny_world
    one_by_one, together = _twin(world, "8.a"), _twin(world, "8.b")
    db.session.commit()
    for values in _story(world):
        progress.add_update(ACTOR, queries.load_recommendation(one_by_one.id), values, today())
    progress.add_updates(ACTOR, [(together.id, values) for values in _story(world)], today())
    db.session.commit()
    expected, found = _what_happened(one_by_one), _what_happened(together)
    assert found == expected
    # The story did change things: statuses, a slip, an override and its end.
    assert len(expected["events"]) >= 4 and len(expected["trail"]) >= 12


def test_a_refused_update_names_its_entry_and_nothing_is_written(scrutiny_world):
    world = scrutiny_world
    before = db.session.scalar(
        select(RecommendationUpdate.id).order_by(RecommendationUpdate.id.desc()).limit(1)
    )
    good = {"on": date(2007, 6, 1), "text": "Started.", "partner_id": world.lcc.id}
    future = {"on": today() + timedelta(days=1), "text": "Tomorrow.", "partner_id": world.lcc.id}
    with pytest.raises(progress.EntryInvalid) as refused:
        progress.add_updates(ACTOR, [(world.rec.id, good), (world.rec.id, future)], today())
    assert refused.value.index == 1 and "today or in the past" in refused.value.problems["on"]
    db.session.rollback()
    after = db.session.scalar(
        select(RecommendationUpdate.id).order_by(RecommendationUpdate.id.desc()).limit(1)
    )
    assert after == before


def _sheet(world, rows: int) -> bytes:
    """``rows`` new updates spread over the inquiry's recommendations, in the export's format."""
    refs = ["4.a", *(f"7.{k}" for k in range(4))]
    data = []
    for i in range(rows):
        cells = dict.fromkeys(sheets.HEADERS, "")
        cells.update(
            {
                "Reference": refs[i % len(refs)],
                "Update date": (date(2008, 1, 1) + timedelta(days=i)).isoformat(),
                "Update by": "LCC" if i % 2 else "",
                "Update": f"Progress {i}.",
                "Assessment": ("on_track", "not_achieved", "")[i % 3],
            }
        )
        data.append([cells[h] for h in sheets.HEADERS])
    return csv_bytes(sheets.HEADERS, data)


def _import_queries(app, world, rows: int) -> int:
    plan = sheets.plan(world.inquiry, _sheet(world, rows), "tracker.csv", today())
    assert plan.valid, [str(p) for p in plan.problems]
    db.session.expunge_all()
    with QueryCounter(app.extensions["govtrack.bind"]) as queries_run:
        written = sheets.write(ACTOR, queries.load_inquiry(world.inquiry.id), plan, today())
    assert written.updates == rows
    db.session.rollback()
    return queries_run.count


def test_an_imports_queries_do_not_grow_with_its_rows(app, scrutiny_world):
    world = scrutiny_world
    for k in range(4):
        commands.add_recommendation(
            ACTOR,
            world.inquiry,
            {"reference": f"7.{k}", "text": "Another.", "addressee_ids": [world.lcc.id]},
            today(),
        )
    db.session.commit()
    few, many = _import_queries(app, world, 10), _import_queries(app, world, 200)
    assert many == few, (few, many)
