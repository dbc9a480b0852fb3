"""The critical-raw-material and sanctioned-goods marts answer their questions with the publisher's figures.

Expected figures are recomputed with the csv and gzip modules straight from the raw snapshot files,
not through DuckDB or dbt.
"""

import csv
import gzip
import re
from collections import defaultdict

import dagster as dg
import pytest

from conftest import REPO
from warehouse_build import query

pytestmark = pytest.mark.slow

RAW = REPO / "raw" / "trade"
CRM = RAW / "comext_bulk_extract_EU_imports_critical_raw_materials_cn8_annual_2022-2024.csv.gz"
SANCTIONED = RAW / "comext_ds045409_databrowser_EU_exports_to_KZ_sanctioned_goods_monthly_2020-2022.csv.gz"
SEEDS = REPO / "dbt_project" / "seeds"
NOTABLE = 0.01  # "a notable supplier": at least 1% of the EU's extra-EU imports of the code in a year


def seed(name: str) -> list[dict]:
    with open(SEEDS / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rows_of(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


EU27_PARTNERS = {r["iso2_code"] for r in seed("eu27_member_states")}  # Comext writes partners in ISO (GR)


def crm_imports() -> dict:
    """(year, CN8, partner) -> EU27 imports in euro: the sum over the member states."""
    totals = defaultdict(float)
    for row in rows_of(CRM):
        assert row["FLOW"] == "1"
        totals[(int(row["PERIOD"]), row["PRODUCT_NC"], row["PARTNER_ISO"])] += float(row["VALUE_IN_EUROS"])
    return totals


def extra_eu(imports: dict, key_of) -> tuple[dict, dict]:
    """Per group (key_of(year, code)): every extra-EU partner's imports, and their total."""
    by_partner = defaultdict(lambda: defaultdict(float))
    for (year, code, partner), value in imports.items():
        if partner not in EU27_PARTNERS:
            by_partner[key_of(year, code)][partner] += value
    return by_partner, {group: sum(values.values()) for group, values in by_partner.items()}


def test_kazakhstan_as_an_eu_supplier_of_each_critical_raw_material(built):
    imports = crm_imports()
    by_partner, totals = extra_eu(imports, lambda year, code: (year, code))
    expected = {}
    for (year, code), partners in by_partner.items():
        if "KZ" in partners:
            kz = partners["KZ"]
            rank = 1 + sum(1 for value in partners.values() if value > kz)
            expected[(year, code)] = (kz, totals[(year, code)], kz / totals[(year, code)], rank)
    rows = query(
        built,
        """
        SELECT year, product_code, value_eur, extra_eu_imports_eur, share_of_extra_eu_imports, extra_eu_supplier_rank
        FROM marts.fct_trade_critical_raw_materials_annual WHERE partner_code = 'KZ'""",
    )
    assert {(r[0], r[1]) for r in rows} == set(expected)
    for year, code, value, total, share, rank in rows:
        kz, extra, kz_share, kz_rank = expected[(year, code)]
        assert value == pytest.approx(kz, abs=1e-3)
        assert total == pytest.approx(extra, rel=1e-12)
        assert share == pytest.approx(kz_share, rel=1e-9)
        assert rank == kz_rank
    # The answer: the materials for which Kazakhstan supplies at least 1% of the EU's extra-EU imports
    notable = {code for (year, code), (*_, share, _rank) in expected.items() if share >= NOTABLE}
    answered = {
        r[0]
        for r in query(
            built,
            f"""
        SELECT DISTINCT product_code FROM marts.fct_trade_critical_raw_materials_annual
        WHERE partner_code = 'KZ' AND share_of_extra_eu_imports >= {NOTABLE}""",
        )
    }
    assert answered == notable
    # cross-check with the data README: molybdenum ores and unwrought titanium lead
    assert {"26139000", "81082000"} <= notable
    assert {"28046900", "28253000"} <= {code for _, code in expected}  # silicon, vanadium oxides: present


def test_intra_eu_partners_have_no_share(built):
    rows = query(
        built,
        """
        SELECT partner_code, count(*), count(share_of_extra_eu_imports), count(extra_eu_supplier_rank)
        FROM marts.fct_trade_critical_raw_materials_annual WHERE partner_scope = 'intra' GROUP BY 1""",
    )
    assert {r[0] for r in rows} <= EU27_PARTNERS and "GR" in {r[0] for r in rows}
    assert all(r[2] == 0 and r[3] == 0 for r in rows)


def test_kazakhstan_share_by_material_group(built):
    group_of = {r["cn8_code"]: r["material_group"] for r in seed("critical_raw_materials_cn8")}
    expected = {}
    for key_of in (lambda year, code: (year, group_of[code]), lambda year, code: (year, "ALL")):
        by_partner, totals = extra_eu(crm_imports(), key_of)
        expected |= {key: partners["KZ"] / totals[key] for key, partners in by_partner.items() if "KZ" in partners}
    rows = query(
        built,
        """
        SELECT year, material_group, share_of_extra_eu_imports
        FROM marts.fct_trade_critical_raw_materials_by_material_annual WHERE partner_code = 'KZ'""",
    )
    assert {(r[0], r[1]): r[2] for r in rows} == pytest.approx(expected, rel=1e-9)


def test_relationship_annual_carries_the_critical_raw_material_shares(built):
    """fct_relationship_annual's raw-material columns, recomputed from the extract: the share over the
    66 codes and the code where Kazakhstan's share is largest, each year of the extract."""
    imports = crm_imports()
    all_partners, all_totals = extra_eu(imports, lambda year, code: year)
    by_code, code_totals = extra_eu(imports, lambda year, code: (year, code))
    expected = {}
    for year, partners in all_partners.items():
        shares = {code: p["KZ"] / code_totals[(y, code)] for (y, code), p in by_code.items() if y == year and "KZ" in p}
        top = max(shares, key=lambda code: (shares[code], -int(code)))
        expected[year] = (partners.get("KZ", 0.0), partners.get("KZ", 0.0) / all_totals[year], shares[top], top)
    rows = query(
        built,
        """
        SELECT year, kz_critical_raw_material_imports_eur, kz_share_of_eu27_critical_raw_material_imports,
               kz_largest_share_of_eu27_cn8_imports, kz_largest_share_cn8_code
        FROM marts.fct_relationship_annual
        WHERE partner_code = 'KZ' AND kz_share_of_eu27_critical_raw_material_imports IS NOT NULL""",
    )
    assert {r[0] for r in rows} == set(expected) == {2022, 2023, 2024}
    for year, value, share, top_share, top_code in rows:
        assert (value, share, top_share) == pytest.approx(expected[year][:3], rel=1e-9)
        assert top_code == expected[year][3]
    assert all(r[4] == "81082000" for r in rows)  # unwrought titanium, as the data README's cross-check says


def sanctioned_exports_to_kazakhstan() -> dict:
    """(month 'YYYY-MM', HS chapter) -> EU exports to Kazakhstan of the listed goods, a CN8 code inside a
    listed HS4 heading counted in the heading only."""
    rows = rows_of(SANCTIONED)
    code = {row["product"]: re.fullmatch(r".*\[([0-9]+)\]", row["product"]).group(1) for row in rows}
    headings = {c for c in code.values() if len(c) == 4}
    totals = defaultdict(float)
    for row in rows:
        product = code[row["product"]]
        assert (row["flow"], row["partner"], row["indicator"]) == ("EXPORT", "Kazakhstan", "VALUE_IN_EUROS")
        if len(product) == 8 and product[:4] in headings:
            continue
        totals[(row["period"], product[:2])] += float(row["value_eur"])
        totals[(row["period"], "ALL")] += float(row["value_eur"])
    return totals


def test_sanctioned_goods_exports_to_kazakhstan_and_the_2022_surge(built):
    expected = sanctioned_exports_to_kazakhstan()
    rows = query(
        built,
        """
        SELECT strftime(period_month, '%Y-%m'), hs_chapter_code, value_eur
        FROM marts.fct_trade_sanctioned_goods_exports_monthly WHERE reporter_code = 'EU27_2020'""",
    )
    assert {(r[0], r[1]): r[2] for r in rows} == pytest.approx(dict(expected), abs=1e-3)
    # January to November, the last month of 2022 in the exports: 2022 against 2021
    ytd = {
        year: sum(
            v
            for (month, group), v in expected.items()
            if group == "ALL" and month.startswith(year) and month[5:] <= "11"
        )
        for year in ("2021", "2022")
    }
    (surge,) = query(
        built,
        """
        SELECT value_eur_ytd, value_eur_ytd_year_earlier, growth_ytd
        FROM marts.fct_trade_sanctioned_goods_exports_monthly
        WHERE reporter_code = 'EU27_2020' AND hs_chapter_code = 'ALL' AND period_month = DATE '2022-11-01'""",
    )
    assert surge[0] == pytest.approx(ytd["2022"], abs=1e-3)
    assert surge[1] == pytest.approx(ytd["2021"], abs=1e-3)
    assert surge[2] == pytest.approx(ytd["2022"] / ytd["2021"] - 1, rel=1e-9)
    assert surge[2] > 1  # the listed goods' exports to Kazakhstan more than doubled


def test_member_states_sum_to_the_eu27_rows(built):
    mismatched = query(
        built,
        """
        WITH states AS (
            SELECT period_month, hs_chapter_code, sum(value_eur) AS value_eur, count(*) AS n
            FROM marts.fct_trade_sanctioned_goods_exports_monthly WHERE NOT is_derived_aggregate GROUP BY ALL)
        SELECT count(*) FROM marts.fct_trade_sanctioned_goods_exports_monthly AS eu
        JOIN states USING (period_month, hs_chapter_code)
        WHERE eu.reporter_code = 'EU27_2020' AND (abs(eu.value_eur - states.value_eur) > 1e-3
                                                 OR eu.member_states_summed <> states.n)""",
    )
    assert mismatched == [(0,)]


def test_suites_ran_and_nothing_reached_trade_flows(built):
    suites = dict(
        query(
            built,
            """
        SELECT suite, bool_and(success) FROM audit.validation_results
        WHERE suite IN ('raw_comext_bulk_extract_flows_suite', 'raw_comext_databrowser_flows_suite') GROUP BY 1""",
        )
    )
    assert suites == {"raw_comext_bulk_extract_flows_suite": True, "raw_comext_databrowser_flows_suite": True}
    landed = dict(
        query(
            built,
            """
        SELECT file, raw_table FROM audit.load_log WHERE status = 'loaded' AND file IN (?, ?)""",
            [f"trade/{CRM.name}", f"trade/{SANCTIONED.name}"],
        )
    )
    assert landed == {
        f"trade/{CRM.name}": "raw.comext_bulk_extract_flows",
        f"trade/{SANCTIONED.name}": "raw.comext_databrowser_flows",
    }
    assert query(
        built,
        "SELECT count(*) FROM raw.trade_flows WHERE _source_file IN (?, ?)",
        [f"trade/{CRM.name}", f"trade/{SANCTIONED.name}"],
    ) == [(0,)]


def test_raw_tables_feed_their_staging_models(dbt_manifest):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for raw, staging in (
        ("comext_bulk_extract_flows", "stg_trade__cn8_extract_flows"),
        ("comext_databrowser_flows", "stg_trade__databrowser_flows"),
    ):
        assert dg.AssetKey(["raw", raw]) in graph.get(dg.AssetKey(["staging", staging])).parent_keys
    publish = graph.get(dg.AssetKey(["warehouse", "published"])).parent_keys
    for mart in (
        "fct_trade_critical_raw_materials_annual",
        "fct_trade_critical_raw_materials_by_material_annual",
        "fct_trade_sanctioned_goods_exports_monthly",
    ):
        assert dg.AssetKey(["marts", mart]) in publish
    checks = {spec.name: spec for check in defs.asset_checks for spec in check.check_specs}
    assert checks["raw_comext_bulk_extract_flows_suite"].blocking
    assert checks["raw_comext_databrowser_flows_suite"].blocking
