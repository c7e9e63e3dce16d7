"""The dashboards' use-cases: gather each capability's figures for a scope, keep reporting
periods, and build the highlight report. Reads only the figures capabilities contribute."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import func, select

from govtrack.core.charts import Chart, make_chart
from govtrack.core.dates import long_date
from govtrack.core.figures import AreaFigures, Listing, Scope, batched
from govtrack.core.permissions import ensure
from govtrack.core.rag import RAG
from govtrack.core.records import create_record, raise_if, update_record
from govtrack.dashboards import rules
from govtrack.dashboards.models import ReportingPeriod
from govtrack.dashboards.permissions import can_keep_reporting_periods
from govtrack.db import db
from govtrack.registry import figures as registry

LIST_LIMIT = 10
PROGRAMME_SCOPE = Scope()


def area_figures(scope: Scope) -> list[AreaFigures]:
    """Every capability's areas that have figures for this kind of scope, in app order; in a
    request, only those the reader may see (the clock, outside a request, sees them all)."""
    viewer = current_user if has_request_context() else None
    return [
        area
        for capability in current_app.extensions["govtrack.capabilities"]
        for area in capability.figures
        if scope.kind in area.scopes and (viewer is None or area.visible_to(viewer))
    ]


@dataclass
class AreaView:
    figures: AreaFigures
    counts: rules.AreaCounts
    turned: Listing | None
    overdue: Listing | None
    upcoming: Listing | None


@dataclass
class Dashboard:
    scope: Scope
    title: str
    today: date
    since: date
    since_recorded: bool
    areas: list[AreaView] = field(default_factory=list)

    @property
    def counts(self) -> list[rules.AreaCounts]:
        return [a.counts for a in self.areas]

    @property
    def roll_up(self):
        return rules.combined(self.counts)

    @property
    def left_out(self) -> str:
        return rules.left_out_note(self.counts)

    def listings(self, kind: str) -> list[tuple[str, Listing]]:
        """("turned" | "overdue" | "upcoming") -> [(area label, its listing)]."""
        return [
            (a.figures.label, getattr(a, kind)) for a in self.areas if getattr(a, kind) is not None
        ]

    def sentences(self) -> list[str]:
        return [rules.area_sentence(a.counts, self.since) for a in self.areas]


def load_partner(partner_id: int) -> registry.PartnerSummary | None:
    return registry.partner(partner_id)


def load_body(body_id: int) -> registry.BodySummary | None:
    return registry.body(body_id)


def partners_and_bodies() -> tuple[list[registry.PartnerSummary], list[registry.BodySummary]]:
    """Every partner and every body, by name: the overview links to each one's dashboard."""
    return registry.partners_and_bodies()


def reporting_periods() -> list[ReportingPeriod]:
    return list(
        db.session.scalars(
            select(ReportingPeriod).order_by(ReportingPeriod.ends_on.desc(), ReportingPeriod.id)
        )
    )


def load_period(period_id: int) -> ReportingPeriod | None:
    return db.session.get(ReportingPeriod, period_id)


def _last_reporting_date(today: date) -> tuple[date, bool]:
    latest = db.session.scalar(
        select(ReportingPeriod.ends_on)
        .where(ReportingPeriod.ends_on < today)
        .order_by(ReportingPeriod.ends_on.desc())
        .limit(1)
    )
    return rules.last_reporting_date([latest] if latest else [], today)


