"""How a capability presents itself to the app: blueprint, navigation, commands, seed steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    visible_to: Callable[[Any], bool]


@dataclass(frozen=True)
class Capability:
    name: str
    blueprint: Any
    navigation: list[NavItem] = field(default_factory=list)
    commands: list[Any] = field(default_factory=list)
    # Steps the seed loader runs, in order (see govtrack.core.seed).
    seed_steps: list[Any] = field(default_factory=list)
    # Sections this capability adds to another's record pages: {"person": fn, "body": fn},
    # each fn(record) -> (template name, context) or None.
    record_panels: dict[str, Callable[[Any], tuple[str, dict] | None]] = field(default_factory=dict)
    # What the passing of time does (close decisions, turn late items red): each step takes the
    # moment (UTC) and says what it did; `flask tick` runs every capability's steps.
    clock: list[Callable[[Any], str]] = field(default_factory=list)
    # What it contributes to the dashboards (govtrack.core.figures.AreaFigures), in the order
    # the dashboards show the areas.
    figures: list[Any] = field(default_factory=list)


def record_panels(kind: str, record: Any) -> list[Markup]:
    """The sections other capabilities add to a record's page, rendered in registration order."""
    out = []
    for capability in current_app.extensions["govtrack.capabilities"]:
        panel = capability.record_panels.get(kind)
        if panel is None:
            continue
        rendered = panel(record)
        if rendered is not None:
            template, context = rendered
            out.append(Markup(render_template(template, **context)))  # noqa: S704
    return out
