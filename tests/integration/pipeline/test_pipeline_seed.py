"""The seeded pipeline is Appendix A as at 22/03/07: 33 services whose monthly enquiries add up
to 18,768 and whose computed shares add up to 100%, reproducible after later changes."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from govtrack import ROOT
from govtrack.auth.models import system_actor
from govtrack.core.seed import SeedError, SeedRun
from govtrack.db import db
from govtrack.pipeline import commands, queries
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service, StageTransition
from govtrack.pipeline.seed import seed_pipeline
from govtrack.registry.seed import seed_registry

AS_AT = date(2007, 3, 22)
NOW = date(2026, 11, 30)
PRINTED_SHARES = {
    "Concessionary Travel - NoWcard": Decimal("11.55"),
    "Safer Travel Line (aka ASBoB)": Decimal("0.06"),
    "Resources Directorate Vacancies": Decimal("0.67"),
    "On-line Schools Admissions": Decimal("0.16"),
}


def load_seed(directory: str) -> None:
    """The registry (for the partners) and the pipeline, in one transaction, as the loader runs
    them; the other capabilities' seed files are not this test's business."""
    run = SeedRun(directory=Path(directory))
    try:
        seed_registry(run)
        seed_pipeline(run)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def source() -> dict:
    return yaml.safe_load((ROOT / "seed" / "services.yaml").read_text(encoding="utf-8"))


def test_the_seed_reproduces_appendix_a_as_at_22_march_2007(app):
    load_seed(str(ROOT / "seed"))
    expected = {s["name"]: s for s in source()["services"]}

    pos = queries.position(AS_AT, NOW)

    assert len(pos.rows) == len(expected) == 33
    assert pos.total_enquiries == 18_768
    assert sum(r.share for r in pos.rows if r.share is not None) == Decimal("100.00")
    for row in pos.rows:
        printed = expected[row.name]
        assert row.stage == Stage(printed["stage"]), row.name
        assert row.enquiries_per_month == printed["enquiries_per_month"], row.name
        assert row.partially_integrated == printed["partially_integrated"], row.name
        assert row.partner == "LCC"
        if row.name in PRINTED_SHARES:
            assert row.share == PRINTED_SHARES[row.name], row.name
    # Every service has the transition that put it at its stage on or before 22/03/07.
    firsts = db.session.scalars(select(StageTransition)).all()
    assert len(firsts) == 33 and all(t.moved_on <= AS_AT for t in firsts)


def test_the_22_march_2007_position_survives_later_moves_and_edits(app):
    load_seed(str(ROOT / "seed"))
    actor = system_actor("test")
    before = {r.name: (r.stage, r.enquiries_per_month) for r in queries.position(AS_AT, NOW).rows}
    waste = db.session.scalar(select(Service).where(Service.name == "Waste Helpline"))
    commands.move_service(
        actor,
        waste,
        seen=waste.stage,
        version=waste.version,
        to=Stage.START_UP,
        on=date(2008, 1, 10),
        reason="",
        date_integrated=None,
        today=NOW,
    )
    values = {name: getattr(waste, name) for name in queries.EDITABLE}
    commands.update_service(actor, waste, values | {"enquiries_per_month": 999}, waste.version, NOW)
    db.session.flush()

    after = {r.name: (r.stage, r.enquiries_per_month) for r in queries.position(AS_AT, NOW).rows}
    today_row = next(r for r in queries.position(NOW, NOW).rows if r.name == "Waste Helpline")

    assert after == before
    assert (today_row.stage, today_row.enquiries_per_month) == (Stage.START_UP, 999)
    # Earlier, the pipeline held only the services integrated by then (dated by the paper).
    early = queries.position(date(2005, 1, 1), NOW).rows
    integrated_by_then = {
        s["name"]
        for s in source()["services"]
        if s["stage"] == 7 and s["date_integrated"] <= date(2005, 1, 1)
    }
    assert {r.name for r in early} == integrated_by_then
    assert integrated_by_then and all(r.stage == Stage.OPERATIONAL for r in early)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"stage": 9}, "stage", "less than or equal to 7"),
        ({"enquiries_per_month": -1}, "enquiries_per_month", "greater than or equal to 0"),
        ({"partner": "XYZ"}, "partner", "no partner with key 'XYZ'"),
        ({"mechanisms": {"telephone": "ticked"}}, "mechanisms.telephone", "Input should be"),
        ({"stage": 7, "date_integrated": None}, "date_integrated", "Enter the date"),
    ],
)
def test_a_malformed_services_file_names_the_record_and_field_and_loads_nothing(
    app, tmp_path, change, field, message
):
    directory = tmp_path / "seed"
    shutil.copytree(ROOT / "seed", directory)
    data = source()
    data["services"][1].update(change)
    (directory / "services.yaml").write_text(yaml.safe_dump(data, sort_keys=False))

    with pytest.raises(SeedError) as refused:
        load_seed(str(directory))

    assert refused.value.file == "services.yaml"
    assert "record 2" in str(refused.value)
    assert refused.value.field == field
    assert message in refused.value.message
    assert db.session.scalar(select(Service.id).limit(1)) is None
