"""Easy Comext "relational view" CSV exports: labels instead of codes, in English or French.

Columns REPORTER, PARTNER, PRODUCT, FLOW, STAT_PROCEDURE, PERIOD, VALUE_IN_EUR; labels
vary between exports ('2-EXPORT' / 'EXPORT' / 'EXPORTATION', '201952-Jan.-Dec. 2019' /
'Jan.-Dec. 2018', member states with footnotes). Extra columns are ignored.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.sql import row_count
from pipelines.core.staging import check_numbers, map_column, number_sql, quoted, require_columns, stage_text_csv
from pipelines.core.tables import ReadResult
from pipelines.domains.trade import labels
from pipelines.domains.trade.schema import period_columns_sql

REQUIRED = ("REPORTER", "PARTNER", "PRODUCT", "FLOW", "PERIOD", "VALUE_IN_EUR")


def is_relational_header(columns: list[str]) -> bool:
    return set(REQUIRED) <= {c.upper() for c in columns}


def read_comext_relational(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    """Stage the file and return a SELECT of the trade row shape over it."""
    require_columns(path, columns, REQUIRED)
    name = {c.upper(): c for c in columns}
    table = "stage_relational"
    stage_text_csv(con, path, table)
    check_numbers(con, path, table, name["VALUE_IN_EUR"])
    maps = {
        "reporter": map_column(con, path, table, name["REPORTER"], labels.reporter_code_for_label, "reporter label"),
        # Label language decides a few labels ('Guinea' is Guinea-Bissau in French exports).
        "partner": map_column(
            con,
            path,
            table,
            name["PARTNER"],
            labels.geo_code_for_label,
            "partner label",
            context_sql=f"CASE WHEN upper(s.{quoted(name['FLOW'])}) LIKE '%ATION' THEN 'fr' ELSE 'en' END",
        ),
        "product": map_column(con, path, table, name["PRODUCT"], labels.product_code_for_label, "product label"),
        "flow": map_column(con, path, table, name["FLOW"], labels.flow_for_label, "flow label"),
        "period": map_column(con, path, table, name["PERIOD"], labels.period_code_for_label, "period label"),
    }
    if "STAT_PROCEDURE" in name:
        maps["stat"] = map_column(
            con, path, table, name["STAT_PROCEDURE"], labels.stat_procedure_for_label, "statistical procedure"
        )
        stat_join = f"JOIN {maps['stat']} st ON st.label = s.{quoted(name['STAT_PROCEDURE'])}"
        stat = "st.code"
    else:
        stat_join, stat = "", "'TOTAL'"
    value = name["VALUE_IN_EUR"]
    select = f"""
        SELECT
            'comext_relational' AS source_format,
            'DS-045409' AS dataset,
            r.code AS reporter_code,
            p.code AS partner_code,
            pr.code AS product_code,
            f.code AS flow,
            {stat} AS stat_procedure,
            pe.code AS period_code,
            {period_columns_sql("pe.code")},
            {number_sql(value)} AS value_eur,
            CAST(NULL AS DOUBLE) AS quantity_kg,
            CASE WHEN trim(s.{quoted(value)}) = ':' THEN ':' END AS obs_flag,
            CAST(NULL AS VARCHAR) AS vintage,
            s.__line AS source_line
        FROM {table} s
        JOIN {maps["reporter"]} r ON r.label = s.{quoted(name["REPORTER"])}
        JOIN {maps["partner"]} p ON p.label = s.{quoted(name["PARTNER"])}
            AND p.context = CASE WHEN upper(s.{quoted(name["FLOW"])}) LIKE '%ATION' THEN 'fr' ELSE 'en' END
        JOIN {maps["product"]} pr ON pr.label = s.{quoted(name["PRODUCT"])}
        JOIN {maps["flow"]} f ON f.label = s.{quoted(name["FLOW"])}
        JOIN {maps["period"]} pe ON pe.label = s.{quoted(name["PERIOD"])}
        {stat_join}
    """
    return ReadResult(select, rows_read=row_count(con, table))
