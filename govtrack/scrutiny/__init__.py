"""Scrutiny inquiries and recommendations, with every response, update and review kept."""

from govtrack.core.capabilities import Capability, NavItem
from govtrack.core.permissions import anyone
from govtrack.meetings.models import Meeting
from govtrack.registry.models import Partner
from govtrack.scrutiny.cli import refresh_rags, scrutiny_cli
from govtrack.scrutiny.figures import figures
from govtrack.scrutiny.models import Recommendation
from govtrack.scrutiny.panels import body_panel, meeting_panel, person_panel
from govtrack.scrutiny.seed import seed_scrutiny
from govtrack.scrutiny.views import bp

capability = Capability(
    name="scrutiny",
    blueprint=bp,
    navigation=[
        NavItem("scrutiny.inquiries", "Scrutiny", anyone),
        NavItem("scrutiny.tracker", "Recommendations", anyone),
    ],
    commands=[scrutiny_cli],
    clock=[refresh_rags],
    record_panels={"meeting": meeting_panel, "body": body_panel, "person": person_panel},
    seed_steps=[seed_scrutiny],
    figures=figures,
    history_references={
        "addressee_ids": Partner,
        "evidence_meeting_ids": Meeting,
        # A milestone's audited links name the recommendations it answers by id.
        "recommendations": Recommendation,
    },
)
