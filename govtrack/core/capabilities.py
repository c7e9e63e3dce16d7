"""How a capability presents itself to the app: blueprint, navigation, commands, seed steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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
