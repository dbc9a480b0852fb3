"""Kazakhstan's own trade figures: the marts answer "what share of Kazakhstan's exports went to the EU, China
and Russia each year since 1995, by Kazakhstan's own figures?" and put both reporters side by side.

Expected figures are recomputed straight from the raw snapshot workbooks with calamine and the seeds with
the csv module, not through DuckDB, dbt or the project's readers.
"""

import csv
import re
from collections import defaultdict

import pytest
from python_calamine import CalamineWorkbook

from conftest import REPO
from warehouse_build import query

pytestmark = pytest.mark.slow

RAW = REPO / "raw" / "trade"
SEEDS = REPO / "dbt_project" / "seeds"


def seed(name: str) -> list[dict]:
    with open(SEEDS / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def key(label: str) -> str:
    return re.sub(r"\s+", " ", str(label).replace("ё", "е")).strip().casefold()  # noqa: RUF001


BNS_CODES = {key(r["label_ru"]): r["code"] for r in seed("bns_partner_labels")}
IMF_CODES = {key(r["imf_name"]): r["code"] for r in seed("imf_dots_partner_names")}
MEMBERS = {r["iso2_code"]: r["geo_code"] for r in seed("eu27_member_states")}
EU27_PARTS = set(MEMBERS) | {r["code"] for r in seed("eu27_2020_predecessors")}


def sheets(path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names}


def bns_exports_usd() -> dict[int, dict[str, float]]:
    """year -> partner code -> exports in USD, from the latest edition of each year (thousand USD x 1000)."""
    editions = {}
    for path in sorted(RAW.glob("kazakhstan_bns_*.xlsx")):
        tables = {}
        for rows in sheets(path).values():
            header = next((r for r, row in enumerate(rows) if "Товарооборот" in row), None)
            if header is None:
                continue
            year = int(re.search(r"20[0-9]{2}", " ".join(str(v) for row in rows[:header] for v in row)).group())
            tables[year] = {
                BNS_CODES[key(row[0])]: float(row[3]) * 1000
                for row in rows[header + 2 :]
                if str(row[0]).strip() and row[3] != ""
            }
        for year, table in tables.items():
            edition = max(tables)
            if editions.get(year, (0,))[0] < edition:
                editions[year] = (edition, table)
    return {year: table for year, (_, table) in editions.items()}


def dots_figures(path, flow_title: str) -> dict[tuple[str, str, int], tuple[float, bool]]:
    """(reporter code, partner code, year) -> (USD, IMF estimate?) of one sheet of a DOTS workbook."""
    rows = next(rows for rows in sheets(path).values() if any(flow_title in str(v) for v in rows[1]))
    reporter = IMF_CODES[key(rows[3][1])]
    header = next(r for r, row in enumerate(rows) if re.fullmatch(r"(19|20)[0-9]{2}", str(row[2])))
    years = {c: int(v) for c, v in enumerate(rows[header]) if str(v).strip()}
    figures = {}
    for row in rows[header + 1 :]:
        for c, year in years.items():
            if row[c] != "":
                text = str(row[c])
                figures[(reporter, IMF_CODES[key(row[1])], year)] = (
                    float(text.removesuffix(" e")) * 1e6,
                    text.endswith(" e"),
                )
    return figures


def dots_kazakhstan_exports_usd() -> dict[int, dict[str, float]]:
    by_year = defaultdict(dict)
    for (_, partner, year), (value, _) in dots_figures(
        RAW / "imf_dots_103_kazakhstan_by_partner_1992-2020.xlsx", "Exports, FOB"
    ).items():
        by_year[year][partner] = value
    return by_year


def test_share_of_kazakhstan_exports_to_the_eu_china_and_russia_since_1995(built):
    bns, dots = bns_exports_usd(), dots_kazakhstan_exports_usd()
    assert sorted(bns) == list(range(2018, 2024)) and min(dots) == 1992 and max(dots) == 2020
    expected = {}
    for year in range(1995, 2024):
        table, source = (bns[year], "bns") if year in bns else (dots[year], "imf_dots")  # BNS wins where it publishes
        eu27 = sum(v for code, v in table.items() if code in EU27_PARTS)
        for code, value in (("EU27_2020", eu27), ("CN", table["CN"]), ("RU", table["RU"])):
            expected[(year, code)] = (value / table["WORLD"], source)
    rows = query(
        built,
        """
        SELECT year, partner_code, exports_share, source FROM marts.fct_kz_partner_trade_annual
        WHERE year >= 1995 AND partner_code IN ('EU27_2020', 'CN', 'RU')""",
    )
    assert {(y, c) for y, c, _, _ in rows} == set(expected)
    for year, code, share, source in rows:
        assert share == pytest.approx(expected[(year, code)][0], rel=1e-9), (year, code)
        assert source == expected[(year, code)][1]


def test_bns_figures_of_2023_and_the_latest_vintage(built):
    rows = {
        code: (x, m, vintage)
        for code, x, m, vintage in query(
            built,
            """
        SELECT partner_code, exports_usd, imports_usd, source_vintage_year FROM marts.fct_kz_partner_trade_annual
        WHERE year = 2023 AND partner_code IN ('WORLD', 'EU27_2020', 'EU_BNS', 'CN', 'RU')""",
        )
    }
    thousands = {code: (round(x / 1000), round(m / 1000)) for code, (x, m, _) in rows.items()}
    # data README: 2023 exports / imports, thousand USD (the 2023 BNS "EU" row lists the 27 members: the same)
    assert thousands == {
        "WORLD": (79_138_755, 60_412_283),
        "EU27_2020": (30_988_817, 10_314_009),
        "EU_BNS": (30_988_817, 10_314_009),
        "CN": (14_666_158, 15_389_231),
        "RU": (10_207_416, 16_847_034),
    }
    vintages = dict(
        query(
            built,
            """
        SELECT year, max(source_vintage_year) FROM marts.fct_kz_partner_trade_annual
        WHERE source = 'bns' GROUP BY 1""",
        )
    )
    assert vintages == {2018: 2019, 2019: 2020, 2020: 2021, 2021: 2022, 2022: 2023, 2023: 2023}
    # the 2018-2022 BNS "EU" rows include the United Kingdom: never the EU27_2020 sum
    eu = dict(
        query(
            built,
            """
        SELECT year,
               max(exports_usd) FILTER (partner_code = 'EU_BNS') - max(exports_usd) FILTER (partner_code = 'EU27_2020')
        FROM marts.fct_kz_partner_trade_annual WHERE year = 2019 GROUP BY 1""",
        )
    )
    assert eu[2019] == pytest.approx(bns_exports_usd()[2019]["GB"], rel=1e-9)


def test_italy_2019_by_both_kazakh_sources(built):
    bns_italy = query(
        built, "SELECT exports_usd FROM marts.fct_kz_partner_trade_annual WHERE year = 2019 AND partner_code = 'IT'"
    )[0][0]
    dots_italy = query(
        built,
        "SELECT kz_exports_to_member_usd FROM marts.fct_trade_long_run_annual WHERE year = 2019 AND member_code = 'IT'",
    )[0][0]
    assert round(bns_italy / 1e6, 1) == 8377.4 and round(dots_italy / 1e6, 1) == 8373.7  # data README cross-check


def test_both_reporters_side_by_side_for_every_member(built):
    kazakhstan = RAW / "imf_dots_103_kazakhstan_by_partner_1992-2020.xlsx"
    kz_side = {
        **{(p, y, "kz_exports"): v for (_, p, y), v in dots_figures(kazakhstan, "Exports, FOB").items()},
        **{(p, y, "kz_imports"): v for (_, p, y), v in dots_figures(kazakhstan, "Imports, CIF").items()},
    }
    member_side = {}
    for path in RAW.glob("imf_dots_*_world_and_kazakhstan_rows.xlsx"):
        for (reporter, partner, year), v in dots_figures(path, "Imports, CIF").items():
            if partner == "KZ":
                member_side[(reporter, year, "member_imports")] = v
        for (reporter, partner, year), v in dots_figures(path, "Exports, FOB").items():
            if partner == "KZ":
                member_side[(reporter, year, "member_exports")] = v
    figures = {**{k: v for k, v in kz_side.items() if k[0] in EU27_PARTS}, **member_side}
    expected = defaultdict(dict)
    for (code, year, what), value in figures.items():
        expected[(year, MEMBERS.get(code, code))][what] = value
    rows = query(
        built,
        """
        SELECT year, member_code, member_workbook_landed,
               kz_exports_to_member_usd, kz_exports_obs_flag, member_imports_from_kz_usd, member_imports_obs_flag,
               kz_imports_from_member_usd, kz_imports_obs_flag, member_exports_to_kz_usd, member_exports_obs_flag
        FROM marts.fct_trade_long_run_annual""",
    )
    assert {(y, m) for y, m, *_ in rows} == set(expected)
    for year, member, landed, *pairs in rows:
        assert landed
        for what, value, flag in zip(
            ("kz_exports", "member_imports", "kz_imports", "member_exports"), pairs[0::2], pairs[1::2], strict=True
        ):
            if what not in expected[(year, member)]:
                assert (value, flag) == (None, None), (year, member, what)  # not reported: NULL, never guessed
                continue
            figure, estimated = expected[(year, member)][what]
            assert value == pytest.approx(figure, rel=1e-12) and (flag == "e") == estimated, (year, member, what)
    members = {m for _, m, *_ in rows}
    assert set(MEMBERS.values()) <= members and members - set(MEMBERS.values()) == {"BE_LU", "CSHH"}
    assert min(y for y, *_ in rows) == 1992 and max(y for y, *_ in rows) == 2020


def test_lineage_from_the_raw_tables_to_the_marts(dbt_manifest):
    import dagster as dg

    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()

    def parents(*path: str) -> set[str]:
        return {key.to_user_string() for key in graph.get(dg.AssetKey(list(path))).parent_keys}

    assert "raw/kz_partner_trade" in parents("staging", "stg_bns__partner_trade")
    assert "raw/imf_dots_flows" in parents("staging", "stg_imf_dots__flows")
    assert {"intermediate/int_kz_reported_trade_by_source", "staging/kz_partner_trade_source_precedence"} <= parents(
        "marts", "fct_kz_partner_trade_annual"
    )
    assert "staging/stg_imf_dots__flows" in parents("marts", "fct_trade_long_run_annual")
    checks = {spec.name: spec for check in defs.asset_checks for spec in check.check_specs}
    assert checks["raw_kz_partner_trade_suite"].blocking and checks["raw_imf_dots_flows_suite"].blocking
