"""A citation of a seed file names the paper: the registry gives the titles from the one list,
seed/sources/papers.yaml, and that list names every paper kept beside it."""

from __future__ import annotations

from pathlib import Path

import yaml

from govtrack import ROOT
from govtrack.core.text import cited

SOURCES = Path(ROOT) / "seed" / "sources"


def test_every_paper_kept_is_listed_once_with_a_title():
    papers = yaml.safe_load((SOURCES / "papers.yaml").read_text(encoding="utf-8"))
    files = [paper["file"] for paper in papers]
    assert sorted(files) == sorted(p.name for p in SOURCES.glob("*.txt"))
    assert len(set(files)) == len(files)
    assert all(paper["title"].strip() for paper in papers)


def test_a_page_cites_a_seed_file_by_the_papers_title(app):
    with app.app_context():
        shown = cited("seed/sources/001_b5a6a1339885b6a9.txt line 42")
    assert shown == "Scrutiny Panel monitoring report, 20 November 2007, line 42"
