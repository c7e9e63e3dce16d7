"""What the dashboards add to other capabilities' record pages: links to the dashboard of a
partner, a body or an objective."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from govtrack.dashboards.permissions import can_read_dashboards


def _panel(endpoint: str, what: str, **ids: Any) -> tuple[str, dict] | None:
    if not can_read_dashboards(current_user):
        return None
    return "dashboards/_panel.html", {"endpoint": endpoint, "ids": ids, "what": what}


def partner_panel(partner: Any) -> tuple[str, dict] | None:
    return _panel("dashboards.partner", "this partner", partner_id=partner.id)


def body_panel(body: Any) -> tuple[str, dict] | None:
    return _panel("dashboards.body", "this body", body_id=body.id)


def objective_panel(objective: Any) -> tuple[str, dict] | None:
    return _panel("dashboards.objective", "this objective", objective_id=objective.id)
