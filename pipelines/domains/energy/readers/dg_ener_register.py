"""European Commission DG ENER Crude Oil Import Register, one row per (reporter, origin, type of crude, month).

Columns as published: Reporting Country, Country of Origin, Type of crude oil, Volume (1000 bbl),
Total Value ($ 1000), CIF price (2) ($/bbl), % of Total Imports, date (month end, YYYY-MM-DD).
Names become Eurostat codes (reporter Greece -> EL, United Kingdom -> UK; origins through
energy_codes, whose reference CSV covers the register's own groups such as 'Other FSU countries').
The published origin text stays in partner_label and the type of crude is the product as published.
The four measures are unpivoted into indicators. '% of Total Imports' is kept as written: in the
2013-2019 register it is a fraction of the EU total of the month (the month's rows sum to 1).
Empty value and price cells (not published) become NULL with the flag ':'.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.sql import quoted, row_count, sql_string
from pipelines.core.staging import (
    check_numbers,
    map_column,
    number_sql,
    refuse_first,
    require_columns,
    stage_text_csv,
    text_sql,
)
from pipelines.core.tables import ReadResult
from pipelines.domains.energy import codes as energy_codes
from pipelines.domains.energy.readers.sql_steps import check_one_row_per_key, energy_select, flag_sql, period_columns

REPORTER, ORIGIN, CRUDE, DATE = "Reporting Country", "Country of Origin", "Type of crude oil", "date"
MEASURES = {  # column as published -> indicator code
    "Volume (1000 bbl)": "VOL_THS_BBL",
    "Total Value ($ 1000)": "VAL_THS_USD",
    "CIF price (2) ($/bbl)": "AVGPRC_USD_BBL",
    "% of Total Imports": "PC_TOTAL_IMPORTS",
}
COLUMNS = (REPORTER, ORIGIN, CRUDE, *MEASURES, DATE)
DATASET = "dg_ener_coir"
TABLE = "stage_dg_ener_register"


def is_register_header(columns: list[str]) -> bool:
    return {REPORTER.lower(), ORIGIN.lower()} <= {c.lower() for c in columns}


def month_sql(date: str) -> str:
    """'2013-01-31' (the month's last day, as the register writes it) or '2013-01' -> '2013-01'; else NULL."""
    day = f"TRY_CAST({date} AS DATE)"
    return (
        f"CASE WHEN regexp_full_match({date}, '[12][0-9]{{3}}-[0-9]{{2}}-[0-9]{{2}}') AND {day} = last_day({day}) "
        f"THEN strftime({day}, '%Y-%m') "
        f"WHEN regexp_full_match({date}, '[12][0-9]{{3}}-(0[1-9]|1[0-2])') THEN {date} END"
    )


def read_dg_ener_register(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    require_columns(path, columns, COLUMNS)
    name = {c.lower(): c for c in columns}
    col = {published: name[published.lower()] for published in COLUMNS}
    stage_text_csv(con, path, TABLE)
    for measure in MEASURES:
        check_numbers(con, path, TABLE, col[measure], missing=("",))
    date = text_sql(col[DATE])
    refuse_first(
        con,
        path,
        TABLE,
        f"({month_sql(date)}) IS NULL",
        f"s.{quoted(col[DATE])}",
        col[DATE],
        "unreadable date (the register names a month by its last day, YYYY-MM-DD)",
    )
    refuse_first(
        con,
        path,
        TABLE,
        f"{text_sql(col[CRUDE])} IS NULL",
        f"s.{quoted(col[CRUDE])}",
        col[CRUDE],
        "type of crude oil missing",
    )
    reporters = map_column(con, path, TABLE, col[REPORTER], energy_codes.eurostat_code_for_name, "reporting country")
    origins = map_column(con, path, TABLE, col[ORIGIN], energy_codes.dg_ener_origin_code, "country of origin")

    indicator = (
        "CASE u.measure "
        + " ".join(f"WHEN {sql_string(col[m])} THEN '{code}'" for m, code in MEASURES.items())
        + " END"
    )
    value = number_sql("cell", alias="u")
    measures = ", ".join(quoted(col[m]) for m in MEASURES)
    select = energy_select(
        {
            "source_format": "'dg_ener_register'",
            "dataset": f"'{DATASET}'",
            "reporter_code": "r.code",
            "partner_code": "o.code",
            "partner_label": text_sql(col[ORIGIN], alias="u"),
            "product_code": text_sql(col[CRUDE], alias="u"),
            "indicator_code": indicator,
            **period_columns("u.period_code"),
            "obs_value": value,
            "obs_flag": flag_sql("NULL", value),
            "vintage": "NULL",
            "source_url": "NULL",
            "source_line": "u.__line",
        },
        f"""FROM (
            SELECT *, {month_sql(date)} AS period_code FROM {TABLE} s
        ) UNPIVOT INCLUDE NULLS (cell FOR measure IN ({measures})) u
        JOIN {reporters} r ON r.label = u.{quoted(col[REPORTER])}
        JOIN {origins} o ON o.label = u.{quoted(col[ORIGIN])}""",
    )
    check_one_row_per_key(con, path, select, col[REPORTER])
    return ReadResult(select, rows_read=row_count(con, TABLE) * len(MEASURES))
