"""The e-mail outbox, for administrators, and the `flask mail` commands."""

from govtrack.core.capabilities import Capability, NavItem
from govtrack.outbox.cli import mail_cli
from govtrack.outbox.permissions import can_view_outbox
from govtrack.outbox.views import bp

capability = Capability(
    name="outbox",
    blueprint=bp,
    navigation=[NavItem("outbox.messages", "Outbox", can_view_outbox)],
    commands=[mail_cli],
)
