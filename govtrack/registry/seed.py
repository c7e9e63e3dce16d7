"""Seed the registry from seed/partners.yaml, people.yaml, bodies.yaml and memberships.yaml."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import select

from govtrack.auth.models import system_actor
from govtrack.core.seed import SeedRun
from govtrack.db import db
from govtrack.registry import services
from govtrack.registry.enums import BodyKind, Jurisdiction, LegalForm, MembershipRole, PartnerKind
from govtrack.registry.models import Partner

KEY = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PartnerSeed(_Seed):
    code: str = Field(pattern=r"^[A-Z]{2,10}$")
    name: str = Field(min_length=1, max_length=120)
    kind: PartnerKind
    joined_on: date | None = None
    left_on: date | None = None


class PersonSeed(_Seed):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1, max_length=120)
    title: str = Field(default="", max_length=120)
    partner: str
    email: EmailStr | None = None


class BodySeed(_Seed):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1, max_length=160)
    kind: BodyKind
    legal_form: LegalForm
    jurisdiction: Jurisdiction
    host: str | None = None
    parent: str | None = None
    terms_of_reference: str = Field(default="", max_length=20000)


class MembershipSeed(_Seed):
    person: str
    body: str
    partner: str
    role: MembershipRole
    start_on: date | None = None
    end_on: date | None = None

    @property
    def key(self) -> str:
        return f"{self.person}@{self.body}@{self.start_on}"


def seed_registry(run: SeedRun) -> None:
    actor = system_actor("Seed loader")

    partners = run.records("partners.yaml", PartnerSeed, "code")
    for label, rec in run.each(partners, "Partners"):
        with run.saving("partners.yaml", label):
            partner = services.create_partner(actor, rec.model_dump())
        run.remember("partner", rec.code, partner)

    people = run.records("people.yaml", PersonSeed, "key")
    for label, rec in run.each(people, "People"):
        partner = run.resolve("partner", rec.partner, "people.yaml", label, "partner")
        values = rec.model_dump(exclude={"key", "partner"}) | {"partner_id": partner.id}
        with run.saving("people.yaml", label):
            person = services.create_person(actor, values)
        run.remember("person", rec.key, person)

    bodies = run.records("bodies.yaml", BodySeed, "key")
    # Parents may come later in the file: create every body, then link the parents.
    for label, rec in run.each(bodies, "Bodies"):
        host = run.resolve("partner", rec.host, "bodies.yaml", label, "host") if rec.host else None
        values = rec.model_dump(exclude={"key", "host", "parent"}) | {
            "host_partner_id": host.id if host else None
        }
        with run.saving("bodies.yaml", label):
            body = services.create_body(actor, values)
        run.remember("body", rec.key, body)
    for label, rec in bodies:
        if rec.parent:
            body = run.keys["body"][rec.key]
            parent = run.resolve("body", rec.parent, "bodies.yaml", label, "parent")
            values = rec.model_dump(exclude={"key", "host", "parent"}) | {
                "host_partner_id": body.host_partner_id,
                "parent_id": parent.id,
            }
            with run.saving("bodies.yaml", label):
                services.update_body(actor, body, values, body.version)

    memberships = run.records("memberships.yaml", MembershipSeed, "key")
    for label, rec in run.each(memberships, "Memberships"):
        f = "memberships.yaml"
        values = {
            "person_id": run.resolve("person", rec.person, f, label, "person").id,
            "body_id": run.resolve("body", rec.body, f, label, "body").id,
            "partner_id": run.resolve("partner", rec.partner, f, label, "partner").id,
            "role": rec.role.value,
            "start_on": rec.start_on,
            "end_on": rec.end_on,
        }
        with run.saving(f, label):
            services.create_membership(actor, values)

    run.report.append(
        f"Loaded {len(partners)} partners, {len(people)} people, {len(bodies)} bodies "
        f"and {len(memberships)} memberships."
    )


def partners_loaded() -> bool:
    """Whether the registry's seed data (or any partner) is in the database already."""
    return db.session.scalar(select(Partner.id).limit(1)) is not None
