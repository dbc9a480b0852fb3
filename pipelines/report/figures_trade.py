"""Trade figures: the EU's monthly trade with Kazakhstan, fuels' share, Kazakhstan's partners, critical
raw materials and the listed goods whose exports surged after 2022."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pipelines.report import format as fmt
from pipelines.report.charts import HEIGHT, WIDTH, colour_scale, dash_scale, finish, legend, shape_scale
from pipelines.report.figures import Figure, Source, frame, records

COMEXT = Source("trade_flows", "dataset = 'DS-045409'")


def trade_monthly(con) -> Figure | None:
    df = frame(
        con,
        """
        SELECT period_month, exports_eur, imports_eur, balance_eur,
               exports_rolling_12m_eur, imports_rolling_12m_eur, balance_rolling_12m_eur
        FROM marts.fct_trade_balance_monthly
        WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' ORDER BY period_month
        """,
    )
    rolled = df.dropna(subset=["imports_rolling_12m_eur", "exports_rolling_12m_eur"])
    if rolled.empty:
        return None
    last = rolled.iloc[-1]
    title = (
        f"In the 12 months to {fmt.month(last.period_month)} the EU imported {fmt.money(last.imports_rolling_12m_eur)} "
        f"from Kazakhstan and exported {fmt.money(last.exports_rolling_12m_eur)}: "
        f"a deficit of {fmt.money(-last.balance_rolling_12m_eur)}"
    )
    series = {"exports_eur": "EU exports to KZ", "imports_eur": "EU imports from KZ", "balance_eur": "Balance (X − M)"}
    rolling = {
        "exports_rolling_12m_eur": "EU exports to KZ",
        "imports_rolling_12m_eur": "EU imports from KZ",
        "balance_rolling_12m_eur": "Balance (X − M)",
    }
    monthly = _long(df, series, "month")
    sums = _long(df, rolling, "12-month sum")
    names = list(series.values())
    x = alt.X("period_month:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    tooltip = [
        alt.Tooltip("period_month:T", title="month", format="%b %Y"),
        alt.Tooltip("series:N"),
        alt.Tooltip("value_bn:Q", title="€ bn", format=",.2f"),
    ]
    top = (
        alt.Chart(records(monthly))
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value_bn:Q", title="€ bn per month"),
            color=alt.Color("series:N", scale=colour_scale(names), legend=legend()),
            strokeDash=alt.StrokeDash("series:N", scale=dash_scale(names), legend=None),
            tooltip=tooltip,
        )
        .properties(width=WIDTH, height=HEIGHT, title="Each month")
    )
    bottom = (
        alt.Chart(records(sums))
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value_bn:Q", title="€ bn, 12 months to the month"),
            color=alt.Color("series:N", scale=colour_scale(names), legend=None),
            strokeDash=alt.StrokeDash("series:N", scale=dash_scale(names), legend=None),
            tooltip=tooltip,
        )
        .properties(width=WIDTH, height=HEIGHT * 0.8, title="12-month sums (only where all 12 months are published)")
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#888").encode(y="y:Q")
    chart = alt.vconcat(top + zero, bottom + zero)
    first, end = df.period_month.min(), df.period_month.max()
    return Figure(
        id="trade-monthly",
        title=title,
        spec=finish(chart),
        datasets="Eurostat Comext DS-045409 (extra-EU trade; EU27 as published or the member states' sum)",
        coverage=f"{fmt.month(first)} – {fmt.month(end)} (imports "
        f"{fmt.month(df.dropna(subset=['imports_eur']).period_month.min())} – "
        f"{fmt.month(df.dropna(subset=['imports_eur']).period_month.max())})",
        units="euro, current prices; imports CIF, exports FOB",
        method="Balance = exports − imports; 12-month sums only where all 12 months are "
        "published (marts.fct_trade_balance_monthly).",
        marts=("marts.fct_trade_balance_monthly",),
        sources=(COMEXT,),
    )


def _long(df: pd.DataFrame, columns: dict[str, str], kind: str) -> pd.DataFrame:
    out = df.melt(id_vars="period_month", value_vars=list(columns), var_name="column", value_name="value")
    out = out.dropna(subset=["value"])
    out["series"] = out.column.map(columns)
    out["value_bn"] = out.value / 1e9
    out["kind"] = kind
    return out[["period_month", "series", "value_bn"]]


def hs27_share(con) -> Figure | None:
    monthly = frame(
        con,
        """
        SELECT period_month, hs27_share_of_imports AS share FROM marts.fct_trade_balance_monthly
        WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' AND hs27_share_of_imports IS NOT NULL
        ORDER BY period_month
        """,
    )
    annual = frame(
        con,
        """
        SELECT year, hs27_share_of_imports AS share FROM marts.fct_trade_balance_annual
        WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' AND import_months_reported = 12
          AND hs27_share_of_imports IS NOT NULL ORDER BY year
        """,
    )
    if monthly.empty:
        return None
    low, high = monthly.loc[monthly.share.idxmin()], monthly.loc[monthly.share.idxmax()]
    if annual.empty:
        title = (
            f"Mineral fuels (HS 27) were {fmt.percent(monthly.share.iloc[-1])} of EU imports from Kazakhstan "
            f"in {fmt.month(monthly.period_month.iloc[-1])}"
        )
    else:
        title = (
            f"Mineral fuels (HS 27) made up {fmt.percent(annual.share.iloc[-1])} of EU imports from Kazakhstan in "
            f"{annual.year.iloc[-1]}; no month below {fmt.percent(low.share)} ({fmt.month(low.period_month)})"
        )
    annual_points = annual.assign(period_month=pd.to_datetime(annual.year.astype(str) + "-07-01"))
    names = ["monthly", "whole year"]
    line = (
        alt.Chart(records(monthly.assign(series="monthly")))
        .mark_line(point=alt.OverlayMarkDef(size=20), strokeWidth=2)
        .encode(
            x=alt.X("period_month:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y(
                "share:Q",
                title="share of EU imports from KZ",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("series:N", scale=colour_scale(names), legend=legend()),
            tooltip=[
                alt.Tooltip("period_month:T", title="month", format="%b %Y"),
                alt.Tooltip("share:Q", title="HS 27 share", format=".1%"),
            ],
        )
    )
    ticks = (
        alt.Chart(records(annual_points.assign(series="whole year")))
        .mark_point(shape="square", size=120, filled=True)
        .encode(
            x="period_month:T",
            y="share:Q",
            color=alt.Color("series:N", scale=colour_scale(names), legend=legend()),
            tooltip=[alt.Tooltip("year:O"), alt.Tooltip("share:Q", title="HS 27 share, whole year", format=".1%")],
        )
    )
    chart = (line + ticks).properties(width=WIDTH, height=HEIGHT)
    return Figure(
        id="hs27-share",
        title=title,
        spec=finish(chart),
        datasets="Eurostat Comext DS-045409, HS chapter 27 and TOTAL",
        coverage=f"{fmt.month(monthly.period_month.min())} – {fmt.month(monthly.period_month.max())}; highest "
        f"{fmt.percent(high.share)} ({fmt.month(high.period_month)})",
        units="share of the value of EU imports from Kazakhstan (0–100 %)",
        method="HS 27 imports ÷ total imports from Kazakhstan, per month and per whole year (12 months published).",
        marts=("marts.fct_trade_balance_monthly", "marts.fct_trade_balance_annual"),
        sources=(COMEXT,),
    )


PARTNERS = {"EU27_2020": "EU27 (sum of today's members)", "CN": "China", "RU": "Russia"}


def kz_partners(con) -> Figure | None:
    df = frame(
        con,
        """
        SELECT year, partner_code, turnover_share, turnover_usd, source
        FROM marts.fct_kz_partner_trade_annual
        WHERE partner_code IN ('EU27_2020', 'CN', 'RU') AND year >= 1995 AND turnover_share IS NOT NULL
        ORDER BY year, partner_code
        """,
    )
    if df.empty:
        return None
    df["partner"] = df.partner_code.map(PARTNERS)
    latest = df[df.year == df.year.max()].set_index("partner_code").turnover_share
    year = int(df.year.max())
    title = (
        f"By Kazakhstan's own figures the EU27 had {fmt.percent(latest.get('EU27_2020'))} of its trade in {year}, "
        f"China {fmt.percent(latest.get('CN'))}, Russia {fmt.percent(latest.get('RU'))}"
    )
    names = list(PARTNERS.values())
    base = alt.Chart(records(df)).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("turnover_share:Q", title="share of Kazakhstan's turnover", axis=alt.Axis(format="%")),
        color=alt.Color("partner:N", scale=colour_scale(names), legend=legend()),
        tooltip=[
            alt.Tooltip("year:O"),
            alt.Tooltip("partner:N"),
            alt.Tooltip("turnover_share:Q", title="share of turnover", format=".1%"),
            alt.Tooltip("turnover_usd:Q", title="turnover (USD)", format="$,.3s"),
            alt.Tooltip("source:N", title="source"),
        ],
    )
    lines = base.mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash("partner:N", scale=dash_scale(names), legend=None)
    )
    points = base.mark_point(size=35, filled=True).encode(
        shape=alt.Shape("partner:N", scale=shape_scale(names), legend=None)
    )
    switch = df[df.source != df.source.iloc[0]].year.min()
    layers = [lines, points]
    if pd.notna(switch):
        rule = pd.DataFrame({"year": [switch - 0.5], "label": [f"BNS from {switch}, IMF DOTS before"]})
        layers.append(alt.Chart(rule).mark_rule(color="#666", strokeDash=[3, 3]).encode(x="year:Q"))
        layers.append(
            alt.Chart(rule)
            .mark_text(align="left", dx=4, dy=-6, color="#444")
            .encode(x="year:Q", y=alt.value(8), text="label:N")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    sources = ", ".join(sorted(df.source.unique()))
    return Figure(
        id="kz-partners",
        title=title,
        spec=finish(chart),
        datasets="Kazakhstan's statistics: IMF DOTS as reported by Kazakhstan, then the Bureau of "
        f"National Statistics ({sources})",
        coverage=f"{df.year.min()} – {year}",
        units="share of Kazakhstan's total trade turnover (exports + imports, US dollars)",
        method="Partner turnover ÷ Kazakhstan's total of the same year and source; one source a "
        "year; EU27 = today's 27 members summed.",
        marts=("marts.fct_kz_partner_trade_annual",),
        sources=(Source("kz_partner_trade"), Source("imf_dots_flows", "reporter_code = 'KZ'")),
    )


def critical_raw_materials(con) -> Figure | None:
    df = frame(
        con,
        """
        WITH codes AS (
            SELECT DISTINCT year, product_code, material_name, extra_eu_imports_eur
            FROM marts.fct_trade_critical_raw_materials_annual WHERE extra_eu_imports_eur > 0
        ),
        kz AS (
            SELECT year, product_code, value_eur FROM marts.fct_trade_critical_raw_materials_annual
            WHERE partner_code = 'KZ'
        )
        SELECT codes.material_name, codes.year, sum(coalesce(kz.value_eur, 0)) AS kz_eur,
               sum(codes.extra_eu_imports_eur) AS extra_eu_eur, kz_eur / extra_eu_eur AS share
        FROM codes LEFT JOIN kz ON codes.year = kz.year AND codes.product_code = kz.product_code
        GROUP BY ALL
        HAVING material_name IN (
            SELECT c.material_name FROM codes AS c JOIN kz USING (year, product_code) WHERE kz.value_eur > 0
        )
        ORDER BY material_name, year
        """,
    )
    if df.empty:
        return None
    year = int(df.year.max())
    latest = df[df.year == year].sort_values("share", ascending=False)
    top = latest.iloc[0]
    title = (
        f"Kazakhstan's largest share of an EU critical-raw-material import in {year}: "
        f"{top.material_name.split(';')[0].lower()}, {fmt.percent(top.share)} of extra-EU imports"
    )
    order = latest.material_name.tolist() + sorted(set(df.material_name) - set(latest.material_name))
    df["label"] = df.material_name.str.slice(0, 60)
    labels = [name[:60] for name in order]
    years = [str(y) for y in sorted(df.year.unique())]
    df["year_label"] = df.year.astype(str)
    chart = (
        alt.Chart(records(df))
        .mark_point(size=90, filled=True, opacity=0.9)
        .encode(
            y=alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=420)),
            x=alt.X("share:Q", title="Kazakhstan's share of extra-EU imports (value)", axis=alt.Axis(format="%")),
            color=alt.Color("year_label:N", title="year", scale=colour_scale(years), legend=legend("year")),
            shape=alt.Shape("year_label:N", scale=shape_scale(years), legend=legend("year")),
            tooltip=[
                alt.Tooltip("material_name:N", title="material"),
                alt.Tooltip("year:O"),
                alt.Tooltip("share:Q", title="KZ share", format=".2%"),
                alt.Tooltip("kz_eur:Q", title="from KZ (€)", format=",.0f"),
                alt.Tooltip("extra_eu_eur:Q", title="all extra-EU (€)", format=",.0f"),
            ],
        )
        .properties(width=WIDTH - 300, height=alt.Step(22))
    )
    return Figure(
        id="critical-raw-materials",
        title=title,
        spec=finish(chart),
        datasets="Eurostat Comext DS-045409 bulk files, a CN8 extract of 66 critical-raw-material "
        "codes (normal customs procedure only)",
        coverage=f"{df.year.min()} – {year}",
        units="share of the value of EU27 imports from outside the EU (euro)",
        method="Per material (its CN8 codes): imports from KZ ÷ imports from all extra-EU "
        "partners; only materials KZ supplied at all.",
        marts=("marts.fct_trade_critical_raw_materials_annual",),
        sources=(Source("comext_bulk_extract_flows"),),
    )


def sanctioned_goods(con) -> Figure | None:
    df = frame(
        con,
        """
        SELECT period_month, value_eur, value_eur_year_earlier FROM marts.fct_trade_sanctioned_goods_exports_monthly
        WHERE reporter_code = 'EU27_2020' AND hs_chapter_code = 'ALL' ORDER BY period_month
        """,
    )
    ytd = frame(
        con,
        """
        SELECT period_month, value_eur_ytd, value_eur_ytd_year_earlier, growth_ytd
        FROM marts.fct_trade_sanctioned_goods_exports_monthly
        WHERE reporter_code = 'EU27_2020' AND hs_chapter_code = 'ALL' AND growth_ytd IS NOT NULL
        ORDER BY period_month DESC LIMIT 1
        """,
    )
    if df.empty or ytd.empty:
        return None
    last = ytd.iloc[0]
    title = (
        f"EU exports to Kazakhstan of goods restricted for Russia: {fmt.money(last.value_eur_ytd)} in "
        f"Jan–{last.period_month:%b %Y}, {fmt.number(last.value_eur_ytd / last.value_eur_ytd_year_earlier, 1)} times "
        f"the same months a year earlier"
    )
    df["value_m"] = df.value_eur / 1e6
    chart = (
        alt.Chart(records(df))
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("yearmonth(period_month):T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value_m:Q", title="€ m per month"),
            tooltip=[
                alt.Tooltip("period_month:T", title="month", format="%b %Y"),
                alt.Tooltip("value_m:Q", title="€ m", format=",.1f"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    return Figure(
        id="sanctioned-goods",
        title=title,
        spec=finish(chart),
        datasets="Eurostat Comext DS-045409 (Data Browser), the 2,129 codes of the EU's export restrictions on Russia",
        coverage=f"{fmt.month(df.period_month.min())} – {fmt.month(df.period_month.max())}",
        units="euro per month, EU27 (sum of the member states)",
        method="Exports to KZ of the listed codes summed per month; year-to-date against the "
        "same months a year earlier.",
        marts=("marts.fct_trade_sanctioned_goods_exports_monthly",),
        sources=(Source("comext_databrowser_flows"),),
    )
