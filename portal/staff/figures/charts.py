"""Bar charts drawn on the server as SVG: the shapes worked out here, the markup in
templates/staff/figures/_chart.html. Each chart has a title and a description, and the
numbers are in the table beside it, so the picture is never the only way to read them."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from portal.domain.figures import Figure

WIDTH = 300
BAR_HEIGHT = 14
LINE_HEIGHT = 13  # SVG text does not wrap: labels are wrapped here, a line a tspan
CHARACTERS_A_LINE = 46  # at 11 units a character is about 6 of the 300 units wide
MAX_LINES = 3


@dataclass(frozen=True)
class Bar:
    lines: list[str]  # the label and its value, wrapped to fit
    y: int  # top of the row
    bar_y: int
    x: float  # where the bar starts (the right-hand end in a right-to-left page)
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    rtl: bool
    width: int = WIDTH


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    figures: list[tuple[str, Figure | None, str]],
    *,
    rtl: bool,
) -> Chart | None:
    """One bar a figure, its length its percentage (out of 100). Figures with nothing
    to count, not recorded or hidden (``value_text`` says which) get no bar. None when
    no figure has a bar: a chart of nothing says nothing."""
    bars = []
    y = 0
    for label, figure, value_text in figures:
        share = figure.percentage if figure is not None else None
        length = 0.0 if share is None else WIDTH * share / 100
        lines = textwrap.wrap(
            f"{label}: {value_text}",
            CHARACTERS_A_LINE,
            max_lines=MAX_LINES,
            placeholder="…",
        )
        bar_y = y + len(lines) * LINE_HEIGHT + 4
        bars.append(
            Bar(lines=lines, y=y, bar_y=bar_y, x=WIDTH - length if rtl else 0.0, width=length)
        )
        y = bar_y + BAR_HEIGHT + 10
    if not any(bar.width for bar in bars):
        return None
    return Chart(chart_id, title, description, bars, y, rtl)
