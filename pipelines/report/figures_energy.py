"""Energy and finance figures: Kazakhstan's share of EU crude imports by grade, the long run of EU crude
imports from Kazakhstan, and the FDI stock in Kazakhstan by origin."""

from __future__ import annotations

import altair as alt

from pipelines.report import format as fmt
from pipelines.report.charts import HEIGHT, WIDTH, colour_scale, finish, legend
from pipelines.report.figures import Figure, Source, frame, records


def crude_share(con) -> Figure | None:
    share = frame(
        con,
        """
        SELECT year, share, share_is_lower_bound, months_in_share, source_dataset, reporter_definition
        FROM marts.fct_energy_supplier_share_annual
        WHERE reporter_code = 'EU' AND product_code = 'crude_oil' AND supplier_code = 'KZ' AND basis = 'volume'
        ORDER BY year
        """,
    )
    grades = frame(
        con,
        """
        SELECT year, grade_label, volume_kbbl / 1000 AS volume_mbbl, share_of_volume, months_published
        FROM marts.fct_energy_kz_crude_grades_annual
        WHERE reporter_code = 'EU' AND volume_kbbl > 0 ORDER BY year, grade_label
        """,
    )
    if share.empty:
        return None
    last = share.iloc[-1]
    bound = " at least" if last.share_is_lower_bound else ""
    title = (
        f"Kazakhstan supplied{bound} {fmt.percent(last.share)} of the EU's crude imports by volume in {last.year} "
        f"(from {fmt.percent(share.share.min())} to {fmt.percent(share.share.max())} since {share.year.min()})"
    )
    share["basis"] = share.share_is_lower_bound.map({True: "lower bound (grades confidential)", False: "complete"})
    kinds = ["complete", "lower bound (grades confidential)"]
    base = alt.Chart(records(share)).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("share:Q", title="KZ share of EU crude imports (volume)", axis=alt.Axis(format="%")),
    )
    line = base.mark_line(color="#0072B2", strokeWidth=2)
    points = base.mark_point(size=110, strokeWidth=2, color="#0072B2").encode(
        fill=alt.Fill("basis:N", scale=alt.Scale(domain=kinds, range=["#0072B2", "white"]), legend=legend("share")),
        shape=alt.Shape("basis:N", scale=alt.Scale(domain=kinds, range=["circle", "diamond"]), legend=legend("share")),
        tooltip=[
            alt.Tooltip("year:O"),
            alt.Tooltip("share:Q", title="KZ share (volume)", format=".2%"),
            alt.Tooltip("basis:N", title="share is"),
            alt.Tooltip("source_dataset:N", title="source"),
            alt.Tooltip("reporter_definition:N", title="EU as"),
        ],
    )
    top = (line + points).properties(width=WIDTH, height=HEIGHT * 0.8, title="Share of all crude imported by the EU")
    charts = [top]
    if not grades.empty:
        names = sorted(grades.grade_label.unique())
        bars = (
            alt.Chart(records(grades))
            .mark_bar()
            .encode(
                x=alt.X("year:O", title=None),
                y=alt.Y("volume_mbbl:Q", title="million barrels", stack="zero"),
                color=alt.Color("grade_label:N", title="grade", scale=colour_scale(names), legend=legend("grade")),
                tooltip=[
                    alt.Tooltip("year:O"),
                    alt.Tooltip("grade_label:N", title="grade"),
                    alt.Tooltip("volume_mbbl:Q", title="million bbl", format=",.1f"),
                    alt.Tooltip("share_of_volume:Q", title="share in months published", format=".2%"),
                    alt.Tooltip("months_published:Q", title="months published"),
                ],
            )
            .properties(width=WIDTH, height=HEIGHT * 0.7, title="Kazakh crude by grade, where published")
        )
        charts.append(bars)
    chart = alt.vconcat(*charts).resolve_scale(color="independent", shape="independent", fill="independent")
    bounds = share[share.share_is_lower_bound].year.tolist()
    return Figure(
        id="crude-share",
        title=title,
        spec=finish(chart),
        datasets="European Commission (DG ENER) crude oil import register to 2019; Eurostat nrg_ti_coifpm from 2020",
        coverage=f"{share.year.min()} – {share.year.max()}; lower bounds: {', '.join(map(str, bounds)) or 'none'}",
        units="share of barrels imported; grades in million barrels",
        method="KZ barrels ÷ all crude barrels of the EU as the source defines it (EU28 "
        "register to 2019, EU_V from 2020); "
        "confidential grades make the share a lower bound (hollow diamonds).",
        marts=("marts.fct_energy_supplier_share_annual", "marts.fct_energy_kz_crude_grades_annual"),
        sources=(Source("energy_imports", "dataset IN ('dg_ener_coir', 'nrg_ti_coifpm')"),),
    )


