"""UN Comtrade CSV extracts: one reporter's annual trade by partner and second partner.

Columns as published, read by name (extra columns ignored): Year, Country (the reporter), Partner
(for imports the country of origin), Partner2 (the second partner: for imports the country of
consignment), Commodity Description, Quantity, Quantity Unit, Trade Value (US dollars). `World` is
Comtrade's total over partners, on either side. Names become codes: countries through core/geo,
Comtrade's areas and commodity wordings through the seeds comtrade_partner_areas and
comtrade_commodities; a name none of them knows is refused with its line.

The extract has no flow column: a `Trade Flow` column is read where present, otherwise the rows
are imports, which is what the extract's query asked for (Germany's imports of HS 2709). A
quantity must be in kg or carry Comtrade's `N/A` (kept as published: staging decides); a quantity
without a unit, or in another unit, is refused. Comtrade extracts come in UTF-8 or Latin-1.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

from pipelines.core.files import is_utf8
from pipelines.core.geo import iso2_for_country_name
from pipelines.core.seeds import read_seed
from pipelines.core.sql import quoted, row_count, sql_list
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

REQUIRED = (
    "Year",
    "Country",
    "Partner",
    "Partner2",
    "Commodity Description",
    "Quantity",
    "Quantity Unit",
    "Trade Value",
)
FLOW = "Trade Flow"
FLOWS = ("import", "export")  # Comtrade's flow names, lower-cased; re-imports and re-exports are not read
QUANTITY_UNITS = ("kg", "N/A")  # N/A: Comtrade publishes the quantity without naming its unit
TABLE = "stage_un_comtrade"


def is_comtrade_header(columns: list[str]) -> bool:
    return {"partner", "partner2", "trade value"} <= {c.lower() for c in columns}


@cache
def _partner_areas() -> dict[str, str]:
    return {row["comtrade_label"]: row["partner_code"] for row in read_seed("comtrade_partner_areas")}


@cache
def _commodities() -> dict[str, str]:
    return {row["commodity_label"]: row["hs_code"] for row in read_seed("comtrade_commodities")}


def partner_code(label: str) -> str | None:
    """A Comtrade area (World, Other Asia, nes) from the seed, else the country's ISO alpha-2."""
    label = label.strip()
    return _partner_areas().get(label) or iso2_for_country_name(label)


def reporter_code(label: str) -> str | None:
    """Reporters are countries: no area reports."""
    return iso2_for_country_name(label.strip())


def hs_code(label: str) -> str | None:
    return _commodities().get(label.strip())


def flow_for_label(label: str) -> str | None:
    flow = label.strip().lower()
    return flow if flow in FLOWS else None


def read_un_comtrade_csv(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    """Stage the file and return a SELECT of the Comtrade row shape (routed to raw.comtrade_flows)."""
    require_columns(path, columns, REQUIRED)
    name = {c.lower(): c for c in columns}
    col = {c: name[c.lower()] for c in REQUIRED}
    stage_text_csv(con, path, TABLE, encoding="utf-8" if is_utf8(path) else "latin-1")
    _check_values(con, path, col)
    maps = {
        "reporter": map_column(con, path, TABLE, col["Country"], reporter_code, "reporter (a country name)"),
        "partner": map_column(con, path, TABLE, col["Partner"], partner_code, "partner name"),
        "partner2": map_column(con, path, TABLE, col["Partner2"], partner_code, "second partner (consignment) name"),
        "commodity": map_column(
            con,
            path,
            TABLE,
            col["Commodity Description"],
            hs_code,
            "commodity description (not in seed comtrade_commodities)",
        ),
    }
    flow, flow_join = "'import'", ""
    if FLOW.lower() in name:
        maps["flow"] = map_column(con, path, TABLE, name[FLOW.lower()], flow_for_label, "trade flow (Import or Export)")
        flow, flow_join = "f.code", f"JOIN {maps['flow']} f ON f.label = s.{quoted(name[FLOW.lower()])}"
    select = f"""
        SELECT
            'un_comtrade_csv' AS source_format,
            CAST({text_sql(col["Year"])} AS INTEGER) AS year,
            {text_sql(col["Country"])} AS reporter_label,
            r.code AS reporter_code,
            {flow} AS flow,
            {text_sql(col["Partner"])} AS partner_label,
            p.code AS partner_code,
            {text_sql(col["Partner2"])} AS partner2_label,
            p2.code AS partner2_code,
            {text_sql(col["Commodity Description"])} AS commodity_label,
            c.code AS hs_code,
            {number_sql(col["Quantity"])} AS quantity,
            {text_sql(col["Quantity Unit"])} AS quantity_unit,
            {number_sql(col["Trade Value"])} AS value_usd,
            s.__line AS source_line
        FROM {TABLE} s
        JOIN {maps["reporter"]} r ON r.label = s.{quoted(col["Country"])}
        JOIN {maps["partner"]} p ON p.label = s.{quoted(col["Partner"])}
        JOIN {maps["partner2"]} p2 ON p2.label = s.{quoted(col["Partner2"])}
        JOIN {maps["commodity"]} c ON c.label = s.{quoted(col["Commodity Description"])}
        {flow_join}
    """
    return ReadResult(select, rows_read=row_count(con, TABLE), table="comtrade_flows")


def _check_values(con: duckdb.DuckDBPyConnection, path: Path, col: dict[str, str]) -> None:
    """Years, numbers and units, each refused at its first bad line and column."""
    year = text_sql(col["Year"])
    refuse_first(
        con,
        path,
        TABLE,
        f"{year} IS NULL OR NOT regexp_full_match({year}, '[12][0-9]{{3}}')",
        f"s.{quoted(col['Year'])}",
        col["Year"],
        "not a year (YYYY)",
    )
    value = text_sql(col["Trade Value"])
    refuse_first(
        con, path, TABLE, f"{value} IS NULL", f"s.{quoted(col['Trade Value'])}", col["Trade Value"], "no trade value"
    )
    for column in ("Trade Value", "Quantity"):
        check_numbers(con, path, TABLE, col[column], missing=("",))
    quantity, unit = text_sql(col["Quantity"]), text_sql(col["Quantity Unit"])
    refuse_first(
        con,
        path,
        TABLE,
        f"{quantity} IS NOT NULL AND {unit} IS NULL",
        f"s.{quoted(col['Quantity Unit'])}",
        col["Quantity Unit"],
        "a quantity without its unit",
    )
    refuse_first(
        con,
        path,
        TABLE,
        f"{unit} NOT IN ({sql_list(QUANTITY_UNITS)})",
        f"s.{quoted(col['Quantity Unit'])}",
        col["Quantity Unit"],
        f"quantity unit not one of {', '.join(QUANTITY_UNITS)}",
    )
