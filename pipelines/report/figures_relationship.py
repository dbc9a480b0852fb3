"""The relationship layer's figures: the composite index with its components and sensitivity band, the
event-study fits (milestone, counterfactual, interval) and the lead-lag correlogram with its bands.

The event-study fits are redrawn with the project's own regression (pipelines/relationship/event_study.py:
the same window, design matrix and OLS as the mart), and each redrawn level change is checked against
the one fct_event_study publishes before it is shown."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from pipelines.report import format as fmt
from pipelines.report.charts import HEIGHT, WIDTH, colour_scale, finish, legend
from pipelines.report.figures import Figure, Source, frame, records
from pipelines.report.tables import has_table

RELATIONSHIP_SOURCES = (
    Source("trade_flows", "dataset = 'DS-045409'"),
    Source("kz_partner_trade"),
    Source("imf_dots_flows", "reporter_code = 'KZ'"),
    Source("energy_imports", "dataset IN ('dg_ener_coir', 'nrg_ti_coifpm', 'nrg_ti_oil')"),
    Source("fdi_by_partner"),
    Source("event_catalogue"),
)


def relationship_index(con) -> Figure | None:
    if not has_table(con, "marts", "fct_relationship_index_sensitivity"):
        return None
    band = frame(
        con,
        """
        SELECT year, index_reference, index_min, index_max, rank_reference, rank_min, rank_max, n_schemes
        FROM marts.fct_relationship_index_sensitivity WHERE normalisation = 'minmax' ORDER BY year
        """,
    )
    components = frame(
        con,
        """
        SELECT c.year, c.component, c.component_group, c.component_value AS value, c.orientation, c.unit
        FROM marts.fct_relationship_index_components AS c
        WHERE c.year BETWEEN (SELECT min(year) FROM marts.fct_relationship_index_sensitivity)
                         AND (SELECT max(year) FROM marts.fct_relationship_index_sensitivity)
        ORDER BY c.component, c.year
        """,
    )
    if band.empty:
        return None
    peak = band.loc[band.index_reference.idxmax()]
    last = band.iloc[-1]
    title = (
        f"The relationship index peaked in {int(peak.year)} ({fmt.number(peak.index_reference, 2)}); "
        f"{int(last.year)} ranks {int(last.rank_reference)} of {len(band)} years "
        f"({int(last.rank_min)}–{int(last.rank_max)} over {int(last.n_schemes)} weighting schemes)"
    )
    base = alt.Chart(records(band)).encode(x=alt.X("year:O", title=None))
    area = base.mark_area(color="#56B4E9", opacity=0.35).encode(
        y=alt.Y("index_min:Q", title="index (min-max, 0–1)", scale=alt.Scale(domain=[0, 1])),
        y2="index_max:Q",
        tooltip=[
            alt.Tooltip("year:O"),
            alt.Tooltip("index_min:Q", title="lowest over the schemes", format=".2f"),
            alt.Tooltip("index_max:Q", title="highest over the schemes", format=".2f"),
        ],
    )
    line = base.mark_line(color="#0072B2", strokeWidth=2.5, point=alt.OverlayMarkDef(size=40, color="#0072B2")).encode(
        y="index_reference:Q",
        tooltip=[
            alt.Tooltip("year:O"),
            alt.Tooltip("index_reference:Q", title="index, equal weights", format=".3f"),
            alt.Tooltip("rank_reference:Q", title="rank (1 = highest)"),
            alt.Tooltip("rank_min:Q", title="best rank over schemes"),
            alt.Tooltip("rank_max:Q", title="worst rank over schemes"),
        ],
    )
    top = (area + line).properties(
        width=WIDTH, height=HEIGHT * 0.8, title="Index with equal weights; band: lowest to highest over the schemes"
    )
    # each component scaled to 0–1 over the index years (its orientation applied), as the min-max index does
    span = components.groupby("component").value.agg(["min", "max"])
    components = components.join(span, on="component")
    scaled = (components.value - components["min"]) / (components["max"] - components["min"]).replace(0, np.nan)
    components["scaled"] = np.where(components.orientation > 0, scaled, 1 - scaled)
    names = sorted(components.component.unique())
    heat = (
        alt.Chart(records(components))
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("component:N", title=None, sort=names, axis=alt.Axis(labelLimit=300)),
            color=alt.Color(
                "scaled:Q",
                title="component, 0–1",
                scale=alt.Scale(scheme="blues", domain=[0, 1]),
                legend=alt.Legend(orient="top", gradientLength=180),
            ),
            tooltip=[
                alt.Tooltip("component:N"),
                alt.Tooltip("component_group:N", title="group"),
                alt.Tooltip("year:O"),
                alt.Tooltip("value:Q", title="value", format=",.4~g"),
                alt.Tooltip("unit:N"),
                alt.Tooltip("scaled:Q", title="scaled 0–1", format=".2f"),
            ],
        )
        .properties(width=WIDTH, height=alt.Step(22), title="Components, each scaled to 0–1 over these years")
    )
    return Figure(
        id="relationship-index",
        title=title,
        spec=finish(alt.vconcat(top, heat).resolve_scale(color="independent")),
        datasets="The relationship layer over Eurostat Comext, Kazakhstan's BNS and IMF DOTS, DG ENER and Eurostat "
        "energy, wiiw FDI and the event catalogue",
        coverage=f"{int(band.year.min())} – {int(band.year.max())}",
        units="index 0–1 (min-max normalised components, equally weighted); components in their own units",
        method="OECD/JRC Handbook (2008): orient, normalise min-max, weight equally; band = lowest to highest "
        "index over the weighting schemes (equal by group, PCA, each component left out).",
        marts=(
            "marts.fct_relationship_index_annual",
            "marts.fct_relationship_index_components",
            "marts.fct_relationship_index_sensitivity",
        ),
        sources=RELATIONSHIP_SOURCES,
    )


# How each unit of the series is shown: (divisor, label)
DISPLAY = {
    "share 0..1": (0.01, "%"),
    "thousand US dollars (CIF)": (1e6, "$ bn"),
    "thousand barrels": (1e3, "million bbl"),
    "euro": (1e9, "€ bn"),
    "US dollars": (1e9, "$ bn"),
    "thousand tonnes": (1e3, "Mt"),
}


def event_study_fits(con) -> Figure | None:
    if not has_table(con, "marts", "fct_event_study"):
        return None
    from pipelines.relationship.event_study import design_matrix, first_treated_period
    from pipelines.relationship.periods import to_periods

    cases = frame(
        con,
        """
        SELECT case_id, milestone_id, milestone, milestone_date, series_id, frequency, unit, verdict, level_change,
               level_change_ci_low, level_change_ci_high, first_period, last_period
        FROM marts.fct_event_study WHERE estimator = 'segmented' ORDER BY milestone_date, case_id
        """,
    )
    series = frame(
        con, "SELECT series_id, period_start, series_value AS value FROM intermediate.int_relationship__series"
    )
    panels, intervals = [], []
    for case in cases.itertuples(index=False):
        values = series[series.series_id == case.series_id].copy()
        frequency = case.frequency
        values["period"] = to_periods(values.period_start, frequency)
        first, last = pd.Period(case.first_period, to_periods(values.period_start[:1], frequency).freq), None
        last = pd.Period(case.last_period, first.freq)
        window = values[(values.period >= first) & (values.period <= last)].sort_values("period")
        t0 = first_treated_period(pd.Timestamp(case.milestone_date).date().isoformat(), frequency)
        periods = pd.PeriodIndex(window.period)
        x = design_matrix(periods, t0, frequency)
        beta, *_ = np.linalg.lstsq(x.to_numpy(), window.value.to_numpy(dtype=float), rcond=None)
        coefficients = dict(zip(x.columns, beta, strict=True))
        if not math.isclose(coefficients["post"], case.level_change, rel_tol=1e-4, abs_tol=1e-6):
            continue  # never draw a fit that is not the mart's
        counterfactual_x = x.assign(post=0.0, time_after=0.0)
        divisor, label = DISPLAY.get(case.unit, (1.0, case.unit))
        panel = pd.DataFrame(
            {
                "date": periods.to_timestamp(),
                "observed": window.value.to_numpy() / divisor,
                "fitted": x.to_numpy() @ beta / divisor,
                "counterfactual": np.where(x.post > 0, counterfactual_x.to_numpy() @ beta / divisor, np.nan),
            }
        )
        name = f"{case.milestone_id} · {case.series_id} ({label})"
        panel["case"] = name
        panels.append(panel)
        at_t0 = float(counterfactual_x.loc[t0].to_numpy() @ beta)
        intervals.append(
            {
                "case": name,
                "date": t0.to_timestamp(),
                "low": (at_t0 + case.level_change_ci_low) / divisor,
                "high": (at_t0 + case.level_change_ci_high) / divisor,
                "level_change": case.level_change / divisor,
                "verdict": case.verdict.replace("_", " "),
            }
        )
    if not panels:
        return None
    data = pd.concat(panels, ignore_index=True)
    long = data.melt(id_vars=["case", "date"], value_vars=["observed", "fitted", "counterfactual"], var_name="line")
    long = long.dropna(subset=["value"])
    ci = pd.DataFrame(intervals)
    verdicts = ci.verdict.value_counts()
    title = (
        f"{len(ci)} segmented fits around {cases.milestone.nunique()} milestones: "
        f"{_count(verdicts.get('change detected', 0), 'shows', 'show')} a change at p < 0.05, "
        f"{verdicts.get('cannot separate', 0)} cannot be told apart from a confounder in the window"
    )
    kinds = ["observed", "fitted", "counterfactual"]
    lines = (
        alt.Chart()
        .mark_line(strokeWidth=1.8)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("line:N", scale=colour_scale(kinds), legend=legend("series")),
            strokeDash=alt.StrokeDash(
                "line:N", scale=alt.Scale(domain=kinds, range=[[1, 0], [1, 0], [6, 3]]), legend=None
            ),
            opacity=alt.Opacity("line:N", scale=alt.Scale(domain=kinds, range=[0.55, 1, 1]), legend=None),
            tooltip=[
                alt.Tooltip("date:T", title="period", format="%b %Y"),
                alt.Tooltip("line:N"),
                alt.Tooltip("value:Q", format=",.3~f"),
            ],
        )
    )
    milestone = alt.Chart().mark_rule(color="#666666", strokeDash=[2, 2], strokeWidth=1).encode(x="date:T")
    interval = (
        alt.Chart()
        .mark_errorbar(color="#D55E00", thickness=3, ticks=alt.TickConfig(size=10, thickness=3))
        .encode(
            x="date:T",
            y="low:Q",
            y2="high:Q",
            tooltip=[
                alt.Tooltip("case:N"),
                alt.Tooltip("level_change:Q", title="level change", format=",.3~f"),
                alt.Tooltip("low:Q", title="95 % interval, low", format=",.3~f"),
                alt.Tooltip("high:Q", title="95 % interval, high", format=",.3~f"),
                alt.Tooltip("verdict:N"),
            ],
        )
    )
    merged = pd.concat([long.assign(layer="line"), ci.assign(layer="ci")], ignore_index=True)
    chart = (
        alt.layer(
            lines.transform_filter("datum.layer == 'line'"),
            milestone.transform_filter("datum.layer == 'ci'"),
            interval.transform_filter("datum.layer == 'ci'"),
            data=records(merged),
        )
        .properties(width=WIDTH / 2 - 60, height=140)
        .facet(facet=alt.Facet("case:N", title=None, header=alt.Header(labelLimit=340, labelFontSize=11)), columns=2)
        .resolve_scale(y="independent", x="independent")
    )
    return Figure(
        id="event-study",
        title=title,
        spec=finish(chart),
        datasets="The relationship layer's series (Eurostat Comext, DG ENER and nrg_ti_coifpm, IMF DOTS, BNS) and "
        "its milestones and confounders (cited seeds)",
        coverage=f"{len(ci)} cases; windows {cases.first_period.min()} – {cases.last_period.max()}",
        units="each panel in its own unit (in its title); shares in %",
        method="Segmented regression y = b0 + b1 t + b2 D + b3 t·D + seasonal terms (HAC errors); dashed: the "
        "pre-milestone fit extrapolated; red bar: the level change's 95 % interval at the milestone.",
        marts=("marts.fct_event_study",),
        sources=RELATIONSHIP_SOURCES,
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lead_lag(con) -> Figure | None:
    if not has_table(con, "marts", "fct_diplomacy_trade_lead_lag"):
        return None
    df = frame(
        con,
        """
        SELECT pair_id, leader_series_id, follower_series_id, frequency, lag_periods AS lag,
               cross_correlation AS correlation, band_low, band_high, outside_band, n_pairs, transform,
               pair_id || ' (' || transform || ')' AS pair
        FROM marts.fct_diplomacy_trade_lead_lag ORDER BY pair_id, lag_periods
        """,
    )
    if df.empty:
        return None
    outside = df[df.outside_band & (df.lag != 0)]
    if outside.empty:
        title = (
            f"No lag of diplomatic activity correlates with trade beyond the 95 % band ({df.pair_id.nunique()} pairs)"
        )
    else:
        best = outside.loc[outside.correlation.abs().idxmax()]
        lag, unit = int(best.lag), {"annual": "year", "quarterly": "quarter", "monthly": "month"}[best.frequency]
        first, then = (
            (best.leader_series_id, best.follower_series_id)
            if lag > 0
            else (best.follower_series_id, best.leader_series_id)
        )
        title = (
            f"{len(outside)} of {len(df[df.lag != 0])} lagged correlations "
            f"{'leaves' if len(outside) == 1 else 'leave'} the 95 % band; the largest, "
            f"r = {fmt.number(best.correlation, 2)}: {first} leads {then} by {abs(lag)} {unit}{'s' * (abs(lag) > 1)}"
        )
    df["side"] = np.where(df.outside_band, "outside the band", "inside the band")
    sides = ["inside the band", "outside the band"]
    base = alt.Chart().encode(
        x=alt.X("lag:O", title="lag k (leader at t, follower at t + k)", axis=alt.Axis(labelAngle=0))
    )
    bars = base.mark_bar(width=alt.RelativeBandSize(0.6)).encode(
        y=alt.Y("correlation:Q", title="correlation", scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color("side:N", scale=alt.Scale(domain=sides, range=["#999999", "#D55E00"]), legend=legend()),
        tooltip=[
            alt.Tooltip("leader_series_id:N", title="leader"),
            alt.Tooltip("follower_series_id:N", title="follower"),
            alt.Tooltip("lag:O"),
            alt.Tooltip("correlation:Q", format=".3f"),
            alt.Tooltip("band_high:Q", title="95 % band ±", format=".3f"),
            alt.Tooltip("n_pairs:Q", title="pairs"),
            alt.Tooltip("transform:N"),
        ],
    )
    high = base.mark_line(color="#0072B2", strokeDash=[4, 3]).encode(y="band_high:Q")
    low = base.mark_line(color="#0072B2", strokeDash=[4, 3]).encode(y="band_low:Q")
    chart = (
        alt.layer(bars, high, low, data=records(df))
        .properties(width=WIDTH / 2 - 60, height=150)
        .facet(facet=alt.Facet("pair:N", title=None, header=alt.Header(labelLimit=360, labelFontSize=11)), columns=2)
    )
    return Figure(
        id="lead-lag",
        title=title,
        spec=finish(chart),
        datasets="The relationship layer's series: catalogue events weighted by Goldstein score; Eurostat Comext, "
        "Kazakhstan's statistics, Eurostat nrg_ti_oil, wiiw FDI",
        coverage=", ".join(sorted(df.pair_id.unique())),
        units="correlation (−1 to 1); dashed lines: ±1.96/√n",
        method="Cross-correlation of the two series (differenced where not stationary) at lags −8..+8; "
        "bars outside the dashed band differ from zero at 5 % under independence.",
        marts=("marts.fct_diplomacy_trade_lead_lag",),
        sources=RELATIONSHIP_SOURCES,
    )
