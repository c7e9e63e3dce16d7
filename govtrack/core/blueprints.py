"""A capability whose pages live in several view modules builds its blueprint from them by name:
each module declares its routes on its own ``BlueprintParts`` and the capability adds each
module's parts to the blueprint (``add_to``), instead of importing modules for their side
effect of filling a shared blueprint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

F = Callable[..., Any]


class BlueprintParts:
    """Routes, error handlers and template helpers, declared as on a ``Blueprint`` and kept
    until the blueprint they belong to is built."""

    def __init__(self) -> None:
        self._parts: list[Callable[[Blueprint], object]] = []

    def _later(self, add: Callable[[Blueprint, F], object]) -> Callable[[F], F]:
        def decorator(function: F) -> F:
            self._parts.append(lambda bp: add(bp, function))
            return function

        return decorator

    def route(self, rule: str, **options: Any) -> Callable[[F], F]:
        return self._later(lambda bp, f: bp.route(rule, **options)(f))

    def errorhandler(self, code_or_exception: type[Exception] | int) -> Callable[[F], F]:
        return self._later(lambda bp, f: bp.errorhandler(code_or_exception)(f))

    def app_context_processor(self, function: F) -> F:
        return self._later(lambda bp, f: bp.app_context_processor(f))(function)

    def url_value_preprocessor(self, function: F) -> F:
        return self._later(lambda bp, f: bp.url_value_preprocessor(f))(function)

    def add_app_template_filter(self, function: F, name: str | None = None) -> None:
        self._later(lambda bp, f: bp.add_app_template_filter(f, name))(function)

    def add_to(self, bp: Blueprint) -> None:
        for part in self._parts:
            part(bp)
