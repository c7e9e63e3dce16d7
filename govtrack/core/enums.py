"""Closed sets shown by label: the base every capability's enums use (no Flask, no database),
so rules modules can import their enums without importing the web app or SQLAlchemy."""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A closed set stored by value, shown by label: ``MEMBER = ("member", "Member")``."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    def __str__(self) -> str:
        return self.value
