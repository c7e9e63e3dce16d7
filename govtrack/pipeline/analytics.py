"""The pipeline's analytics: services per stage, enquiries by stage and by directorate, time
spent in each stage, and planned against actual integration dates; each a Plotly chart with a
table of the same numbers (``govtrack.core.charts``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import plotly.graph_objects as go
from sqlalchemy import select

from govtrack.core.charts import Chart, make_chart
from govtrack.core.dates import long_date
from govtrack.db import db
from govtrack.pipeline import queries, rules
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import StageTransition


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def pipeline_charts(today: date) -> list[Chart]:
    pos = queries.position(today, today)
    rows = pos.rows
    charts = [_funnel(rows), _by_stage(rows), _by_directorate(rows), _time_in_stage(today)]
    charts.append(_planned_vs_actual(rows))
    return charts


def _funnel(rows) -> Chart:
    counts = dict.fromkeys(Stage, 0)
    for row in rows:
        counts[row.stage] += 1
    labels = [s.numbered for s in Stage]
    figure = go.Figure(go.Funnel(y=labels, x=list(counts.values()), textinfo="value"))
    figure.update_layout(height=380)
    return make_chart(
        "services-per-stage",
        "Services at each stage",
        figure,
        ["Stage", "Services"],
        [[s.numbered, counts[s]] for s in Stage] if rows else [],
        summary=f"{len(rows)} services, {counts[Stage.OPERATIONAL]} of them Operational.",
    )


def _by_stage(rows) -> Chart:
    totals = rules.totals_by(
        [r.stage.numbered for r in rows], [r.enquiries_per_month for r in rows]
    )
    labels = [s.numbered for s in Stage]
    values = [totals.get(label, 0) for label in labels]
    figure = go.Figure(go.Bar(x=values, y=labels, orientation="h"))
    figure.update_layout(height=380, xaxis_title="Average telephone enquiries a month")
    figure.update_yaxes(autorange="reversed")
    return make_chart(
        "enquiries-by-stage",
        "Enquiries a month by stage",
        figure,
        ["Stage", "Enquiries a month"],
        [[label, f"{value:,}"] for label, value in zip(labels, values, strict=True)]
        if rows
        else [],
        summary=f"{sum(values):,} enquiries a month in all.",
    )


def _by_directorate(rows) -> Chart:
    keys = [
        f"{r.partner} {r.directorate}".strip() if r.directorate else f"{r.partner} (none)"
        for r in rows
    ]
    totals = rules.totals_by(keys, [r.enquiries_per_month for r in rows])
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    figure = go.Figure(go.Bar(x=[k for k, _ in ordered], y=[v for _, v in ordered]))
    figure.update_layout(height=380, yaxis_title="Average telephone enquiries a month")
    return make_chart(
        "enquiries-by-directorate",
        "Enquiries a month by directorate",
        figure,
        ["Directorate", "Enquiries a month"],
        [[k, f"{v:,}"] for k, v in ordered],
        summary=(f"Most from {ordered[0][0]}." if ordered else ""),
    )


def _time_in_stage(today: date) -> Chart:
    histories: dict[int, list[rules.Step]] = defaultdict(list)
    for service_id, moved_on, row_id, to_stage in db.session.execute(
        select(
            StageTransition.service_id,
            StageTransition.moved_on,
            StageTransition.id,
            StageTransition.to_stage,
        )
    ):
        histories[service_id].append(rules.Step(moved_on, row_id, to_stage))
    spreads = [
        s for s in rules.days_in_stages(histories.values(), today) if s.stage != Stage.OPERATIONAL
    ]
    measured = [s for s in spreads if s.count]
    figure = go.Figure(
        go.Bar(
            x=[s.stage.numbered for s in measured],
            y=[s.median for s in measured],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [s.upper_quartile - s.median for s in measured],
                "arrayminus": [s.median - s.lower_quartile for s in measured],
            },
        )
    )
    figure.update_layout(height=380, yaxis_title="Days (median; bars show the middle half)")
    return make_chart(
        "days-in-stage",
        "Days spent in each stage",
        figure,
        [
            "Stage",
            "Moves out",
            "Median days",
            "Lower quartile",
            "Upper quartile",
            "Shortest",
            "Longest",
        ],
        [
            [
                s.stage.numbered,
                s.count,
                _days(s.median),
                _days(s.lower_quartile),
                _days(s.upper_quartile),
                s.shortest,
                s.longest,
            ]
            for s in measured
        ],
        summary="Only stays that have ended are counted.",
    )


def _planned_vs_actual(rows) -> Chart:
    dated = [r for r in rows if r.planned_integration_date]
    dated.sort(key=lambda r: (r.planned_integration_date, r.name))
    done = [r for r in dated if r.date_integrated]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[r.planned_integration_date.isoformat() for r in dated],
            y=[r.name for r in dated],
            mode="markers",
            name="Planned",
            marker={"symbol": "circle-open", "size": 12},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[r.date_integrated.isoformat() for r in done],
            y=[r.name for r in done],
            mode="markers",
            name="Integrated",
            marker={"symbol": "diamond", "size": 10},
        )
    )
    figure.update_layout(height=max(300, 40 + 28 * len(dated)), legend={"orientation": "h"})
    late = sum(1 for r in dated if r.overdue)
    return make_chart(
        "planned-vs-actual",
        "Planned and actual integration dates",
        figure,
        ["Service", "Planned", "Integrated", "Days late (+) or early (-)", "Overdue"],
        [
            [
                r.name,
                long_date(r.planned_integration_date),
                long_date(r.date_integrated) or "not yet",
                rules.slip_days(r.planned_integration_date, r.date_integrated),
                "Overdue" if r.overdue else "",
            ]
            for r in dated
        ],
        summary=(
            f"{len(dated)} {'service has' if len(dated) == 1 else 'services have'} a planned "
            f"date; {late} {'is' if late == 1 else 'are'} overdue."
        ),
    )