def crude_tonnes(con) -> Figure | None:
    df = frame(
        con,
        """
        SELECT year, mass_kt / 1000 AS mass_mt, is_derived_aggregate FROM marts.fct_energy_imports_from_kz_annual
        WHERE reporter_code = 'EU27_2020' AND product_code = 'crude_oil' AND mass_kt IS NOT NULL ORDER BY year
        """,
    )
    df = df[df.mass_mt > 0]
    if df.empty:
        return None
    peak = df.loc[df.mass_mt.idxmax()]
    last = df.iloc[-1]
    title = (
        f"EU27 crude imports from Kazakhstan: {fmt.number(last.mass_mt, 1)} Mt in {last.year}, "
        f"from {fmt.number(df.mass_mt.iloc[0], 2)} Mt in {df.year.iloc[0]}; peak "
        f"{fmt.number(peak.mass_mt, 1)} Mt in {peak.year}"
    )
    chart = (
        alt.Chart(records(df))
        .mark_area(line={"color": "#0072B2", "strokeWidth": 2}, color="#56B4E9", opacity=0.5)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
            y=alt.Y("mass_mt:Q", title="million tonnes"),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("mass_mt:Q", title="Mt", format=",.2f")],
        )
        .properties(width=WIDTH, height=HEIGHT * 0.8)
    )
    return Figure(
        id="crude-tonnes",
        title=title,
        spec=finish(chart + chart.mark_point(color="#0072B2", size=20, filled=True)),
        datasets="Eurostat nrg_ti_oil (imports of crude oil by partner country, Kazakhstan)",
        coverage=f"{df.year.min()} – {df.year.max()}",
        units="million tonnes of crude oil",
        method="EU27_2020 as published by Eurostat, or the sum of the member states where it is not.",
        marts=("marts.fct_energy_imports_from_kz_annual",),
        sources=(Source("energy_imports", "dataset = 'nrg_ti_oil'"),),
    )


ORIGINS = ["Netherlands", "Other EU27", "United States", "China", "Russia", "Rest of world"]


def fdi_stock(con) -> Figure | None:
    df = frame(
        con,
        """
        WITH stock AS (
            SELECT year, partner_code, inward_stock_eur_million AS stock FROM marts.fct_fdi_kz_annual
            WHERE inward_stock_eur_million IS NOT NULL
        ),
        wide AS (
            SELECT year,
                   max(stock) FILTER (partner_code = 'WORLD') AS world,
                   max(stock) FILTER (partner_code = 'EU27_2020') AS eu27,
                   coalesce(max(stock) FILTER (partner_code = 'NL'), 0) AS nl,
                   coalesce(max(stock) FILTER (partner_code = 'US'), 0) AS us,
                   coalesce(max(stock) FILTER (partner_code = 'CN'), 0) AS cn,
                   coalesce(max(stock) FILTER (partner_code = 'RU'), 0) AS ru
            FROM stock GROUP BY year
        )
        SELECT year, nl AS "Netherlands", eu27 - nl AS "Other EU27", us AS "United States", cn AS "China",
               ru AS "Russia", world - eu27 - us - cn - ru AS "Rest of world",
               nl / eu27 AS nl_share_of_eu27, nl / world AS nl_share_of_total
        FROM wide WHERE world IS NOT NULL AND eu27 IS NOT NULL ORDER BY year
        """,
    )
    if df.empty:
        return None
    last = df.iloc[-1]
    title = (
        f"The Netherlands held {fmt.percent(last.nl_share_of_eu27)} of the EU27's FDI stock in Kazakhstan in "
        f"{int(last.year)}, {fmt.percent(last.nl_share_of_total)} of all of it: the seat "
        "of holding companies, a conduit"
    )
    long = df.melt(id_vars="year", value_vars=ORIGINS, var_name="origin", value_name="stock_eur_million")
    long["stock_bn"] = long.stock_eur_million / 1000
    long["order"] = long.origin.map(ORIGINS.index)
    stacked = (
        alt.Chart(records(long))
        .mark_area(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
            y=alt.Y("stock_bn:Q", title="€ bn, end of year", stack="zero"),
            color=alt.Color("origin:N", scale=colour_scale(ORIGINS), sort=ORIGINS, legend=legend("immediate investor")),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("origin:N"),
                alt.Tooltip("stock_bn:Q", title="€ bn", format=",.1f"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Inward FDI stock by immediate investor")
    )
    share = (
        alt.Chart(records(df))
        .mark_line(point=True, color="#0072B2", strokeWidth=2)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
            y=alt.Y(
                "nl_share_of_eu27:Q",
                title="NL share of EU27 stock",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("nl_share_of_eu27:Q", title="NL share of EU27", format=".1%")],
        )
        .properties(width=WIDTH, height=HEIGHT * 0.5, title="The Netherlands' share of the EU27's stock")
    )
    return Figure(
        id="fdi-stock",
        title=title,
        spec=finish(alt.vconcat(stacked, share)),
        datasets="wiiw FDI Database (figures of the National Bank of Kazakhstan, directional principle)",
        coverage=f"{int(df.year.min())} – {int(df.year.max())}",
        units="€ bn (EUR million ÷ 1,000), stock at the end of the year",
        method="By the seat of the immediate investor; Other EU27 = EU27 − NL; rest of world = "
        "total − EU27 − US − CN − RU.",
        marts=("marts.fct_fdi_kz_annual",),
        sources=(Source("fdi_by_partner"),),
    )
