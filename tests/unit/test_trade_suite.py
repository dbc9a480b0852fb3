"""The blocking expectation suite on raw.trade_flows: passes on good rows, names bad ones."""

import json

import duckdb

from conftest import write
from fixtures_trade import bulk_18, relational, sdmx
from pipelines.core.landing import land_folder
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import TRADE_FLOWS


def landed_build(settings):
    raw = settings.raw_dir
    write(raw / "trade" / "full_202402.dat", bulk_18())
    write(raw / "trade" / "relational.csv", relational())
    write(raw / "trade" / "sdmx.csv", sdmx())
    settings.build_warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.build_warehouse)) as con:
        land_folder(con, raw, "trade", TRADE_FLOWS, lambda c, p: read_trade_file(c, p, ("AD", "KZ")))
    return settings.build_warehouse


def run_check():
    from pipelines.assets.raw_checks import suite_check

    return suite_check("raw_trade_flows_suite")()


def test_suite_passes_on_landed_rows_and_is_audited(settings_env):
    build = landed_build(settings_env)
    result = run_check()
    assert result.passed
    assert result.metadata["files_validated"].value == 3
    with duckdb.connect(str(build), read_only=True) as con:
        rows = con.execute("SELECT suite, table_name, success, failed FROM audit.validation_results").fetchall()
    assert rows == [("raw_trade_flows_suite", "raw.trade_flows", True, 0)]


def test_suite_fails_with_sample_rows_naming_file_and_line(settings_env):
    build = landed_build(settings_env)
    with duckdb.connect(str(build)) as con:  # generated bad values in otherwise real rows
        con.execute(
            "UPDATE raw.trade_flows SET value_eur = -5 WHERE _source_file = 'trade/sdmx.csv' AND source_line = 2"
        )
        con.execute(
            "UPDATE raw.trade_flows SET period_start = DATE '2999-01-01' "
            "WHERE _source_file = 'trade/relational.csv' AND source_line = 3"
        )
    result = run_check()
    assert not result.passed
    failed = result.metadata["failed_expectations"].value
    negative = failed["expect_column_values_to_be_between(value_eur)"]
    assert negative["unexpected"] == 1
    assert negative["samples"][0]["_source_file"] == "trade/sdmx.csv" and negative["samples"][0]["source_line"] == 2
    assert "expect_column_values_to_be_between(period_start)" in failed
    with duckdb.connect(str(build), read_only=True) as con:
        success, failures = con.execute("SELECT success, failures_json FROM audit.validation_results").fetchall()[0]
    assert not success and {f["column"] for f in json.loads(failures)} == {"value_eur", "period_start"}
