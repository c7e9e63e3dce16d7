"""How a capability presents itself to the app: blueprint, navigation, commands, seed steps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    # What the history pages need from this capability: fields of audited changes that hold a
    # list of ids, with the model the ids belong to ({"addressee_ids": Partner}; single ids are
    # found from foreign keys) ...
    history_references: dict[str, type] = field(default_factory=dict)
    # ... and how a record of one of its models is named where its name, title or reference
    # alone would not do ({Meeting: fn(record) -> "Joint Committee, 5 March 2007"}).
    history_names: dict[type, Callable[[Any], str]] = field(default_factory=dict)
    # Whether the database already holds this capability's seed data (`flask seed --if-empty`
    # loads nothing when any capability says so).
    seeded: Callable[[], bool] | None = None
    # The papers its seed is transcribed from: each one's title by its file name, so a citation
    # of the file ("seed/sources/….txt line 42") names the paper (govtrack.core.text.cited).
    source_papers: Callable[[], Mapping[str, str]] | None = None
    # Folders of files it keeps outside the database, by name ({"papers": fn() -> folder}):
    # `flask backup` puts them in the archive beside the database, `flask restore` puts them back.
    file_stores: dict[str, Callable[[], str]] = field(default_factory=dict)


def registered() -> list[Capability]:
    """The capabilities of the running app, in registration order."""
    return current_app.extensions["govtrack.capabilities"]


def source_titles() -> dict[str, str]:
    """The title of every source paper the capabilities' seeds cite, by its file name."""
    titles: dict[str, str] = {}
    for capability in registered():
        if capability.source_papers is not None:
            titles.update(capability.source_papers())
    return titles


def record_panels(kind: str, record: Any) -> list[Markup]:
    """The sections other capabilities add to a record's page, rendered in registration order."""
    out = []
    for capability in registered():
        panel = capability.record_panels.get(kind)
        if panel is None:
            continue
        rendered = panel(record)
        if rendered is not None:
            template, context = rendered
            out.append(Markup(render_template(template, **context)))  # noqa: S704
    return out
