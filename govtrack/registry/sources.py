"""The papers the seed is transcribed from, as pages cite them: ``seed/sources/papers.yaml``
is the one list (its README says what the papers are), and the registry, which every other
capability's records link to, gives the core their titles through its ``Capability``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from govtrack.core.cli import project_root


def source_papers() -> dict[str, str]:
    """Each source paper's title by its file name (none when the list is not there)."""
    return _titles(project_root() / "seed" / "sources" / "papers.yaml")


@cache
def _titles(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    papers = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {paper["file"]: paper["title"] for paper in papers}
