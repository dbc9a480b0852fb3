"""Extracts cut from Comext bulk files: a few CN8 codes, every partner, the legacy column names.

Header DECLARANT_ISO, PARTNER_ISO, PRODUCT_NC, FLOW, PERIOD, VALUE_IN_EUROS (QUANTITY_IN_KG where
kept): the columns of the bulk layout that an extraction keeps, nothing else. Such a file is a
subset of codes, so it lands in raw.comext_bulk_extract_flows and never in raw.trade_flows, whose
rows dbt sums into chapters and TOTAL; and it keeps every partner (the configured partner filter of
the bulk reader does not apply). Values are exact euros, with three decimals for reporters outside
the euro area, so they are read as DOUBLE from text checked line by line.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb

from pipelines.core.geo import eurostat_geo_sql
from pipelines.core.seeds import read_seed
from pipelines.core.sql import quoted, row_count, sql_list
from pipelines.core.staging import (
    NUMBER_PATTERN,
    check_codes,
    check_numbers,
    number_sql,
    refuse_first,
    require_columns,
    stage_text_csv,
)
from pipelines.core.tables import ReadResult
from pipelines.domains.trade.schema import COMEXT_BULK_EXTRACT_FLOWS, year_or_month_period_sql

REQUIRED = ("DECLARANT_ISO", "PARTNER_ISO", "PRODUCT_NC", "FLOW", "PERIOD", "VALUE_IN_EUROS")
OPTIONAL = ("QUANTITY_IN_KG",)
# CN8, or a confidential residual that keeps its chapter (39XXXXXX)
CN8_PATTERN = "[0-9]{2}[0-9X]{6}"
PERIOD_PATTERN = "[12][0-9]{3}(?:0[1-9]|1[0-2]|52)?"


def is_bulk_extract_header(columns: list[str]) -> bool:
    """The extract's columns and no other: a full bulk file (DECLARANT, TRADE_TYPE, ...) is not one."""
    names = {c.upper() for c in columns}
    return {"DECLARANT_ISO", "PRODUCT_NC"} <= names <= {*REQUIRED, *OPTIONAL}


@lru_cache(maxsize=1)
def member_state_codes() -> tuple[str, ...]:
    """Reporters of a Comext extract are the member states (Eurostat spelling, EL for Greece)."""
    return tuple(row["geo_code"] for row in read_seed("eu27_member_states"))


@lru_cache(maxsize=1)
def partner_codes() -> tuple[str, ...]:
    """Partner codes as Comext writes them: ISO alpha-2 (GR, GB) plus its own special codes."""
    import pycountry

    special = {row["partner_code"] for row in read_seed("comext_special_partners")}
    return tuple(sorted({country.alpha_2 for country in pycountry.countries} | special))


def read_comext_bulk_extract(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    """Stage the extract as text, refuse the first bad cell by line and column, type the rest in SQL."""
    require_columns(path, columns, REQUIRED)
    name = {c.upper(): c for c in columns}
    table = "stage_bulk_extract"
    stage_text_csv(con, path, table)
    reporter, partner, product, flow, period = (f"trim(s.{quoted(name[c])})" for c in REQUIRED[:5])
    reporter_code = eurostat_geo_sql(reporter)
    members = sql_list(member_state_codes())
    refuse_first(
        con,
        path,
        table,
        f"{reporter_code} IS NULL OR {reporter_code} NOT IN ({members})",
        f"s.{quoted(name['DECLARANT_ISO'])}",
        name["DECLARANT_ISO"],
        "not a member state's code",
    )
    refuse_first(
        con,
        path,
        table,
        f"{partner} IS NULL OR {partner} NOT IN ({sql_list(partner_codes())})",
        f"s.{quoted(name['PARTNER_ISO'])}",
        name["PARTNER_ISO"],
        "unknown partner code",
    )
    check_codes(con, path, table, name["PRODUCT_NC"], product, "CN8 product", CN8_PATTERN)
    refuse_first(
        con,
        path,
        table,
        f"{flow} IS NULL OR {flow} NOT IN ('1', '2')",
        f"s.{quoted(name['FLOW'])}",
        name["FLOW"],
        "unknown flow code (1 import, 2 export)",
    )
    check_codes(con, path, table, name["PERIOD"], period, "period", PERIOD_PATTERN)
    value = f"trim(s.{quoted(name['VALUE_IN_EUROS'])})"
    # bulk files leave a combination out, never a cell empty: an empty value is refused too
    refuse_first(
        con,
        path,
        table,
        f"{value} IS NULL OR NOT regexp_full_match({value}, '{NUMBER_PATTERN}')",
        f"s.{quoted(name['VALUE_IN_EUROS'])}",
        name["VALUE_IN_EUROS"],
        "not a number",
    )
    quantity = "NULL"
    if "QUANTITY_IN_KG" in name:
        check_numbers(con, path, table, name["QUANTITY_IN_KG"])
        quantity = number_sql(name["QUANTITY_IN_KG"])
    select = f"""
        SELECT
            'comext_bulk_extract' AS source_format,
            'DS-045409' AS dataset,
            {reporter_code} AS reporter_code,
            {partner} AS partner_code,
            {product} AS product_code,
            CASE {flow} WHEN '1' THEN 'import' WHEN '2' THEN 'export' END AS flow,
            {period} AS period_code,
            {year_or_month_period_sql(period)},
            {number_sql(name["VALUE_IN_EUROS"])} AS value_eur,
            CAST({quantity} AS DOUBLE) AS quantity_kg,
            s.__line AS source_line
        FROM {table} s
    """
    return ReadResult(select, rows_read=row_count(con, table), table=COMEXT_BULK_EXTRACT_FLOWS.name)
