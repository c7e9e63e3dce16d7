"""Who may read and change the service-integration pipeline.

Appendix A was a public Cabinet paper, so the public reads the board, the table, each service
and the analytics. Officers of the partner that owns a service (their own council, or the
partners named in their grant) record its services and move them between stages, and keep that
partner's directorates; the pipeline belongs to no one body, so clerks for every body and
administrators keep all of it.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in
from govtrack.auth.rights import rights_of
from govtrack.registry.permissions import keeps_shared_records


def can_read_pipeline(_user: Any, _record: Any = None) -> bool:
    return True


def can_record_services(user: Any, _record: Any = None) -> bool:
    """May open the forms at all: clerks for every body, admins and officers (their partner is
    checked later)."""
    return keeps_shared_records(user) or has_role(user, Role.OFFICER)


def can_edit_partner_services(user: Any, partner_id: int | None) -> bool:
    """Clerks for every body and admins for every partner; an officer for their partners."""
    if keeps_shared_records(user):
        return True
    return signed_in(user) and rights_of(user).officer_for(partner_id)


def can_edit_service(user: Any, service: Any) -> bool:
    return can_edit_partner_services(user, service.partner_id)


def can_manage_directorates(user: Any, partner_id: int | None = None) -> bool:
    if partner_id is None:
        return can_record_services(user)
    return can_edit_partner_services(user, partner_id)
