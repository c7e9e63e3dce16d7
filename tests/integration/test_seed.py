"""The seed data from the source documents loads all or nothing, and never twice."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from govtrack import ROOT
from govtrack.auth.models import User
from govtrack.core.models import AuditEntry
from govtrack.core.seed import SeedError, load_seed, seed_needed
from govtrack.db import db
from govtrack.registry.models import Body, Membership, Partner, Person


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_real_seed_data_loads(app):
    report = load_seed(str(ROOT / "seed"))
    codes = set(db.session.scalars(select(Partner.code)))
    assert {"LCC", "BBC", "CBC", "HBC", "PBC", "RVBC", "RBC", "NGT"} <= codes
    names = set(db.session.scalars(select(Body.name)))
    assert any("Joint Committee" in n for n in names)
    assert any("Partnership Board" in n for n in names)
    assert any("Overview" in n and "Scrutiny Panel" in n for n in names)
    assert any("Sub-Group" in n for n in names)
    assert any("Task Group" in n for n in names)
    assert any("Cabinet" in n for n in names)
    baker = db.session.scalar(select(Person).where(Person.name == "Peter Baker"))
    chair = db.session.scalar(select(Membership).where(Membership.person_id == baker.id))
    assert chair.role.value == "chair"
    assert chair.start_on.isoformat() == "2006-10-26"
    assert count(User) == 5
    assert any("Demo accounts" in line for line in report)
    assert not seed_needed()
    # every seeded record is in the audit log
    assert count(AuditEntry) >= count(Partner) + count(Person) + count(Body) + count(Membership)


def test_seed_command_loads_only_into_an_empty_database(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "Demo accounts" in first.output
    partners = count(Partner)
    second = runner.invoke(args=["seed", "--if-empty"])
    assert second.exit_code == 0
    assert "nothing loaded" in second.output
    assert count(Partner) == partners


@pytest.fixture
def broken_seed(tmp_path):
    directory = tmp_path / "seed"
    shutil.copytree(ROOT / "seed", directory)
    return directory


def breaks(directory, filename, old, new):
    path = directory / filename
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"),
    [
        ("partners.yaml", "kind: county", "kind: parish", ("partners.yaml", "code LCC", "kind")),
        (
            "people.yaml",
            "partner: CBC",
            "partner: XYZ",
            ("people.yaml", "key peter-baker", "partner"),
        ),
        (
            "memberships.yaml",
            "start_on: 2006-10-26",
            "start_on: 2006-13-26",
            ("memberships.yaml", "record 1", "start_on"),
        ),
        (
            "bodies.yaml",
            "legal_form: lga1972_joint_committee",
            "legal_form: 12",
            ("bodies.yaml", "key joint-committee", "legal_form"),
        ),
    ],
)
def test_a_malformed_seed_file_names_the_problem_and_loads_nothing(
    app, broken_seed, filename, old, new, expected
):
    breaks(broken_seed, filename, old, new)
    with pytest.raises(SeedError) as caught:
        load_seed(str(broken_seed))
    message = str(caught.value)
    for part in expected:
        assert part in message, message
    assert count(Partner) == 0
    assert count(Person) == 0
    assert count(User) == 0


def test_a_seed_file_that_is_not_yaml_is_reported(app, broken_seed):
    (broken_seed / "people.yaml").write_text("- key: [unclosed\n")
    with pytest.raises(SeedError, match=r"people\.yaml: not valid YAML"):
        load_seed(str(broken_seed))
    assert count(Partner) == 0


def test_the_seed_command_reports_the_problem(app, broken_seed):
    breaks(broken_seed, "partners.yaml", "code: LCC", "code: lcc1")
    result = app.test_cli_runner().invoke(args=["seed", "--directory", str(broken_seed)])
    assert result.exit_code != 0
    assert "partners.yaml, record 1 (code lcc1), field 'code'" in result.output
    assert count(Partner) == 0


SOURCES = ROOT / "seed" / "sources"
CITED = re.compile(r"seed/sources/(\d{3}_[0-9a-f]{16}\.txt)(?:,? lines? (\d+))?")


def _seed_texts() -> dict[str, str]:
    files = [*sorted((ROOT / "seed").glob("*.yaml")), ROOT / "seed" / "NOTES.md"]
    return {f.name: f.read_text(encoding="utf-8") for f in files}


def test_every_paper_the_seed_cites_travels_with_it():
    """The seed cites its papers by their path in the repository, and each is there: a fresh
    clone can check every citation (a cited line exists in the paper)."""
    cited: set[str] = set()
    for name, text in _seed_texts().items():
        for match in CITED.finditer(text):
            paper = SOURCES / match.group(1)
            assert paper.is_file(), f"{name} cites {match.group(0)}, which is not in the repository"
            cited.add(match.group(1))
            if match.group(2):
                lines = paper.read_text(encoding="utf-8").count("\n") + 1
                assert int(match.group(2)) <= lines, f"{name}: {match.group(0)} is past its end"
        # A paper's file name is always given with its path in the repository.
        bare = re.findall(r"(?<![/\w*])\d{3}_[0-9a-f]{16}\.txt", text)
        assert not bare, f"{name} cites {bare[0]} without its path (seed/sources/...)"
    # Only the papers the seed cites are kept, each listed with where it came from, and the
    # set stays small.
    kept = {p.name for p in SOURCES.glob("*.txt")}
    assert cited <= kept
    everything = "\n".join(_seed_texts().values())
    for name in kept - cited:  # cited by its number only ("004 (Lancaster)")
        assert re.search(rf"\b{name[:3]}\b", everything), f"{name} is kept but never cited"
    listing = yaml.safe_load((SOURCES / "papers.yaml").read_text(encoding="utf-8"))
    assert {paper["file"] for paper in listing} == kept
    assert all(paper["title"] and paper["what"] and paper["from"] for paper in listing)
    assert sum(p.stat().st_size for p in SOURCES.glob("*.txt")) < 300_000


def test_nothing_cites_a_folder_of_the_machine_it_was_written_on():
    folders = re.compile(r"(/work/|/home/|/Users/|/tmp/)")
    for top in ("seed", "govtrack", "tests", "README.md"):
        paths = [ROOT / top] if top.endswith(".md") else (ROOT / top).rglob("*")
        for path in paths:
            if path.is_file() and path.suffix in {".py", ".yaml", ".md", ".html", ".txt"}:
                if path.parent == SOURCES or path == Path(__file__):
                    continue
                found = folders.search(path.read_text(encoding="utf-8", errors="replace"))
                assert not found, f"{path.relative_to(ROOT)} names {found.group(0)}"
