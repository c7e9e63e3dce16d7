"""Who may read and change the service-integration pipeline.

Appendix A was a public Cabinet paper, so the public reads the board, the table, each service
and the analytics. Officers of the partner that owns a service, and clerks and admins, record
services and move them between stages; officers keep their own partner's directorates.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role
from govtrack.registry.services import officer_partner_id


def can_read_pipeline(_user: Any, _record: Any = None) -> bool:
    return True


def can_record_services(user: Any, _record: Any = None) -> bool:
    """May open the forms at all: clerks, admins and officers (their partner is checked later)."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.OFFICER)


def can_edit_partner_services(user: Any, partner_id: int | None) -> bool:
    """Clerks and admins for every partner; an officer for the partner they work for."""
    if has_role(user, Role.ADMIN, Role.CLERK):
        return True
    return partner_id is not None and officer_partner_id(user) == partner_id


def can_edit_service(user: Any, service: Any) -> bool:
    return can_edit_partner_services(user, service.partner_id)


def can_manage_directorates(user: Any, partner_id: int | None = None) -> bool:
    if partner_id is None:
        return can_record_services(user)
    return can_edit_partner_services(user, partner_id)
