"""Who may read and change the programme plan.

The plan is public (the vision statement and its milestones were public Cabinet papers), so
everyone reads it. Officers change the milestones their own council owns; clerks and admins
change everything, and keep the objectives, their work-plan actions and links.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role
from govtrack.registry.services import officer_partner_id


def can_read_programme(_user: Any, _record: Any = None) -> bool:
    return True


def can_manage_programme(user: Any, _record: Any = None) -> bool:
    """Objectives, work-plan actions, links, and milestones of any owner: clerks and admins."""
    return has_role(user, Role.ADMIN, Role.CLERK)


def can_record_milestones(user: Any, _record: Any = None) -> bool:
    """May open the milestone forms at all (an officer's partner is checked per milestone)."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.OFFICER)


def can_edit_partner_milestones(user: Any, partner_id: int | None) -> bool:
    if can_manage_programme(user):
        return True
    return partner_id is not None and officer_partner_id(user) == partner_id


def can_edit_milestone(user: Any, milestone: Any) -> bool:
    return can_edit_partner_milestones(user, milestone.owner_partner_id)


def can_override_rag(user: Any, milestone: Any = None) -> bool:
    """Overriding a RAG is a judgement for clerks and admins, and the owning officer."""
    if milestone is None:
        return can_record_milestones(user)
    return can_edit_milestone(user, milestone)
