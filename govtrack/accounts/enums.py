"""How an account stands, as the accounts pages name it and filter by it."""

from __future__ import annotations

from govtrack.core.enums import LabelledEnum


class AccountState(LabelledEnum):
    ACTIVE = ("active", "Active")
    # Has not yet set a password (nor signed in with single sign-on): an invitation is waiting
    # or has expired.
    INVITED = ("invited", "Invited")
    DISABLED = ("disabled", "Disabled")