def dashboard(scope: Scope, title: str, today: date) -> Dashboard:
    """Every area's counts and lists for the scope: one query per figure family (counts,
    lists' first items) whatever the number of areas (``core.figures.batched``)."""
    since, recorded = _last_reporting_date(today)
    areas = area_figures(scope)

    def gather() -> list[tuple[AreaFigures, dict[RAG, int], Listing | None, Any, Any]]:
        return [
            (
                area,
                counts,
                area.turned(scope, since, today, LIST_LIMIT),
                area.overdue(scope, today, LIST_LIMIT),
                area.upcoming(scope, today, rules.UPCOMING_DAYS, LIST_LIMIT),
            )
            for area in areas
            if (counts := area.counts(scope, today)) is not None
        ]

    board = Dashboard(scope=scope, title=title, today=today, since=since, since_recorded=recorded)
    for area, counts, turned, overdue, upcoming in batched(gather):
        red = amber = None
        if turned is not None:
            red, amber = turned.by_rag.get(RAG.RED, 0), turned.by_rag.get(RAG.AMBER, 0)
        board.areas.append(
            AreaView(
                figures=area,
                counts=rules.AreaCounts(area.label, counts, red, amber, area.in_total),
                turned=turned,
                overdue=overdue,
                upcoming=upcoming,
            )
        )
    return board


# Reporting periods --------------------------------------------------------------------------


def programmes() -> list[Any]:
    """The programmes a period may report on (a short list for the form), from the area that
    keeps objectives."""
    return [p for area in _area_with("programmes", PROGRAMME_SCOPE) for p in area.programmes()]


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "programme_id": values.get("programme_id"),
        "title": (values.get("title") or "").strip(),
        "starts_on": values.get("starts_on"),
        "ends_on": values.get("ends_on"),
    }


def create_period(actor: Any, values: Mapping[str, Any]) -> ReportingPeriod:
    ensure(can_keep_reporting_periods(actor))
    clean = _clean(values)
    raise_if(rules.period_problems(clean["title"], clean["starts_on"], clean["ends_on"]))
    period = ReportingPeriod(**clean)
    return create_record(actor, period, f"Added reporting period {clean['title']}")


def update_period(
    actor: Any, period: ReportingPeriod, values: Mapping[str, Any], version: int | None
) -> ReportingPeriod:
    ensure(can_keep_reporting_periods(actor))
    clean = _clean(values)
    raise_if(rules.period_problems(clean["title"], clean["starts_on"], clean["ends_on"]))
    return update_record(actor, period, clean, version, f"Edited reporting period {clean['title']}")


# The highlight report -----------------------------------------------------------------------


@dataclass
class Highlight:
    title: str
    start: date
    end: date
    achieved: list[tuple[str, Listing]]
    slipped: list[tuple[str, Listing]]
    needing_decision: list[tuple[str, Listing]]
    areas: list[rules.AreaCounts]
    objectives: list[Any] = field(default_factory=list)
    # The day the RAG by area is as at: the period's end, or today for a period still running.
    as_at: date | None = None
    today: date | None = None
    # Where each area's counts come from when they are as at a past day (history, the clock).
    sources: list[str] = field(default_factory=list)

    @property
    def in_the_past(self) -> bool:
        return self.as_at is not None and self.today is not None and self.as_at < self.today

    @property
    def roll_up(self):
        return rules.combined(self.areas)

    @property
    def left_out(self) -> str:
        return rules.left_out_note(self.areas)

    @property
    def rows(self) -> list[list]:
        return rules.table_rows(self.areas)


def _observed_on(names: list[str], day: date) -> dict[str, tuple[date, dict[RAG, int]]]:
    """Each named area's counts as the clock last observed them on or before ``day``, with
    the day observed (one query for every area)."""
    from govtrack.dashboards.models import RagObservation

    if not names:
        return {}
    latest = (
        select(RagObservation.area, func.max(RagObservation.on).label("on"))
        .where(RagObservation.area.in_(names), RagObservation.on <= day)
        .group_by(RagObservation.area)
        .subquery()
    )
    rows = db.session.execute(
        select(
            RagObservation.area, RagObservation.on, RagObservation.rag, RagObservation.count
        ).join(latest, (latest.c.area == RagObservation.area) & (latest.c.on == RagObservation.on))
    )
    out: dict[str, tuple[date, dict[RAG, int]]] = {}
    for area, on, colour, n in rows:
        out.setdefault(area, (on, dict.fromkeys(RAG, 0)))[1][colour] += n
    return out


