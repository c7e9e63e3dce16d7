"""Meetings, agendas, attendance and minutes: democratic services' record of every decision."""

from govtrack.core.capabilities import Capability, NavItem
from govtrack.core.permissions import anyone
from govtrack.meetings.blueprint import bp
from govtrack.meetings.figures import figures
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.meetings.panels import body_panel, item_name, meeting_name, person_panel
from govtrack.meetings.paper_store import papers_dir
from govtrack.meetings.permissions import can_view_actions
from govtrack.meetings.seed import seed_meetings

capability = Capability(
    name="meetings",
    blueprint=bp,
    navigation=[
        NavItem("meetings.calendar", "Meetings", anyone),
        NavItem("meetings.decisions", "Decisions", anyone),
        NavItem("meetings.actions", "Actions", can_view_actions),
    ],
    seed_steps=[seed_meetings],
    record_panels={"person": person_panel, "body": body_panel},
    figures=figures,
    history_names={Meeting: meeting_name, AgendaItem: item_name},
    file_stores={"papers": papers_dir},
)
