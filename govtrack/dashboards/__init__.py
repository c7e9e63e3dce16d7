"""Dashboards: the programme at a glance (RAG counts per area, what turned red or amber, what
is overdue or due soon) for the programme, a partner and a body, and the highlight report of a
reporting period. Reads only the figures each capability contributes (Capability.figures)."""

from govtrack.core.capabilities import Capability, NavItem
from govtrack.dashboards.panels import body_panel, objective_panel, partner_panel
from govtrack.dashboards.permissions import can_read_dashboards
from govtrack.dashboards.views import bp

capability = Capability(
    name="dashboards",
    blueprint=bp,
    navigation=[NavItem("dashboards.overview", "Dashboard", can_read_dashboards)],
    record_panels={"body": body_panel, "objective": objective_panel, "partner": partner_panel},
)