def _counts_as_at(
    areas: list[tuple[AreaFigures, dict[RAG, int]]], scope: Scope, day: date
) -> list[tuple[dict[RAG, int], str]]:
    """Each area's RAG counts as they were on ``day``: from its RAG history when it keeps one,
    else from the clock's last daily observation on or before ``day``, else today's (said so).
    One query for the observations of every area, one per area that keeps a history."""
    observed = _observed_on(
        [a.name for a, _now in areas if not callable(getattr(a, "rag_flows", None))], day
    )
    out = []
    for area, now in areas:
        label = area.label.capitalize()
        if callable(getattr(area, "rag_flows", None)):
            counts = rules.counts_over_time(area.rag_flows(scope), [day])[0]
            out.append((counts, f"{label}: from their RAG history."))
        elif area.name in observed:
            on, counts = observed[area.name]
            out.append((counts, f"{label}: as the daily clock counted them on {long_date(on)}."))
        else:
            out.append((now, f"{label}: no record goes back that far, so these are today's."))
    return out


def highlight(title: str, start: date, end: date, today: date) -> Highlight:
    """The period's report: what was achieved, slipped and needs a decision, and the RAG by
    area, each figure family in one query for every area (``core.figures.batched``)."""
    scope = Scope()
    as_at = min(end, today)
    areas = area_figures(scope)

    def gather() -> list[tuple[AreaFigures, list[Listing | None], dict[RAG, int] | None]]:
        return [
            (
                area,
                [
                    area.achieved(scope, start, end, LIST_LIMIT * 2),
                    area.slipped(scope, start, end, LIST_LIMIT * 2),
                    area.needing_decision(scope, today, LIST_LIMIT * 2),
                ],
                area.counts(scope, today),
            )
            for area in areas
        ]

    gathered = batched(gather)
    achieved, slipped, decisions = [], [], []
    for area, listings, _counts in gathered:
        for bucket, found in zip((achieved, slipped, decisions), listings, strict=True):
            if found is not None:
                bucket.append((area.label, found))
    counted = [(area, counts) for area, _l, counts in gathered if counts is not None]
    sources: list[str] = []
    if as_at < today:
        then = _counts_as_at(counted, scope, as_at)
        sources = [source for _c, source in then]
        counted = [(area, counts) for (area, _now), (counts, _s) in zip(counted, then, strict=True)]
    return Highlight(
        title,
        start,
        end,
        achieved,
        slipped,
        decisions,
        [rules.AreaCounts(a.label, counts, in_total=a.in_total) for a, counts in counted],
        objective_roll_ups(today),
        as_at=as_at,
        today=today,
        sources=sources,
    )


# Charts -------------------------------------------------------------------------------------

RAG_COLOURS = {RAG.BLUE: "#1d70b8", RAG.GREEN: "#00703c", RAG.AMBER: "#f47738", RAG.RED: "#d4351c"}


def rag_chart(chart_id: str, title: str, areas: list[rules.AreaCounts]) -> Chart:
    """A stacked bar of measured items by RAG per area; grey is in the table, counted apart."""
    import plotly.graph_objects as go

    labels = [a.label.capitalize() for a in areas]
    figure = go.Figure(
        [
            go.Bar(
                name=colour.label,
                x=labels,
                y=[a.counts.get(colour, 0) for a in areas],
                marker_color=RAG_COLOURS[colour],
            )
            for colour in rules.MEASURED
        ]
    )
    figure.update_layout(barmode="stack", yaxis_title="Items", legend_title_text="RAG")
    summary = " ".join(rules.area_sentence(a, None) for a in areas)
    return make_chart(
        chart_id, title, figure, rules.TABLE_HEADERS, rules.table_rows(areas), summary=summary
    )


def _area_with(attribute: str, scope: Scope) -> list[AreaFigures]:
    return [a for a in area_figures(scope) if callable(getattr(a, attribute, None))]


