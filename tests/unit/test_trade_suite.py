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


def test_batches_of_several_files_give_the_verdicts_of_a_run_file_by_file(settings_env):
    """Row-wise expectations over several files at once, aggregates per file: the same failures and
    unexpected counts as the suite run on each file's rows alone."""
    from datetime import UTC, datetime

    from pipelines.core.validation import combine, file_batches, is_row_wise, run_suite_batches, validate_raw_table
    from pipelines.domains.trade.suite import ROW_LOCATOR, trade_expectations

    build = landed_build(settings_env)
    with duckdb.connect(str(build)) as con:
        con.execute("UPDATE raw.trade_flows SET value_eur = -5 WHERE source_line = 2")  # in every file
        con.execute("UPDATE raw.trade_flows SET flow = 'both' WHERE _source_file = 'trade/sdmx.csv'")
        expectations = trade_expectations(datetime.now(UTC).replace(tzinfo=None))
        files = [r[0] for r in con.execute("SELECT DISTINCT _source_file FROM raw.trade_flows ORDER BY 1").fetchall()]
        frames = [con.execute("FROM raw.trade_flows WHERE _source_file = ?", [f]).df() for f in files]
        one_by_one = combine("s", run_suite_batches("s", frames, expectations, ROW_LOCATOR))
        from pipelines.domains import raw_sources

        suite = next(s for _, source in raw_sources() for t, s in source.suites.items() if t == "trade_flows")
        batched, validated, _ = validate_raw_table(con, "raw.trade_flows", "s", suite)
    assert validated == 3 and not batched.success
    assert batched.evaluated == one_by_one.evaluated == len(expectations)
    counts = {(f.expectation, f.column): f.unexpected_count for f in one_by_one.failed}
    assert {(f.expectation, f.column): f.unexpected_count for f in batched.failed} == counts
    assert counts[("expect_column_values_to_be_between", "value_eur")] >= 2  # rows of several files
    # the aggregates (row counts, proportions) are never run over several files
    assert not is_row_wise("ExpectTableRowCountToBeBetween", {"min_value": 1})
    assert not is_row_wise("ExpectColumnValuesToBeUnique", {"column": "event_id"})
    assert not is_row_wise("ExpectColumnValuesToNotBeNull", {"column": "x", "mostly": 0.9})
    assert not is_row_wise("ExpectCompoundColumnsToBeUnique", {"column_list": ["a", "b"]})
    assert is_row_wise("ExpectCompoundColumnsToBeUnique", {"column_list": ["_source_file", "b"]})
    assert file_batches([("a", 3), ("b", 3), ("c", 10), ("d", 1)], limit=6) == [["a", "b"], ["c"], ["d"]]


def test_a_new_file_is_validated_alone_and_a_failed_one_again(settings_env):
    build = landed_build(settings_env)
    assert run_check().metadata["files_validated"].value == 3
    write(settings_env.raw_dir / "trade" / "sdmx_more.csv", sdmx().replace("2024", "2023"))
    with duckdb.connect(str(build)) as con:
        land_folder(con, settings_env.raw_dir, "trade", TRADE_FLOWS, lambda c, p: read_trade_file(c, p, ("AD", "KZ")))
        con.execute("UPDATE raw.trade_flows SET value_eur = -5 WHERE _source_file = 'trade/sdmx_more.csv'")
    result = run_check()
    assert not result.passed and result.metadata["files_validated"].value == 1
    assert result.metadata["files_unchanged"].value == 3
    with duckdb.connect(str(build)) as con:  # fixed: the file that failed is validated again, alone
        con.execute("UPDATE raw.trade_flows SET value_eur = 5 WHERE _source_file = 'trade/sdmx_more.csv'")
    result = run_check()
    assert result.passed and result.metadata["files_validated"].value == 1
    assert "unchanged" in run_check().description  # nothing changed since: no file validated


def test_a_file_larger_than_a_batch_gives_the_verdicts_and_counts_of_its_whole_rows(settings_env, monkeypatch):
    """A whole Comext month is not loaded into pandas: its value frame and a few columns decide, with
    the verdicts, unexpected counts and sample rows of the suite run on the file's rows."""
    from datetime import UTC, datetime

    from pipelines.core import validation
    from pipelines.core.large_file_frames import rows_frame, value_frame
    from pipelines.domains import raw_sources
    from pipelines.domains.trade.suite import ROW_LOCATOR, trade_expectations

    suite = next(s for _, source in raw_sources() for t, s in source.suites.items() if t == "trade_flows")
    build = landed_build(settings_env)
    monkeypatch.setattr(validation, "BATCH_ROWS", 2)  # every file is larger than a batch
    with duckdb.connect(str(build)) as con:
        clean, validated, _ = validation.validate_raw_table(con, "raw.trade_flows", "s", suite)
        assert clean.success and validated == 3 and clean.evaluated == len(suite.expectations(datetime.now(UTC)))
        con.execute("UPDATE raw.trade_flows SET value_eur = -5 WHERE source_line = 2")  # in every file
        con.execute("UPDATE raw.trade_flows SET flow = 'both' WHERE _source_file = 'trade/sdmx.csv'")
        con.execute("UPDATE raw.trade_flows SET partner_code = NULL, value_eur = NULL WHERE source_line = 3")
        con.execute(  # a key twice in one file
            "UPDATE raw.trade_flows t SET product_code = o.product_code, partner_code = o.partner_code, "
            "reporter_code = o.reporter_code, flow = o.flow, stat_procedure = o.stat_procedure, "
            "period_code = o.period_code FROM raw.trade_flows o WHERE t._source_file = 'trade/relational.csv' "
            "AND o._source_file = t._source_file AND t.source_line = 4 AND o.source_line = 5"
        )
        expectations = trade_expectations(datetime.now(UTC).replace(tzinfo=None))
        files = [r[0] for r in con.execute("SELECT DISTINCT _source_file FROM raw.trade_flows ORDER BY 1").fetchall()]
        frames = [con.execute("FROM raw.trade_flows WHERE _source_file = ?", [f]).df() for f in files]
        whole = validation.combine("s", validation.run_suite_batches("s", frames, expectations, ROW_LOCATOR))
        large, _, _ = validation.validate_raw_table(con, "raw.trade_flows", "s", suite)

        values = value_frame(con, "raw.trade_flows", "trade/sdmx.csv", expectations)
        row_count = [("ExpectTableRowCountToBeBetween", {"min_value": 1})]
        rows = rows_frame(con, "raw.trade_flows", "trade/sdmx.csv", row_count, ["partner_code", "source_line"])
    assert not large.success and large.evaluated == whole.evaluated
    failures = {(f.expectation, f.column): (f.unexpected_count, f.samples) for f in whole.failed}
    assert {(f.expectation, f.column): (f.unexpected_count, f.samples) for f in large.failed} == failures
    assert {"expect_compound_columns_to_be_unique", "expect_column_values_to_not_be_null"} <= {k[0] for k in failures}
    assert failures[("expect_column_values_to_be_between", "value_eur")][0] >= 2  # rows of several files
    # the value frame: every column in order, its distinct values or extremes, NULL where the file has one
    assert list(values.columns) == list(frames[-1].columns) and len(values) < len(frames[-1])
    assert set(values["flow"]) == {"both"} and values["partner_code"].isna().any()
    assert values["value_eur"].min() == -5 and values.dtypes.equals(frames[-1].dtypes)  # the same file's
    assert list(rows.columns) == ["partner_code", "source_line"] and len(rows) == len(frames[-1])
    assert str(rows["partner_code"].dtype) == "category"  # read only to locate rows: 2 bytes a row
