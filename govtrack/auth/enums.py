"""The rights an account may hold, and what a single-use link is for."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class Role(LabelledEnum):
    """A kind of right. An account may hold several, some for named bodies or partners."""

    ADMIN = ("admin", "Administrator")
    CLERK = ("clerk", "Democratic services officer")
    MEMBER = ("member", "Councillor (member)")
    OFFICER = ("officer", "Officer")
    SCRUTINY = ("scrutiny", "Scrutiny panel member")


class LinkPurpose(LabelledEnum):
    INVITATION = ("invitation", "Invitation")
    RESET = ("reset", "Password reset")
