"""Dashboards: the programme at a glance (RAG counts per area, what turned red or amber, what
is overdue or due soon) for the programme, a partner and a body, and the highlight report of a
reporting period. Reads only the figures each capability contributes (Capability.figures)."""

from datetime import datetime

from govtrack.core.capabilities import Capability, NavItem
from govtrack.dashboards.panels import body_panel, objective_panel, partner_panel
from govtrack.dashboards.permissions import can_read_dashboards
from govtrack.dashboards.views import bp


def observe_rags(now: datetime) -> str:
    """The clock: keep today's RAG counts of the areas whose RAG is derived from dates."""
    from govtrack.core.dates import local_date
    from govtrack.dashboards import services

    recorded = services.observe_rags(local_date(now))
    return f"RAG counts of {recorded} area(s) recorded for the dashboards."


capability = Capability(
    name="dashboards",
    blueprint=bp,
    navigation=[NavItem("dashboards.overview", "Dashboard", can_read_dashboards)],
    clock=[observe_rags],
    record_panels={"body": body_panel, "objective": objective_panel, "partner": partner_panel},
)
