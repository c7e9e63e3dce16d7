"""Demo accounts, one per role, with passwords generated on first load and printed once; an
account that belongs to a person in the registry is linked to them (so the registry, which
knows accounts, seeds them, and accounts need not know the registry)."""

from __future__ import annotations

import secrets

from pydantic import BaseModel, ConfigDict, Field

from govtrack.auth import services
from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.core.records import Invalid
from govtrack.core.seed import SeedError, SeedRun
from govtrack.registry import services as registry


class AccountSeed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    name: str = Field(min_length=1, max_length=120)
    role: Role
    person: str | None = None


def seed_demo_accounts(run: SeedRun) -> None:
    filename = "demo-accounts.yaml"
    accounts = run.records(filename, AccountSeed, "email")
    actor = system_actor("Seed loader")
    lines = []
    for label, rec in run.each(accounts, "Demo accounts"):
        password = secrets.token_urlsafe(12)
        try:
            user = services.create_user(actor, rec.email, rec.name, rec.role, password)
        except services.AccountError as exc:
            raise SeedError(filename, label, "email", str(exc)) from exc
        if rec.person:
            person = run.resolve("person", rec.person, filename, label, "person")
            values = {
                "name": person.name,
                "title": person.title,
                "partner_id": person.partner_id,
                "email": person.email,
                "user_id": user.id,
            }
            try:
                registry.update_person(actor, person, values, person.version)
            except Invalid as exc:
                raise SeedError(filename, label, "person", str(exc)) from exc
        lines.append(f"  {rec.role.label:<30} {rec.email:<24} {password}")
    run.report.append(
        "Demo accounts (passwords are shown this once; reset one with "
        "'flask --app app user set-password --email ...'):"
    )
    run.report.extend(lines)
