"""Who may see the dashboards and keep the reporting periods."""

from __future__ import annotations

from typing import Any

from govtrack.auth.models import Role
from govtrack.auth.permissions import has_role, signed_in


def can_read_dashboards(user: Any, _record: Any = None) -> bool:
    # The dashboards name actions arising, which only signed-in users may read.
    return signed_in(user)


def can_keep_reporting_periods(user: Any, _record: Any = None) -> bool:
    return has_role(user, Role.ADMIN, Role.CLERK)
