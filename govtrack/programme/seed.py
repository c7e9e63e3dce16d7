"""Seed the programme plan from seed/programme.yaml: the vision statement's nine objectives,
the work-plan action the papers name, and the milestones the papers state, with the dated
statements later papers make about them (see seed/NOTES.md, "Programme plan").

Milestones are written with their history: the first baseline, each dated statement as a
progress report, the forecast and the actual, and the RAG the rule gave on each of those days
(so "RAG over time" starts from the papers, not from the day of loading).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govtrack.auth.models import system_actor
from govtrack.core import audit, rag
from govtrack.core.dates import today
from govtrack.core.figures import area_named
from govtrack.core.seed import SeedError, SeedRun
from govtrack.db import db
from govtrack.programme import rules
from govtrack.programme.enums import ActionStatus, ChangeKind, MilestoneStatus
from govtrack.programme.models import (
    Milestone,
    MilestoneBaseline,
    MilestoneChange,
    MilestonePredecessor,
    MilestoneRagChange,
    Objective,
    ObjectiveRecommendation,
    ObjectiveService,
    Programme,
    WorkPlanAction,
)

FILE = "programme.yaml"
KEY = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LOADER = "Seed loader"


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProgrammeSeed(_Seed):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1, max_length=200)
    starts_on: dt.date
    reporting: rag.Scale = rag.Scale.THREE_POINT
    slip_tolerance_days: int = Field(default=rag.DEFAULT_SLIP_TOLERANCE_DAYS, ge=0)
    due_soon_days: int = Field(default=rag.DEFAULT_DUE_SOON_DAYS, ge=0)


class ActionSeed(_Seed):
    title: str = Field(min_length=1, max_length=300)
    owner_partner: str | None = None
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED
    done_on: dt.date | None = None
    source: str | None = None


class RecommendationRef(_Seed):
    inquiry: str
    reference: str


class Serves(_Seed):
    services: list[str] = Field(default_factory=list)
    recommendations: list[RecommendationRef] = Field(default_factory=list)


class ObjectiveSeed(_Seed):
    key: str = Field(pattern=KEY)
    number: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=300)
    text: str
    source: str | None = None
    actions: list[ActionSeed] = Field(default_factory=list)
    serves: Serves = Field(default_factory=Serves)


class Statement(_Seed):
    on: dt.date
    text: str = Field(min_length=1)
    source: str | None = None


class MilestoneSeed(_Seed):
    key: str = Field(pattern=KEY)
    title: str = Field(min_length=1, max_length=300)
    objective: str | None = None
    workstream: str | None = Field(default=None, max_length=120)
    owner_partner: str | None = None
    owner_person: str | None = None
    baseline: dt.date | None = None
    baseline_wording: str | None = Field(default=None, max_length=300)
    forecast: dt.date | None = None
    actual: dt.date | None = None
    status: MilestoneStatus | None = None
    predecessors: list[str] = Field(default_factory=list)
    notes: str | None = None
    source: str | None = None
    history: list[Statement] = Field(default_factory=list)


class Header(BaseModel):
    model_config = ConfigDict(extra="allow")

    programme: ProgrammeSeed


def _header(run: SeedRun) -> ProgrammeSeed:
    path = run.directory / FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedError(FILE, None, None, f"not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise SeedError(FILE, None, None, "must hold programme, objectives and milestones")
    try:
        return Header.model_validate(raw).programme
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"]) or None
        raise SeedError(FILE, None, field_name, first["msg"]) from exc


def seed_programme(run: SeedRun) -> None:
    if not (run.directory / FILE).exists():
        return  # a seed directory without a programme (other capabilities' tests)
    actor = system_actor(LOADER)
    day = today()
    programme = _programme(actor, _header(run))
    objectives = run.records(FILE, ObjectiveSeed, "key", section="objectives")
    n_actions = 0
    for label, rec in objectives:
        n_actions += _objective(run, actor, programme, label, rec, day)
    milestones = run.records(FILE, MilestoneSeed, "key", section="milestones")
    n_history = 0
    for label, rec in run.each(milestones, "Programme milestones"):
        n_history += len(rec.history)
        _milestone(run, actor, programme, label, rec, day)
    _predecessors(run, milestones)
    db.session.flush()
    run.report.append(
        f"Loaded the programme: {len(objectives)} objectives ({n_actions} work-plan action(s)), "
        f"{len(milestones)} milestones ({n_history} dated statements)."
    )


def _programme(actor: Any, head: ProgrammeSeed) -> Programme:
    programme = Programme(
        key=head.key,
        name=head.name,
        starts_on=head.starts_on,
        reporting=head.reporting,
        slip_tolerance_days=head.slip_tolerance_days,
        due_soon_days=head.due_soon_days,
    )
    db.session.add(programme)
    audit.record(actor, "create", programme, f"Seeded programme {head.name}")
    return programme


def _objective(
    run: SeedRun, actor: Any, programme: Programme, label: str, rec: ObjectiveSeed, day: dt.date
) -> int:
    """Seed one objective with its work-plan actions and what it serves; the number of actions."""
    objective = Objective(
        programme_id=programme.id,
        number=rec.number,
        title=rec.title,
        text=rec.text,
        position=rec.number,
        source=(rec.source or "")[:300],
    )
    db.session.add(objective)
    audit.record(actor, "create", objective, f"Seeded objective {rec.number}")
    run.remember("objective", rec.key, objective)
    for index, a in enumerate(rec.actions):
        _action(run, actor, objective, label, index, a, day)
    _objective_serves(run, objective, label, rec.serves)
    return len(rec.actions)


def _action(
    run: SeedRun,
    actor: Any,
    objective: Objective,
    label: str,
    index: int,
    a: ActionSeed,
    day: dt.date,
) -> None:
    partner = (
        run.resolve("partner", a.owner_partner, FILE, label, f"actions.{index}")
        if a.owner_partner
        else None
    )
    action = WorkPlanAction(
        objective_id=objective.id,
        title=a.title,
        owner_partner_id=partner.id if partner else None,
        due=a.due,
        status=a.status,
        done_on=a.done_on,
        source=(a.source or "")[:300],
    )
    result = rag.derive(due=a.due, today=day, progress=rules.ACTION_PROGRESS[a.status])
    action.rag, action.rag_reason = result.rag, result.reason
    db.session.add(action)
    audit.record(actor, "create", action, f"Seeded work-plan action {a.title}")


def _objective_serves(run: SeedRun, objective: Objective, label: str, serves: Serves) -> None:
    """Link the objective to the pipeline services and scrutiny recommendations it serves."""
    for index, key in enumerate(serves.services):
        service = run.resolve("pipeline_service", key, FILE, label, f"serves.services.{index}")
        db.session.add(ObjectiveService(objective_id=objective.id, service_id=service.id))
    for index, ref in enumerate(serves.recommendations):
        where = f"serves.recommendations.{index}"
        inquiry = run.resolve("inquiry", ref.inquiry, FILE, label, where)
        # Found by scrutiny's figure, which knows its recommendations' references.
        rec_id = area_named("recommendations").id_for(
            {"inquiry_id": inquiry.id, "reference": ref.reference}
        )
        if rec_id is None:
            raise SeedError(FILE, label, where, f"no recommendation {ref.reference}")
        db.session.add(ObjectiveRecommendation(objective_id=objective.id, recommendation_id=rec_id))


def _milestone(
    run: SeedRun, actor: Any, programme: Programme, label: str, rec: MilestoneSeed, day: dt.date
) -> None:
    _check_milestone(programme, label, rec, day)
    objective, partner, person = _milestone_owners(run, label, rec)
    status = rec.status or (
        MilestoneStatus.COMPLETE if rec.actual else MilestoneStatus.NOT_REPORTED
    )
    milestone = Milestone(
        programme_id=programme.id,
        key=rec.key,
        title=rec.title,
        objective_id=objective.id if objective else None,
        workstream=rec.workstream or "",
        owner_partner_id=partner.id if partner else None,
        owner_person_id=person.id if person else None,
        baseline_date=rec.baseline,
        baseline_wording=rec.baseline_wording or "",
        forecast_date=rec.forecast,
        actual_date=rec.actual,
        status=status,
        notes=rec.notes or "",
        source=(rec.source or "")[:300],
        rag=rag.RAG.GREY,
    )
    db.session.add(milestone)
    db.session.flush()
    run.remember("milestone", rec.key, milestone)
    statements = sorted(rec.history, key=lambda s: s.on)
    known = [d for d in (rec.baseline, rec.actual) if d] + [s.on for s in statements]
    first = max(programme.starts_on, min(known)) if known else day
    db.session.add(
        MilestoneBaseline(
            milestone_id=milestone.id, baseline_date=rec.baseline, on=first, recorded_by=LOADER
        )
    )
    # The forecast was given by the first statement after the baseline was set (the papers
    # date a postponement, not the day the new date was first written down).
    forecast_on = statements[0].on if statements else first
    _milestone_changes(milestone, rec, status, statements, first, forecast_on)
    # A "complete" with no date is known complete from the last statement that shows it.
    complete_from = rec.actual or (statements[-1].on if statements else day)
    _replay_rag(programme, milestone, rec, status, first, forecast_on, complete_from, day)
    audit.record(actor, "create", milestone, f"Seeded milestone {rec.title}")


def _check_milestone(programme: Programme, label: str, rec: MilestoneSeed, day: dt.date) -> None:
    """Refuse a milestone whose dates break the rules, or with an actual date but not complete."""
    problems = rules.date_problems(
        starts_on=programme.starts_on,
        today=day,
        baseline=rec.baseline,
        forecast=rec.forecast,
        actual=rec.actual,
    )
    if problems:
        name, message = next(iter(problems.items()))
        raise SeedError(FILE, label, name.removesuffix("_date"), message)
    if rec.actual and rec.status not in (None, MilestoneStatus.COMPLETE):
        raise SeedError(FILE, label, "status", "a milestone with an actual date is complete")


def _milestone_owners(run: SeedRun, label: str, rec: MilestoneSeed) -> tuple[Any, Any, Any]:
    """The milestone's objective, owning partner and owning person, each if named."""
    objective = (
        run.resolve("objective", rec.objective, FILE, label, "objective") if rec.objective else None
    )
    partner = (
        run.resolve("partner", rec.owner_partner, FILE, label, "owner_partner")
        if rec.owner_partner
        else None
    )
    person = (
        run.resolve("person", rec.owner_person, FILE, label, "owner_person")
        if rec.owner_person
        else None
    )
    return objective, partner, person


