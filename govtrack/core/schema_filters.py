"""What Alembic's model/migration comparison leaves out: database objects that migrations create
by hand and the models cannot describe (full-text search tables and expression indexes).

Used by ``migrations/env.py`` (autogenerate, ``alembic check``) and by the drift test, so both
compare the same things.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# SQLite: the decision register's FTS5 table and the shadow tables FTS5 keeps beside it
# (an external-content table has no _content table, but a contentless rebuild would).
FULL_TEXT_TABLES = frozenset(
    {
        "resolution_fts",
        "resolution_fts_data",
        "resolution_fts_idx",
        "resolution_fts_docsize",
        "resolution_fts_config",
        "resolution_fts_content",
    }
)
# PostgreSQL: the GIN index on to_tsvector('english', resolutions.search_text).
FULL_TEXT_INDEXES = frozenset({"ix_resolutions_search_tsv"})


def include_name(name: str | None, type_: str, _parent_names: Mapping[str, Any]) -> bool:
    """Alembic ``include_name`` hook: skip the hand-made full-text objects by name."""
    if type_ == "table":
        return name not in FULL_TEXT_TABLES
    if type_ == "index":
        return name not in FULL_TEXT_INDEXES
    return True
