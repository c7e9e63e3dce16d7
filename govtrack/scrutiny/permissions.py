"""Who may record inquiries, respond, report progress and review recommendations.

Officers act for their own council: the partner of the person their account is linked to.
Only scrutiny members (and administrators) review, challenge, sign off and reopen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in


def can_manage_inquiries(user: Any, _record: Any = None) -> bool:
    """Clerks and scrutiny members record inquiries, recommendations and responses."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.SCRUTINY)


def can_review(user: Any, _record: Any = None) -> bool:
    """Scrutiny members challenge, comment, sign off and reopen."""
    return has_role(user, Role.ADMIN, Role.SCRUTINY)


def may_report_progress(user: Any, _record: Any = None) -> bool:
    """Roles that may add updates at all (officers only for their own council)."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.OFFICER)


def may_respond(user: Any, _record: Any = None) -> bool:
    """Roles that may record a response at all (officers only for their own council)."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.SCRUTINY, Role.OFFICER)


def addressed_to(partner_id: int | None, addressee_ids: Iterable[int]) -> bool:
    """A recommendation addressed to nobody in particular is addressed to every partner."""
    ids = set(addressee_ids)
    return partner_id is not None and (not ids or partner_id in ids)


def can_add_update(user: Any, own_partner_id: int | None, addressee_ids: Iterable[int]) -> bool:
    """Clerks and admins record any update; an officer only one addressed to their council."""
    if has_role(user, Role.ADMIN, Role.CLERK):
        return True
    return has_role(user, Role.OFFICER) and addressed_to(own_partner_id, addressee_ids)


def can_record_response(
    user: Any, own_partner_id: int | None, addressee_ids: Iterable[int]
) -> bool:
    if can_manage_inquiries(user):
        return True
    return has_role(user, Role.OFFICER) and addressed_to(own_partner_id, addressee_ids)


def partners_user_may_speak_for(
    user: Any, own_partner_id: int | None, addressee_ids: list[int]
) -> list[int] | None:
    """Which partners' updates the user may add: None for any (and the general text)."""
    if has_role(user, Role.ADMIN, Role.CLERK, Role.SCRUTINY):
        return None
    return [own_partner_id] if addressed_to(own_partner_id, addressee_ids) else []


def is_signed_in(user: Any) -> bool:
    return signed_in(user)


def can_import(user: Any, _record: Any = None) -> bool:
    """Clerks and admins import trackers: an import writes updates for any partner."""
    return has_role(user, Role.ADMIN, Role.CLERK)
