"""The FDI marts answer "how much of the FDI stock in Kazakhstan is European, and how much of that
sits in the Netherlands?" with the figures of the raw files: every answer is recomputed here from
the raw snapshot with the csv module (no DuckDB) and compared with the built marts."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict

import dagster as dg
import pytest

from conftest import REPO
from fixtures_finance import ACTIVITY_FILE, PARTNER_FILE, STOCK
from warehouse_build import query

EU27 = "EU27_2020"
# ../shared/data/README.md, finance: inward stock 2021, EUR million, as wiiw publishes it
README_STOCK_2021 = {"EU27_2020": 68294.7, "NL": 52143.1, "FR": 11651.9}


def read_rows(built, name: str) -> list[dict[str, str]]:
    with gzip.open(built / "raw" / "finance" / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed(name: str) -> list[dict[str, str]]:
    with open(REPO / "dbt_project" / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def per_year(built, column: str) -> dict[int, float]:
    return dict(query(built, f"SELECT year, {column} FROM marts.fct_fdi_kz_eu_share_annual"))


@pytest.fixture(scope="module")
def stock(built) -> dict[int, dict[str, float]]:
    """year -> partner code -> inward stock in EUR million, as the raw file publishes it."""
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for row in read_rows(built, PARTNER_FILE):
        if row["Direction"] == STOCK and row["Unit"] == "EUR m":
            for column, cell in row.items():
                if column.startswith("_") and cell != ".":
                    out[int(column[1:])][row["Partner-Code"]] = float(cell)
    return out


def test_how_much_of_the_stock_is_european_and_how_much_sits_in_the_netherlands(built, stock):
    mart = {
        r[0]: r[1:]
        for r in query(
            built,
            """
        SELECT year, total_inward_stock_eur_million, eu27_inward_stock_eur_million, eu27_share_of_inward_stock,
               netherlands_inward_stock_eur_million, netherlands_share_of_eu27_inward_stock,
               netherlands_share_of_inward_stock, eu27_excluding_netherlands_share_of_inward_stock
        FROM marts.fct_fdi_kz_eu_share_annual""",
        )
    }
    assert set(mart) == set(stock)
    for year, partner in stock.items():
        world, eu27, nl = partner["WORLD"], partner[EU27], partner["NL"]
        expected = (world, eu27, eu27 / world, nl, nl / eu27, nl / world, (eu27 - nl) / world)
        assert mart[year] == pytest.approx(expected, rel=1e-12), year
    assert {code: round(stock[2021][code], 1) for code in README_STOCK_2021} == README_STOCK_2021


def test_each_partners_share_and_the_largest_investor(built, stock):
    members = {row["iso2_code"] for row in seed("eu27_member_states")}
    rows = query(
        built,
        """
        SELECT partner_code, inward_stock_share_of_total, inward_stock_share_of_eu27, inward_stock_rank
        FROM marts.fct_fdi_kz_annual WHERE year = 2021 AND inward_stock_eur_million IS NOT NULL""",
    )
    partner = stock[2021]
    assert {r[0] for r in rows} == set(partner)
    for code, share, share_of_eu27, _ in rows:
        assert share == pytest.approx(partner[code] / partner["WORLD"], rel=1e-12), code
        in_eu27 = code in members or code == EU27
        assert (share_of_eu27 is not None) == in_eu27, code
        if in_eu27:
            assert share_of_eu27 == pytest.approx(partner[code] / partner[EU27], rel=1e-12), code
    countries = {
        code
        for code, kind in ((r["partner_code"], r["partner_type"]) for r in seed("wiiw_fdi_partners"))
        if kind in ("country", "former_territory")
    }
    largest = max((c for c in partner if c in countries), key=partner.get)
    assert [r[0] for r in rows if r[3] == 1] == [largest]


def test_eu27_aggregate_and_the_sum_of_its_members(built, stock):
    members = {row["iso2_code"] for row in seed("eu27_member_states")}
    mart = per_year(built, "eu27_members_inward_stock_eur_million")
    for year, partner in stock.items():
        summed = sum(value for code, value in partner.items() if code in members)
        assert mart[year] == pytest.approx(summed, rel=1e-12), year
        assert abs(summed - partner[EU27]) <= 0.05, year  # wiiw's rounding (dbt test assert_fdi_eu27_matches_...)


def test_offshore_centres_share(built, stock):
    offshore = {row["partner_code"] for row in seed("wiiw_fdi_partners") if row["fsf_2000_offshore_group"]}
    mart = per_year(built, "offshore_centres_share_of_inward_stock")
    for year, partner in stock.items():
        expected = sum(value for code, value in partner.items() if code in offshore) / partner["WORLD"]
        assert mart[year] == pytest.approx(expected, rel=1e-12), year


def test_stock_by_activity(built):
    """Each NACE Rev. 2 section's share of the stock, and the 2016 move of exploration from M to B."""
    rows = [
        r
        for r in read_rows(built, ACTIVITY_FILE)
        if r["Direction"] == STOCK
        and r["Unit"] == "EUR m"
        and r["Classification"] == "NACE Rev. 2"
        and r["Digit"] == "NACE 1-letter"
    ]
    total = next(r for r in rows if r["Industry/Product"] == "Total by activities")
    mart = {
        (r[0], r[1]): r[2]
        for r in query(
            built,
            """
        SELECT year, activity_code, inward_stock_share_of_total FROM marts.fct_fdi_kz_by_activity_annual
        WHERE classification = 'NACE Rev. 2' AND activity_level = 'NACE 1-letter'""",
        )
    }
    for row in rows:
        code = "TOTAL" if row is total else row["Industry/Product"].split("  ")[0]
        for year in (2015, 2016, 2021):
            expected = float(row[f"_{year}"]) / float(total[f"_{year}"])
            assert mart[(year, code)] == pytest.approx(expected, rel=1e-12), (year, code)
    assert mart[(2015, "M")] > mart[(2015, "B")] and mart[(2016, "B")] > mart[(2016, "M")]


def test_finance_in_one_lineage_graph_with_blocking_suites(dbt_manifest):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for table in ("fdi_by_partner", "fdi_by_activity"):
        staging = graph.get(dg.AssetKey(["staging", f"stg_finance__{table}"]))
        assert dg.AssetKey(["raw", table]) in staging.parent_keys
        assert graph.get(dg.AssetKey(["raw", table])).group_name == "finance"
    publish = graph.get(dg.AssetKey(["warehouse", "published"])).parent_keys
    for mart in ("fct_fdi_kz_annual", "fct_fdi_kz_eu_share_annual", "fct_fdi_kz_by_activity_annual"):
        assert dg.AssetKey(["marts", mart]) in publish
        assert graph.get(dg.AssetKey(["marts", mart])).group_name == "finance"
    checks = {spec.name: spec for check in defs.asset_checks for spec in check.check_specs}
    assert checks["raw_fdi_by_partner_suite"].blocking and checks["raw_fdi_by_activity_suite"].blocking
