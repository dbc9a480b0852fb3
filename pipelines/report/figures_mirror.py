"""Mirror statistics: what each member state says it imported from Kazakhstan against what Kazakhstan
says it exported to it (marts.fct_trade_mirror_annual, IMF DOTS comparison: both reporters, US dollars)."""

from __future__ import annotations

import altair as alt
import pycountry

from pipelines.report import format as fmt
from pipelines.report.charts import HEIGHT, WIDTH, colour_scale, dash_scale, finish, legend
from pipelines.report.figures import Figure, Source, frame, records


def country(code: str) -> str:
    """A member state's name from its Eurostat code (EL is Greece's)."""
    found = pycountry.countries.get(alpha_2={"EL": "GR"}.get(code, code))
    return getattr(found, "common_name", None) or (found.name if found else code)


YEARS = 5  # the gap summed over the last five years both sides published


def mirror_gaps(con) -> Figure | None:
    annual = frame(
        con,
        """
        SELECT year, member_code, eu_reported_usd / 1e9 AS member_imports_bn, kz_reported_usd / 1e9 AS kz_exports_bn,
               gap_usd / 1e9 AS gap_bn, asymmetry
        FROM marts.fct_trade_mirror_annual
        WHERE comparison = 'imf_dots' AND kz_flow = 'export' AND NOT is_eu27_sum AND gap_usd IS NOT NULL
          AND member_code NOT IN ('BE_LU', 'CSHH')
        ORDER BY year, member_code
        """,
    )
    if annual.empty:
        return None
    last = int(annual.year.max())
    window = annual[annual.year > last - YEARS]
    totals = window.groupby("member_code", as_index=False)[["gap_bn", "member_imports_bn", "kz_exports_bn"]].sum()
    totals = totals.sort_values("gap_bn", ascending=False)
    high, low = totals.iloc[0], totals.iloc[-1]
    first = last - YEARS + 1
    title = (
        f"{first}–{last}: {country(high.member_code)} recorded {fmt.money(high.gap_bn * 1e9, '$')} "
        "more imports from Kazakhstan "
        f"than Kazakhstan reported exporting to it; {country(low.member_code)} {fmt.money(-low.gap_bn * 1e9, '$')} less"
    )
    totals["side"] = totals.gap_bn.map(lambda g: "member records more" if g >= 0 else "Kazakhstan records more")
    sides = ["member records more", "Kazakhstan records more"]
    bars = (
        alt.Chart(records(totals))
        .mark_bar()
        .encode(
            y=alt.Y("member_code:N", sort=totals.member_code.tolist(), title=None),
            x=alt.X("gap_bn:Q", title=f"$ bn, {first}–{last}: member's imports from KZ − KZ's exports to member"),
            color=alt.Color("side:N", scale=alt.Scale(domain=sides, range=["#0072B2", "#E69F00"]), legend=legend()),
            tooltip=[
                alt.Tooltip("member_code:N", title="member state"),
                alt.Tooltip("member_imports_bn:Q", title="member's imports from KZ, $ bn", format=",.1f"),
                alt.Tooltip("kz_exports_bn:Q", title="KZ's exports to member, $ bn", format=",.1f"),
                alt.Tooltip("gap_bn:Q", title="gap, $ bn", format=",.1f"),
            ],
        )
        .properties(width=WIDTH * 0.45, height=alt.Step(14), title=f"Gap summed over {first}–{last}")
    )
    pair = [high.member_code, low.member_code]
    countries = [country(code) for code in pair]
    sides = ["member's imports from KZ", "KZ's exports to member"]
    lines = annual[annual.member_code.isin(pair)].melt(
        id_vars=["year", "member_code"],
        value_vars=["member_imports_bn", "kz_exports_bn"],
        var_name="side",
        value_name="usd_bn",
    )
    lines["country"] = lines.member_code.map(country)
    lines["side"] = lines.side.map({"member_imports_bn": sides[0], "kz_exports_bn": sides[1]})
    trend = (
        alt.Chart(records(lines))
        .mark_line(point=alt.OverlayMarkDef(size=16), strokeWidth=2)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
            y=alt.Y("usd_bn:Q", title="$ bn"),
            color=alt.Color("country:N", scale=colour_scale(countries), legend=legend()),
            strokeDash=alt.StrokeDash("side:N", scale=dash_scale(sides), legend=legend()),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("country:N"),
                alt.Tooltip("side:N"),
                alt.Tooltip("usd_bn:Q", title="$ bn", format=",.2f"),
            ],
        )
        .properties(
            width=WIDTH * 0.45,
            height=HEIGHT,
            title=f"{country(high.member_code)} and {country(low.member_code)}, each side's figure",
        )
    )
    chart = alt.hconcat(bars, trend).resolve_scale(color="independent", strokeDash="independent")
    return Figure(
        id="mirror-gaps",
        title=title,
        spec=finish(chart),
        datasets="IMF Direction of Trade Statistics: Kazakhstan's workbook and each member state's",
        coverage=f"{annual.year.min()} – {last}",
        units="US dollars, billions; member imports CIF, Kazakhstan's exports FOB",
        method="Gap = member's imports from KZ (CIF) − KZ's exports to the member (FOB), over years both published; "
        "timing and partner attribution (origin against destination) drive it more than CIF/FOB.",
        marts=("marts.fct_trade_mirror_annual",),
        sources=(Source("imf_dots_flows"),),
    )
