"""Eurostat data-browser exports of Comext DS-045409, flattened to one row per cell by a third party.

The data browser serves one spreadsheet per selection (reporters down, months across, one sheet
per product); whoever flattened them wrote source_file, sheet, product, flow, indicator, reporter,
partner, period, value_eur: labels as the browser shows them, the product as "label [code]",
periods YYYY-MM. Not a publisher format, so it is read strictly: the code is parsed from the
brackets, every label mapped or refused by name, the indicator must be VALUE_IN_EUROS (the unit of
value_eur). Such an export holds a selection of codes (HS4 headings beside CN8 codes within them),
so it lands in raw.comext_databrowser_flows, never summed into raw.trade_flows' chapters.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.sql import quoted, row_count, sql_string
from pipelines.core.staging import (
    check_codes,
    check_numbers,
    map_column,
    number_sql,
    refuse_first,
    require_columns,
    stage_text_csv,
    text_sql,
)
from pipelines.core.tables import ReadResult
from pipelines.domains.trade import labels
from pipelines.domains.trade.schema import COMEXT_DATABROWSER_FLOWS, year_or_month_period_sql

REQUIRED = ("product", "flow", "indicator", "reporter", "partner", "period", "value_eur")
VALUE_INDICATOR = "VALUE_IN_EUROS"
# "label [code]": the code inside the last brackets
PRODUCT_CODE = r"^.*\[([^\[\]]*)\]\s*$"
PRODUCT_LABEL = r"^(.*?)\s*\[[^\[\]]*\]\s*$"
CODE_PATTERN = "TOTAL|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8}"
PERIOD_PATTERN = "[12][0-9]{3}(?:-(?:0[1-9]|1[0-2]))?"


def is_databrowser_long_header(columns: list[str]) -> bool:
    """Product, reporter and partner by those lower-case names with a value_eur or indicator column: the
    flattening, even with a column missing (then named); Easy Comext and SDMX-CSV have neither."""
    names = {c.lower() for c in columns}
    return {"product", "reporter", "partner"} <= names and bool({"value_eur", "indicator"} & names)


def read_comext_databrowser_long(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    """Stage the file as text, refuse the first bad cell by line and column, type the rest in SQL."""
    require_columns(path, columns, REQUIRED)
    name = {c.lower(): c for c in columns}
    table = "stage_databrowser"
    stage_text_csv(con, path, table)
    product = f"s.{quoted(name['product'])}"
    code = f"regexp_extract({product}, {sql_string(PRODUCT_CODE)}, 1)"
    check_codes(
        con,
        path,
        table,
        name["product"],
        f"nullif(trim({code}), '')",
        'product ("label [code]" with an HS2/HS4/HS6/CN8 code or TOTAL)',
        CODE_PATTERN,
    )
    indicator = text_sql(name["indicator"])
    refuse_first(
        con,
        path,
        table,
        f"{indicator} IS DISTINCT FROM {sql_string(VALUE_INDICATOR)}",
        indicator,
        name["indicator"],
        f"indicator (the unit of value_eur) is not {VALUE_INDICATOR}",
    )
    period = text_sql(name["period"])
    check_codes(con, path, table, name["period"], period, "period (YYYY-MM or YYYY)", PERIOD_PATTERN)
    check_numbers(con, path, table, name["value_eur"])
    maps = {
        "reporter": map_column(con, path, table, name["reporter"], labels.reporter_code_for_label, "reporter label"),
        "partner": map_column(con, path, table, name["partner"], labels.geo_code_for_label, "partner label"),
        "flow": map_column(con, path, table, name["flow"], labels.flow_for_label, "flow label"),
    }
    value = name["value_eur"]
    select = f"""
        SELECT
            'comext_databrowser_long' AS source_format,
            'DS-045409' AS dataset,
            {text_sql(name["source_file"]) if "source_file" in name else "NULL"} AS export_file,
            {text_sql(name["sheet"]) if "sheet" in name else "NULL"} AS export_sheet,
            r.code AS reporter_code,
            p.code AS partner_code,
            trim({code}) AS product_code,
            regexp_extract({product}, {sql_string(PRODUCT_LABEL)}, 1) AS product_label,
            f.code AS flow,
            {indicator} AS indicator,
            {period} AS period_code,
            {year_or_month_period_sql(period)},
            {number_sql(value)} AS value_eur,
            CASE WHEN coalesce(trim(s.{quoted(value)}), '') IN ('', ':') THEN ':' END AS obs_flag,
            s.__line AS source_line
        FROM {table} s
        JOIN {maps["reporter"]} r ON r.label = s.{quoted(name["reporter"])}
        JOIN {maps["partner"]} p ON p.label = s.{quoted(name["partner"])}
        JOIN {maps["flow"]} f ON f.label = s.{quoted(name["flow"])}
    """
    return ReadResult(select, rows_read=row_count(con, table), table=COMEXT_DATABROWSER_FLOWS.name)
