"""Eurostat SDMX-CSV from the dissemination API, for Comext DS-045409.

Columns DATAFLOW, LAST UPDATE, freq, reporter, partner, product, flow, indicators,
TIME_PERIOD, OBS_VALUE, OBS_FLAG (CONF_STATUS in recent files). One row per indicator:
VALUE_IN_EUROS and QUANTITY_IN_100KG are pivoted into value_eur and quantity_kg.
Dimension cells may be 'code' or 'code:label' (labels=both).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.sql import row_count
from pipelines.core.staging import (
    check_numbers,
    check_unique_key,
    map_column,
    number_sql,
    quoted,
    require_columns,
    stage_text_csv,
)
from pipelines.core.tables import ReadResult
from pipelines.domains.trade import labels
from pipelines.domains.trade.schema import period_columns_sql

SDMX_MARKERS = ("DATAFLOW", "TIME_PERIOD", "OBS_VALUE")
TRADE_DIMENSIONS = ("reporter", "partner", "product", "flow", "indicators")
VALUE = "VALUE_IN_EUROS"
QUANTITY = "QUANTITY_IN_100KG"


def is_sdmx_header(columns: list[str]) -> bool:
    return set(SDMX_MARKERS) <= {c.upper() for c in columns}


def _code(value: str) -> str:
    return value.split(":", 1)[0].strip()


def read_eurostat_sdmx_trade(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    require_columns(path, columns, (*SDMX_MARKERS, *TRADE_DIMENSIONS))
    name = {c.upper(): c for c in columns} | {c.lower(): c for c in columns}
    table = "stage_sdmx"
    stage_text_csv(con, path, table)
    check_numbers(con, path, table, name["OBS_VALUE"])
    keys = [name[c] for c in ("reporter", "partner", "product", "flow", "indicators", "TIME_PERIOD")]
    check_unique_key(con, path, table, keys)
    dataflows = [r[0] for r in con.execute(f"SELECT DISTINCT {quoted(name['DATAFLOW'])} FROM {table}").fetchall()]
    if len(dataflows) != 1 or "DS-045409" not in (dataflows[0] or "").upper():
        raise RawFileError(
            path,
            f"SDMX-CSV trade files must hold one DS-045409 dataflow, found {dataflows}",
            row=2,
            column=name["DATAFLOW"],
        )
    maps = {
        "reporter": map_column(
            con, path, table, name["reporter"], lambda v: labels.reporter_code_for_label(_code(v)), "reporter code"
        ),
        "partner": map_column(
            con, path, table, name["partner"], lambda v: labels.geo_code_for_label(_code(v)), "partner code"
        ),
        "product": map_column(
            con, path, table, name["product"], lambda v: labels.product_code_for_label(_code(v)), "product code"
        ),
        "flow": map_column(con, path, table, name["flow"], lambda v: labels.flow_for_label(_code(v)), "flow code"),
        "period": map_column(con, path, table, name["TIME_PERIOD"], labels.period_code_for_label, "TIME_PERIOD"),
    }
    indicator = f"split_part(s.{quoted(name['indicators'])}, ':', 1)"
    flag = f"nullif(trim(s.{quoted(name['OBS_FLAG'])}), '')" if "OBS_FLAG" in name else "NULL"
    vintage = f"any_value(s.{quoted(name['LAST UPDATE'])})" if "LAST UPDATE" in name else "NULL"
    select = f"""
        SELECT
            'eurostat_sdmx' AS source_format,
            'DS-045409' AS dataset,
            r.code AS reporter_code,
            p.code AS partner_code,
            pr.code AS product_code,
            f.code AS flow,
            'TOTAL' AS stat_procedure,
            pe.code AS period_code,
            {period_columns_sql("pe.code")},
            max(CASE WHEN {indicator} = '{VALUE}' THEN {number_sql(name["OBS_VALUE"])} END) AS value_eur,
            max(CASE WHEN {indicator} = '{QUANTITY}' THEN {number_sql(name["OBS_VALUE"])} * 100 END) AS quantity_kg,
            max(CASE WHEN {indicator} = '{VALUE}' THEN {flag} END) AS obs_flag,
            {vintage} AS vintage,
            min(CASE WHEN {indicator} = '{VALUE}' THEN s.__line END) AS source_line
        FROM {table} s
        JOIN {maps["reporter"]} r ON r.label = s.{quoted(name["reporter"])}
        JOIN {maps["partner"]} p ON p.label = s.{quoted(name["partner"])}
        JOIN {maps["product"]} pr ON pr.label = s.{quoted(name["product"])}
        JOIN {maps["flow"]} f ON f.label = s.{quoted(name["flow"])}
        JOIN {maps["period"]} pe ON pe.label = s.{quoted(name["TIME_PERIOD"])}
        WHERE {indicator} IN ('{VALUE}', '{QUANTITY}')
        GROUP BY ALL
    """
    return ReadResult(select, rows_read=row_count(con, table))
