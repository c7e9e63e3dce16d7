"""The seed data from the source documents loads all or nothing, and never twice."""

from __future__ import annotations

import shutil

import pytest
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
