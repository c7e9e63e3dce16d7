"""Accounts administration: administrators list, invite, disable and re-enable accounts and
grant and remove their rights, in the browser and with `flask user ...`."""

from govtrack.accounts.permissions import can_manage_accounts
from govtrack.accounts.views import bp
from govtrack.core.capabilities import Capability, NavItem

capability = Capability(
    name="accounts",
    blueprint=bp,
    navigation=[NavItem("accounts.index", "Accounts", can_manage_accounts)],
)
