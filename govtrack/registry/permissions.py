"""Who may see and change the registry, and who keeps the records that belong to no one body.

The registry, the programme, the pipeline, imports and reporting periods are shared by every
body, so they are kept by administrators and clerks for every body (``keeps_shared_records``);
a clerk for named bodies runs only those bodies' meetings.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.permissions import signed_in
from govtrack.auth.rights import rights_of


def keeps_shared_records(user: Any, _record: Any = None) -> bool:
    """Administrators and clerks for every body."""
    if not signed_in(user):
        return False
    rights = rights_of(user)
    return rights.admin or rights.clerk_everywhere


def can_manage_registry(user: Any, _record: Any = None) -> bool:
    """Clerks for every body (democratic services) and admins keep the registry."""
    return keeps_shared_records(user)


def can_view_people(user: Any, _record: Any = None) -> bool:
    """People's details (e-mail, account) are for signed-in users; the public sees names on
    bodies' current membership only."""
    return signed_in(user)


def can_view_history(user: Any, _record: Any = None) -> bool:
    return signed_in(user)
