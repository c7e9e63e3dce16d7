"""Charts for any capability: a Plotly figure drawn in the page by plotly.js's basic bundle
(scatter, bar and pie: the trace types the charts use; served from ``static/`` with the other
assets) and, beside it, an accessible table of the same numbers.

The figure travels as JSON data (``<script type="application/json">``), drawn by
``static/charts.js``; both scripts are deferred and only on pages with charts, and plotly.js's
own styles come as a stylesheet, so the Content-Security-Policy allows nothing inline for them.
plotly.js is never inlined and never fetched from a CDN. Render with the macros in
``templates/charts.html``: ``chart(c)`` where the chart goes, ``chart_scripts(charts)`` in the
page's ``bodyEnd`` block.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Plain colours that keep contrast against white (GOV.UK palette).
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#d4351c", "#4c2c92", "#505a5f", "#28a197"]


@dataclass(frozen=True)
class Chart:
    """One figure and its table: ``headers`` and ``rows`` hold the numbers the chart draws."""

    id: str
    title: str
    figure: dict[str, Any]  # plotly's JSON: {"data": [...], "layout": {...}}
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    summary: str = ""  # the drawing in words, shown as text above it (no JavaScript needed)

    @property
    def empty(self) -> bool:
        return not self.rows


def make_chart(
    id: str,
    title: str,
    figure: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    summary: str = "",
) -> Chart:
    """Wrap a ``plotly.graph_objects.Figure`` with its table (the layout made plain and legible)."""
    figure.update_layout(
        title=None,
        margin={"l": 60, "r": 20, "t": 20, "b": 60},
        colorway=PALETTE,
        font={"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        template="none",
    )
    # Long category labels (stage names) push the plot over rather than being cut off.
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return Chart(
        id=id,
        title=title,
        figure=json.loads(figure.to_json()),
        headers=list(headers),
        rows=[list(r) for r in rows],
        summary=summary,
    )
