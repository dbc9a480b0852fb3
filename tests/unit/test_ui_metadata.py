"""What the UI shows beside the assets: readable mart previews, column descriptions from the schema
comments, a sentence per dbt test, valid tags; and the progress and retry lines of the CLI."""

from __future__ import annotations

import io
import re

import duckdb
import pytest

from pipelines.assets.catalog import dbt_test_description, generic_test_sentence, leading_comment, raw_tags
from pipelines.assets.column_docs import commented_dict_keys, raw_column_schema
from pipelines.assets.metadata import mart_preview, most_complete_recent_year, readable_number
from pipelines.connectors.http import retry_message
from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.domains import raw_sources
from pipelines.progress import ProgressHandler, shown_message, step_line

# Dagster's rule for tag keys (an optional prefix/ and a name) and values.
TAG_PART = re.compile(r"^[A-Za-z0-9_.-]{1,63}$")


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (1.7512334e10, "DOUBLE", "17,512,334,000"),
        (float("nan"), "DOUBLE", "NULL"),
        (None, "DOUBLE", "NULL"),
        (0.076213, "DOUBLE", "0.07621"),
        (38.4123, "DOUBLE", "38.41"),
        (0.0, "DOUBLE", "0"),
        (2024, "INTEGER", "2024"),
        ("EU27_2020", "VARCHAR", "EU27_2020"),
    ],
)
def test_numbers_are_written_for_people(value, kind, shown):
    assert readable_number(value, kind) == shown


def test_an_incomplete_last_year_gives_way_to_the_one_before():
    assert most_complete_recent_year({2022: 0.95, 2023: 0.93, 2024: 0.40}) == 2023
    assert most_complete_recent_year({}) is None


def test_mart_preview_shows_the_latest_well_filled_eu27_kazakhstan_year():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES "
        "(2023, 'EU27_2020', 'KZ', 17548077348.0, 1.0e10), (2024, 'EU27_2020', 'KZ', 7.5e9, NULL), "
        "(2023, 'DE', 'KZ', 1.0e9, 2.0e9), (2023, 'EU27_2020', 'RU', 5.0e9, 6.0e9)) "
        "AS v(year, reporter_code, partner_code, imports_eur, exports_eur)"
    )
    shown = mart_preview(con, "t").value
    assert "EU27 and Kazakhstan (2023)" in shown
    assert "| 2023 | EU27_2020 | KZ | 17,548,077,348 | 10,000,000,000 |" in shown
    assert "e+" not in shown and "NaN" not in shown and "| DE |" not in shown and "| RU |" not in shown


def test_comments_beside_dict_keys_describe_the_columns():
    source = (
        "A: dict[str, str] = {\n"
        '    "x": "VARCHAR",  # the x code\n'
        "    #                  continued here\n"
        '    "y": "DOUBLE",\n'
        "}\n"
    )
    assert commented_dict_keys(source) == {"A": {"x": "the x code continued here", "y": ""}}


def test_every_raw_column_has_its_type_and_most_a_description(dbt_manifest):
    import json

    manifest = json.loads(dbt_manifest.read_text())
    for domain, source in raw_sources():
        for table in source.tables:
            schema = raw_column_schema(table, f"pipelines.domains.{domain.name}.schema", manifest)
            assert [c.name for c in schema.columns] == [*table.columns, *LINEAGE_COLUMNS]
            assert all(c.type for c in schema.columns)
            described = sum(bool(c.description) for c in schema.columns)
            assert described >= 0.85 * len(schema.columns), (table.name, described, len(schema.columns))


def test_raw_tags_are_valid_dagster_tags():
    for domain, source in raw_sources():
        for table in source.tables:
            tags = raw_tags(domain.name, table)
            assert tags["domain"] == domain.name and tags["layer"] == "raw"
            assert any(k.startswith("publisher/") for k in tags) and any(k.startswith("dataset/") for k in tags)
            for key, value in tags.items():
                assert all(TAG_PART.match(part) for part in key.split("/")), key
                assert value == "" or TAG_PART.match(value), value


def test_each_dbt_test_gets_a_sentence():
    assert generic_test_sentence("not_null", {"column_name": "year"}) == "year is never NULL."
    assert generic_test_sentence("accepted_values", {"column_name": "flow", "values": ["import", "export"]}) == (
        "flow takes only the values import, export."
    )
    assert generic_test_sentence("between", {"column_name": "share", "min_value": 0, "max_value": 1}) == (
        "share is ≥ 0 and ≤ 1 wherever it is not NULL."
    )
    assert generic_test_sentence("unique_combination", {"columns": ["year", "flow"]}) == "One row per year, flow."
    sql = '{{ config(meta={"dagster": {"ref": {"name": "m"}}}) }}\n-- The sums agree\n-- within rounding.\nselect 1'
    assert leading_comment(sql) == "The sums agree within rounding."
    singular = {"name": "assert_x", "raw_code": sql, "config": {"severity": "warn"}}
    assert dbt_test_description(singular).startswith(
        "The sums agree within rounding. (dbt singular test, severity warn"
    )


def test_a_retry_line_says_which_url_which_attempt_and_when():
    line = retry_message("https://ec.europa.eu/x?token=secret", "Connection refused", 2, 5, 4.0, 0.0)
    assert line.startswith("https://ec.europa.eu/x?token=***: Connection refused; attempt 2 of 5 in 4 s (at ")


def test_progress_lines_per_step():
    assert step_line("STEP_START", "raw_trade", 1.25) == "[   1.2 s] raw_trade ..."
    assert step_line("STEP_SUCCESS", "raw_trade", 3.0) == "[   3.0 s] raw_trade done"
    assert step_line("ASSET_MATERIALIZATION", "raw_trade", 3.0) is None
    assert step_line("STEP_START", "raw__trade_flows_raw_trade_flows_suite", 2.0) == (
        "[   2.0 s] check raw_trade_flows_suite ..."
    )
    assert shown_message("trade/a.csv: loaded, 3 of 3 rows kept") and shown_message("dbt built marts.fct_x")
    assert not shown_message("Running dbt command: `dbt build`") and not shown_message("two\nlines")
    stream = io.StringIO()
    handler = ProgressHandler(stream, started=0.0)
    assert handler.stream is stream
