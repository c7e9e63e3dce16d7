"""Seed the pipeline from seed/services.yaml: Appendix A of LCC's Cabinet report of 28 February
2007, "CAS service integration current position - as at 22/03/07".

Each service goes through ``services.create_service``, so the same rules apply as to an
officer's entry, and gets the transition that puts it at its stage: dated on its date integrated
when it was Operational by then, otherwise on the "as at" date. So the board as at that date
reproduces the appendix, whatever changes are made later.
"""

from __future__ import annotations

import datetime as dt

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govtrack.auth.models import system_actor
from govtrack.core.dates import long_date, today
from govtrack.core.seed import SeedError, SeedRun
from govtrack.db import db
from govtrack.pipeline import commands
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage
from govtrack.pipeline.models import Directorate

FILE = "services.yaml"
KEY = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Mechanisms(_Seed):
    telephone: MechanismStatus | None = None
    email: MechanismStatus | None = None
    complaints: MechanismStatus | None = None
    appointments: MechanismStatus | None = None
    payments: MechanismStatus | None = None
    outbound: MechanismStatus | None = None
    lone_worker: MechanismStatus | None = None
    admin_fulfilment: MechanismStatus | None = None
    contingency: MechanismStatus | None = None
    out_of_hours: MechanismStatus | None = None
    eforms: MechanismStatus | None = None
    face_to_face: MechanismStatus | None = None

    def as_values(self) -> dict[str, str]:
        return {
            m.value: getattr(self, m.value).value
            for m in Mechanism
            if getattr(self, m.value) is not None
        }


class ServiceSeed(_Seed):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1, max_length=200)
    partner: str
    directorate: str | None = Field(default=None, max_length=20)
    stage: int = Field(ge=1, le=7)
    partially_integrated: bool = False
    date_integrated: dt.date | None = None
    planned_integration_date: dt.date | None = None
    integration_lead: str | None = Field(default=None, max_length=120)
    further_integration: str | None = None
    enquiries_per_month: int | None = Field(default=None, ge=0)
    head_of_service: str | None = Field(default=None, max_length=300)
    head_of_service_meeting: dt.date | None = None
    head_of_service_meeting_note: str | None = Field(default=None, max_length=120)
    mechanisms: Mechanisms = Field(default_factory=Mechanisms)
    note: str | None = None


class Header(BaseModel):
    model_config = ConfigDict(extra="allow")

    as_at: dt.date
    source: str = ""


def _header(run: SeedRun) -> Header:
    path = run.directory / FILE
    if not path.exists():
        raise SeedError(FILE, None, None, "file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedError(FILE, None, None, f"not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise SeedError(FILE, None, None, "must hold as_at, source and a services list")
    try:
        return Header.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"]) or None
        raise SeedError(FILE, None, field_name, first["msg"]) from exc


def seed_pipeline(run: SeedRun) -> None:
    if not (run.directory / FILE).exists():
        return  # a seed directory without a pipeline (other capabilities' tests)
    actor = system_actor("Seed loader")
    header = _header(run)
    records = run.records(FILE, ServiceSeed, "key", section="services")
    directorates: dict[tuple[int, str], Directorate] = {}
    for label, rec in run.each(records, "Pipeline services"):
        partner = run.resolve("partner", rec.partner, FILE, label, "partner")
        directorate_id = None
        if rec.directorate:
            found = directorates.get((partner.id, rec.directorate.upper()))
            if found is None:
                with run.saving(FILE, label):
                    found = commands.create_directorate(
                        actor, {"partner_id": partner.id, "code": rec.directorate}
                    )
                db.session.flush()
                directorates[(partner.id, found.code)] = found
            directorate_id = found.id
        stage = Stage(rec.stage)
        if (
            rec.date_integrated
            and rec.date_integrated > header.as_at
            and stage == Stage.OPERATIONAL
        ):
            raise SeedError(
                FILE, label, "date_integrated", f"is after the as_at date {header.as_at}"
            )
        since = (
            rec.date_integrated
            if stage == Stage.OPERATIONAL and rec.date_integrated
            else header.as_at
        )
        values = {
            "name": rec.name,
            "partner_id": partner.id,
            "directorate_id": directorate_id,
            "partially_integrated": rec.partially_integrated,
            "date_integrated": rec.date_integrated,
            "planned_integration_date": rec.planned_integration_date,
            "integration_lead": rec.integration_lead or "",
            "further_integration": rec.further_integration or "",
            "enquiries_per_month": rec.enquiries_per_month,
            "head_of_service": rec.head_of_service or "",
            "head_of_service_meeting": rec.head_of_service_meeting,
            "head_of_service_meeting_note": rec.head_of_service_meeting_note or "",
            "mechanisms": rec.mechanisms.as_values(),
            "note": rec.note or "",
        }
        with run.saving(FILE, label):
            service = commands.create_service(actor, values, stage, since, today())
        run.remember("pipeline_service", rec.key, service)
    total = sum(rec.enquiries_per_month or 0 for _label, rec in records)
    run.report.append(
        f"Loaded {len(records)} pipeline services as at {long_date(header.as_at)} "
        f"({total:,} telephone enquiries a month)."
    )
