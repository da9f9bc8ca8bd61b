"""Small bar charts of how many papers each topic and edition holds, drawn as SVG at build time.

Readers see the shape of the digest at a glance without any script: the SVG is
inline in the page, its colours come from the theme's CSS variables (so light and
dark schemes both work) and its numbers are printed beside every bar as well as in
its description for screen readers. Geometry is computed here and printed by the
``_chart.html`` template; the output depends only on the content, so builds stay
byte-identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digest.model import Topic

ROW_HEIGHT = 28  # px: a label line and a thin bar under it
BAR_SPAN = 86.0  # % of the width the longest bar takes; the rest holds its count
MAX_EDITIONS = 12


@dataclass(frozen=True)
class Row:
    """One bar: its label, its count and where it sits."""

    label: str
    count: int
    y: int
    width: float  # % of the chart's width
    current: bool = False

    @property
    def count_x(self) -> str:
        return f"{self.width + 1.5:.2f}%"

    @property
    def bar_width(self) -> str:
        return f"{self.width:.2f}%"

    @property
    def phrase(self) -> str:
        return f"{self.label}: {self.count} {'paper' if self.count == 1 else 'papers'}"


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart with a title and a text description of every value."""

    id: str
    title: str
    rows: tuple[Row, ...]
    note: str = ""

    @property
    def compares(self) -> bool:
        """True when one row is highlighted against the others."""
        return any(row.current for row in self.rows)

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.rows) + 4

    @property
    def description(self) -> str:
        text = "; ".join(row.phrase for row in self.rows) + "."
        return f"{self.note} {text}" if self.note else text


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, int, bool]],
              note: str = "") -> Chart:
    """Lay out ``(label, count, highlighted)`` items, one row each, in the given order."""
    top = max((count for _, count, _ in items), default=0) or 1
    rows = tuple(Row(label=label, count=count, y=i * ROW_HEIGHT,
                     width=round(BAR_SPAN * count / top, 2), current=current)
                 for i, (label, count, current) in enumerate(items))
    return Chart(id=chart_id, title=title, rows=rows, note=note)


def papers_per_topic(topics: Sequence[Topic], counts: Mapping[str, int],
                     current: str | None = None) -> Chart:
    """Topics by number of papers, most first (ties keep the taxonomy's order)."""
    ordered = sorted(topics, key=lambda t: -counts.get(t.slug, 0))
    items = [(t.title, counts.get(t.slug, 0), t.slug == current) for t in ordered]
    note = ""
    if current is not None:
        this = next(t for t in topics if t.slug == current)
        note = f"This topic, {this.title}, is highlighted."
    return bar_chart("digest-chart-topics", "Papers per topic", items, note)


def papers_per_edition(counts: Mapping[dt.date, int], title: str) -> Chart:
    """The newest editions (at most MAX_EDITIONS), newest first."""
    dates = sorted(counts, reverse=True)[:MAX_EDITIONS]
    note = f"The {len(dates)} newest of {len(counts)} editions." if len(counts) > len(dates) \
        else ""
    items = [(f"{d:%-d %B %Y}", counts[d], False) for d in dates]
    return bar_chart("digest-chart-editions", title, items, note)
