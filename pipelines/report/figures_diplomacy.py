"""The diplomatic timeline over the trade series: catalogue events by type, each linked to its source."""

from __future__ import annotations

import altair as alt

from pipelines.report.charts import WIDTH, finish
from pipelines.report.figures import Figure, Source, frame, records


def diplomatic_timeline(con) -> Figure | None:
    events = frame(
        con,
        """
        SELECT event_id, event_date, event_type, replace(event_type, '_', ' ') AS type, title, source_url,
               date_precision
        FROM marts.fct_diplomatic_events WHERE origin = 'catalogue' AND event_date IS NOT NULL
        ORDER BY event_date, event_id
        """,
    )
    trade = frame(
        con,
        """
        SELECT make_date(year, 7, 1) AS mid_year, year, turnover_usd / 1e9 AS turnover_bn, source
        FROM marts.fct_kz_partner_trade_annual WHERE partner_code = 'EU27_2020' AND turnover_usd IS NOT NULL
        ORDER BY year
        """,
    )
    if events.empty or trade.empty:
        return None
    counts = events.type.value_counts()
    busiest = events.event_date.dt.year.value_counts().sort_index()
    top_year = int(busiest.idxmax())
    title = (
        f"{len(events)} EU–Kazakhstan milestones since {events.event_date.dt.year.min()}, most often "
        f"{counts.index[0]}s ({counts.iloc[0]}); the busiest year, {top_year}, had {busiest.max()}"
    )
    start, end = min(events.event_date.min(), trade.mid_year.min()), max(events.event_date.max(), trade.mid_year.max())
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[f"{start:%Y}-01-01", f"{end:%Y}-12-31"]))
    line = (
        alt.Chart(records(trade.rename(columns={"mid_year": "date"})))
        .mark_area(line={"color": "#0072B2", "strokeWidth": 2}, color="#56B4E9", opacity=0.4)
        .encode(
            x=x,
            y=alt.Y("turnover_bn:Q", title="$ bn (KZ-reported)"),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("turnover_bn:Q", title="KZ–EU27 turnover, $ bn", format=",.1f"),
                alt.Tooltip("source:N"),
            ],
        )
        .properties(width=WIDTH, height=150, title="Kazakhstan's trade with the EU27 (its own figures)")
    )
    # each event as a faint rule over the trade series, so that milestones and trade read together
    rules = (
        alt.Chart(records(events.rename(columns={"event_date": "date"})))
        .mark_rule(color="#D55E00", opacity=0.35, strokeWidth=1)
        .encode(x=x, tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), alt.Tooltip("title:N")])
    )
    line = alt.layer(rules, line)
    types = counts.sort_index().index.tolist()
    strip = (
        alt.Chart(records(events.rename(columns={"event_date": "date"})))
        .mark_point(size=110, filled=True, color="#D55E00", stroke="#000", strokeWidth=0.6, cursor="pointer")
        .encode(
            x=x,
            y=alt.Y("type:N", sort=types, title=None, axis=alt.Axis(labelLimit=260, grid=True)),
            href=alt.Href("source_url:N"),
            tooltip=[
                alt.Tooltip("date:T", format="%d %b %Y"),
                alt.Tooltip("type:N"),
                alt.Tooltip("title:N"),
                alt.Tooltip("source_url:N", title="source (click the point)"),
            ],
        )
        .properties(
            width=WIDTH, height=alt.Step(16), title="Events by type (hover for the title, click for the source)"
        )
    )
    chart = alt.vconcat(line, strip).resolve_scale(x="shared")
    return Figure(
        id="diplomatic-timeline",
        title=title,
        spec=finish(chart),
        datasets="The project's curated event catalogue (each event with its source URL); trade: "
        "IMF DOTS and Kazakhstan's BNS",
        coverage=f"{events.event_date.min():%b %Y} – {events.event_date.max():%d %b %Y}",
        units="events (one point each); trade turnover in US dollars, billions",
        method="Catalogue events at their date (day, month or year precision as catalogued); "
        "the trade line is EU27 turnover by Kazakhstan's own figures.",
        marts=("marts.fct_diplomatic_events", "marts.fct_kz_partner_trade_annual"),
        sources=(
            Source("event_catalogue"),
            Source("kz_partner_trade"),
            Source("imf_dots_flows", "reporter_code = 'KZ'"),
        ),
    )
