"""Decision rules, motions and voting."""

from govtrack.core.capabilities import Capability, NavItem
from govtrack.voting.cli import close_and_remind
from govtrack.voting.figures import figures
from govtrack.voting.panels import meeting_panel, minutes_panel
from govtrack.voting.permissions import can_have_decisions
from govtrack.voting.seed import seed_voting
from govtrack.voting.views import bp

capability = Capability(
    name="voting",
    blueprint=bp,
    navigation=[NavItem("voting.my_decisions", "My decisions", can_have_decisions)],
    clock=[close_and_remind],
    figures=figures,
    record_panels={"meeting": meeting_panel, "minutes": minutes_panel},
    seed_steps=[seed_voting],
)
