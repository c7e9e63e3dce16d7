"""The seed loader: read every capability's seed files, validate every record, write all in
one transaction, or nothing.

A problem names the file, the record and the field. Each capability contributes steps (see
``Capability.seed_steps``); a step reads its files through ``SeedRun.records``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml
from pydantic import BaseModel, ValidationError

from govtrack.core.capabilities import registered
from govtrack.core.records import Invalid, unit_of_work

M = TypeVar("M", bound=BaseModel)


class _SeedLoader(yaml.SafeLoader):
    """Safe YAML without implicit dates: dates stay text so the schema checks them and a bad
    one is reported with its record and field, not as a crash inside the YAML parser."""


_SeedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SeedError(Exception):
    """A seed file is malformed; says where."""

    def __init__(self, file: str, record: str | None, field_name: str | None, message: str):
        where = file
        if record:
            where += f", record {record}"
        if field_name:
            where += f", field '{field_name}'"
        super().__init__(f"{where}: {message}")
        self.file, self.record, self.field, self.message = file, record, field_name, message


@dataclass
class SeedRun:
    """What one loading run knows: where the files are and the keys loaded so far."""

    directory: Path
    progress: bool = False
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)

    def records(
        self, filename: str, schema: type[M], key_field: str, section: str | None = None
    ) -> list[tuple[str, M]]:
        """Every record of ``filename`` validated by ``schema``, as (label, record) pairs.

        ``section`` names the top-level key holding the list, for files that are a mapping."""
        path = self.directory / filename
        if not path.exists():
            raise SeedError(filename, None, None, "file not found")
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SeedLoader)  # noqa: S506
        except yaml.YAMLError as exc:
            raise SeedError(filename, None, None, f"not valid YAML ({exc})") from exc
        if section is not None and raw is not None:
            if not isinstance(raw, dict) or section not in raw:
                raise SeedError(filename, None, section, f"must hold a '{section}' list")
            raw = raw[section]
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise SeedError(filename, None, None, "must be a list of records")
        out: list[tuple[str, M]] = []
        seen: set[str] = set()
        for index, item in enumerate(raw, start=1):
            label = f"{index}"
            if isinstance(item, dict) and item.get(key_field):
                label = f"{index} ({key_field} {item[key_field]})"
            try:
                record = schema.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                loc = ".".join(str(part) for part in first["loc"]) or None
                raise SeedError(filename, label, loc, first["msg"]) from exc
            key = str(getattr(record, key_field))
            if key in seen:
                raise SeedError(filename, label, key_field, f"'{key}' appears more than once")
            seen.add(key)
            out.append((label, record))
        return out

    def resolve(self, kind: str, key: str, filename: str, label: str, field_name: str) -> Any:
        """The record loaded earlier under ``key``; a missing one is the citing record's error."""
        try:
            return self.keys[kind][key]
        except KeyError:
            raise SeedError(filename, label, field_name, f"no {kind} with key '{key}'") from None

    def remember(self, kind: str, key: str, record: Any) -> None:
        self.keys.setdefault(kind, {})[key] = record

    @contextmanager
    def saving(self, filename: str, label: str) -> Iterator[None]:
        """Turn a service's refusal into a seed error that names the file, record and field."""
        try:
            yield
        except Invalid as exc:
            name, message = next(iter(exc.problems.items()))
            raise SeedError(filename, label, name.removesuffix("_id"), message) from exc

    def each(self, items: list, label: str) -> Iterable:
        if not self.progress or not items:
            return _plain_iter(items)
        return _bar(items, label)


def _plain_iter(items: list) -> Iterator:
    yield from items


def _bar(items: list, label: str) -> Iterator:
    with click.progressbar(items, label=f"{label:<22}", show_pos=True) as bar:
        yield from bar


def seed_needed() -> bool:
    """True when no capability's seed data is in the database yet (no partners, no accounts)."""
    return not any(c.seeded() for c in registered() if c.seeded is not None)


def load_seed(directory: str, progress: bool = False) -> list[str]:
    """Run every capability's seed steps in one transaction; commit only if all succeed."""
    run = SeedRun(directory=Path(directory), progress=progress)
    with unit_of_work():
        for capability in registered():
            for step in capability.seed_steps:
                step(run)
    return run.report
