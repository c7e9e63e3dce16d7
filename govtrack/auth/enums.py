"""The roles an account may have."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class Role(LabelledEnum):
    ADMIN = ("admin", "Administrator")
    CLERK = ("clerk", "Democratic services officer")
    MEMBER = ("member", "Councillor (member)")
    OFFICER = ("officer", "Officer")
    SCRUTINY = ("scrutiny", "Scrutiny panel member")