def rag_over_time_chart(scope: Scope, today: date) -> Chart | None:
    """Counts by RAG at each month end, from the RAG history of the areas that keep one."""
    flows: list = []
    labels = []
    for area in _area_with("rag_flows", scope):
        flows.extend(area.rag_flows(scope))
        labels.append(area.label)
    if not flows:
        return None
    every = rules.month_ends(min(f[0] for f in flows), today)
    ends = rules.thinned(every)
    return _rag_over_time_chart(
        "rag-over-time",
        f"RAG over time ({' and '.join(labels)}), from their RAG history",
        ends,
        rules.counts_over_time(flows, ends),
        axis=rules.sampled_axis(every),
        label_day=lambda e: f"{e:%B %Y}",
        markers=False,
    )


def _rag_over_time_chart(
    chart_id: str,
    title: str,
    ends: list,
    series: list,
    *,
    axis: str,
    label_day,
    markers: bool,
):
    """A stacked chart of the counts by RAG at each date, with its table and a summary."""
    import plotly.graph_objects as go

    colours = [*rules.MEASURED, RAG.GREY]
    figure = go.Figure(
        [
            go.Scatter(
                name=colour.label,
                x=[e.isoformat() for e in ends],
                y=[c[colour] for c in series],
                mode="lines+markers" if markers else "lines",
                stackgroup="rag",
                line={"color": RAG_COLOURS.get(colour, "#505a5f")},
            )
            for colour in colours
        ]
    )
    figure.update_layout(yaxis_title="Items", xaxis_title=axis)
    rows = [
        [label_day(e), *(c[colour] for colour in colours)]
        for e, c in zip(ends, series, strict=True)
    ]
    last = series[-1]
    summary = (
        f"On {long_date(ends[-1])}: {last[RAG.RED]} red, {last[RAG.AMBER]} amber, "
        f"{last[RAG.GREEN]} green, {last[RAG.BLUE]} complete and {last[RAG.GREY]} with no data."
    )
    return make_chart(
        chart_id, title, figure, [axis, *(c.label for c in colours)], rows, summary=summary
    )


@dataclass
class Timeline:
    page: Any  # Page[TimelineRow]
    chart: Chart | None


def timeline(scope: Scope, page: int, per_page: int) -> Timeline | None:
    """One page of the milestone timeline: baseline against forecast and actual."""
    areas = _area_with("timeline", scope)
    if not areas:
        return None
    result = areas[0].timeline(scope, page, per_page)
    rows = result.items
    if not rows:
        return Timeline(result, None)
    late = sum(1 for r in rows if (r.slip_days or 0) > 0)
    summary = (
        f"Milestones {result.first_index} to {result.first_index + len(rows) - 1} of "
        f"{result.total}: {late} of these forecast or finished after their baseline."
    )
    chart = make_chart(
        "milestone-timeline",
        "Milestone timeline: baseline against forecast and actual",
        _timeline_figure(rows),
        ["Milestone", "Baseline", "Forecast", "Actual", "Slip (days)", "RAG"],
        _timeline_table(rows),
        summary=summary,
    )
    return Timeline(result, chart)


