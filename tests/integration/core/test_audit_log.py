"""The audit log is append-only: neither the ORM nor raw SQL can change or remove an entry."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from govtrack.core.audit import AppendOnlyError
from govtrack.core.models import AuditEntry
from govtrack.db import db


def an_entry(actions):
    actions.sign_in_as("clerk")
    actions.submit(
        "/partners/new",
        {
            "name": "Burnley Borough Council",
            "code": "BBC",
            "kind": "district",
            "joined_on": ["", "", ""],
            "left_on": ["", "", ""],
        },
    )
    return db.session.query(AuditEntry).filter_by(subject_type="partner").one()


def test_orm_refuses_to_update_or_delete_an_entry(actions):
    entry = an_entry(actions)
    entry.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_raw_updates_and_deletes(actions):
    entry = an_entry(actions)
    for statement in (
        "UPDATE audit_entries SET summary = 'rewritten' WHERE id = :id",
        "DELETE FROM audit_entries WHERE id = :id",
    ):
        nested = db.session.begin_nested()
        with pytest.raises(DatabaseError, match="history"):
            db.session.execute(text(statement), {"id": entry.id})
        nested.rollback()
    assert db.session.get(AuditEntry, entry.id).summary.startswith("Added partner BBC")


def test_admin_sees_the_audit_log_with_before_and_after(actions, make_partner):
    partner = make_partner(code="RBC", name="Rossendale")
    actions.sign_in_as("admin")
    actions.submit(
        f"/partners/{partner.id}/edit",
        {
            "name": "Rossendale Borough Council",
            "code": "RBC",
            "kind": "district",
            "joined_on": ["", "", ""],
            "left_on": ["", "", ""],
            "version": partner.version,
        },
    )
    page = actions.client.get("/audit")
    assert "Edited partner RBC" in page.text
    assert "Rossendale → Rossendale Borough Council" in page.text
    filtered = actions.client.get("/audit?subject=user")
    assert "Edited partner RBC" not in filtered.text
