"""The programme plan: objectives, their work-plan actions, milestones with baselines,
forecasts, actuals and their history, and the RAG each rolls up to (one engine, core.rag)."""

from datetime import datetime

from govtrack.core.capabilities import Capability, NavItem
from govtrack.core.permissions import anyone
from govtrack.programme.figures import figures
from govtrack.programme.seed import seed_programme
from govtrack.programme.views import bp


def refresh_rags(now: datetime) -> str:
    """The clock: dates pass and overrides expire, so milestones' RAG moves (with history)."""
    from govtrack.auth.models import system_actor
    from govtrack.core.dates import local_date
    from govtrack.programme import commands

    changed = commands.refresh_rags(system_actor("RAG tick"), local_date(now))
    return f"{changed} milestone(s) changed RAG."


capability = Capability(
    name="programme",
    blueprint=bp,
    navigation=[NavItem("programme.index", "Programme", anyone)],
    clock=[refresh_rags],
    seed_steps=[seed_programme],
    figures=figures,
)