def _milestone_changes(
    milestone: Milestone,
    rec: MilestoneSeed,
    status: MilestoneStatus,
    statements: list[Statement],
    first: dt.date,
    forecast_on: dt.date,
) -> None:
    """The milestone's history from the papers: created, each dated statement, the forecast
    and the actual."""
    changes = [(first, ChangeKind.CREATED, {"to": status.label, "source": rec.source})]
    for statement in statements:
        changes.append(
            (statement.on, ChangeKind.PROGRESS,
             {"text": statement.text, "source": statement.source})
        )  # fmt: skip
    if rec.forecast:
        changes.append((forecast_on, ChangeKind.FORECAST, {"to": rec.forecast}))
    if rec.actual:
        changes.append((rec.actual, ChangeKind.ACTUAL, {"to": rec.actual}))
    # Recorded in the papers' date order, so the history (shown in the order recorded) reads
    # as the papers do.
    for on, kind, values in sorted(changes, key=lambda change: change[0]):
        _add_change(milestone, kind, on, **values)


def _add_change(
    milestone: Milestone,
    kind: ChangeKind,
    on: dt.date,
    to: Any = None,
    text: str = "",
    source: str | None = None,
) -> None:
    db.session.add(
        MilestoneChange(
            milestone_id=milestone.id,
            kind=kind,
            on=on,
            to_value="" if to is None else str(to),
            text=text,
            source=(source or "")[:300],
            recorded_by=LOADER,
        )
    )


