"""The blocking suites on raw.kz_partner_trade and raw.imf_dots_flows: pass on the real snapshot rows, name
the bad ones (generated bad values in otherwise real rows)."""

import shutil

import duckdb
import pytest

from fixtures_kz_stats import BNS_2023, DOTS_GERMANY, SNAPSHOT
from pipelines.core.landing import land_folder
from pipelines.domains.trade import DOMAIN
from pipelines.domains.trade.readers import read_trade_file
from pipelines.settings import DEFAULT_TRADE_PARTNERS

FILES = (BNS_2023.name, DOTS_GERMANY.name, "imf_dots_103_kazakhstan_by_partner_1992-2020.xlsx")


@pytest.fixture
def landed(settings_env):
    raw = settings_env.raw_dir
    for name in FILES:
        shutil.copy2(SNAPSHOT / name, raw / "trade" / name)
    settings_env.build_warehouse.parent.mkdir(parents=True)
    source = DOMAIN.sources[0]
    with duckdb.connect(str(settings_env.build_warehouse)) as con:
        land_folder(
            con,
            raw,
            "trade",
            source.table,
            lambda c, p: read_trade_file(c, p, DEFAULT_TRADE_PARTNERS),
            source.other_tables,
        )
    return settings_env.build_warehouse


def run_check(name: str):
    from pipelines.assets.raw_checks import suite_check

    return suite_check(name)()


@pytest.mark.parametrize("table, files", [("kz_partner_trade", 1), ("imf_dots_flows", 2)])
def test_suites_pass_on_the_real_rows(landed, table, files):
    result = run_check(f"raw_{table}_suite")
    assert result.passed, result.metadata["failed_expectations"].value
    assert result.metadata["files_validated"].value == files


def test_bns_suite_names_a_share_above_100_and_a_vintage_before_its_year(landed):
    with duckdb.connect(str(landed)) as con:
        con.execute("UPDATE raw.kz_partner_trade SET exports_share_pct = 150 WHERE partner_code = 'RU' AND year = 2023")
        con.execute("UPDATE raw.kz_partner_trade SET vintage_year = 2021 WHERE partner_code = 'CN' AND year = 2022")
    result = run_check("raw_kz_partner_trade_suite")
    failed = result.metadata["failed_expectations"].value
    assert not result.passed
    assert set(failed) == {
        "expect_column_values_to_be_between(exports_share_pct)",
        "expect_column_pair_values_a_to_be_greater_than_b(None)",
    }
    sample = failed["expect_column_values_to_be_between(exports_share_pct)"]["samples"][0]
    assert (sample["sheet"], sample["partner_code"], sample["partner_label_ru"]) == ("2023", "RU", "Россия")


def test_dots_suite_names_an_import_valued_fob_and_a_negative_figure(landed):
    with duckdb.connect(str(landed)) as con:
        con.execute(
            "UPDATE raw.imf_dots_flows SET valuation = 'FOB' WHERE flow = 'import' AND partner_code = 'IT' "
            "AND year = 2019"
        )
        con.execute(
            "UPDATE raw.imf_dots_flows SET value_usd_million = -1 WHERE partner_code = 'KZ' AND year = 2020 "
            "AND flow = 'export'"
        )
    result = run_check("raw_imf_dots_flows_suite")
    failed = result.metadata["failed_expectations"].value
    assert set(failed) == {
        "expect_column_pair_values_to_be_in_set(None)",
        "expect_column_values_to_be_between(value_usd_million)",
    }
    sample = failed["expect_column_values_to_be_between(value_usd_million)"]["samples"][0]
    assert (sample["reporter_code"], sample["source_column"]) == ("DE", "BK")
