"""Seed the scrutiny inquiries in the source documents from seed/scrutiny.yaml: the Chorley
Partnership Sub-Group's inquiry with recommendations 4.a to 5.f and the 20 November 2007
monitoring updates, and the LCC Overview & Scrutiny Task Group's review.

Everything goes through the services, so the same rules apply as to a clerk's entry (an update
must be dated in the past, a slipped one needs its new date and reason, a partner's update must
be addressed to it).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from govtrack.auth.models import system_actor
from govtrack.core.dates import today
from govtrack.core.records import Invalid
from govtrack.core.seed import SeedError, SeedRun
from govtrack.scrutiny import commands, enums, progress, rules

FILE = "scrutiny.yaml"
KEY = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseSeed(_Seed):
    partner: str
    decision: enums.ResponseDecision
    text: str | None = None
    reasons: str | None = None
    responded_on: dt.date


class UpdateSeed(_Seed):
    on: dt.date
    partner: str | None = None
    text: str = Field(min_length=1)
    assessment: enums.Assessment | None = None
    status: (
        Literal["not_started", "in_progress", "implemented", "not_implemented", "superseded"] | None
    ) = None
    new_target_date: dt.date | None = None
    slip_reason: str | None = None


class RecommendationSeed(_Seed):
    reference: str = Field(min_length=1, max_length=20)
    group: str | None = None
    text: str = Field(min_length=1)
    addressed_to: list[str] = Field(default_factory=list)
    lead_officer: str | None = None
    target_date: dt.date | None = None
    responses: list[ResponseSeed] = Field(default_factory=list)
    updates: list[UpdateSeed] = Field(default_factory=list)


class InquirySeed(_Seed):
    key: str = Field(pattern=KEY)
    body: str
    title: str = Field(min_length=1, max_length=300)
    terms_of_reference: str | None = None
    scope: str | None = None
    started_on: dt.date | None = None
    reported_on: dt.date | None = None
    # Null: the partnership agreement's days are not in the papers; the default applies.
    response_days: int | None = Field(default=None, ge=1)
    final_report_url: str | None = None
    evidence_meetings: list[str] = Field(default_factory=list)
    source: str | None = None
    recommendations: list[RecommendationSeed] = Field(default_factory=list)


def seed_scrutiny(run: SeedRun) -> None:
    if not (run.directory / FILE).exists():
        run.report.append(f"No {FILE}: no scrutiny inquiries loaded.")
        return
    actor = system_actor("Seed loader")
    day = today()
    inquiries = run.records(FILE, InquirySeed, "key", section="inquiries")
    n_recs = n_updates = 0
    for label, rec in run.each(inquiries, "Scrutiny inquiries"):
        body = run.resolve("body", rec.body, FILE, label, "body")
        meetings = [
            run.resolve("meeting", key, FILE, label, f"evidence_meetings.{index}")
            for index, key in enumerate(rec.evidence_meetings)
        ]
        with run.saving(FILE, label):
            inquiry = commands.create_inquiry(
                actor,
                {
                    "body_id": body.id,
                    "title": rec.title,
                    "terms_of_reference": rec.terms_of_reference or "",
                    "scope": rec.scope or "",
                    "started_on": rec.started_on,
                    "reported_on": rec.reported_on,
                    "response_days": rec.response_days or rules.DEFAULT_PARTNER_RESPONSE_DAYS,
                    "final_report_url": rec.final_report_url or "",
                    "evidence_meeting_ids": [m.id for m in meetings],
                    "source": (rec.source or "")[:300],
                },
            )
        run.remember("inquiry", rec.key, inquiry)
        for index, r in enumerate(rec.recommendations):
            where = f"recommendations.{index}"
            _recommendation(run, actor, inquiry, label, where, r, day)
            n_recs += 1
            n_updates += len(r.updates)
    run.report.append(
        f"Loaded {len(inquiries)} scrutiny inquiries, {n_recs} recommendations and "
        f"{n_updates} progress updates."
    )


def _recommendation(run, actor, inquiry, label, where, r: RecommendationSeed, day) -> None:
    recommendation = _add_recommendation(run, actor, inquiry, label, where, r, day)
    _responses(run, actor, recommendation, label, where, r, day)
    _updates(run, actor, recommendation, label, where, r, day)


def _add_recommendation(run, actor, inquiry, label, where, r: RecommendationSeed, day):
    """The recommendation itself, addressed to its partners, with its lead officer."""
    partners = [
        run.resolve("partner", code, FILE, label, f"{where}.addressed_to.{i}")
        for i, code in enumerate(r.addressed_to)
    ]
    lead = (
        run.resolve("person", r.lead_officer, FILE, label, f"{where}.lead_officer")
        if r.lead_officer
        else None
    )
    try:
        return commands.add_recommendation(
            actor,
            inquiry,
            {
                "reference": r.reference,
                "group": r.group or "",
                "text": r.text,
                "addressee_ids": [p.id for p in partners],
                "lead_officer_id": lead.id if lead else None,
                "target_date": r.target_date,
                # Progress reported at a monitoring meeting was reviewed there: the next review
                # falls six months after the latest one the papers record.
                "next_review_on": (
                    rules.next_review(max(u.on for u in r.updates)) if r.updates else None
                ),
            },
            day,
        )
    except Invalid as exc:
        name, message = next(iter(exc.problems.items()))
        raise SeedError(FILE, label, f"{where}.{name}", message) from exc


def _responses(run, actor, recommendation, label, where, r: RecommendationSeed, day) -> None:
    """Each partner's response to the recommendation."""
    for i, resp in enumerate(r.responses):
        partner = run.resolve("partner", resp.partner, FILE, label, f"{where}.responses.{i}")
        _save(
            label,
            f"{where}.responses.{i}",
            lambda resp=resp, partner=partner: progress.record_response(
                actor,
                recommendation,
                {
                    "partner_id": partner.id,
                    "decision": resp.decision.value,
                    "text": resp.text or "",
                    "reasons": resp.reasons or "",
                    "responded_on": resp.responded_on,
                },
                day,
            ),
        )


def _updates(run, actor, recommendation, label, where, r: RecommendationSeed, day) -> None:
    """The dated progress updates the papers record on the recommendation."""
    for i, u in enumerate(r.updates):
        partner = (
            run.resolve("partner", u.partner, FILE, label, f"{where}.updates.{i}.partner")
            if u.partner
            else None
        )
        _save(
            label,
            f"{where}.updates.{i}",
            lambda u=u, partner=partner: progress.add_update(
                actor,
                recommendation,
                {
                    "partner_id": partner.id if partner else None,
                    "on": u.on,
                    "text": u.text,
                    "assessment": u.assessment.value if u.assessment else None,
                    "status": u.status,
                    "new_target_date": u.new_target_date,
                    "slip_reason": u.slip_reason or "",
                },
                day,
            ),
        )


def _save(label: str, where: str, write) -> None:
    try:
        write()
    except Invalid as exc:
        name, message = next(iter(exc.problems.items()))
        raise SeedError(FILE, label, f"{where}.{name}", message) from exc