def _replay_rag(
    programme: Programme,
    milestone: Milestone,
    rec: MilestoneSeed,
    status: MilestoneStatus,
    first: dt.date,
    forecast_on: dt.date,
    complete_from: dt.date,
    day: dt.date,
) -> None:
    """The RAG the rule gave on each day something changed, from the papers to today."""
    thresholds = programme.thresholds
    days = {first, forecast_on, complete_from, day}
    for target in (rec.baseline, rec.forecast):
        if target:
            days.update(
                {
                    target + dt.timedelta(days=1),
                    target - dt.timedelta(days=thresholds.due_soon_days),
                }
            )
    current: rag.RAG | None = None
    since: dt.date | None = None
    reason = ""
    for on in sorted(d for d in days if first <= d <= day):
        done = status is MilestoneStatus.COMPLETE and on >= complete_from
        if done:
            progress = rag.Progress.COMPLETE
        elif status is MilestoneStatus.NOT_STARTED:
            progress = rag.Progress.NOT_STARTED
        else:
            progress = rag.Progress.IN_PROGRESS
        result = rag.derive_milestone(
            baseline=rec.baseline,
            forecast=rec.forecast if on >= forecast_on else None,
            today=on,
            progress=progress,
            thresholds=thresholds,
            # The papers show it missed only once its baseline had passed.
            missed=status is MilestoneStatus.MISSED and (rec.baseline is None or on > rec.baseline),
        )
        reason = result.reason
        if result.rag is not current:
            db.session.add(
                MilestoneRagChange(
                    milestone_id=milestone.id,
                    on=on,
                    from_rag=current,
                    to_rag=result.rag,
                    reason=result.reason[:300],
                    recorded_by=LOADER,
                )
            )
            current, since = result.rag, on
    milestone.rag = current or rag.RAG.GREY
    milestone.rag_since = since
    milestone.rag_reason = reason[:300]


def _predecessors(run: SeedRun, milestones: list[tuple[str, MilestoneSeed]]) -> None:
    links: dict[int, list[int]] = {}
    for label, rec in milestones:
        milestone = run.keys["milestone"][rec.key]
        ids = [
            run.resolve("milestone", key, FILE, label, f"predecessors.{index}").id
            for index, key in enumerate(rec.predecessors)
        ]
        if rules.creates_cycle(milestone.id, ids, links):
            raise SeedError(FILE, label, "predecessors", "the predecessors make a loop")
        links[milestone.id] = ids
        for predecessor_id in ids:
            db.session.add(
                MilestonePredecessor(milestone_id=milestone.id, predecessor_id=predecessor_id)
            )
