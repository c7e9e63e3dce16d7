"""Who may record inquiries, respond, report progress and review recommendations.

Scrutiny rights are per body: a seat on a scrutiny body (or a scrutiny grant for it, or for
every body) gives the scrutiny rights over that body's inquiries; clerks for the body record
inquiries, recommendations and responses too. Officers act for the partners whose officer rights
they hold (their own council, or those named in their grant). A check without a record guards a
page open to anyone holding that kind of right somewhere; with an inquiry, a recommendation or a
body id it decides for that body.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in
from govtrack.auth.rights import rights_of
from govtrack.db import db
from govtrack.registry.permissions import keeps_shared_records
from govtrack.scrutiny.models import Inquiry


def body_of(record: Any) -> int | None:
    """The body whose inquiry ``record`` is (or belongs to): a body id, an inquiry, or a
    recommendation (read from the session without a query when its inquiry is loaded)."""
    if record is None or isinstance(record, int):
        return record
    if isinstance(record, Inquiry):
        return record.body_id
    inquiry_id = getattr(record, "inquiry_id", None)
    if inquiry_id is not None:
        inquiry = db.session.get(Inquiry, inquiry_id)
        return inquiry.body_id if inquiry is not None else None
    return getattr(record, "body_id", None)


def _scrutiny_for(user: Any, record: Any) -> bool:
    return signed_in(user) and rights_of(user).scrutiny_for(body_of(record))


def _records_for(user: Any, record: Any) -> bool:
    if not signed_in(user):
        return False
    rights = rights_of(user)
    body_id = body_of(record)
    return rights.clerk_for(body_id) or rights.scrutiny_for(body_id)


def can_manage_inquiries(user: Any, record: Any = None) -> bool:
    """Clerks and scrutiny members record inquiries, recommendations and responses: of the
    record's body when there is one."""
    if record is None:
        return has_role(user, Role.ADMIN, Role.CLERK, Role.SCRUTINY)
    return _records_for(user, record)


def can_review(user: Any, record: Any = None) -> bool:
    """Scrutiny members challenge, comment, sign off and reopen: of the record's body."""
    if record is None:
        return has_role(user, Role.ADMIN, Role.SCRUTINY)
    return _scrutiny_for(user, record)


def may_report_progress(user: Any, _record: Any = None) -> bool:
    """Rights that may add updates at all (officers only for their partners)."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.OFFICER)


def may_respond(user: Any, _record: Any = None) -> bool:
    """Rights that may record a response at all (officers only for their partners)."""
    return has_role(user, Role.ADMIN, Role.CLERK, Role.SCRUTINY, Role.OFFICER)


def addressed_to(partner_id: int | None, addressee_ids: Iterable[int]) -> bool:
    """A recommendation addressed to nobody in particular is addressed to every partner."""
    ids = set(addressee_ids)
    return partner_id is not None and (not ids or partner_id in ids)


def _officer_for_addressees(user: Any, addressee_ids: Iterable[int]) -> list[int]:
    """The partners the user is an officer of that the recommendation is addressed to."""
    if not signed_in(user):
        return []
    ids = list(addressee_ids)
    return sorted(p for p in rights_of(user).officer_partners if addressed_to(p, ids))


def can_add_update(user: Any, recommendation: Any, addressee_ids: Iterable[int]) -> bool:
    """Clerks for its body and admins record any update; an officer only one addressed to a
    partner they are an officer of."""
    if signed_in(user) and rights_of(user).clerk_for(body_of(recommendation)):
        return True
    return bool(_officer_for_addressees(user, addressee_ids))


def can_record_response(user: Any, recommendation: Any, addressee_ids: Iterable[int]) -> bool:
    if can_manage_inquiries(user, recommendation):
        return True
    return bool(_officer_for_addressees(user, addressee_ids))


def partners_user_may_speak_for(
    user: Any, recommendation: Any, addressee_ids: list[int]
) -> list[int] | None:
    """Which partners' updates the user may add: None for any (and the general text)."""
    if can_manage_inquiries(user, recommendation):
        return None
    return _officer_for_addressees(user, addressee_ids)


def is_signed_in(user: Any) -> bool:
    return signed_in(user)


def can_import(user: Any, _record: Any = None) -> bool:
    """Clerks for every body and admins import trackers: an import writes updates for any
    partner."""
    return keeps_shared_records(user)
