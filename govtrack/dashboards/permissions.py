"""Who may see the dashboards and keep the reporting periods."""

from __future__ import annotations

from typing import Any

from govtrack.registry.permissions import keeps_shared_records


def can_read_dashboards(user: Any, _record: Any = None) -> bool:
    # The programme's status is public record; each area's figures say who may see them
    # (actions arising only to those signed in: see AreaFigures.visible_to).
    return True


def can_keep_reporting_periods(user: Any, _record: Any = None) -> bool:
    """Reporting periods belong to no one body: clerks for every body and admins."""
    return keeps_shared_records(user)
