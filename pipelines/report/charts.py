"""Altair helpers shared by the figures: one look, colours that survive greyscale and colour blindness.

The palette is Okabe & Ito's (safe for the common colour-vision deficiencies), ordered so that
neighbouring series also differ in lightness; every multi-series chart repeats the colour in a second
channel (dash pattern or point shape), so that a greyscale print still tells the series apart.
"""

from __future__ import annotations

import altair as alt

# dark blue, orange, black, reddish purple, sky blue, vermillion, bluish green, yellow
PALETTE = ["#0072B2", "#E69F00", "#000000", "#CC79A7", "#56B4E9", "#D55E00", "#009E73", "#F0E442"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3]]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
WIDTH = 760  # px: fits a laptop screen beside nothing and an A4 page in portrait (CSS scales it down)
HEIGHT = 260


def colour_scale(domain: list[str]) -> alt.Scale:
    return alt.Scale(domain=domain, range=PALETTE[: len(domain)])


def dash_scale(domain: list[str]) -> alt.Scale:
    return alt.Scale(domain=domain, range=DASHES[: len(domain)])


def shape_scale(domain: list[str]) -> alt.Scale:
    return alt.Scale(domain=domain, range=SHAPES[: len(domain)])


def legend(title: str | None = None) -> alt.Legend:
    return alt.Legend(title=title, orient="top", direction="horizontal", labelLimit=320)


def finish(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with the report's configuration; plain data, no generated names."""
    chart = chart.configure(font="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif").configure_view(stroke=None)
    chart = chart.configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#e4e4e4", labelColor="#222")
    chart = chart.configure_legend(labelFontSize=12, titleFontSize=12, symbolStrokeWidth=2)
    return chart.to_dict(validate=True)