def _timeline_figure(rows: list[Any]) -> Any:
    """The timeline chart: a grey slip line from baseline to the forecast (or actual), and a
    marker for each of the baseline, forecast and actual dates."""
    import plotly.graph_objects as go

    names = [f"{r.title[:50]}{'…' if len(r.title) > 50 else ''} (#{r.id})" for r in rows]
    segments_x: list = []
    segments_y: list = []
    for r, name in zip(rows, names, strict=True):
        end = r.actual or r.forecast
        if r.baseline and end:
            segments_x += [r.baseline.isoformat(), end.isoformat(), None]
            segments_y += [name, name, None]
    traces = [
        go.Scatter(
            x=segments_x,
            y=segments_y,
            mode="lines",
            line={"color": "#b1b4b6", "width": 3},
            name="Slip",
            hoverinfo="skip",
        )
    ]
    for label, attr, symbol, colour in (
        ("Baseline", "baseline", "line-ns-open", "#0b0c0c"),
        ("Forecast", "forecast", "circle-open", "#f47738"),
        ("Actual", "actual", "circle", "#00703c"),
    ):
        points = [
            (getattr(r, attr), n) for r, n in zip(rows, names, strict=True) if getattr(r, attr)
        ]
        traces.append(
            go.Scatter(
                x=[d.isoformat() for d, _ in points],
                y=[n for _, n in points],
                mode="markers",
                name=label,
                marker={"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2}},
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(height=max(300, 28 * len(rows) + 120))
    figure.update_yaxes(autorange="reversed")
    return figure


def _timeline_table(rows: list[Any]) -> list[list[Any]]:
    """The timeline's accessible table: one row a milestone, its dates in words."""
    return [
        [
            r.title,
            long_date(r.baseline) if r.baseline else None,
            long_date(r.forecast) if r.forecast else None,
            long_date(r.actual) if r.actual else None,
            r.slip_days,
            r.rag.label,
        ]
        for r in rows
    ]


def objective_roll_ups(today: date) -> list[Any]:
    """Each objective with its roll-up, from the areas that report by objective."""
    out: list[Any] = []
    for area in _area_with("by_objective", PROGRAMME_SCOPE):
        out.extend(area.by_objective(today))
    return out


def load_objective(objective_id: int) -> Any:
    for area in _area_with("load_objective", PROGRAMME_SCOPE):
        found = area.load_objective(objective_id)
        if found is not None:
            return found
    return None


def objective_scope(objective_id: int) -> Scope:
    """An objective's scope as the area that keeps objectives gives it (with what is linked)."""
    for area in _area_with("objective_scope", PROGRAMME_SCOPE):
        return area.objective_scope(objective_id)
    return Scope("objective", objective_id)


# RAG observed by the clock ------------------------------------------------------------------


def observe_rags(today: date) -> int:
    """Record today's RAG counts of every area that keeps no RAG history of its own (once a
    day: a second tick the same day records nothing). Returns how many areas were recorded."""
    from govtrack.dashboards.models import RagObservation

    seen = set(
        db.session.scalars(select(RagObservation.area).where(RagObservation.on == today).distinct())
    )
    recorded = 0
    for area in area_figures(PROGRAMME_SCOPE):
        if callable(getattr(area, "rag_flows", None)) or area.name in seen:
            continue
        counts = area.counts(PROGRAMME_SCOPE, today)
        if counts is None:
            continue
        db.session.add_all(
            RagObservation(area=area.name, on=today, rag=colour, count=n)
            for colour, n in counts.items()
        )
        recorded += 1
    db.session.flush()
    return recorded


def observed_chart(today: date) -> Chart | None:
    """RAG over time of the areas the clock observes: the last observation of each month."""

    from govtrack.dashboards.models import RagObservation

    since = date(today.year - rules.MAX_MONTHS // 12, today.month, 1)
    labels = {
        a.name: a.label
        for a in area_figures(PROGRAMME_SCOPE)
        if not callable(getattr(a, "rag_flows", None))
    }
    rows = db.session.execute(
        select(RagObservation.on, RagObservation.rag, func.sum(RagObservation.count))
        .where(
            RagObservation.on >= since,
            RagObservation.on <= today,
            RagObservation.area.in_(list(labels)),
        )
        .group_by(RagObservation.on, RagObservation.rag)
        .order_by(RagObservation.on)
    ).all()
    if not rows:
        return None
    ends, series = rules.last_of_each_month([(on, colour, int(n)) for on, colour, n in rows])
    return _rag_over_time_chart(
        "rag-observed",
        f"RAG over time ({', '.join(sorted(labels.values()))}), the last observation each month",
        ends,
        series,
        axis="Observed on",
        label_day=long_date,
        markers=True,
    )
