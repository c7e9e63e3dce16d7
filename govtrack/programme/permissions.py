"""Who may read and change the programme plan.

The plan is public (the vision statement and its milestones were public Cabinet papers), so
everyone reads it. Officers change the milestones of the partners whose officer rights they hold
(their own council, or those named in their grant); the plan belongs to no one body, so clerks
for every body and admins change everything, and keep the objectives, their work-plan actions
and links.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in
from govtrack.auth.rights import rights_of
from govtrack.registry.permissions import keeps_shared_records


def can_read_programme(_user: Any, _record: Any = None) -> bool:
    return True


def can_manage_programme(user: Any, _record: Any = None) -> bool:
    """Objectives, work-plan actions, links, and milestones of any owner: clerks for every body
    and admins."""
    return keeps_shared_records(user)


def can_record_milestones(user: Any, _record: Any = None) -> bool:
    """May open the milestone forms at all (an officer's partner is checked per milestone)."""
    return can_manage_programme(user) or has_role(user, Role.OFFICER)


def can_edit_partner_milestones(user: Any, partner_id: int | None) -> bool:
    if can_manage_programme(user):
        return True
    return signed_in(user) and rights_of(user).officer_for(partner_id)


def can_edit_milestone(user: Any, milestone: Any) -> bool:
    return can_edit_partner_milestones(user, milestone.owner_partner_id)


def can_override_rag(user: Any, milestone: Any = None) -> bool:
    """Overriding a RAG is a judgement for clerks and admins, and the owning officer."""
    if milestone is None:
        return can_record_milestones(user)
    return can_edit_milestone(user, milestone)
